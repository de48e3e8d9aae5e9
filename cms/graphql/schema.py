"""The GraphQL schema: our apps' queries plus the parts of grapple we trust.

grapple's own hook adds root fields we do not expose: `search` (returns drafts
and private pages; replaced by search/queries.py), `snippets` (returns
unpublished FAQs), `pages`/`page` (ignore expiry dates; replaced by `page` in
home/queries.py), `images`/`image` (list every image in the library, used or
not), `settings`, `sites`, `documents`, `redirects`, `collections` and `tags`.
Images reach frontends through the content that uses them.
"""

import json

import graphene
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError, Undefined
from grapple.registry import registry
from grapple.types.images import ImageObjectType
from grapple.types.interfaces import StreamFieldInterface, get_page_interface
from grapple.types.pages import Page as GrapplePage
from grapple.types.structures import PositiveInt
from wagtail import hooks


def expose_only_declared_page_fields():
    """grapple exposes every column of wagtailcore.Page on page types, among
    them `draftTitle`, `latestRevisionCreatedAt` and `aliasOf`, which reveal
    unpublished work. Page types keep the page interface and the fields the
    model declares in `graphql_fields`; nothing else."""
    interface_fields = set(get_page_interface()._meta.fields)
    for page_type in [GrapplePage, *registry.pages.values()]:
        model = page_type._meta.model
        declared = {_field_name(field) for field in getattr(model, "graphql_fields", [])}
        allowed = interface_fields | {to_camel_case(name) for name in declared} | declared
        for name in list(page_type._meta.fields):
            if name not in allowed and to_camel_case(name) not in allowed:
                del page_type._meta.fields[name]


def _field_name(field):
    if isinstance(field, tuple):
        field = field[0]
    if callable(field):
        field = field()
    return field.field_name


def raw_value_as_json():
    """grapple's `rawValue` returns Python reprs for lists and structures and
    fails on others; give frontends the block's stored value as JSON text."""

    def resolve_raw_value(self, info, **kwargs):
        return json.dumps(self.block.get_prep_value(self.value), cls=DjangoJSONEncoder)

    StreamFieldInterface.resolve_raw_value = resolve_raw_value


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
    expose_only_declared_page_fields()
    raw_value_as_json()
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

    return graphene.Schema(query=Query, types=list(registry.models.values()), auto_camelcase=True)


schema = create_schema()
