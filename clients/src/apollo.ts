// Apollo Client set up for this API: copy this file into a frontend, with
// codegen.ts's outputs src/possible-types.ts and src/type-policies.ts (and
// scripts/apollo-type-policies.mjs, which writes the second). CI runs this
// file against the demo content and fails on any warning Apollo prints
// (clients/tests/apollo.test.mjs).
//
// - possibleTypes: body blocks come as the GuideBodyBlock interface and pages
//   as PageInterface; without the list of their types, every `... on
//   ParagraphBlock` warns and fragments on an interface match nothing.
// - typePolicies: objects without an id (an image's placeholder, pagination)
//   are merged into their parent; body blocks, whose ids are unique only
//   within their guide, stay in the guide and are merged by id (select `id`
//   on body blocks); sync items are keyed by kind and id.
// - Persisted queries by hash over GET, so a CDN can cache answers; the full
//   text goes only in the one POST that registers it (a full guide's query is
//   longer than the request line gunicorn accepts in a GET).
// - Client awareness headers name the frontend in the server's logs.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { sha256 } from "crypto-hash";

import generated from "./possible-types";
import { typePolicies } from "./type-policies";

/** The cache this schema needs; use it for server-side rendering too. */
export function createCache(): InMemoryCache {
  return new InMemoryCache({ possibleTypes: generated.possibleTypes, typePolicies });
}

export type ClientOptions = {
  /** The GraphQL endpoint, e.g. "https://cms.example.org/graphql/". */
  uri: string;
  /** Sent as apollographql-client-name and -version. */
  name: string;
  version: string;
  /** A fetch of your own (server-side rendering, tests); the global one by default. */
  fetch?: typeof fetch;
  headers?: Record<string, string>;
};

export function createApolloClient({ uri, name, version, fetch, headers }: ClientOptions): ApolloClient {
  return new ApolloClient({
    cache: createCache(),
    clientAwareness: { name, version },
    link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
      new HttpLink({ uri, fetch, headers }),
    ),
  });
}
