import { Head, Html, Main, NextScript, type DocumentProps } from "next/document";

export default function Document(props: DocumentProps) {
  // The public pages in Spanish live under /es; everything else is English.
  const lang = /^\/es(\/|$)/.test(props.__NEXT_DATA__.page) ? "es" : "en";
  return (
    <Html lang={lang}>
      <Head>
        <meta name="color-scheme" content="light" />
      </Head>
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
