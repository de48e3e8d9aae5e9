"""The GraphQL schema: our apps' queries plus the parts of grapple we trust.

grapple's own hook adds root fields we do not expose: `search` (returns drafts
and private pages; replaced by search/queries.py), `snippets` (returns
unpublished FAQs), `pages`/`page` (ignore expiry dates; replaced by `page` in
home/queries.py), `images`/`image` (list every image in the library, used or
not), `settings`, `sites`, `documents`, `redirects`, `collections` and `tags`.
Images reach frontends through the content that uses them.
"""

import graphene
from django.conf import settings
from graphql import GraphQLError, Undefined
from grapple.registry import registry
from grapple.types.images import ImageObjectType
from grapple.types.rich_text import RichText as RichTextType
from grapple.types.structures import PositiveInt
from wagtail import blocks, hooks

from cms.graphql.contract import apply_contract
from cms.graphql.rich_text import RichTextDocument


def rich_text_blocks_as_rich_text():
    """grapple types a rich-text block's `value` as String, while rich-text
    fields are RichText: give frontends one representation everywhere (HTML
    with links resolved by the same visibility rules), and its tree beside it
    as beside every rich-text field."""
    for block_class, block_type in registry.streamfield_blocks.items():
        if isinstance(block_class, type) and issubclass(block_class, blocks.RichTextBlock):
            block_type._meta.fields["value"] = graphene.Field(
                graphene.NonNull(RichTextType), resolver=lambda child, info: child.value.source
            )
            block_type._meta.fields["value_tree"] = graphene.Field(
                graphene.NonNull(RichTextDocument), resolver=lambda child, info: child.value
            )


def clear_rendition_errors():
    """grapple refuses a rendition outside ALLOWED_IMAGE_FILTERS with a bare
    TypeError; tell the frontend which sizes it may ask for instead."""
    original = ImageObjectType.resolve_rendition

    def resolve_rendition(instance, info, **kwargs):
        try:
            return original(instance, info, **kwargs)
        except TypeError as error:
            allowed = ", ".join(settings.GUIDES_API_IMAGE_FILTERS)
            raise GraphQLError(
                f"That rendition is not offered. Allowed filters: {allowed}.",
                extensions={"code": "BAD_USER_INPUT"},
            ) from error

    ImageObjectType.resolve_rendition = staticmethod(resolve_rendition)


def default_src_set_sizes():
    """grapple's `srcSet` fails when `sizes` is left out, though the schema
    makes it optional: without it, every width in GUIDES_API_IMAGE_FILTERS."""
    original = ImageObjectType.resolve_src_set

    def resolve_src_set(instance, info, sizes=None, **kwargs):
        if sizes is None:
            sizes = [
                int(spec.removeprefix("width-"))
                for spec in settings.GUIDES_API_IMAGE_FILTERS
                if spec.startswith("width-") and spec.removeprefix("width-").isdigit()
            ]
        return original(instance, info, sizes, **kwargs)

    ImageObjectType.resolve_src_set = staticmethod(resolve_src_set)


def positive_ints_refuse_the_rest():
    """grapple's PositiveInt (page lists' `limit`, `offset`) reads a literal
    below 0 as null, i.e. "no limit", and fails on one over 32 bits: make both
    the validation error every other scalar gives."""

    def parse_literal(ast, _variables=None):
        value = graphene.Int.parse_literal(ast, _variables)
        return value if isinstance(value, int) and value >= 0 else Undefined

    PositiveInt.parse_literal = staticmethod(parse_literal)


def create_schema():
    rich_text_blocks_as_rich_text()
    clear_rendition_errors()
    default_src_set_sizes()
    positive_ints_refuse_the_rest()
    query_mixins = []
    for register in hooks.get_hooks("register_schema_query"):
        if register.__module__.startswith("grapple."):
            continue
        register(query_mixins)
    query_mixins += registry.schema

    class Query(*query_mixins, graphene.ObjectType):
        pass

    # Block types are reachable through the body's interface only.
    blocks_types = list(registry.streamfield_blocks.values())
    schema = graphene.Schema(query=Query, types=blocks_types, auto_camelcase=True)
    # What frontends see is the contract, not everything grapple built.
    schema.graphql_schema = apply_contract(schema.graphql_schema)
    return schema


schema = create_schema()
