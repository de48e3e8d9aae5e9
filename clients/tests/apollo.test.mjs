// Apollo Client 4 in Node, configured as a frontend would be: InMemoryCache
// (which adds __typename to every selection), automatic persisted queries with
// hash-only GETs (PersistedQueryLink useGETForHashedQueries: the retry with the
// text is a POST) and client awareness headers. Every request is recorded as
// Apollo sent it. (HttpLink's useGETForQueries would send the text in the URL
// too: the full guide's query is over gunicorn's 4094-byte request line.)
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { sha256 } from "crypto-hash";

import { GRAPHQL_URL, GUIDE_SLUG, PROXY_HEADERS, documentText } from "./env.mjs";

const sent = [];

async function recordingFetch(url, options = {}) {
  const headers = Object.fromEntries(new Headers(options.headers).entries());
  const method = options.method ?? "GET";
  const response = await fetch(url, {
    ...options,
    headers: { ...headers, ...PROXY_HEADERS },
  });
  sent.push({ url: new URL(url), method, headers, body: options.body, status: response.status });
  return response;
}

function makeClient() {
  return new ApolloClient({
    cache: new InMemoryCache(),
    clientAwareness: { name: "guides-ci-web", version: "1.2.3" },
    link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
      new HttpLink({ uri: GRAPHQL_URL, fetch: recordingFetch }),
    ),
  });
}

const client = makeClient();

// The document text a request carried, or null for a hash alone.
function sentText(request) {
  return request.url.searchParams.get("query") ?? (request.body ? JSON.parse(request.body).query ?? null : null);
}

function requestsFor(operationName) {
  return sent.filter(
    (r) =>
      r.url.searchParams.get("operationName") === operationName ||
      (r.body && JSON.parse(r.body).operationName === operationName),
  );
}

test("hubs come back with __typename added by the cache", async () => {
  const { data, error } = await client.query({ query: gql(documentText("Hubs")) });
  assert.equal(error, undefined);
  assert.ok(data.hubs.length > 0, "no hubs");
  for (const hub of data.hubs) {
    assert.equal(hub.__typename, "GuideIndexPage");
    assert.ok(hub.title.trim(), "a hub without a title");
  }
  const [first, retry] = requestsFor("Hubs");
  // Apollo sends the hash first, as a GET; the text (with __typename) only when asked for it.
  assert.equal(first.method, "GET");
  assert.equal(sentText(first), null, "the first request should carry the hash only");
  assert.match(sentText(retry), /__typename/);
});

test("a page of guide cards, filtered and paginated", async () => {
  const { data } = await client.query({
    query: gql(documentText("GuideCards")),
    variables: { perPage: 3, page: 1 },
  });
  assert.ok(data.guides.pagination.total >= 3);
  assert.equal(data.guides.items.length, 3);
  assert.equal(data.guides.pagination.currentPage, 1);
  for (const guide of data.guides.items) {
    assert.equal(guide.__typename, "GuidePage");
    assert.ok(guide.title.trim() && guide.url && guide.summary.trim());
  }
});

test("a full guide with its body blocks", async () => {
  const { data } = await client.query({
    query: gql(documentText("Guide")),
    variables: { slug: GUIDE_SLUG },
  });
  const guide = data.guide;
  assert.ok(guide, `no guide ${GUIDE_SLUG}`);
  assert.ok(guide.title.trim());
  assert.ok(guide.body.length > 3, "the guide has almost no body");
  const types = new Set(guide.body.map((block) => block.__typename));
  assert.ok(types.has("HeadingBlock") && types.has("ParagraphBlock"), [...types].join(", "));
  const heading = guide.body.find((block) => block.__typename === "HeadingBlock");
  assert.ok(heading.text.trim());
  console.log(`guide "${guide.title}": ${guide.body.length} body blocks of types ${[...types].join(", ")}`);
});

test("search and suggestions", async () => {
  const { data } = await client.query({
    query: gql(documentText("Search")),
    variables: { query: "second opinion", prefix: "sec" },
  });
  assert.ok(data.search.total > 0, "search found nothing");
  assert.ok(data.search.items[0].title.trim());
  assert.equal(data.search.items[0].__typename, "SearchResult");
  assert.ok(Array.isArray(data.searchSuggestions));
});

test("the second request with the same hash is a GET by hash alone, answered 200", async () => {
  const again = makeClient(); // an empty cache: a second visitor
  const { data } = await again.query({ query: gql(documentText("Hubs")) });
  assert.ok(data.hubs.length > 0);
  const hubs = requestsFor("Hubs");
  const last = hubs.at(-1);
  assert.equal(last.method, "GET");
  assert.equal(last.status, 200);
  assert.equal(sentText(last), null, "the text was sent again");
  const extensions = JSON.parse(last.url.searchParams.get("extensions"));
  // The hash of the text Apollo sent on its retry (with __typename added).
  const text = hubs.map(sentText).find(Boolean);
  assert.ok(text, "Apollo never sent the text");
  assert.equal(extensions.persistedQuery.sha256Hash, createHash("sha256").update(text).digest("hex"));
  console.log(
    `Hubs: ${hubs.map((r) => `${r.method} ${r.status} ${sentText(r) ? "with text" : "hash only"}`).join(", ")}` +
      `; the GET's content-type: ${last.headers["content-type"] ?? "none"}`,
  );
});

test("every request named the client", () => {
  assert.ok(sent.length >= 6);
  for (const request of sent) {
    assert.equal(request.headers["apollographql-client-name"], "guides-ci-web");
    assert.equal(request.headers["apollographql-client-version"], "1.2.3");
  }
  const gets = sent.filter((r) => r.method === "GET").length;
  console.log(`Apollo sent ${sent.length} requests (${gets} GET, ${sent.length - gets} POST)`);
});
