// GraphQL Code Generator plugin: Apollo Client's typePolicies, read from the
// schema so a new type is covered the day it appears (codegen.ts runs it).
//
// Apollo normalizes an object as `${__typename}:${id}` when it has an id and
// otherwise stores it inside its parent, replacing it whole on the next
// write (and warning "Cache data may be lost when replacing the … field").
// The rules, for every object type of the schema:
//   - no `id` field: a value object (an image's placeholder, a pagination):
//     `keyFields: false` and `merge: true`, so two queries asking for
//     different fields of it keep both;
//   - named in `keys` (itself or an interface it implements): those key
//     fields, or `false` for ids unique only within their parent (a body
//     block's id); a list of such objects with ids is merged by id, so a
//     query for other fields of the same blocks keeps both;
//   - otherwise Apollo's default, `${__typename}:${id}`.
// An `id` described as unique "within" something must be named in `keys`:
// the generator fails rather than let Apollo merge two different objects.
//
// It also fails on a document that selects an object with a key without its
// key fields (`category { name }` on a guide): Apollo would store it inside
// the parent and another query's `category { id }` would replace it.
import { relative } from "node:path";

import {
  Kind,
  TypeInfo,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  visit,
  visitWithTypeInfo,
} from "graphql";

/** The key fields given for a type or one of its interfaces; undefined when none. */
function givenKeys(type, keys) {
  const names = [type.name, ...(isObjectType(type) ? type.getInterfaces().map((i) => i.name) : [])];
  for (const name of names) {
    if (name in keys) return keys[name];
  }
  return undefined;
}

/** The fields Apollo identifies an object of this type by; empty when it is stored in its parent. */
function keyFieldsOf(type, keys) {
  if (!isObjectType(type) && !isInterfaceType(type)) return [];
  const given = givenKeys(type, keys);
  if (given !== undefined) return given || [];
  return type.getFields().id ? ["id"] : [];
}

export function validate(schema, documents, config) {
  const keys = config.keys ?? {};
  const fragments = new Map();
  for (const { document } of documents) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
  }
  // The fields a selection set always selects on an object of `type`, through fragments too.
  const selected = (selectionSet, type, seen = new Set()) =>
    selectionSet.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection.name.value];
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment)) return [];
      const condition = fragment.typeCondition?.name.value;
      const always =
        !condition ||
        condition === type.name ||
        (isObjectType(type) && type.getInterfaces().some((i) => i.name === condition));
      return always ? selected(fragment.selectionSet, type, new Set([...seen, fragment])) : [];
    });
  const problems = [];
  for (const { document, location } of documents) {
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const type = getNamedType(typeInfo.getType());
          if (!node.selectionSet || !type) return;
          const fields = selected(node.selectionSet, type);
          const missing = keyFieldsOf(type, keys).filter((key) => !fields.includes(key));
          if (missing.length) {
            problems.push(
              `${relative(process.cwd(), location ?? "")}: ${typeInfo.getParentType()}.${node.name.value} selects ${type} without ${missing.join(", ")}`,
            );
          }
        },
      }),
    );
  }
  if (problems.length) {
    throw new Error(
      "apollo-type-policies: select the key fields of every object Apollo normalizes, or another query " +
        `for other fields of it replaces what this one stored:\n  ${problems.join("\n  ")}`,
    );
  }
}

/**
 * @param {import("graphql").GraphQLSchema} schema
 * @param {unknown} _documents
 * @param {{ keys?: Record<string, string[] | false> }} config
 */
export function plugin(schema, _documents, config) {
  const keys = config.keys ?? {};
  const types = schema.getTypeMap();
  for (const [name, fields] of Object.entries(keys)) {
    const type = types[name];
    if (!isObjectType(type) && !isInterfaceType(type)) {
      throw new Error(`apollo-type-policies: keys names ${name}, which is no object type or interface of the schema`);
    }
    for (const field of fields || []) {
      if (!type.getFields()[field]) throw new Error(`apollo-type-policies: ${name} has no field ${field} to key on`);
    }
  }
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t.name),
  );
  const objects = Object.values(types)
    .filter((type) => isObjectType(type) && !type.name.startsWith("__") && !roots.has(type.name))
    .sort((a, b) => a.name.localeCompare(b.name));

  // Object types stored inside their parent although they have ids: lists of them merge by id.
  const keyedWithinParent = new Set(
    objects.filter((type) => givenKeys(type, keys) === false && type.getFields().id).map((type) => type.name),
  );
  const listOfKeyedWithinParent = (fieldType) => {
    const nullable = getNullableType(fieldType);
    if (!isListType(nullable)) return false;
    const element = getNamedType(nullable);
    const members = isInterfaceType(element) ? schema.getPossibleTypes(element) : [element];
    return members.length > 0 && members.every((member) => keyedWithinParent.has(member.name));
  };

  const policies = [];
  for (const type of objects) {
    const fields = type.getFields();
    const given = givenKeys(type, keys);
    const policy = {};
    if (given !== undefined) {
      policy.keyFields = given;
    } else if (!fields.id) {
      policy.keyFields = false;
      policy.merge = true;
    } else if (/\bwithin\b/i.test(fields.id.description ?? "")) {
      throw new Error(
        `apollo-type-policies: ${type.name}.id is "${fields.id.description}": ` +
          "give its key fields (or false) in codegen.ts's keys, or Apollo merges different objects",
      );
    }
    const merged = Object.values(fields).filter((field) => listOfKeyedWithinParent(field.type));
    const lines = Object.entries(policy).map(([key, value]) => `    ${key}: ${JSON.stringify(value)},`);
    if (merged.length) {
      lines.push("    fields: {");
      for (const field of merged) lines.push(`      ${field.name}: { merge: mergeById },`);
      lines.push("    },");
    }
    if (lines.length) policies.push(`  ${type.name}: {\n${lines.join("\n")}\n  },`);
  }

  return `// Generated by scripts/apollo-type-policies.mjs (npm run codegen) from the schema: do not edit.
import type { FieldMergeFunction, StoreObject, TypePolicies } from "@apollo/client/cache";

/**
 * A list of objects whose ids are unique only within their parent (a guide's
 * body blocks): the incoming list in its order, each element merged with the
 * cached one of the same id and type, so another query's fields stay. Without
 * an id on every element, the incoming list replaces the cached one.
 */
const mergeById: FieldMergeFunction<readonly StoreObject[]> = (existing, incoming, { readField, mergeObjects }) => {
  if (!existing) return incoming;
  const key = (item: StoreObject) => {
    const id = readField<string>("id", item);
    return id === undefined ? undefined : \`\${readField<string>("__typename", item)}:\${id}\`;
  };
  const cached = new Map(existing.map((item) => [key(item), item]));
  if (cached.has(undefined) || incoming.some((item) => key(item) === undefined)) return incoming;
  return incoming.map((item) => {
    const old = cached.get(key(item));
    return old ? mergeObjects(old, item) : item;
  });
};

export const typePolicies: TypePolicies = {
${policies.join("\n")}
};
`;
}
