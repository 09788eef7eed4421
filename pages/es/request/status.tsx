import type { GetServerSideProps } from "next";
import { PublicLayout } from "../../../src/client/components/public-layout";
import { StatusLookup } from "../../../src/client/components/public/status-lookup";
import { translate } from "../../../src/client/i18n";
import { getDataSource } from "../../../src/server/db/data-source";
import { statusPageProps, type StatusPageProps } from "../../../src/server/self-service/public-form";

const LANG = "es";

export default function StatusPage(props: StatusPageProps) {
  return (
    <PublicLayout lang={LANG} title={translate(LANG, "statusTitle")}>
      <h1>{translate(LANG, "statusTitle")}</h1>
      <p>{translate(LANG, "statusIntro")}</p>
      <StatusLookup lang={LANG} {...props} />
    </PublicLayout>
  );
}

/** The answer is in the page, so the receipt's link and the form work without script too. */
export const getServerSideProps: GetServerSideProps<StatusPageProps> = async ({ req, res, query }) => ({
  props: await statusPageProps(await getDataSource(), req, res, query),
});
