"""Blocks that only guides use, and the guide body that combines them with the
shared blocks from `cms.blocks`."""

import graphene
from grapple.helpers import register_streamfield_block
from grapple.models import GraphQLField, GraphQLRichText, GraphQLString
from grapple.types.rich_text import RichText
from wagtail import blocks

from cms.blocks import (
    CalloutBlock,
    CallToActionBlock,
    HeadingBlock,
    ImageBlock,
    ParagraphBlock,
    QuoteBlock,
    SettingChoiceBlock,
    TableBlock,
    list_item,
)
from cms.rich_text.graphql import RichTextDocument
from faqs.blocks import FAQsBlock

# Rich text inside notices, numbered items and closing notes: no headings, so
# a block cannot break the body's heading outline.
SHORT_RICH_TEXT = ["bold", "italic", "link", "ol", "ul"]


class StepItem(graphene.ObjectType):
    number = graphene.Int(required=True)
    title = graphene.String(required=True)
    text = graphene.String(required=True)


class NumberedItem(graphene.ObjectType):
    number = graphene.Int(required=True)
    title = graphene.String(required=True)
    text = graphene.Field(RichText, required=True)
    text_tree = graphene.Field(RichTextDocument, required=True)


class NoticePlacement(graphene.Enum):
    """Where a frontend shows a notice: before the body's first block, or where it stands."""

    TOP = "top"
    INLINE = "inline"


class ComparisonColumn(graphene.ObjectType):
    title = graphene.String(required=True)
    points = graphene.List(graphene.NonNull(graphene.String), required=True)


def _object_list(name, item_type):
    """A required list of `item_type`, built by the block's `api_<name>` method."""
    return GraphQLField(
        name, graphene.List(graphene.NonNull(item_type)), required=True, source=f"api_{name}"
    )


def _string_list(name, **kwargs):
    return GraphQLField(
        name, graphene.List(graphene.NonNull(graphene.String)), required=True, **kwargs
    )


@register_streamfield_block
class ScriptBlock(blocks.StructBlock):
    """Words a patient can say in a situation, e.g. asking for a second opinion."""

    situation = blocks.CharBlock(
        max_length=160, help_text="When to use it, e.g. 'Asking your oncologist for a referral'."
    )
    words = blocks.TextBlock(help_text="The words to say, in the first person.")
    note = blocks.TextBlock(required=False, help_text="Optional advice on tone or timing.")

    graphql_fields = [
        GraphQLString("situation", required=True),
        GraphQLString("words", required=True),
        GraphQLString("note"),
    ]

    class Meta:
        icon = "openquote"
        label = "Script (what to say)"
        template = "guides/blocks/script.html"
        description = "A situation and the words a patient can use"
        preview_value = {
            "situation": "Asking for more time",
            "words": "Could we talk about this again next week?",
        }


@register_streamfield_block
class ChecklistBlock(blocks.StructBlock):
    """Things to prepare or bring, ticked off one by one."""

    title = blocks.CharBlock(max_length=120)
    items = blocks.ListBlock(list_item("Item", max_length=250), min_num=1)

    graphql_fields = [GraphQLString("title"), _string_list("items")]

    class Meta:
        icon = "tasks"
        label = "Checklist"
        template = "guides/blocks/checklist.html"
        description = "A titled list of things to prepare or bring"
        preview_value = {"title": "Bring with you", "items": ["Your medicines list"]}


@register_streamfield_block
class StepsBlock(blocks.StructBlock):
    """A numbered sequence, e.g. how a second opinion is arranged."""

    title = blocks.CharBlock(required=False, max_length=120)
    steps = blocks.ListBlock(
        blocks.StructBlock(
            [("title", blocks.CharBlock(max_length=120)), ("text", blocks.TextBlock())],
            label="Step",
        ),
        min_num=1,
    )

    graphql_fields = [
        GraphQLString("title"),
        _object_list("steps", StepItem),
    ]

    def api_steps(self, info, values, **kwargs):
        return [
            StepItem(number=number, title=step["title"], text=step["text"])
            for number, step in enumerate(values["steps"], start=1)
        ]

    class Meta:
        icon = "list-ol"
        label = "Numbered steps"
        template = "guides/blocks/steps.html"
        description = "Steps in order, each with a title and text"


@register_streamfield_block
class QuestionListBlock(blocks.StructBlock):
    """Questions a patient may want to ask their care team."""

    title = blocks.CharBlock(max_length=120)
    questions = blocks.ListBlock(list_item("Question", max_length=250), min_num=1)

    graphql_fields = [GraphQLString("title"), _string_list("questions")]

    class Meta:
        icon = "help"
        label = "Question list"
        template = "guides/blocks/question_list.html"
        description = "A titled list of questions to ask"
        preview_value = {"title": "Ask your doctor", "questions": ["What are my options?"]}


@register_streamfield_block
class ComparisonBlock(blocks.StructBlock):
    """Two or more columns side by side, e.g. 'When opinions match' / 'When opinions differ'."""

    title = blocks.CharBlock(required=False, max_length=120)
    columns = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("title", blocks.CharBlock(max_length=120)),
                (
                    "points",
                    blocks.ListBlock(list_item("Point", max_length=250), min_num=1),
                ),
            ],
            label="Column",
        ),
        min_num=2,
        max_num=4,
    )

    graphql_fields = [
        GraphQLString("title"),
        _object_list("columns", ComparisonColumn),
    ]

    def api_columns(self, info, values, **kwargs):
        return [
            ComparisonColumn(title=column["title"], points=list(column["points"]))
            for column in values["columns"]
        ]

    class Meta:
        icon = "table"
        label = "Comparison"
        template = "guides/blocks/comparison.html"
        description = "Two to four columns, each a title and points"


def _rich_text_tree(self, info, values, **kwargs):
    return values["body"]


@register_streamfield_block
class NoticeBlock(blocks.StructBlock):
    """A notice readers see before the article, e.g. a disclaimer shown first."""

    placement = SettingChoiceBlock(
        choices=[("top", "Top of the guide"), ("inline", "Where it stands in the body")],
        default="top",
        help_text="'Top of the guide' shows it before everything else, whatever its place here.",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    body = blocks.RichTextBlock(features=SHORT_RICH_TEXT)

    graphql_fields = [
        GraphQLField("placement", NoticePlacement, required=True),
        GraphQLString("title"),
        GraphQLRichText("body", required=True),
        GraphQLField("body_tree", RichTextDocument, required=True, source="api_body_tree"),
    ]

    api_body_tree = _rich_text_tree

    class Meta:
        template = "guides/blocks/notice.html"
        icon = "warning"
        label = "Notice"
        description = "A notice such as a disclaimer, shown at the top of the guide"
        preview_value = {
            "placement": "top",
            "title": "Disclaimer",
            "body": "<p>This guide does not replace advice from your own care team.</p>",
        }


@register_streamfield_block
class NumberedListBlock(blocks.StructBlock):
    """Numbered points, each with a short title and a paragraph, e.g. reasons to ask for a
    second opinion."""

    title = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("title", blocks.CharBlock(max_length=160)),
                ("text", blocks.RichTextBlock(features=SHORT_RICH_TEXT)),
            ],
            label="Item",
        ),
        min_num=1,
    )

    graphql_fields = [
        GraphQLString("title"),
        _object_list("numbered_items", NumberedItem),
    ]

    def api_numbered_items(self, info, values, **kwargs):
        return [
            NumberedItem(
                number=number,
                title=item["title"],
                text=item["text"],
                text_tree=item["text"],
            )
            for number, item in enumerate(values["items"], start=1)
        ]

    class Meta:
        template = "guides/blocks/numbered_list.html"
        icon = "list-ol"
        label = "Numbered list"
        description = "Numbered points, each with a title and a paragraph"


@register_streamfield_block
class ClosingNoteBlock(blocks.StructBlock):
    """The article's closing words, e.g. a final note or summary."""

    title = blocks.CharBlock(required=False, max_length=120, help_text="e.g. 'Final note'.")
    body = blocks.RichTextBlock(features=SHORT_RICH_TEXT)

    graphql_fields = [
        GraphQLString("title"),
        GraphQLRichText("body", required=True),
        GraphQLField("body_tree", RichTextDocument, required=True, source="api_body_tree"),
    ]

    api_body_tree = _rich_text_tree

    class Meta:
        template = "guides/blocks/closing_note.html"
        icon = "doc-full"
        label = "Closing note"
        description = "A final note or summary that closes the guide"
        preview_value = {
            "title": "Final note",
            "body": "<p>You are entitled to take time to decide.</p>",
        }


class GuideBodyBlock(blocks.StreamBlock):
    """The body of a guide. Child names are the API contract: do not rename."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    script = ScriptBlock()
    checklist = ChecklistBlock()
    steps = StepsBlock()
    question_list = QuestionListBlock()
    comparison = ComparisonBlock()
    call_to_action = CallToActionBlock()
    image = ImageBlock()
    table = TableBlock()
    faqs = FAQsBlock()
    notice = NoticeBlock()
    numbered_list = NumberedListBlock()
    closing_note = ClosingNoteBlock()
