import { PublicLayout } from "../../../src/client/components/public-layout";
import { HelpSearch } from "../../../src/client/components/public/help-search";
import { translate } from "../../../src/client/i18n";

const LANG = "es";

export default function HelpPage() {
  return (
    <PublicLayout lang={LANG} title={translate(LANG, "helpTitle")}>
      <h1>{translate(LANG, "helpTitle")}</h1>
      <p>{translate(LANG, "helpIntro")}</p>
      <HelpSearch lang={LANG} />
    </PublicLayout>
  );
}
