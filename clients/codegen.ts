// GraphQL Code Generator: TypeScript types for the example documents a
// frontend writes (documents/*.graphql), from the checked-in schema.graphql.
// `npm run codegen` first writes src/rich-text-types.ts from the JSON Schema of
// rich-text trees, then src/gql/ (neither committed); `npm run typecheck` then
// compiles src/body.ts and src/rich-text.ts, whose switches are exhaustive.
import type { CodegenConfig } from "@graphql-codegen/cli";

// Our custom scalars as they arrive in JSON (README, "Clients").
const scalars = {
  RichText: "string", // HTML
  // The tree fields (`…Tree`), typed from schema/rich-text.schema.json.
  RichTextDocument: 'import("../rich-text-types").RichTextDocument',
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
