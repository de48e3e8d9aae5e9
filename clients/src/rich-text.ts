// How a frontend renders a rich-text document tree (the `…Tree` fields):
// one case per node type, checked exhaustively by the compiler against the
// types json-schema-to-typescript generates from schema/rich-text.schema.json
// (src/rich-text-types.ts, written by `npm run codegen`). A native app maps
// the same cases to its own views; this renders plain text, which is also
// what a screen-reader summary or a notification needs.
import type {
  RichTextBlock,
  RichTextDocument,
  RichTextInline,
  RichTextLinkTarget,
  RichTextList,
} from "./rich-text-types";
import type { GuideTreesQuery } from "./gql/graphql";

function assertNever(node: never): never {
  throw new Error(`Unknown rich-text node: ${JSON.stringify(node)}`);
}

/** Where a link opens in the app: its own screen for pages, the system for the rest. */
export function linkDestination(target: RichTextLinkTarget): string {
  switch (target.kind) {
    case "GUIDE":
      return `app://guides/${target.id}`;
    case "HUB":
      return `app://hubs/${target.id}`;
    case "FAQ":
      return "app://faqs";
    case "PAGE":
      return `app://pages/${target.id}`;
    case "DOCUMENT":
      return target.url;
    case "EXTERNAL":
    case "EMAIL":
    case "PHONE":
    case "ANCHOR":
      return target.url;
    default:
      return assertNever(target);
  }
}

function inlineText(nodes: readonly RichTextInline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case "text":
          return node.text;
        case "lineBreak":
          return "\n";
        case "link":
          return inlineText(node.children);
        default:
          return assertNever(node);
      }
    })
    .join("");
}

function listText(list: RichTextList, depth: number): string[] {
  return list.children.flatMap((item, index) => {
    const bullet = `${"  ".repeat(depth)}${list.ordered ? `${index + 1}.` : "•"} `;
    const words = item.children.filter((child) => child.type !== "list") as RichTextInline[];
    const nested = item.children.filter((child) => child.type === "list") as RichTextList[];
    return [bullet + inlineText(words), ...nested.flatMap((inner) => listText(inner, depth + 1))];
  });
}

function blockText(block: RichTextBlock): string {
  switch (block.type) {
    case "paragraph":
      return inlineText(block.children);
    case "heading":
      return `${"#".repeat(block.level)} ${inlineText(block.children)}`;
    case "blockquote":
      return `> ${inlineText(block.children)}`;
    case "list":
      return listText(block, 0).join("\n");
    case "horizontalRule":
      return "---";
    case "image":
      return `[image: ${block.alt}]`;
    case "embed":
      return `[media: ${block.url}]`;
    default:
      return assertNever(block);
  }
}

/** The document as plain text: one block a paragraph, lists bulleted. */
export function plainText(document: RichTextDocument): string {
  return document.children.map(blockText).join("\n\n");
}

// The `…Tree` fields arrive typed: codegen maps the RichTextDocument scalar
// to the generated type (an `any` here would stop this compiling).
type GuideTrees = NonNullable<GuideTreesQuery["guide"]>;
type IsAny<T> = 0 extends 1 & T ? true : false;
const treesAreTyped: IsAny<GuideTrees["quickAnswerTree"]> = false;
void treesAreTyped;

/** Every rich text of a guide, as plain text, in reading order (empty ones left out). */
export function guideTexts({ guide, siteSettings }: GuideTreesQuery): string[] {
  if (!guide) return [];
  const trees: (RichTextDocument | null | undefined)[] = [
    guide.hub?.introTree,
    guide.quickAnswerTree,
    ...guide.body.map((block) =>
      block.__typename === "ParagraphBlock"
        ? block.valueTree
        : block.__typename === "CalloutBlock"
          ? block.bodyTree
          : null,
    ),
    ...guide.faqs.map((faq) => faq.answerTree),
    guide.disclaimerTree ?? siteSettings.defaultDisclaimerTree,
  ];
  return trees.filter((tree): tree is RichTextDocument => !!tree?.children.length).map(plainText);
}
