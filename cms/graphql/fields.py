"""GraphQL pieces every app shares: list fields, ordering, pagination and id lookups."""

import math

import graphene
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError
from grapple.models import GraphQLField
from grapple.types.structures import PaginationType
from grapple.utils import resolve_queryset

from cms.ids import MAX_ID, InvalidId, parse_id
from cms.visibility import visible_pages


def GraphQLList(field_name, of_type, **kwargs):
    """A required list of required items, e.g. `[String!]!`. `of_type` may be a lambda."""
    return GraphQLField(
        field_name, graphene.List(graphene.NonNull(of_type)), required=True, **kwargs
    )


# grapple's `order` argument goes straight into `order_by`, so any column, or a
# related one such as `owner__password`, could be used to probe the data.
ORDERABLE_FIELDS = {"id", "title", "slug", "first_published_at", "last_published_at", "created_at"}


def checked_order(order):
    """Validate a grapple `order` argument ("-title,id") against ORDERABLE_FIELDS."""
    if order is None:
        return None
    fields = [part.strip() for part in order.split(",")]
    for field in fields:
        if field.lstrip("-") not in ORDERABLE_FIELDS:
            raise GraphQLError(
                f"Cannot order by '{field}'. Use one of: {', '.join(sorted(ORDERABLE_FIELDS))}.",
                extensions={"code": "BAD_USER_INPUT"},
            )
    return ",".join(fields)


def resolve_page_list(
    queryset, info, order=None, search_query=None, id=None, limit=None, offset=None, **kwargs
):
    # grapple reads a limit below 1 as "the default" and slices with a negative offset.
    if limit is not None and limit < 1:
        raise GraphQLError("limit must be 1 or more.", extensions={"code": "BAD_USER_INPUT"})
    if offset is not None and offset < 0:
        raise GraphQLError("offset must be 0 or more.", extensions={"code": "BAD_USER_INPUT"})
    if search_query:
        raise GraphQLError(
            "searchQuery is not supported on page lists; use the root `search` query.",
            extensions={"code": "BAD_USER_INPUT"},
        )
    if id is not None:
        queryset = queryset.filter(pk=page_id(id))
    return resolve_queryset(
        visible_pages(queryset).specific(),
        info,
        order=checked_order(order),
        limit=limit,
        offset=offset,
        **kwargs,
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
    """The one page matching exactly one given lookup (id, slug or url_path), or None."""
    given = {name: value for name, value in lookup.items() if value}
    if len(given) != 1:
        names = [to_camel_case(name) for name in lookup]
        raise GraphQLError(
            f"Give exactly one of {', '.join(names[:-1])} or {names[-1]}.",
            extensions={"code": "BAD_USER_INPUT"},
        )
    [(name, value)] = given.items()
    if name == "id":
        return queryset.filter(pk=page_id(value)).first()
    if name == "url_path":
        path = "/" + value.strip("/") + "/" if value.strip("/") else "/"
        return queryset.filter(url_path__endswith=path).order_by("depth").first()
    return queryset.filter(**{name: value}).first()
