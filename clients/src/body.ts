// How a frontend renders a guide's body: one case per block type, checked
// exhaustively by the compiler. When the schema gains a block type, codegen
// adds it to the union and this stops compiling until it is handled.
// (Written for `body: [GuideBodyBlock!]!`, the union of the 16 block types.)
import type { GuideQuery } from "./gql/graphql";

export type Guide = NonNullable<GuideQuery["guide"]>;
export type BodyBlock = Guide["body"][number];

function assertNever(block: never): never {
  throw new Error(`Unknown body block: ${JSON.stringify(block)}`);
}

/** A plain-text outline of one block, e.g. for a screen reader summary. */
export function describeBlock(block: BodyBlock): string {
  switch (block.__typename) {
    case "HeadingBlock":
      return `${"#".repeat(block.level)} ${block.text}`;
    case "ParagraphBlock":
      return block.value;
    case "CalloutBlock":
      return `[${block.variant}] ${block.title ?? ""} ${block.body}`;
    case "QuoteBlock":
      return `“${block.text}”${block.attribution ? ` — ${block.attribution}` : ""}`;
    case "ScriptBlock":
      return `${block.situation}: “${block.words}”`;
    case "ChecklistBlock":
      return block.items.map((item) => `☐ ${item}`).join("\n");
    case "StepsBlock":
      return block.steps.map((step) => `${step.number}. ${step.title}: ${step.text}`).join("\n");
    case "QuestionListBlock":
      return block.questions.map((question) => `? ${question}`).join("\n");
    case "ComparisonBlock":
      return block.columns.map((column) => `${column.title}: ${column.points.join("; ")}`).join("\n");
    case "CallToActionBlock":
      return `${block.heading} → ${block.buttonLabel} (${block.url ?? ""})`;
    case "ImageBlock":
      return `[image: ${block.altText}] ${block.caption ?? ""} ${block.image?.rendition?.url ?? ""}`;
    case "TableBlock":
      return block.rows.map((row) => row.join(" | ")).join("\n");
    case "NoticeBlock":
      return `[notice${block.placement === "TOP" ? ", shown first" : ""}] ${block.title ?? ""} ${block.body}`;
    case "NumberedListBlock":
      return block.numberedItems.map((item) => `${item.number}. ${item.title}: ${item.text}`).join("\n");
    case "ClosingNoteBlock":
      return `${block.title ?? "Final note"}: ${block.body}`;
    case "FAQsBlock":
      return block.faqs.map((faq) => `Q: ${faq.question}`).join("\n");
    default:
      return assertNever(block);
  }
}

export function describeGuide(guide: Guide): string {
  return [guide.title, ...guide.body.map(describeBlock)].join("\n\n");
}
