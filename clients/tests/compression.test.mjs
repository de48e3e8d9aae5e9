// Compressed answers as Node clients get them. Apollo Client's HttpLink uses
// Node's fetch (undici), which adds Accept-Encoding itself, below what Apollo
// sees: a relay on 127.0.0.1 records the request as it reaches the wire and
// passes the server's bytes back untouched, so the test sees what Apollo
// really sends, which coding the server chose, and that Apollo decodes it.
import assert from "node:assert/strict";
import { createServer, request as send } from "node:http";
import { after, before, test } from "node:test";

import { ApolloClient, HttpLink, gql } from "@apollo/client";

import { createCache } from "../src/apollo.ts";
import { GRAPHQL_URL, GUIDE_SLUG, PROXY_HEADERS, documentText } from "./env.mjs";

const seen = [];
let relay;
let relayUrl;

before(async () => {
  relay = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const headers = { ...request.headers, ...PROXY_HEADERS };
    delete headers.host;
    delete headers["content-length"];
    const upstream = new URL(request.url, GRAPHQL_URL);
    // http.request, not fetch: fetch would decode the body before we pass it on.
    const answer = await new Promise((resolve, reject) => {
      const outgoing = send(upstream, { method: request.method, headers }, resolve);
      outgoing.on("error", reject);
      outgoing.end(body.length ? body : undefined);
    });
    const raw = [];
    for await (const chunk of answer) raw.push(chunk);
    const bytes = Buffer.concat(raw);
    seen.push({
      acceptEncoding: request.headers["accept-encoding"],
      contentEncoding: answer.headers["content-encoding"],
      vary: answer.headers.vary ?? "",
      bytes: bytes.length,
    });
    response.writeHead(answer.statusCode, answer.headers);
    response.end(bytes);
  });
  await new Promise((resolve) => relay.listen(0, "127.0.0.1", resolve));
  relayUrl = `http://127.0.0.1:${relay.address().port}/graphql/`;
});

after(() => relay.close());

// Node 20's fetch sends `gzip, deflate` (no br): it gets gzip. Browsers and
// newer Node versions also send br, and get it.
test("Apollo Client in Node gets the best coding it accepts and decodes it", async () => {
  // Our cache (src/apollo.ts); a plain HttpLink, so one POST carries the text.
  const client = new ApolloClient({
    cache: createCache(),
    link: new HttpLink({ uri: relayUrl }),
  });
  seen.length = 0;
  const { data } = await client.query({
    query: gql(documentText("Guide")),
    variables: { slug: GUIDE_SLUG },
  });
  assert.equal(data.guide.slug, GUIDE_SLUG);
  assert.ok(data.guide.body.length > 0);
  assert.equal(seen.length, 1);
  const [{ acceptEncoding, contentEncoding, vary, bytes }] = seen;
  console.log(`Apollo Client (Node ${process.version}) sent Accept-Encoding: ${acceptEncoding}`);
  const accepted = acceptEncoding.split(",").map((coding) => coding.trim());
  assert.ok(accepted.includes("gzip"), acceptEncoding);
  assert.equal(contentEncoding, accepted.includes("br") ? "br" : "gzip");
  assert.match(vary, /accept-encoding/i);
  const plain = await fetch(GRAPHQL_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-encoding": "identity", ...PROXY_HEADERS },
    body: JSON.stringify({ query: documentText("Guide"), variables: { slug: GUIDE_SLUG } }),
  });
  assert.equal(plain.headers.get("content-encoding"), null);
  const plainBytes = (await plain.arrayBuffer()).byteLength;
  assert.ok(bytes < plainBytes / 2, `${bytes} bytes compressed, ${plainBytes} plain`);
});

test("a client naming br gets br, one naming gzip only gets gzip, each decoded by fetch", async () => {
  const url = new URL(relayUrl);
  url.searchParams.set("query", "{ guides(perPage: 20) { items { title slug summary } } }");
  for (const [acceptEncoding, coding] of [["gzip, br", "br"], ["gzip", "gzip"]]) {
    seen.length = 0;
    const response = await fetch(url, { headers: { "accept-encoding": acceptEncoding } });
    assert.ok((await response.json()).data.guides.items.length > 0);
    assert.equal(seen[0].contentEncoding, coding, acceptEncoding);
  }
});
