import { PublicLayout } from "../../src/client/components/public-layout";
import { RequestForm } from "../../src/client/components/public/request-form";
import { translate } from "../../src/client/i18n";

const LANG = "en";

export default function RequestPage() {
  return (
    <PublicLayout lang={LANG} title={translate(LANG, "requestTitle")}>
      <h1>{translate(LANG, "requestTitle")}</h1>
      <p id="request-intro">{translate(LANG, "requestIntro")}</p>
      <RequestForm lang={LANG} />
    </PublicLayout>
  );
}
