import type { GetServerSideProps } from "next";
import { Language } from "../../../entities";
import { PublicLayout } from "../../../src/client/components/public-layout";
import { RequestForm } from "../../../src/client/components/public/request-form";
import { translate } from "../../../src/client/i18n";
import { getDataSource } from "../../../src/server/db/data-source";
import { requestPageProps, type RequestPageProps } from "../../../src/server/self-service/public-form";

const LANG = "es";

export default function RequestPage(props: RequestPageProps) {
  return (
    <PublicLayout lang={LANG} title={translate(LANG, "requestTitle")}>
      <h1>{translate(LANG, "requestTitle")}</h1>
      <p id="request-intro">{translate(LANG, "requestIntro")}</p>
      <RequestForm lang={LANG} {...props} />
    </PublicLayout>
  );
}

/** The form works without script too: a plain POST to this page is taken here. */
export const getServerSideProps: GetServerSideProps<RequestPageProps> = async ({ req, res }) => ({
  props: await requestPageProps(await getDataSource(), req, res, Language.ES),
});
