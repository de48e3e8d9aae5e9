// Apollo Client 4 in Node, built by src/apollo.ts as a frontend builds it:
// InMemoryCache with the generated possibleTypes and typePolicies (the cache
// adds __typename to every selection), automatic persisted queries with
// hash-only GETs (PersistedQueryLink useGETForHashedQueries: the retry with
// the text is a POST) and client awareness headers. Every request is recorded
// as Apollo sent it, and every warning or error Apollo prints fails the run:
// one cache reads every demo guide, hub, card and image the way a reader
// browses, then answers each guide's queries again from the cache alone.
// (HttpLink's useGETForQueries would send the text in the URL too: the full
// guide's query is over gunicorn's 4094-byte request line.)
// Run with `node --import tsx` (compiles src/*.ts) and tests/console-guard.mjs
// (.ci/clients.sh, npm test), under the `development` condition so Apollo runs
// its development checks, as in a frontend's development build.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import { gql } from "@apollo/client";
import { __DEV__ } from "@apollo/client/utilities/environment";

import { createApolloClient } from "../src/apollo.ts";
import generated from "../src/possible-types.ts";
import { printed } from "./console-guard.mjs";
import { GRAPHQL_URL, GUIDE_SLUG, PROXY_HEADERS, documentText, postQuery } from "./env.mjs";

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
  return createApolloClient({ uri: GRAPHQL_URL, name: "guides-ci-web", version: "1.2.3", fetch: recordingFetch });
}

const client = makeClient();

// The document text a request carried, or null for a hash alone.
function sentText(request) {
  return request.url.searchParams.get("query") ?? (request.body ? (JSON.parse(request.body).query ?? null) : null);
}

// "File" for a file's one operation, "File.Name" for one of several (with the file's fragments).
function operation(name) {
  const [file, operationName] = name.split(".");
  const document = gql(documentText(file));
  if (!operationName) return document;
  const definitions = document.definitions.filter(
    (d) => d.kind !== "OperationDefinition" || d.name.value === operationName,
  );
  return { ...document, definitions };
}

// An answer without the __typename fields Apollo adds to every selection,
// nor a sync token (signed with the time it was made).
function comparable(value) {
  if (Array.isArray(value)) return value.map(comparable);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "__typename" && key !== "nextToken")
      .map(([key, item]) => [key, comparable(item)]),
  );
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

test("one cache over every demo guide, hub, card and image, then each guide again from the cache alone", async () => {
  const reader = makeClient(); // one visitor browsing the whole site
  const query = async (name, variables = {}) => {
    const { data, error } = await reader.query({ query: operation(name), variables });
    assert.equal(error, undefined, `${name}: ${error}`);
    return data;
  };

  const { hubs } = await query("Hubs");
  for (const { slug } of hubs) {
    const { hub } = await query("Hub", { slug, perPage: 100 });
    assert.ok(hub.closingCallToAction === null || hub.closingCallToAction.heading.trim());
  }
  const slugs = [];
  for (let page = 1; page;) {
    const { guides } = await query("GuideCards", { perPage: 3, page });
    for (const card of guides.items) {
      slugs.push(card.slug);
      assert.ok(card.heroImage?.placeholder?.dominantColor, `${card.slug}: a card without its image's colour`);
    }
    page = guides.pagination.nextPage;
  }
  assert.ok(slugs.length >= 8, `only ${slugs.length} guides`);

  const seen = new Set();
  const answers = [];
  for (const slug of slugs) {
    for (const name of ["Guide", "GuideTrees"]) {
      const data = await query(name, { slug });
      answers.push([name, { slug }, data]);
      for (const block of data.guide.body) seen.add(block.__typename);
    }
    const { guide } = answers.at(-2)[2];
    assert.ok(guide.heroImage?.placeholder?.blurhash, `${slug}: a guide without its image's BlurHash`);
  }
  assert.deepEqual(
    [...seen].sort(),
    [...generated.possibleTypes.GuideBodyBlock].sort(),
    "the demo guides' block types",
  );
  await query("FAQs");
  await query("Search", { query: "second opinion", prefix: "sec" });
  // The offline app's changes in the same cache: other fields of the same
  // guides and blocks, sync items keyed by kind and id. (Not SyncFresh: the
  // sync check after this run reads it after an edit, and without Redis the
  // edit cannot purge this server's cached answer.)
  const sync = await query("Sync.Sync", { perPage: 100 });
  assert.ok(sync.changes.updated.length > slugs.length);
  answers.push(["Sync.Sync", { perPage: 100 }, sync]);

  // Every guide's two queries and the changes answered again without the
  // network: the cache kept what each asked for although other queries wrote
  // the same guides, blocks and images with other fields (and a guide, an FAQ
  // and a category share ids, which sync items tell apart by kind).
  // (Compared with the server's answer itself: what reader.query returned
  // was read from the cache already.)
  for (const [name, variables] of answers) {
    const { data: cached } = await reader.query({ query: operation(name), variables, fetchPolicy: "cache-only" });
    const [file, operationName] = name.split(".");
    const { body } = await postQuery(documentText(file), variables, {}, operationName);
    assert.deepEqual(comparable(cached), comparable(body.data), `${name}(${JSON.stringify(variables)}) from the cache`);
  }
  const image = reader.cache.readFragment({
    id: reader.cache.identify({ __typename: "ImageObjectType", id: answers[0][2].guide.heroImage.id }),
    fragment: gql`
      fragment Both on ImageObjectType {
        placeholder {
          blurhash
          dominantColor
        }
      }
    `,
  });
  assert.ok(
    image?.placeholder.blurhash && image.placeholder.dominantColor,
    "the card's colour and the guide's BlurHash, merged",
  );
  console.log(
    `one cache: ${hubs.length} hubs, ${slugs.length} guides, ${seen.size} block types, ${answers.length} answers read back from the cache`,
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

test("Apollo printed no warning and no error", () => {
  assert.ok(__DEV__, "Apollo's development checks are off: run node with --conditions=development");
  console.log(`console.warn and console.error while Apollo ran: ${printed.length}`);
  assert.deepEqual(printed, []);
});
