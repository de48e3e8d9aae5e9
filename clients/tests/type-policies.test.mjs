// The typePolicies generator (scripts/apollo-type-policies.mjs) on our schema
// and on small schemas with the cases a new type brings. No server needed
// (tsx loads codegen.ts, as in npm test).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { buildSchema, isObjectType, parse } from "graphql";

import { keys as KEYS } from "../codegen.ts";
import { plugin, validate } from "../scripts/apollo-type-policies.mjs";

const SCHEMA = buildSchema(readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));

/** The generated typePolicies as an object (the merge function's name as a string). */
function policies(schema, keys = {}) {
  const source = plugin(schema, [], { keys });
  const literal = source.slice(
    source.indexOf("export const typePolicies: TypePolicies = ") + 42,
    source.lastIndexOf(";"),
  );
  return Function(`"use strict"; const mergeById = "mergeById"; return (${literal});`)();
}

const documents = (text) => [{ document: parse(text), location: "documents/Test.graphql" }];

test("every object type of schema.graphql without an id is a value object merged into its parent", () => {
  const generated = policies(SCHEMA, KEYS);
  const roots = new Set(["Query"]);
  const objects = Object.values(SCHEMA.getTypeMap()).filter(
    (type) => isObjectType(type) && !type.name.startsWith("__") && !roots.has(type.name),
  );
  let values = 0;
  for (const type of objects) {
    if (type.getFields().id) continue;
    values += 1;
    assert.equal(generated[type.name]?.keyFields, false, type.name);
    assert.equal(generated[type.name]?.merge, true, type.name);
  }
  assert.ok(values >= 10, `only ${values} value objects`);
  assert.equal(generated.ImagePlaceholder.merge, true);
  assert.equal(generated.Query, undefined, "the root type keeps Apollo's own handling");
});

test("body blocks stay in their guide and the body merges by id; sync items are keyed by kind and id", () => {
  const generated = policies(SCHEMA, KEYS);
  for (const block of SCHEMA.getPossibleTypes(SCHEMA.getType("GuideBodyBlock"))) {
    assert.deepEqual(generated[block.name], { keyFields: false }, block.name);
  }
  assert.deepEqual(generated.GuidePage, { fields: { body: { merge: "mergeById" } } });
  assert.deepEqual(generated.SyncItem, { keyFields: ["kind", "id"] });
  assert.equal(generated.FAQ, undefined, "an id unique within its type needs nothing");
});

test("a new type is covered by the rule for its shape", () => {
  const schema = buildSchema(`
    type Query { shelf: Shelf }
    type Shelf { id: ID! label: Label items: [Item!]! }
    type Label { text: String! }
    interface Item { id: ID! }
    type Book implements Item { id: ID! title: String! }
    type Leaflet implements Item { id: ID! pages: Int! }
  `);
  assert.deepEqual(policies(schema, { Item: false }), {
    Book: { keyFields: false },
    Label: { keyFields: false, merge: true },
    Leaflet: { keyFields: false },
    Shelf: { fields: { items: { merge: "mergeById" } } },
  });
});

test("an id unique only within something must be given keys", () => {
  const schema = buildSchema(`
    type Query { rows: [Row!]! }
    type Row { "Unique within its table." id: ID! }
  `);
  assert.throws(() => plugin(schema, [], {}), /Row\.id is "Unique within its table\."/);
  assert.doesNotThrow(() => plugin(schema, [], { keys: { Row: false } }));
  assert.throws(() => plugin(schema, [], { keys: { Table: false } }), /keys names Table/);
  assert.throws(() => plugin(schema, [], { keys: { Row: ["table", "id"] } }), /Row has no field table/);
});

test("documents must select the key fields of what Apollo normalizes", () => {
  const check = (text) => () => validate(SCHEMA, documents(text), { keys: KEYS });
  assert.throws(
    check("query Q($slug: String!) { guide(slug: $slug) { id category { name } } }"),
    /documents\/Test\.graphql: GuidePage\.category selects GuideCategory without id/,
  );
  assert.throws(check("query Q($slug: String!) { guide(slug: $slug) { title } }"), /Query\.guide selects GuidePage/);
  assert.throws(check("{ changes { updated { id } } }"), /SyncChanges\.updated selects SyncItem without kind/);
  // Through a fragment, on the type or on an interface it implements.
  assert.doesNotThrow(
    check(`
      query Q($slug: String!) { guide(slug: $slug) { ...Card category { ... on GuideCategory { id } } } }
      fragment Card on PageInterface { id title }
    `),
  );
  // A fragment on another type does not give the id; blocks need none.
  assert.throws(
    check(`query Q($slug: String!) { guide(slug: $slug) { ... on HomePage { id } title } }`),
    /Query\.guide selects GuidePage without id/,
  );
  assert.doesNotThrow(check("query Q($slug: String!) { guide(slug: $slug) { id body { kind } } }"));
});
