// A native app's view of rich text: one guide's document trees rendered to
// plain text by src/rich-text.ts (the renderer written against the generated
// types, compiled here as it is), with every word its HTML shows, in order.
import assert from "node:assert/strict";
import { test } from "node:test";

import { guideTexts, linkDestination, plainText } from "../src/rich-text.ts";
import { GUIDE_SLUG, documentText, postQuery } from "./env.mjs";

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function htmlWords(html) {
  const text = html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x?[0-9a-f]+|\w+);/gi, (entity, name) =>
      name[0] === "#"
        ? String.fromCodePoint(Number(name[1] === "x" ? `0${name.slice(1)}` : name.slice(1)))
        : (ENTITIES[name] ?? entity),
    );
  return text.split(/\s+/).filter(Boolean);
}

function links(node) {
  const own = node.type === "link" ? [node] : [];
  return [...own, ...(node.children ?? []).flatMap(links)];
}

test("a guide's trees render to plain text with every word of their HTML", async () => {
  const { body } = await postQuery(documentText("GuideTrees"), { slug: GUIDE_SLUG });
  assert.equal(body.errors, undefined);
  const { guide } = body.data;
  const pairs = [
    [guide.quickAnswer, guide.quickAnswerTree],
    [guide.disclaimer, guide.disclaimerTree],
    [guide.hub?.intro, guide.hub?.introTree],
    ...guide.body.filter((block) => block.valueTree).map((block) => [block.value, block.valueTree]),
    ...guide.body.filter((block) => block.bodyTree).map((block) => [block.body, block.bodyTree]),
    ...guide.faqs.map((faq) => [faq.answer, faq.answerTree]),
  ].filter(([html]) => html);
  assert.ok(pairs.length >= 3, `only ${pairs.length} rich texts`);

  for (const [html, tree] of pairs) {
    const rendered = plainText(tree);
    assert.doesNotMatch(rendered, /<\/?[a-z]+[^>]*>/i, "no HTML in the rendering");
    let at = 0;
    for (const word of htmlWords(html)) {
      const found = rendered.indexOf(word, at);
      assert.ok(found >= 0, `"${word}" of ${html} missing from ${rendered}`);
      at = found + word.length;
    }
    for (const link of links(tree)) assert.ok(linkDestination(link.target));
  }
  assert.ok(guideTexts(body.data).every((text) => text.trim()));
});
