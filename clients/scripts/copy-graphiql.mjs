// After `npm ci`: copy GraphiQL and the React it runs on from node_modules
// (versions pinned in package-lock.json) into cms/static/graphiql/, where
// Django's static files (runserver, collectstatic) serve them. The page at
// /graphiql/ (cms/templates/graphene/graphiql.html) loads nothing from a CDN.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "..", "node_modules");
const target = join(here, "..", "..", "cms", "static", "graphiql");

const files = {
  "graphiql.min.js": "graphiql/graphiql.min.js",
  "graphiql.min.css": "graphiql/graphiql.min.css",
  "graphiql.LICENSE": "graphiql/LICENSE",
  "react.production.min.js": "react/umd/react.production.min.js",
  "react.LICENSE": "react/LICENSE",
  "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
  "react-dom.LICENSE": "react-dom/LICENSE",
  "graphql-ws.min.js": "graphql-ws/umd/graphql-ws.min.js",
  "graphql-ws.LICENSE": "graphql-ws/LICENSE.md",
  "plugin-explorer.umd.js": "@graphiql/plugin-explorer/dist/graphiql-plugin-explorer.umd.js",
  "plugin-explorer.css": "@graphiql/plugin-explorer/dist/style.css",
};

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
// Source maps are not copied: their references go, or collectstatic's
// manifest storage would fail on the missing files.
const sourceMap = /^\s*(\/\/|\/\*)# sourceMappingURL=.*$/gm;
for (const [name, source] of Object.entries(files)) {
  const text = readFileSync(join(modules, source), "utf8");
  writeFileSync(join(target, name), text.replace(sourceMap, ""));
}
console.log(`GraphiQL: ${Object.keys(files).length} files copied to ${target}`);
