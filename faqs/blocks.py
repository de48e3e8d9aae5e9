"""The block that places chosen FAQs inside a page body."""

from contextlib import contextmanager
from contextvars import ContextVar

from grapple.helpers import register_streamfield_block
from grapple.models import GraphQLString
from grapple.registry import registry
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.blocks import optional_text
from cms.graphql.fields import GraphQLList
from cms.graphql.reader_columns import unread_columns
from cms.visibility import is_visible

DEFAULT_TITLE = "Frequently asked questions"

# FAQs a caller has loaded already, by id (see `reusing`).
_loaded = ContextVar("faqs_loaded", default=None)


@contextmanager
def reusing(faqs):
    """FAQ blocks that choose one of `faqs` (loaded already with their topic,
    e.g. a guide's FAQ section) take it from there instead of loading it again:
    a guide's body mostly places the FAQs its FAQ section lists."""
    token = _loaded.set({faq.pk: faq for faq in faqs})
    try:
        yield
    finally:
        _loaded.reset(token)


class FAQChooserBlock(SnippetChooserBlock):
    """Chooses one FAQ; loads its topic in the same query. Its people (reviewer,
    author) are left to callers that read them (guides.queries): the REST API
    gives the FAQ's id, and most GraphQL queries ask for the question only."""

    def __init__(self, **kwargs):
        super().__init__("faqs.FAQ", **kwargs)

    def bulk_to_python(self, values):
        values = list(values)
        faqs = dict(_loaded.get() or {})
        ids = [value for value in values if value is not None and value not in faqs]
        if ids:
            # Unordered: a dict by id, and the FAQs' own ordering joins their topic.
            # Chosen FAQs are shown, never saved: without Wagtail's bookkeeping.
            found = self.model_class.objects.select_related("topic").defer(
                *unread_columns(self.model_class)
            )
            faqs.update(found.order_by().in_bulk(ids))
        return [faqs.get(value) for value in values]

    def deconstruct(self):
        path, _args, kwargs = super().deconstruct()
        return path, (), kwargs


@register_streamfield_block
class FAQsBlock(blocks.StructBlock):
    """A set of FAQs shown at this point of the page, in the order chosen.
    Unpublished FAQs are left out of the API."""

    title = optional_text(
        DEFAULT_TITLE,
        max_length=120,
        help_text=f"Leave empty for “{DEFAULT_TITLE}”.",
    )
    faqs = blocks.ListBlock(FAQChooserBlock(label="FAQ"), min_num=1, label="FAQs")

    graphql_fields = [
        GraphQLString("title", source="api_title"),
        GraphQLList("faqs", lambda: registry.snippets[_faq_model()], source="api_faqs"),
    ]

    # An empty title is the usual heading: the placeholder shows it, so typing
    # replaces it rather than adding to pre-filled text.
    def api_title(self, info, values, **kwargs):
        return values["title"] or DEFAULT_TITLE

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        data["title"] = data.get("title") or DEFAULT_TITLE
        return data

    def api_faqs(self, info, values, **kwargs):
        return [faq for faq in values["faqs"] if is_visible(faq, info.context)]

    class Meta:
        icon = "help"
        label = "FAQs"
        template = "faqs/blocks/faqs.html"
        description = "Places chosen FAQs in the page"


def _faq_model():
    from faqs.models import FAQ

    return FAQ
