"""Rich text as a JSON document tree: the `RichTextDocument` scalar.

Every rich-text field `x` also comes as `xTree`, the same text parsed into
nodes (cms/rich_text/tree.py) for apps that render natively. The tree is one
JSON value rather than GraphQL types because it is recursive (lists in list
items), which a selection set cannot follow to any depth; its shape is
documented by schema/rich-text.schema.json, from which clients generate types.
"""

import graphene
from graphql import Undefined
from grapple.models import GraphQLField
from grapple.types.rich_text import RichText as RichTextType
from wagtail.rich_text import RichText

from cms.rich_text.public_html import public_html


def rich_text_as_public_html():
    """Every rich-text field and block answers `cms.rich_text.public_html`, the
    HTML REST answers too: hidden pages, images and documents without an
    address, sanitised. grapple would render Wagtail's `RichText.__html__`
    (a template per value, and no sanitising)."""
    RichTextType.serialize = staticmethod(public_html)


class RichTextDocument(graphene.Scalar):
    """Output only: serializes stored rich text (a string or a block's RichText) to its tree."""

    @staticmethod
    def serialize(value):
        # Models declare tree fields while models load; the tree looks pages up.
        from cms.rich_text.tree import rich_text_tree

        return rich_text_tree(value.source if isinstance(value, RichText) else value)

    @staticmethod
    def parse_value(value):
        return Undefined

    @staticmethod
    def parse_literal(ast, _variables=None):
        return Undefined


def GraphQLRichTextTree(field_name, *, source=None, **kwargs):
    """`<field_name>_tree` on a model: the tree of the stored rich text that
    `source` (an attribute or an `(info)` method, default `field_name`) holds.
    Null exactly when the HTML field is null.

    Its own resolver, because grapple's expands a RichTextField to HTML
    first, and the tree needs Wagtail's stored link tags to tell a guide
    from a hub."""
    source = source or field_name

    def resolve(instance, info, **_kwargs):
        value = getattr(instance, source)
        return value(info) if callable(value) else value

    return (
        GraphQLField(f"{field_name}_tree", RichTextDocument, **kwargs),
        lambda field_type: graphene.Field(field_type, resolver=resolve),
    )
