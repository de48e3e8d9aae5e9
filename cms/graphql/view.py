"""The /graphql/ endpoint: GraphQL's standard validation plus our limits,
and errors that always carry a code and never a traceback.

Limits (settings, see cms/settings/base.py):
- GRAPHQL_MAX_DEPTH: nesting depth of fields (fragments included).
- GRAPHQL_MAX_ALIASES: aliased fields in one document.
- GRAPHQL_MAX_COST: estimated work of a query. Every field costs 1, times the
  number of items its parents may return: a field with `perPage` or `limit`
  multiplies its children by that number (the largest allowed when it is a
  variable, the default page size when absent); any other list field
  multiplies its children by GRAPHQL_LIST_COST_FACTOR.
- GRAPHQL_MAX_REQUEST_BYTES: size of the request body (a 413, read from
  Content-Length first); GRAPHQL_MAX_VARIABLES_BYTES and
  GRAPHQL_MAX_EXTENSIONS_BYTES: JSON sizes of `variables` and `extensions`.
- Parsing and the rest of the limits (tokens, fields, lists, strings):
  cms/graphql/limits.py.
- GRAPHQL_INTROSPECTION_ENABLED: schema introspection (off in production).

Persisted queries (Apollo's protocol, cms/graphql/persisted_queries.py) resolve to a
document before any of this runs, so the same limits apply to them. Answers
anyone may see are cached (cms/caching/response_cache.py) and carry an ETag and
public Cache-Control; every other answer is `private, no-store`. Answers are
compressed for clients that accept it (cms/http/compression.py), cached ones once.
"""

import json
import logging
import re
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseNotModified,
    JsonResponse,
)
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language
from graphene_django.utils.utils import set_rollback
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
)

from cms.caching import cache_tags, cacheable, cdn, response_cache
from cms.graphql import persisted_queries
from cms.graphql.limits import checked_document, validation_rules, variables_error
from cms.graphql.persisted_queries import PersistedQueryError
from cms.http import compression
from cms.rich_text.links import end_request_cache, start_request_cache

logger = logging.getLogger(__name__)

# JSON nested deeper than this (a body, or `variables`/`extensions` text) is
# refused before it is parsed: Python's json and everything after it recurse.
MAX_JSON_NESTING = 64
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def too_deeply_nested(text):
    """True when JSON text opens more than MAX_JSON_NESTING arrays or objects
    inside each other (brackets in strings do not count)."""
    if not isinstance(text, str | bytes):
        return False
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    depth = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_JSON_NESTING:
            return True
    return False


def _code_for(error):
    if isinstance(error, HttpError):
        return {400: "BAD_REQUEST", 405: "METHOD_NOT_ALLOWED"}.get(
            error.response.status_code, "BAD_REQUEST"
        )
    message = getattr(error, "message", str(error))
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    if isinstance(error, GraphQLError) and not error.path:
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"


def http_caching(request, response, etag, until_expiry, tags=(), shareable=True, encoded=None):
    """Shared caches and browsers may keep public answers (those with an
    `etag`), until the next expiry at the latest, and CDNs until a purge of
    their `tags`; nothing else. An answer computed while what it read changed
    (not `shareable`) must be revalidated. Compressed as the client accepts,
    with the cached bytes in `encoded` ({coding: bytes}) when there are some."""
    patch_vary_headers(response, ["Authorization"])
    if etag is None:
        response["Cache-Control"] = "private, no-store"
        return compression.compress(request, response)
    response["ETag"] = etag
    response = compression.compress(request, response, encoded)  # may weaken the ETag
    if not shareable:
        response["Cache-Control"] = "no-cache"
        return response
    max_age = settings.GRAPHQL_HTTP_MAX_AGE
    stale = settings.GRAPHQL_HTTP_STALE_WHILE_REVALIDATE
    if until_expiry is not None:
        # No shared cache may show a guide past its expiry time.
        max_age = min(max_age, until_expiry)
        stale = min(stale, until_expiry - max_age)
    cache_control = f"public, max-age={max_age}, stale-while-revalidate={stale}"
    # If-None-Match on a POST asks something else of the server (RFC 9110 13.1.2).
    if request.method == "GET" and not_modified(request, etag):
        # With the ETag and Vary the answer itself would have had (RFC 9110 15.4.5).
        answer, response = response, HttpResponseNotModified()
        response["ETag"], response["Vary"] = answer["ETag"], answer["Vary"]
    response["Cache-Control"] = cache_control
    return cdn.mark_shared(response, tags, until_expiry)


def not_modified(request, etag):
    """If-None-Match compares weakly (RFC 9110 13.1.2): `W/"x"` matches `"x"`
    (a gzipping proxy weakens our ETags), and `*` matches any current answer."""
    tags = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    return "*" in tags or _opaque(etag) in {_opaque(tag) for tag in tags}


def _opaque(etag):
    return etag.removeprefix("W/")


class CachedAnswerMiddleware:
    """Answers an anonymous GET of /graphql/ from the response cache before
    sessions, CSRF, authentication, messages and URL routing run: the way
    frontends and CDNs fetch persisted queries in production, made about as
    cheap as the bare ping view. Anything else (a miss, a session cookie, an
    Authorization header, a POST, a bad parameter) goes on to the view, which
    applies the same rules and explains errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and request.path_info.rstrip("/") == "/graphql"
            and settings.GRAPHQL_RESPONSE_CACHE_ENABLED
            and "HTTP_AUTHORIZATION" not in request.META
            # A session may be logged in: the view checks, with the session loaded.
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            answer = self.cached_answer(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    @staticmethod
    def cached_answer(request):
        # The same query string, host and language ask the same question: a
        # process works it out once (parameters, persisted query, cache key).
        memo_key = (request.META.get("QUERY_STRING", ""), request.get_host(), get_language())
        plan = _plans.get(memo_key)
        if plan is None:
            plan = _plan(request)
            if plan is None:
                return None
            if not settings.GRAPHQL_PERSISTED_QUERIES_ONLY:  # registrations may be removed
                if len(_plans) >= PLANS_MAX:
                    _plans.clear()
                _plans[memo_key] = plan
        persisted, asked = plan
        entry = response_cache.lookup_question(asked)
        if entry is None or entry.body is None:
            return None
        if persisted.remember:
            persisted_queries.remember(persisted.sha256, persisted.query, request)
        response = HttpResponse(entry.body, content_type="application/json")
        # What the middleware skipped would have added these.
        patch_vary_headers(response, ["Cookie"])
        response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        response["Content-Length"] = str(len(response.content))
        return http_caching(
            request,
            response,
            entry.etag,
            entry.seconds_until_next_expiry(),
            entry.tags,
            shareable=not entry.stale,
            encoded=entry.encoded,
        )


# (query string, host, language) -> what `_plan` made of it, in this process
# (bounded: cleared when full).
_plans = {}
PLANS_MAX = 1024


@receiver(setting_changed)
def _forget_plans(**_kwargs):
    """Plans follow the limits and persisted-query settings they were made under."""
    _plans.clear()


def _plan(request):
    """(the persisted query, the response cache's question) for a GET the
    middleware may answer, or None when the view must (it explains errors)."""
    if oversized_parameter(request.GET.get("variables"), request.GET.get("extensions")):
        return None
    try:
        if any(too_deeply_nested(request.GET.get(name)) for name in ("extensions", "variables")):
            return None
        persisted = persisted_queries.resolve(
            request.GET.get("extensions"), request.GET.get("query")
        )
        variables = request.GET.get("variables")
        variables = json.loads(variables) if variables else None
    except (PersistedQueryError, ValueError):
        return None
    operation_name = request.GET.get("operationName")
    if not isinstance(variables, dict | None) or cacheable.uncacheable_reason(
        request, persisted.query
    ):
        return None
    return persisted, response_cache.question(request, persisted.query, variables, operation_name)


def _body_too_large(request):
    """Over GRAPHQL_MAX_REQUEST_BYTES, judged by Content-Length before reading
    anything, then by what was read (Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    refusal, RequestDataTooBig, would otherwise be a 400 HTML page)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.GRAPHQL_MAX_REQUEST_BYTES:
        return True
    try:
        return len(request.body) > settings.GRAPHQL_MAX_REQUEST_BYTES
    except RequestDataTooBig:
        return True


def _json_size(value):
    """Bytes of a request parameter as sent: the text (GET) or its JSON (POST)."""
    if value is None:
        return 0
    if isinstance(value, str):
        return len(value.encode())
    try:
        return len(json.dumps(value, separators=(",", ":")).encode())
    except (TypeError, ValueError, RecursionError):
        return sys.maxsize


def oversized_parameter(variables, extensions):
    """(message, setting name) when `variables` or
    `extensions` is over its limit, else None."""
    for name, value, setting in (
        ("variables", variables, "GRAPHQL_MAX_VARIABLES_BYTES"),
        ("extensions", extensions, "GRAPHQL_MAX_EXTENSIONS_BYTES"),
    ):
        limit = getattr(settings, setting)
        if _json_size(value) > limit:
            return f"{name} is too large: the most is {limit} bytes of JSON.", setting
    return None


def _only_bad_input(data, errors):
    """True when every root field is null and every error is the client's
    (BAD_USER_INPUT): a bad request, although GraphQL answered it. A query
    whose other fields were answered keeps its 200 and its partial data."""
    if not errors or any(value is not None for value in (data or {}).values()):
        return False
    return all(error.get("extensions", {}).get("code") == "BAD_USER_INPUT" for error in errors)


def _never_awaitable(value):
    """Every resolver here is synchronous (the view is a sync Django view), so
    no value needs graphql-core's test for a coroutine, which it otherwise
    runs on each of the hundred-odd values of a guide."""
    return False


class GuidesGraphQLView(GraphQLView):
    @property
    def validation_rules(self):
        return validation_rules()

    @validation_rules.setter
    def validation_rules(self, value):
        pass  # graphene-django assigns its default; ours is computed from settings

    def dispatch(self, request, *args, **kwargs):
        self.etag = None  # set when the answer may be cached by anyone
        self.until_expiry = None  # seconds until a guide or FAQ expires, if any is due to
        self.tags = ()  # what the answer read (cms/caching/cache_tags.py)
        self.shareable = True  # False when what it read changed while it was computed
        self.encoded = None  # the answer compressed, by coding, when the cache has it
        if _body_too_large(request):
            too_large = JsonResponse(
                {
                    "errors": [
                        {
                            "message": f"Request body is too large: the most is {settings.GRAPHQL_MAX_REQUEST_BYTES} bytes.",
                            "extensions": {
                                "code": "REQUEST_TOO_LARGE",
                                "limit": "GRAPHQL_MAX_REQUEST_BYTES",
                            },
                        }
                    ]
                },
                status=413,
            )
            return self.http_caching(request, too_large)
        token = start_request_cache()
        try:
            with cache_tags.recording():
                if self.graphiql:
                    response = super().dispatch(request, *args, **kwargs)
                else:
                    # graphene-django's dispatch without its ensure_csrf_cookie: the
                    # API takes no cookies, a Set-Cookie stops CDNs from caching an
                    # answer, and making the token costs a cached answer a fifth of its time.
                    response = GraphQLView.dispatch.__wrapped__(self, request, *args, **kwargs)
        finally:
            end_request_cache(token)
        return self.http_caching(request, response)

    def parse_body(self, request):
        """graphene-django's, refusing bodies that are not UTF-8 and JSON
        (body, `variables`, `extensions`) nested deeper than MAX_JSON_NESTING.
        A GET has no body, whatever Content-Type it names: Apollo's HttpLink
        sends `Content-Type: application/json` on its persisted-query GETs."""
        if request.method == "GET":
            for name in ("variables", "extensions"):
                if too_deeply_nested(request.GET.get(name)):
                    raise HttpError(HttpResponseBadRequest(f"{name}: {self.nesting_message()}"))
            return {}
        content_type = self.get_content_type(request)
        if content_type in ("application/graphql", "application/json"):
            try:
                request.body.decode("utf-8")
            except UnicodeDecodeError:
                raise HttpError(
                    HttpResponseBadRequest("The request body is not UTF-8 text.")
                ) from None
        if content_type == "application/json" and too_deeply_nested(request.body):
            raise HttpError(HttpResponseBadRequest(self.nesting_message()))
        try:
            data = super().parse_body(request)
        except MultiPartParserError as error:
            raise HttpError(HttpResponseBadRequest(f"Bad multipart body: {error}")) from None
        except RecursionError:  # JSON nested thousands deep
            raise HttpError(HttpResponseBadRequest(self.nesting_message())) from None
        for source in (request.GET, data if isinstance(data, dict) else {}):
            for name in ("variables", "extensions"):
                if too_deeply_nested(source.get(name)):
                    raise HttpError(HttpResponseBadRequest(f"{name}: {self.nesting_message()}"))
        return data

    @staticmethod
    def nesting_message():
        return (
            f"JSON is nested too deeply: at most {MAX_JSON_NESTING} levels of arrays and objects."
        )

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        """graphene-django's, with parsing and validation remembered per document
        (cms/graphql/limits.checked_document). The schema has no mutations."""
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        document, errors = checked_document(self.schema.graphql_schema, query)
        if errors:
            return ExecutionResult(data=None, errors=list(errors))
        operation = get_operation_ast(document, operation_name)
        if (
            request.method == "GET"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"], f"Can only perform a {operation.operation.value} from a POST request."
                )
            )
        try:
            return execute(
                self.schema.graphql_schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                is_awaitable=_never_awaitable,
            )
        except Exception as error:
            return ExecutionResult(errors=[error])

    def http_caching(self, request, response):
        return http_caching(
            request, response, self.etag, self.until_expiry, self.tags, self.shareable, self.encoded
        )

    def get_response(self, request, data, show_graphiql=False):
        raw_variables = request.GET.get("variables") or data.get("variables")
        extensions = request.GET.get("extensions") or data.get("extensions")
        oversized = oversized_parameter(raw_variables, extensions)
        if oversized is not None:
            message, setting = oversized
            error = {"message": message, "extensions": {"code": "BAD_REQUEST", "limit": setting}}
            return self.json_encode(request, {"errors": [error]}), 400
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        list_error = variables_error(variables)
        if list_error is not None:
            return self.json_encode(request, {"errors": [self.format_error(list_error)]}), 400
        try:
            persisted = persisted_queries.resolve(extensions, query)
        except PersistedQueryError as error:
            return self.json_encode(request, error.as_json()), error.status

        may_cache = not show_graphiql and not cacheable.uncacheable_reason(request, persisted.query)
        entry = None
        if may_cache:
            entry = response_cache.lookup(request, persisted.query, variables, operation_name)
            # A miss: compute it, or wait for the request already computing it.
            entry = response_cache.await_answer(entry)
            if entry is not None and entry.body is not None:
                if persisted.remember:
                    persisted_queries.remember(persisted.sha256, persisted.query, request)
                self.etag = entry.etag
                self.until_expiry = entry.seconds_until_next_expiry()
                self.tags = entry.tags
                self.encoded = entry.encoded
                self.shareable = not entry.stale
                return entry.body, 200
        try:
            return self.answer(
                request, data, persisted, variables, operation_name, show_graphiql, may_cache, entry
            )
        finally:
            response_cache.release(entry)

    def answer(
        self, request, data, persisted, variables, operation_name, show_graphiql, may_cache, entry
    ):
        """Run the query; keep a public answer in the response cache."""
        result = self.execute_graphql_request(
            request, data, persisted.query, variables, operation_name, show_graphiql
        )
        if result is None:  # GraphiQL's page, no query yet
            return None, 200
        response = {}
        status = 200
        if result.errors:
            set_rollback()
            response["errors"] = [self.format_error(e) for e in result.errors]
        # Errors without a path (parse, validation, limits) mean nothing ran.
        if result.errors and any(not getattr(e, "path", None) for e in result.errors):
            status = 400
        else:
            response["data"] = result.data
            if persisted.remember:
                persisted_queries.remember(persisted.sha256, persisted.query, request)
            if _only_bad_input(result.data, response.get("errors")):
                status = 400  # nothing was answered, and only because of what the client sent
        body = self.json_encode(request, response, pretty=show_graphiql)
        if may_cache and not result.errors:
            self.etag = response_cache.etag_for(body)
            self.tags = tuple(sorted(cache_tags.current()))
            if entry is not None:
                self.until_expiry = entry.seconds_until_next_expiry()
                # Compressed once, for this answer and every hit after it.
                self.encoded = compression.encoded_variants(body.encode())
                response_cache.store(entry, body, self.etag, encoded=self.encoded)
                self.shareable = entry.shareable
        return body, status

    @staticmethod
    def get_graphql_params(request, data):
        query, variables, operation_name, id = GraphQLView.get_graphql_params(request, data)
        if query is not None and not isinstance(query, str):
            raise HttpError(HttpResponseBadRequest("query must be a string."))
        if variables is not None and not isinstance(variables, dict):
            raise HttpError(HttpResponseBadRequest("variables must be a JSON object."))
        if operation_name is not None and not isinstance(operation_name, str):
            raise HttpError(HttpResponseBadRequest("operationName must be a string."))
        return query, variables, operation_name, id

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError) and error.original_error is not None:
            original = error.original_error
            if not isinstance(original, GraphQLError):
                # An unexpected failure in a resolver: log it, tell the client nothing internal.
                logger.error("GraphQL resolver failed", exc_info=original)
                return {
                    "message": "Something went wrong while answering this query.",
                    "path": error.path,
                    "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                }
        if isinstance(error, GraphQLError):
            formatted = error.formatted
        elif isinstance(error, HttpError):
            formatted = {"message": error.message}
        else:
            logger.error("GraphQL request failed", exc_info=error)
            formatted = {"message": "Something went wrong while answering this query."}
        extensions = dict(formatted.get("extensions") or {})
        extensions.setdefault("code", _code_for(error))
        formatted["extensions"] = extensions
        return formatted
