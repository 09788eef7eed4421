import { PublicLayout } from "../../../src/client/components/public-layout";
import { StatusLookup } from "../../../src/client/components/public/status-lookup";
import { translate } from "../../../src/client/i18n";

const LANG = "es";

export default function StatusPage() {
  return (
    <PublicLayout lang={LANG} title={translate(LANG, "statusTitle")}>
      <h1>{translate(LANG, "statusTitle")}</h1>
      <p>{translate(LANG, "statusIntro")}</p>
      <StatusLookup lang={LANG} />
    </PublicLayout>
  );
}
