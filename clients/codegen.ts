// GraphQL Code Generator: TypeScript types for the example documents a
// frontend writes (documents/*.graphql), from the checked-in schema.graphql.
// `npm run codegen` writes src/gql/ (not committed); `npm run typecheck` then
// compiles src/body.ts, whose switch over a guide's body blocks is exhaustive.
import type { CodegenConfig } from "@graphql-codegen/cli";

// Our custom scalars as they arrive in JSON (README, "Clients").
const scalars = {
  RichText: "string", // HTML
  Date: "string", // "2026-03-01"
  DateTime: "string", // ISO 8601 with offset
  PositiveInt: "number",
  JSONString: "string", // JSON text; parse it yourself
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
  },
};

export default config;
