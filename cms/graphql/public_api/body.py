"""The blocks of a guide's body: the interface every block implements and each
block type."""

from cms.graphql.public_api.common import _block

BODY = {
    "GuideBodyBlock": {
        "description": "One block of a guide's body. Exactly the types listed here implement it: switch on `__typename` (or `kind`).",
        "fields": {
            "id": ("ID!", "The block's stable id within the body: a key for lists and anchors."),
            "kind": ("GuideBodyBlockKind!", "Which kind of block this is, as an enum."),
        },
        "implementations": [
            "HeadingBlock",
            "ParagraphBlock",
            "CalloutBlock",
            "QuoteBlock",
            "ScriptBlock",
            "ChecklistBlock",
            "StepsBlock",
            "QuestionListBlock",
            "ComparisonBlock",
            "CallToActionBlock",
            "ImageBlock",
            "TableBlock",
            "FAQsBlock",
            "NoticeBlock",
            "NumberedListBlock",
            "ClosingNoteBlock",
        ],
    },
    "GuideBodyBlockKind": {
        "description": "Which kind of block a GuideBodyBlock is: its stable name in the body.",
        "values": {
            "HEADING": "A HeadingBlock.",
            "PARAGRAPH": "A ParagraphBlock.",
            "CALLOUT": "A CalloutBlock.",
            "QUOTE": "A QuoteBlock.",
            "SCRIPT": "A ScriptBlock.",
            "CHECKLIST": "A ChecklistBlock.",
            "STEPS": "A StepsBlock.",
            "QUESTION_LIST": "A QuestionListBlock.",
            "COMPARISON": "A ComparisonBlock.",
            "CALL_TO_ACTION": "A CallToActionBlock.",
            "IMAGE": "An ImageBlock.",
            "TABLE": "A TableBlock.",
            "FAQS": "A FAQsBlock.",
            "NOTICE": "A NoticeBlock.",
            "NUMBERED_LIST": "A NumberedListBlock.",
            "CLOSING_NOTE": "A ClosingNoteBlock.",
        },
    },
    "HeadingBlock": _block(
        "A section heading. Build the table of contents from these.",
        text=("String!", "The heading's words."),
        level=("Int!", "2 for a section, 3 for a sub-section, 4 for a minor heading."),
        anchor=("String!", "A link target for the heading, unique within the guide."),
    ),
    "ParagraphBlock": _block(
        "Body text: paragraphs, lists, bold, italics and links.",
        value=("RichText!", "The text."),
        valueTree=("RichTextDocument!", "`value` as a document tree, for native rendering."),
    ),
    "CalloutBlock": _block(
        "A boxed note that stands out from the body text.",
        variant=("CalloutVariant!", "How it looks, and how urgent it is."),
        title=("String", "An optional heading for the box."),
        body=("RichText!", "The note."),
        bodyTree=("RichTextDocument!", "`body` as a document tree, for native rendering."),
    ),
    "CalloutVariant": {
        "description": "How a callout looks, and how urgent it is.",
        "values": {
            "INFO": "Background information.",
            "IMPORTANT": "Safety-critical, e.g. when to call a doctor urgently.",
            "TIP": "Practical advice.",
        },
    },
    "QuoteBlock": _block(
        "A quotation, e.g. from a patient or a clinician.",
        text=("String!", "What was said, plain text."),
        attribution=("String", "Who said it."),
    ),
    "ScriptBlock": _block(
        "Words a patient can use in a situation.",
        situation=("String!", "When to use them, e.g. 'When you ask for a second opinion'."),
        words=("String!", "The words to say, in the first person, plain text."),
        note=("String", "Advice on tone or timing."),
    ),
    "ChecklistBlock": _block(
        "A titled list of things to prepare or bring.",
        title=("String", "The list's heading."),
        items=("[String!]!", "The things, in order."),
    ),
    "StepsBlock": _block(
        "Steps in order, each with a title and text.",
        title=("String", "The steps' heading."),
        steps=("[StepItem!]!", "The steps, in order."),
    ),
    "StepItem": {
        "description": "One step of a StepsBlock.",
        "fields": {
            "number": ("Int!", "The step's number, from 1."),
            "title": ("String!", "The step's short title."),
            "text": ("String!", "What to do, plain text."),
        },
    },
    "NoticeBlock": _block(
        "A notice such as a disclaimer. Show it before the body when `placement` is TOP.",
        placement=("NoticePlacement!", "Where to show it."),
        title=("String", "An optional heading, e.g. 'Disclaimer'."),
        body=("RichText!", "The notice."),
        bodyTree=("RichTextDocument!", "`body` as a document tree, for native rendering."),
    ),
    "NoticePlacement": {
        "description": "Where a frontend shows a notice.",
        "values": {
            "TOP": "Before everything else in the guide, whatever its place in the body.",
            "INLINE": "Where it stands in the body.",
        },
    },
    "NumberedListBlock": _block(
        "Numbered points, each with a short title and a paragraph.",
        title=("String", "The list's heading."),
        numberedItems=("[NumberedItem!]!", "The points, in order."),
    ),
    "NumberedItem": {
        "description": "One point of a NumberedListBlock.",
        "fields": {
            "number": ("Int!", "The point's number, from 1."),
            "title": ("String!", "The point's short title."),
            "text": ("RichText!", "The point's paragraph."),
            "textTree": ("RichTextDocument!", "`text` as a document tree, for native rendering."),
        },
    },
    "ClosingNoteBlock": _block(
        "The guide's closing words, e.g. a final note or summary.",
        title=("String", "An optional heading, e.g. 'Final note'."),
        body=("RichText!", "The note."),
        bodyTree=("RichTextDocument!", "`body` as a document tree, for native rendering."),
    ),
    "QuestionListBlock": _block(
        "A titled list of questions to ask.",
        title=("String", "The list's heading."),
        questions=("[String!]!", "The questions, in order."),
    ),
    "ComparisonBlock": _block(
        "Two to four columns to compare, each a title and points.",
        title=("String", "The comparison's heading."),
        columns=("[ComparisonColumn!]!", "The columns, in order."),
    ),
    "ComparisonColumn": {
        "description": "One column of a ComparisonBlock.",
        "fields": {
            "title": ("String!", "The column's heading."),
            "points": ("[String!]!", "The column's points, in order."),
        },
    },
    "CallToActionBlock": _block(
        "A prompt to act, with one button.",
        heading=("String!", "The prompt's heading."),
        text=("String!", "A sentence under the heading; may be empty."),
        buttonLabel=("String!", "The button's words, verb first."),
        url=(
            "String",
            "Where the button goes; null when its page is not public (hide the button).",
        ),
    ),
    "ImageBlock": _block(
        "An image with its caption and a text alternative.",
        image=("ImageObjectType", "The image; null if it was deleted from the library."),
        altText=("String!", "Text alternative for screen readers."),
        caption=("String", "A caption to show under the image."),
    ),
    "TableBlock": _block(
        "A table of text.",
        caption=("String", "The table's caption."),
        hasHeaderRow=("Boolean!", "The first row is a header row."),
        hasHeaderColumn=("Boolean!", "The first column is a header column."),
        rows=("[[String!]!]!", "The cells, row by row; empty cells are empty strings."),
    ),
    "FAQsBlock": _block(
        "FAQs placed at this point of the body, in the editors' order.",
        title=("String", "The section's heading, e.g. 'Frequently asked questions'."),
        faqs=("[FAQ!]!", "The published FAQs placed here."),
    ),
}
