import { ApolloProvider } from "@apollo/client/react";
import type { Session } from "next-auth";
import { SessionProvider } from "next-auth/react";
import type { AppProps } from "next/app";
import { useState } from "react";
import { apolloClient } from "../src/client/apollo";
import "graphiql/style.css";
import "../src/client/styles/global.css";

export default function App({ Component, pageProps }: AppProps<{ session?: Session | null }>) {
  const { session, ...rest } = pageProps;
  const [client] = useState(apolloClient);
  return (
    <SessionProvider session={session}>
      <ApolloProvider client={client}>
        <Component {...rest} />
      </ApolloProvider>
    </SessionProvider>
  );
}
