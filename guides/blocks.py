"""Blocks that only guides use, and the guide body that combines them with the
shared blocks from `cms.blocks`."""

import graphene
from grapple.helpers import register_streamfield_block
from grapple.models import GraphQLField, GraphQLString
from wagtail import blocks

from cms.blocks import (
    CalloutBlock,
    CallToActionBlock,
    HeadingBlock,
    ImageBlock,
    ParagraphBlock,
    QuoteBlock,
    TableBlock,
)
from faqs.blocks import FAQsBlock


class StepItem(graphene.ObjectType):
    number = graphene.Int(required=True)
    title = graphene.String(required=True)
    text = graphene.String(required=True)


class ComparisonColumn(graphene.ObjectType):
    title = graphene.String(required=True)
    points = graphene.List(graphene.NonNull(graphene.String), required=True)


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
    items = blocks.ListBlock(blocks.CharBlock(max_length=250, label="Item"), min_num=1)

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
        GraphQLField(
            "steps", graphene.List(graphene.NonNull(StepItem)), required=True, source="api_steps"
        ),
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
    questions = blocks.ListBlock(blocks.CharBlock(max_length=250, label="Question"), min_num=1)

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
                    blocks.ListBlock(blocks.CharBlock(max_length=250, label="Point"), min_num=1),
                ),
            ],
            label="Column",
        ),
        min_num=2,
        max_num=4,
    )

    graphql_fields = [
        GraphQLString("title"),
        GraphQLField(
            "columns",
            graphene.List(graphene.NonNull(ComparisonColumn)),
            required=True,
            source="api_columns",
        ),
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
