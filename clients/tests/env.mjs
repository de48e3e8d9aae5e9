// Where the server under test is, from .ci/clients.sh (or by hand:
// GRAPHQL_URL=http://127.0.0.1:8000/graphql/ CORS_ORIGIN=... npm test).
import { readFileSync } from "node:fs";

export const GRAPHQL_URL = process.env.GRAPHQL_URL ?? "http://127.0.0.1:8000/graphql/";
// One of the origins in the server's CORS_ALLOWED_ORIGINS.
export const CORS_ORIGIN = process.env.CORS_ORIGIN ?? "http://localhost:3000";
// Production settings behind a TLS proxy: tell Django the request came over HTTPS.
export const PROXY_HEADERS = { "x-forwarded-proto": "https" };
export const GUIDE_SLUG = "asking-for-a-second-opinion";

export function documentText(name) {
  return readFileSync(new URL(`../documents/${name}.graphql`, import.meta.url), "utf8");
}

export async function postQuery(query, variables, headers = {}, operationName = undefined) {
  const response = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: { "content-type": "application/json", ...PROXY_HEADERS, ...headers },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { response, body: await response.json() };
}
