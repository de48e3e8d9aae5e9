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
from graphql import Undefined
from grapple.registry import registry
from grapple.types.images import ImageObjectType
from grapple.types.rich_text import RichText as RichTextType
from grapple.types.structures import PositiveInt
from wagtail import blocks, hooks

from cms.graphql.contract import apply_contract
from cms.graphql.limits import run_identical_calls_once
from cms.images.graphql import extend_image_type
from cms.rich_text.graphql import RichTextDocument, rich_text_as_public_html


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


def default_src_set_sizes():
    """grapple's `srcSet` fails when `sizes` is left out, though the schema
    makes it optional: without it, every width in GUIDES_API_IMAGE_WIDTHS."""
    original = ImageObjectType.resolve_src_set

    def resolve_src_set(instance, info, sizes=None, **kwargs):
        if sizes is None:
            sizes = settings.GUIDES_API_IMAGE_WIDTHS
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
    rich_text_as_public_html()
    extend_image_type()
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
    run_identical_calls_once(schema.graphql_schema)
    return schema


schema = create_schema()
