// A plain client: graphql-request POSTs each document as it is.
import assert from "node:assert/strict";
import { test } from "node:test";

import { GraphQLClient } from "graphql-request";

import { GRAPHQL_URL, GUIDE_SLUG, PROXY_HEADERS, documentText } from "./env.mjs";

const client = new GraphQLClient(GRAPHQL_URL, { headers: PROXY_HEADERS });

test("hubs, guide cards, a guide, search and FAQs over POST", async () => {
  const { hubs } = await client.request(documentText("Hubs"));
  assert.ok(hubs.length > 0 && hubs.every((hub) => hub.title.trim()));

  const hub = await client.request(documentText("Hub"), { slug: hubs[0].slug, perPage: 2 });
  assert.equal(hub.hub.title, hubs[0].title);

  const { guides } = await client.request(documentText("GuideCards"), { perPage: 2, page: 2 });
  assert.equal(guides.pagination.currentPage, 2);
  assert.ok(guides.items.length > 0 && guides.items.every((guide) => guide.title.trim()));

  const { guide } = await client.request(documentText("Guide"), { slug: GUIDE_SLUG });
  assert.ok(guide.title.trim() && guide.body.length > 3);
  assert.ok(guide.body.some((block) => block.__typename === "ParagraphBlock" && block.value));

  const { search } = await client.request(documentText("Search"), { query: "second opinion", prefix: "sec" });
  assert.ok(search.total > 0);

  const { faqs, faqTopics } = await client.request(documentText("FAQs"), { topic: null });
  assert.ok(faqTopics.length > 0 && faqs.items.length > 0 && faqs.items[0].question.trim());
});
