"""Wagtail's REST API v2, read-only at /api/v2/, with the same visibility rules
as GraphQL: only live, public, unexpired pages can be listed, fetched by id,
found by path or named as a parent. Also the smallest JSON view of the stack.

Every query parameter is checked once, before Wagtail reads it
(`check_parameters`): ids go through cms.ids.parse_id, numbers and dates must
parse and fit a database column, text may not hold NUL. A client's mistake is
a 4xx with `{"message": ...}`, never a server error, and answers are JSON only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, JsonResponse
from django.urls import re_path
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from cms.caching import cache_tags, cdn, response_cache
from cms.http import compression
from cms.ids import MAX_ID, InvalidId, parse_id
from cms.visibility import is_visible, visible_pages

# Parameters naming a page by id; some also take "root".
ID_PARAMETERS = {"id", "child_of", "ancestor_of", "descendant_of", "translation_of"}
ROOT_ALLOWED = {"child_of", "descendant_of", "translation_of"}
MAX_OFFSET = 1_000_000_000
MAX_FIELDS_NESTING = 5  # ?fields=a(b(c)): Wagtail's parser recurses per level
# Field types a `?field=value` filter may compare; others (StreamField, JSON) are refused.
FILTERABLE = (
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.AutoField,
    models.DateField,  # DateTimeField is a DateField
    models.ForeignKey,
)


def _bad(message):
    return BadRequestError(message)


def check_id(name, value):
    try:
        return parse_id(value)
    except InvalidId as error:
        raise _bad(f"{name} must be a page id: {error}") from None


def check_whole_number(name, value, most):
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or int(value) > most:
        raise _bad(f"{name} must be a whole number from 0 to {most}")


def check_field_value(field, name, value):
    """A `?field=value` filter value the database can compare with the column."""
    if not isinstance(field, FILTERABLE):
        raise _bad(f"cannot filter by {name}")
    if isinstance(field, models.BooleanField):
        return  # Wagtail checks it: true, false, 1 or 0
    if isinstance(field, models.ForeignKey | models.AutoField):
        check_id(name, value)
        return
    try:
        python_value = field.to_python(value)
    except (ValidationError, ValueError, TypeError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise _bad(f"'{value}' is not a valid value for {name}: {' '.join(messages)}") from None
    if isinstance(python_value, int) and not -MAX_ID <= python_value <= MAX_ID:
        raise _bad(f"{name} must be from {-MAX_ID} to {MAX_ID}")


def check_parameters(view, request):
    """Refuse, as a 400, any query parameter Wagtail or the database would fail on."""
    params = request.GET
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise _bad(f"{name!r}: null characters are not allowed")
    for name in ID_PARAMETERS & params.keys():
        if not (name in ROOT_ALLOWED and params[name] == "root"):
            check_id(name, params[name])
    if ":" in params.get("site", ""):
        check_whole_number("site's port", params["site"].split(":", 1)[1], 65535)
    if "offset" in params:
        check_whole_number("offset", params["offset"], MAX_OFFSET)
    if "limit" in params:
        check_whole_number("limit", params["limit"], MAX_OFFSET)
    fields, depth = params.get("fields", ""), 0
    for character in fields:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth > MAX_FIELDS_NESTING:
            raise _bad(f"fields error: nested more than {MAX_FIELDS_NESTING} levels")
    if view.action != "listing_view":
        return
    model = view.get_queryset().model  # refuses an unknown ?type= itself
    filters = set(view.get_available_fields(model, db_fields_only=True)) - {"locale", "id"}
    for name in filters & params.keys():
        try:
            field = model._meta.get_field(name)
        except LookupError:
            continue
        check_field_value(field, name, params[name])


class VisiblePagesAPIViewSet(PagesAPIViewSet):
    # Patient search is GraphQL `search`; Wagtail's search cannot apply the
    # expiry filter below, so `?search=` is refused as an unknown parameter.
    filter_backends = [f for f in PagesAPIViewSet.filter_backends if f is not SearchFilter]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {
        "search",
        "search_operator",
    }
    # JSON for every answer, errors included; no browsable HTML API.
    renderer_classes = [JSONRenderer]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(self, request)

    def get_base_queryset(self):
        # Wagtail's own rules (live, not restricted for this request, this site)
        # narrowed to ours: no restricted page at all, nothing expired.
        return visible_pages(super().get_base_queryset())

    def get_object(self):
        try:
            parse_id(self.kwargs.get("pk"))
        except InvalidId:
            raise Http404("not found") from None
        # One page by id: its answer changes with that page, not with every page.
        return cache_tags.keyed(super().get_object, Page)

    def get_serializer_class(self):
        return gated_serializer(super().get_serializer_class())

    def get_serializer_context(self):
        # Its `base_queryset` only tells whether each page's parent is public.
        with cache_tags.relation():
            return super().get_serializer_context()

    def finalize_response(self, request, response, *args, **kwargs):
        """Every answer is the same for everyone: shared caches may keep it,
        CDNs until a purge of the tags of what it read. Compressed once
        rendered, as the client accepts (cms/http/compression.py)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if hasattr(response, "add_post_render_callback"):  # not rendered yet
            response.add_post_render_callback(lambda done: compression.compress(request, done))
        else:  # a redirect (find)
            response = compression.compress(request, response)
        if request.method == "GET" and response.status_code in (200, 404):
            response["Cache-Control"] = (
                f"public, max-age={settings.GRAPHQL_HTTP_MAX_AGE}"
                f", stale-while-revalidate={settings.GRAPHQL_HTTP_STALE_WHILE_REVALIDATE}"
            )
            cdn.mark_shared(
                response, sorted(cache_tags.current()), response_cache.seconds_until_expiry_now()
            )
        return response

    def handle_exception(self, exc):
        # Wagtail answers its own errors as {"message": ...}; DRF's (a method
        # not allowed, an unacceptable Accept header) the same way.
        if isinstance(exc, Http404) and not str(exc):
            exc = Http404("not found")
        if isinstance(exc, APIException):
            return Response({"message": str(exc.detail)}, status=exc.status_code)
        return super().handle_exception(exc)


def gated_serializer(serializer_class):
    """`serializer_class` with every field's value through the visibility gate
    (cms.visibility.is_visible), as GraphQL's fields are (cms/visibility/gate.py):
    a field holding an image in a restricted collection, or a page or FAQ the
    public may not read, answers null, and nothing reads the object further
    (no rendition of it is made). A field added to `api_fields` next year is
    covered without being listed."""

    def get_fields(self):
        fields = super(gated, self).get_fields()
        for field in fields.values():
            field.get_attribute = _gated_attribute(field.get_attribute)
        return fields

    gated = type(serializer_class.__name__, (serializer_class,), {"get_fields": get_fields})
    return gated


def _gated_attribute(get_attribute):
    def gated(instance):
        value = get_attribute(instance)
        if isinstance(value, models.Model) and value is not instance and not is_visible(value):
            return None
        return value

    return gated


def not_found(request, *args, **kwargs):
    return JsonResponse({"message": "not found"}, status=404)


class JSONAPIRouter(WagtailAPIRouter):
    """Wagtail's router, with a JSON 404 for any other address under the API."""

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), re_path(r"", not_found)]


api_router = JSONAPIRouter("wagtailapi")
api_router.register_endpoint("pages", VisiblePagesAPIViewSet)


def ping(request):
    """The floor of the stack: Django, middleware and a JSON response, no
    database. Benchmarks compare API endpoints with it, and load balancers may
    use it to check the process is up without touching PostgreSQL."""
    return JsonResponse({"ok": True})
