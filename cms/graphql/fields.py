"""GraphQL pieces every app shares: list fields, ordering, pagination and id lookups."""

import math

import graphene
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError
from grapple.models import GraphQLField
from grapple.types.structures import PaginationType
from wagtail.models import Page

from cms.caching.cache_tags import keyed
from cms.ids import MAX_ID, InvalidId, parse_id


def GraphQLList(field_name, of_type, **kwargs):
    """A required list of required items, e.g. `[String!]!`. `of_type` may be a lambda."""
    return GraphQLField(
        field_name, graphene.List(graphene.NonNull(of_type)), required=True, **kwargs
    )


def page_size(per_page):
    """The requested page size, refused when over the `GUIDES_API_MAX_PAGE_SIZE` setting."""
    if per_page is None:
        return settings.GUIDES_API_DEFAULT_PAGE_SIZE
    if per_page < 1 or per_page > settings.GUIDES_API_MAX_PAGE_SIZE:
        raise GraphQLError(
            f"perPage must be between 1 and {settings.GUIDES_API_MAX_PAGE_SIZE}.",
            extensions={"code": "BAD_USER_INPUT"},
        )
    return per_page


def paginate(queryset, page, per_page):
    """Return (items, pagination) for a 1-based page number.

    A page past the end is an empty page, not the last one: a client paging
    forward must see that it has run out.
    """
    per_page, page = page_size(per_page), page_number(page)
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    try:
        items = list(paginator.page(page).object_list)
    except EmptyPage:
        items = []
    return items, pagination(paginator.count, len(items), page, per_page)


def page_number(page):
    """The requested 1-based page number, refused when below 1."""
    page = 1 if page is None else page
    if page < 1:
        raise GraphQLError("page must be 1 or more.", extensions={"code": "BAD_USER_INPUT"})
    return page


def pagination(total, count, page, per_page):
    """Pagination details of `count` items shown from `total`, as Django's Paginator counts pages."""
    total_pages = max(1, math.ceil(total / per_page))
    return PaginationType(
        total=total,
        count=count,
        per_page=per_page,
        current_page=page,
        prev_page=page - 1 if page > 1 else None,
        next_page=page + 1 if page < total_pages else None,
        total_pages=total_pages,
    )


def paginated_list(name, item_type, description):
    """A `{ items pagination }` object type for one kind of item."""
    return type(
        name,
        (graphene.ObjectType,),
        {
            "__doc__": description,
            "items": graphene.List(graphene.NonNull(item_type), required=True),
            "pagination": graphene.Field(PaginationType, required=True),
        },
    )


def page_id(value, name="id", what="a number"):
    """A page or snippet id argument as a number (cms.ids.parse_id), refused
    with BAD_USER_INPUT when it is not one or is out of range."""
    try:
        return parse_id(value)
    except InvalidId as error:
        bounds = f" from 1 to {MAX_ID}" if error.out_of_range else ""
        raise GraphQLError(
            f"{name} must be {what}{bounds}.", extensions={"code": "BAD_USER_INPUT"}
        ) from None


def single_page(queryset, **lookup):
    """The one page matching exactly one given lookup (id, slug or url_path), or None.

    `queryset` may be a callable that builds it: built inside the lookup, its
    visibility filters count as a keyed read (cms/cache_tags.keyed), not as
    reading every page of its kind."""
    given = {name: value for name, value in lookup.items() if value}
    if len(given) != 1:
        names = [to_camel_case(name) for name in lookup]
        raise GraphQLError(
            f"Give exactly one of {', '.join(names[:-1])} or {names[-1]}.",
            extensions={"code": "BAD_USER_INPUT"},
        )
    [(name, value)] = given.items()
    build = queryset if callable(queryset) else lambda: queryset
    if name == "id":
        key = page_id(value)
        # Unordered: one row at most, and Wagtail's ORDER BY path costs Django
        # about a sixth of compiling the guide's query.
        return keyed(lambda: next(iter(build().filter(pk=key).order_by()[:1]), None), Page)
    if name == "url_path":
        path = "/" + value.strip("/") + "/" if value.strip("/") else "/"
        return keyed(
            lambda: build().filter(url_path__endswith=path).order_by("depth").first(), Page
        )
    return keyed(lambda: build().filter(**{name: value}).first(), Page)


def GraphQLStreamBlocks(field_name, stream_block, interface_name, description=None):
    """A StreamField as a required list of exactly its block types: each child
    block's registered type implements an interface named `interface_name`
    with `id` (the block's stable id) and `kind` (its name in the stream, an
    enum `<interface_name>Kind`), and no other type does. Frontends switch on
    `__typename` or `kind`."""

    def Mixin():
        interface = stream_blocks_interface(stream_block, interface_name)
        return GraphQLField(
            field_name,
            graphene.List(graphene.NonNull(interface)),
            required=True,
            description=description,
        )

    return Mixin


_interfaces = {}


def stream_blocks_interface(stream_block, interface_name):
    """The interface of one StreamBlock class's children, built once."""
    if interface_name in _interfaces:
        return _interfaces[interface_name]
    from grapple.registry import registry
    from grapple.types.interfaces import StreamFieldInterface

    children = stream_block().child_blocks
    kind = graphene.Enum(f"{interface_name}Kind", [(name.upper(), name) for name in children])

    def resolve_type(cls, instance, info):
        return StreamFieldInterface.resolve_type(instance, info)

    interface = type(
        interface_name,
        (graphene.Interface,),
        {
            "id": graphene.ID(required=True),
            "kind": graphene.Field(kind, required=True),
            "resolve_type": classmethod(resolve_type),
        },
    )
    for child in children.values():
        member = registry.streamfield_blocks[type(child)]
        # grapple built the type already; its options are frozen.
        object.__setattr__(member._meta, "interfaces", (*member._meta.interfaces, interface))
        member._meta.fields["id"] = graphene.Field(
            graphene.ID, required=True, resolver=lambda block, info: block.id
        )
        member._meta.fields["kind"] = graphene.Field(
            kind, required=True, resolver=lambda block, info: kind.get(block.block.name)
        )
    _interfaces[interface_name] = interface
    return interface
