// What a browser and the proxies in front of the API send: a CORS preflight
// naming Apollo's headers, revalidation with weak ETags and `*`, and the
// introspection rules of the production settings.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CORS_ORIGIN, GRAPHQL_URL, PROXY_HEADERS, postQuery } from "./env.mjs";

test("a CORS preflight with Apollo's headers is allowed", async () => {
  const response = await fetch(GRAPHQL_URL, {
    method: "OPTIONS",
    headers: {
      ...PROXY_HEADERS,
      origin: CORS_ORIGIN,
      "access-control-request-method": "GET",
      "access-control-request-headers":
        "content-type,apollographql-client-name,apollographql-client-version",
    },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("access-control-allow-origin"), CORS_ORIGIN);
  const allowed = response.headers.get("access-control-allow-headers").split(",").map((h) => h.trim());
  for (const header of ["content-type", "apollographql-client-name", "apollographql-client-version"]) {
    assert.ok(allowed.includes(header), `${header} not in ${allowed}`);
  }
  assert.match(response.headers.get("access-control-allow-methods"), /GET/);
});

test("a preflight from another origin gets no CORS allowance", async () => {
  const response = await fetch(GRAPHQL_URL, {
    method: "OPTIONS",
    headers: { ...PROXY_HEADERS, origin: "https://not-allowed.example", "access-control-request-method": "GET" },
  });
  assert.equal(response.headers.get("access-control-allow-origin"), null);
});

async function get(headers = {}) {
  const url = new URL(GRAPHQL_URL);
  url.searchParams.set("query", "{ hubs { __typename title } }");
  return fetch(url, { headers: { ...PROXY_HEADERS, accept: "application/json", ...headers } });
}

test("If-None-Match with a weak ETag or * gets 304", async () => {
  const first = await get({ origin: CORS_ORIGIN });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("access-control-allow-origin"), CORS_ORIGIN);
  const etag = first.headers.get("etag");
  assert.ok(etag, "a public answer without an ETag (is the response cache on?)");
  for (const ifNoneMatch of [etag, `W/${etag}`, `"something-else", W/${etag}`, "*"]) {
    const again = await get({ "if-none-match": ifNoneMatch });
    assert.equal(again.status, 304, `If-None-Match: ${ifNoneMatch}`);
    assert.equal(again.headers.get("etag"), etag);
  }
  assert.equal((await get({ "if-none-match": 'W/"something-else"' })).status, 200);
});

test("a GET with Content-Type: application/json is answered", async () => {
  const url = new URL(GRAPHQL_URL);
  url.searchParams.set("query", "{ hubs { slug } }");
  const response = await fetch(url, { headers: { ...PROXY_HEADERS, "content-type": "application/json" } });
  assert.equal(response.status, 200);
  assert.ok((await response.json()).data.hubs.length > 0);
});

test("introspection is refused, __typename answered", async () => {
  for (const query of ["{ __schema { types { name } } }", '{ __type(name: "GuidePage") { name } }']) {
    const { response, body } = await postQuery(query);
    assert.equal(response.status, 400);
    assert.match(body.errors[0].message, /introspection is disabled/);
  }
  const { response, body } = await postQuery("{ __typename hubs { __typename title } }");
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.data.__typename, "Query");
  assert.equal(body.data.hubs[0].__typename, "GuideIndexPage");
});
