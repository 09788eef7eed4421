import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";

let browserClient: ApolloClient | undefined;

function createClient(): ApolloClient {
  return new ApolloClient({
    // Same origin: the session cookie goes with every request.
    link: new HttpLink({ uri: "/api/graphql", credentials: "same-origin" }),
    cache: new InMemoryCache({
      typePolicies: {
        // Matches have no id of their own; keep them inside the search result they came with.
        ConstituentMatch: { keyFields: false },
        RoutingPreview: { keyFields: false },
        CreateConstituentResult: { keyFields: false },
      },
    }),
    ssrMode: typeof window === "undefined",
  });
}

/** One client per browser tab (the cache survives page changes); a fresh one per server render. */
export function apolloClient(): ApolloClient {
  if (typeof window === "undefined") return createClient();
  browserClient ??= createClient();
  return browserClient;
}
