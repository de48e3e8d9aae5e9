// GraphQL Code Generator: TypeScript types for the example documents a
// frontend writes (documents/*.graphql), from the checked-in schema.graphql,
// and the cache configuration Apollo Client needs for this schema.
// `npm run codegen` first writes src/rich-text-types.ts from the JSON Schema of
// rich-text trees, then src/gql/, src/possible-types.ts and
// src/type-policies.ts (none committed: CI generates them from schema.graphql
// each run); `npm run typecheck` then compiles src/, whose switches on block
// and node types are exhaustive. src/apollo.ts builds the client from them.
import type { CodegenConfig } from "@graphql-codegen/cli";

// Our custom scalars as they arrive in JSON. strictScalars makes codegen fail
// on a scalar missing here (it would otherwise be typed `any`).
const scalars = {
  RichText: "string", // HTML
  // The tree fields (`…Tree`), typed from schema/rich-text.schema.json.
  RichTextDocument: 'import("../rich-text-types").RichTextDocument',
  Date: "string", // "2026-03-01"
  DateTime: "string", // ISO 8601 with offset
  PositiveInt: "number",
  JSONString: "string", // JSON text; parse it yourself (schema/released.graphql)
};

// Object types whose `id` is not unique among objects of their type (see
// scripts/apollo-type-policies.mjs; an interface covers every type implementing it).
export const keys = {
  GuideBodyBlock: false, // unique within its guide's body: stored in the guide, lists merged by id
  SyncItem: ["kind", "id"], // unique within its kind
  SyncTombstone: ["kind", "id"],
};


const config: CodegenConfig = {
  // SCHEMA=path checks the documents against another schema (e.g. a branch's).
  schema: process.env.SCHEMA ?? "../schema.graphql",
  documents: ["documents/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      config: {
        scalars,
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
        nonOptionalTypename: true,
      },
      presetConfig: { fragmentMasking: false },
    },
    // Which types implement each interface, for Apollo's fragment matching:
    // without it, `... on ParagraphBlock` in a GuideBodyBlock list warns.
    "src/possible-types.ts": {
      plugins: ["fragment-matcher"],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
    "src/type-policies.ts": {
      plugins: ["./scripts/apollo-type-policies.mjs"],
      config: { keys },
    },
  },
};

export default config;
