import type { GetServerSideProps } from "next";
import { Language } from "../../../entities";
import { PublicLayout } from "../../../src/client/components/public-layout";
import { HelpSearch } from "../../../src/client/components/public/help-search";
import { translate } from "../../../src/client/i18n";
import { getDataSource } from "../../../src/server/db/data-source";
import { helpPageProps, type HelpPageProps } from "../../../src/server/self-service/public-form";

const LANG = "es";

export default function HelpPage(props: HelpPageProps) {
  return (
    <PublicLayout lang={LANG} title={translate(LANG, "helpTitle")}>
      <h1>{translate(LANG, "helpTitle")}</h1>
      <p>{translate(LANG, "helpIntro")}</p>
      <HelpSearch lang={LANG} initial={props} />
    </PublicLayout>
  );
}

/** The search works without script too: ?q= is answered here. */
export const getServerSideProps: GetServerSideProps<HelpPageProps> = async ({ query }) => ({
  props: await helpPageProps(await getDataSource(), query.q, Language.ES),
});
