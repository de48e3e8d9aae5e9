"""Every bad input a client can type is the client's mistake (issue 11).

Each case below is one request, sent as it is to /graphql/ or /api/v2/. A
request that cannot run gets a 4xx whose JSON body says why; no answer carries
a traceback or a server error. GraphQL's problems in one field keep the
documented contract (docs/frontend.md, "Errors and limits"): HTTP 200 with the field null and a
`BAD_USER_INPUT` error beside it, never `INTERNAL_SERVER_ERROR`.
"""

import gzip
import json
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
import wagtail_factories
from django.test import Client

from cms.models import Person

HUGE = "99999999999999999999999"
GUIDE = "{ title }"


@dataclass
class Case:
    id: str
    method: str
    path: str
    body: bytes | None = None
    content_type: str | None = None
    headers: dict = field(default_factory=dict)
    status: int | tuple | None = None  # None: any 4xx


def post_json(case_id, payload, status=None, **headers):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    if isinstance(body, str):
        body = body.encode()
    return Case(case_id, "POST", "/graphql/", body, "application/json", headers, status)


def post_query(case_id, query, variables=None, status=None, **extra):
    payload = {"query": query, **extra}
    if variables is not None:
        payload["variables"] = variables
    return post_json(case_id, payload, status)


def get_graphql(case_id, status=None, **params):
    return Case(case_id, "GET", "/graphql/?" + urlencode(params), status=status)


def rest(case_id, query_string, path="/api/v2/pages/", status=None, **headers):
    return Case(
        case_id,
        "GET",
        f"{path}?{query_string}" if query_string else path,
        None,
        None,
        headers,
        status,
    )


def deep(levels, open_="[", close="]"):
    return open_ * levels + close * levels


DEEP_1500 = deep(1500)
PQ = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}

GRAPHQL_REQUESTS = [
    # Nesting: json and everything after it recurse.
    post_json("body-8000-nested-arrays", "[" * 8000),
    post_json("body-8000-nested-arrays-closed", deep(8000)),
    post_json("body-8000-nested-objects", '{"a":' * 8000),
    post_json(
        "variables-nested-1500", '{"query": "{ hubs { title } }", "variables": ' + DEEP_1500 + "}"
    ),
    post_json(
        "variables-object-nested-1500",
        '{"query": "{ hubs { title } }", "variables": {"a": ' + deep(1500) + "}}",
    ),
    post_json(
        "extensions-nested-1500", '{"query": "{ hubs { title } }", "extensions": ' + DEEP_1500 + "}"
    ),
    post_json("query-value-nested-1500", '{"query": ' + DEEP_1500 + "}"),
    post_json(
        "body-nested-65", {"query": "{ hubs { title } }", "variables": {"a": json.loads(deep(65))}}
    ),
    get_graphql("get-variables-nested-1500", query="{ hubs { title } }", variables=DEEP_1500),
    get_graphql("get-extensions-nested-1500", query="{ hubs { title } }", extensions=DEEP_1500),
    get_graphql("get-extensions-nested-1500-no-query", extensions=DEEP_1500),
    get_graphql(
        "get-variables-objects-nested-1500", query="{ hubs { title } }", variables='{"a":' * 1500
    ),
    Case(
        "form-variables-nested-1500",
        "POST",
        "/graphql/",
        urlencode({"query": "{ hubs { title } }", "variables": DEEP_1500}).encode(),
        "application/x-www-form-urlencoded",
    ),
    Case(
        "form-extensions-nested-1500",
        "POST",
        "/graphql/",
        urlencode({"query": "{ hubs { title } }", "extensions": DEEP_1500}).encode(),
        "application/x-www-form-urlencoded",
    ),
    # Encodings.
    Case(
        "graphql-body-not-utf8",
        "POST",
        "/graphql/",
        b"{ hubs { title \xff\xfe } }",
        "application/graphql",
    ),
    Case(
        "graphql-body-latin1",
        "POST",
        "/graphql/",
        '{ guide(slug: "caf\xe9") { title } }'.encode("latin-1"),
        "application/graphql",
    ),
    post_json("json-body-not-utf8", b'{"query": "{ hubs { title } }\xff"}'),
    post_json(
        "json-body-latin1-charset", '{"query": "{ guide(slug: \\"caf\xe9\\") }"}'.encode("latin-1")
    ),
    Case(
        "json-body-claims-latin1",
        "POST",
        "/graphql/",
        '{"query": "{ guide(slug: \\"caf\xe9\\") { title } "}'.encode("latin-1"),
        "application/json; charset=latin-1",
    ),
    Case(
        "json-body-unknown-charset",
        "POST",
        "/graphql/",
        b'{"query": "{"}',
        "application/json; charset=x-no-such-charset",
    ),
    post_json("json-body-utf16", '{"query": "{ hubs { title } }"}'.encode("utf-16")),
    post_json("json-body-utf8-bom", b'\xef\xbb\xbf{"query": "{ hubs { title } }"}'),
    post_json(
        "json-body-gzip-claimed",
        gzip.compress(b'{"query": "{ hubs { title } }"}'),
        HTTP_CONTENT_ENCODING="gzip",
    ),
    post_json("json-body-gzip-claimed-plain-sent", b'{"query": "{"}', HTTP_CONTENT_ENCODING="gzip"),
    # Bodies that are not a GraphQL request.
    post_json("json-body-empty", b""),
    post_json("json-body-whitespace", b"   "),
    post_json("json-body-truncated", b'{"query": "{ hubs'),
    post_json("json-body-array", [{"query": "{ hubs { title } }"}]),
    post_json("json-body-string", '"{ hubs { title } }"'),
    post_json("json-body-number", "42"),
    post_json("json-body-null", "null"),
    post_json("json-body-nan", '{"query": NaN}'),
    post_json("json-body-lone-surrogate", '{"query": "{ guide(slug: \\"\\ud800\\") { title } }"}'),
    post_json(
        "json-body-duplicate-query-keys-second-bad", '{"query": "{ hubs { title } }", "query": 5}'
    ),
    post_json("query-missing", {"variables": {}}),
    post_json("query-empty", {"query": ""}),
    post_json("query-null", {"query": None}),
    post_json("query-number", {"query": 5}),
    post_json("query-list", {"query": ["{ hubs { title } }"]}),
    post_json("query-object", {"query": {"hubs": "title"}}),
    post_query("variables-list", "{ hubs { title } }", [1, 2]),
    post_query("variables-string-not-json", "{ hubs { title } }", "not json"),
    post_query("variables-number", "{ hubs { title } }", 5),
    post_query("operation-name-number", "{ hubs { title } }", operationName=5),
    post_query("operation-name-list", "{ hubs { title } }", operationName=["a"]),
    post_query("operation-name-unknown", "query A { hubs { title } }", operationName="B"),
    post_query("two-operations-no-name", "query A { hubs { title } } query B { home { title } }"),
    # Documents.
    post_query("syntax-error", "{ hubs { title }"),
    post_query("syntax-error-nul", "{ hubs\x00 { title } }"),
    post_query("query-8000-open-braces", "{" * 8000),
    post_query(
        "query-list-literal-nested-2000",
        "{ guides(category: " + deep(2000) + ") { pagination { total } } }",
    ),
    post_query(
        "query-object-literal-nested-2000",
        "{ guides(category: " + "{a:" * 2000 + "}" * 2000 + ") { items { title } } }",
    ),
    post_query("unknown-field", "{ nope }"),
    post_query("unknown-argument", "{ hubs(nope: 1) { title } }"),
    post_query("mutation", "mutation { hubs { title } }"),
    post_query("subscription", "subscription { hubs { title } }"),
    post_query(
        "fragment-cycle",
        "{ home { ...A } } fragment A on HomePage { ...B } fragment B on HomePage { ...A }",
    ),
    post_query(
        "too-deep",
        "{ home { children { children { children { children { children { children { children { children { children { children { children { title } } } } } } } } } } } } }",
    ),
    post_query(
        "too-many-aliases", "{ " + " ".join(f"a{i}: hubs {{ title }}" for i in range(40)) + " }"
    ),
    post_query("wrong-literal-type-page", '{ guides(page: "x") { items { title } } }'),
    post_query("wrong-literal-type-per-page-float", "{ guides(perPage: 1.5) { items { title } } }"),
    post_query("int-literal-over-32-bits", "{ guides(page: 99999999999) { items { title } } }"),
    post_query("children-limit-negative", "{ home { children(limit: -5) { title } } }"),
    # A string over GRAPHQL_MAX_STRING_LENGTH is refused before any resolver runs.
    post_query("guide-id-10000-digits", '{ guide(id: "' + "9" * 10000 + '") { title } }'),
    post_query("children-offset-negative", "{ home { children(offset: -1) { title } } }"),
    post_query("limit-literal-over-32-bits", "{ home { children(limit: 3000000000) { title } } }"),
    post_query("id-literal-object", "{ guide(id: {a: 1}) { title } }"),
    post_query("id-literal-list", "{ guide(id: [1]) { title } }"),
    post_query("id-literal-float", "{ guide(id: 1.5) { title } }"),
    post_query("id-literal-boolean", "{ guide(id: true) { title } }"),
    post_query(
        "src-set-sizes-string", '{ guide(slug: "x") { heroImage { srcSet(sizes: "320") } } }'
    ),
    # Variables.
    post_query(
        "variable-wrong-type",
        "query ($p: Int) { guides(page: $p) { items { title } } }",
        {"p": "x"},
    ),
    post_query(
        "variable-huge-int",
        "query ($p: Int) { guides(page: $p) { items { title } } }",
        {"p": 10**20},
    ),
    post_query(
        "variable-float-for-int",
        "query ($p: Int) { guides(page: $p) { items { title } } }",
        {"p": 1.5},
    ),
    post_query(
        "variable-list-for-int",
        "query ($p: Int) { guides(page: $p) { items { title } } }",
        {"p": [1]},
    ),
    post_query(
        "variable-object-for-string",
        "query ($s: String) { guide(slug: $s) { title } }",
        {"s": {"a": 1}},
    ),
    post_query(
        "variable-deep-list-for-string",
        "query ($s: String) { guide(slug: $s) { title } }",
        {"s": json.loads(deep(60))},
    ),
    post_query(
        "variable-long-list-for-string",
        "query ($s: String) { guide(slug: $s) { title } }",
        {"s": list(range(2000))},
    ),
    post_query(
        "variable-null-for-required", "query ($id: ID!) { faq(id: $id) { question } }", {"id": None}
    ),
    post_query("variable-missing-required", "query ($id: ID!) { faq(id: $id) { question } }", {}),
    post_query(
        "variable-object-for-id", "query ($id: ID!) { faq(id: $id) { question } }", {"id": {"a": 1}}
    ),
    post_query(
        "variable-float-for-id", "query ($id: ID!) { faq(id: $id) { question } }", {"id": 1.5}
    ),
    post_query("variable-unknown-type", "query ($x: Nope) { hubs { title } }", {"x": 1}),
    post_query("variable-undeclared", "{ guides(page: $p) { items { title } } }", {"p": 1}),
    post_query(
        "variable-huge-limit",
        "query ($l: Int) { home { children(limit: $l) { title } } }",
        {"l": 2**40},
    ),
    post_query(
        "variable-sizes-strings",
        'query ($s: [Int]) { guide(slug: "x") { heroImage { srcSet(sizes: $s) } } }',
        {"s": ["a"]},
    ),
    # Persisted queries.
    post_query("extensions-list", "{ hubs { title } }", extensions=[1]),
    post_query("extensions-string-not-json", "{ hubs { title } }", extensions="nope"),
    post_query(
        "persisted-version-2",
        "{ hubs { title } }",
        extensions={"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
    ),
    post_query(
        "persisted-hash-not-hex",
        "{ hubs { title } }",
        extensions={"persistedQuery": {"version": 1, "sha256Hash": "xyz"}},
    ),
    post_query(
        "persisted-hash-number",
        "{ hubs { title } }",
        extensions={"persistedQuery": {"version": 1, "sha256Hash": 5}},
    ),
    post_query("persisted-hash-mismatch", "{ hubs { title } }", extensions=PQ),
    get_graphql("get-extensions-not-json", extensions="{nope"),
    get_graphql(
        "get-extensions-version-string",
        extensions='{"persistedQuery": {"version": "1", "sha256Hash": "' + "0" * 64 + '"}}',
    ),
    # GET.
    get_graphql("get-no-query"),
    get_graphql("get-syntax-error", query="{ hubs {"),
    get_graphql("get-variables-not-json", query="{ hubs { title } }", variables="{nope"),
    get_graphql("get-variables-array", query="{ hubs { title } }", variables="[1]"),
    get_graphql("get-variables-number", query="{ hubs { title } }", variables="5"),
    get_graphql("get-query-8000-open-braces", query="{" * 8000),
    get_graphql(
        "get-wrong-variable-type",
        query="query ($p: Int) { guides(page: $p) { items { title } } }",
        variables='{"p": "x"}',
    ),
    get_graphql("get-mutation", query="mutation { hubs { title } }"),
    get_graphql("get-nul-in-query", query="{ hubs\x00 }"),
    # Content types, headers.
    Case("content-type-missing", "POST", "/graphql/", b'{"query": "{ hubs { title } }"}', ""),
    Case(
        "content-type-text-plain",
        "POST",
        "/graphql/",
        b'{"query": "{ hubs { title } }"}',
        "text/plain",
    ),
    Case(
        "content-type-xml",
        "POST",
        "/graphql/",
        b"<query>{ hubs { title } }</query>",
        "application/xml",
    ),
    Case("content-type-garbage", "POST", "/graphql/", b'{"query": "{ hubs { title } }"}', ";;;=="),
    Case(
        "multipart-bad-boundary",
        "POST",
        "/graphql/",
        b"--x\r\nnot a part",
        "multipart/form-data; boundary=y",
    ),
    Case("multipart-no-boundary", "POST", "/graphql/", b"--x\r\n", "multipart/form-data"),
    Case("form-no-query", "POST", "/graphql/", b"nope=1", "application/x-www-form-urlencoded"),
    Case(
        "form-bad-charset-no-query",
        "POST",
        "/graphql/",
        b"a=%FF",
        "application/x-www-form-urlencoded; charset=x-nope",
    ),
    post_json("accept-xml-with-bad-query", {"query": "{"}, HTTP_ACCEPT="application/xml"),
    post_json("accept-html-with-bad-query", {"query": "{"}, HTTP_ACCEPT="text/html"),
    post_json(
        "huge-authorization-header", {"query": "{"}, HTTP_AUTHORIZATION="Bearer " + "x" * 8000
    ),
    post_json("huge-custom-header", {"query": "{"}, HTTP_X_JUNK="y" * 16000),
    post_json("if-none-match-garbage", {"query": "{"}, HTTP_IF_NONE_MATCH='"' * 500),
    # Sizes.
    post_json("body-over-limit", {"query": "{ hubs { title } }" + " " * 20_000}, status=413),
    post_json("body-over-limit-garbage", b"\xff" * 20_000, status=413),
    # Methods.
    *[
        Case(
            f"method-{method.lower()}-graphql",
            method,
            "/graphql/",
            b"{}",
            "application/json",
            status=405,
        )
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")
    ],
    Case("method-head-graphql", "HEAD", "/graphql/", status=405),
]

# Problems in one field: that field null, BAD_USER_INPUT beside it, and HTTP 400
# since nothing else was asked (a query with other answered fields keeps its 200).
GRAPHQL_FIELDS = [
    ("guide-id-huge", f'{{ guide(id: "{HUGE}") {GUIDE} }}'),
    ("guide-id-superscript-two", '{ guide(id: "\u00b2") { title } }'),
    ("guide-id-arabic-indic-digit", '{ guide(id: "\u0663") { title } }'),
    ("guide-id-fullwidth-digit", '{ guide(id: "\uff11") { title } }'),
    ("guide-id-negative", '{ guide(id: "-1") { title } }'),
    ("guide-id-zero", '{ guide(id: "0") { title } }'),
    ("guide-id-decimal", '{ guide(id: "1.5") { title } }'),
    ("guide-id-space", '{ guide(id: " 1") { title } }'),
    ("guide-id-exponent", '{ guide(id: "1e3") { title } }'),
    ("guide-id-hex", '{ guide(id: "0x10") { title } }'),
    ("guide-id-nul", '{ guide(id: "1\\u0000") { title } }'),
    ("guide-id-int-literal-over-64-bits", f"{{ guide(id: {HUGE}) {GUIDE} }}"),
    ("guide-two-lookups", '{ guide(id: "1", slug: "a") { title } }'),
    ("hub-id-huge", f'{{ hub(id: "{HUGE}") {{ title }} }}'),
    ("hub-id-superscript", '{ hub(id: "\u00b2") { title } }'),
    ("guides-hub-huge", f'{{ guides(hub: "{HUGE}") {{ items {{ title }} }} }}'),
    ("guides-hub-superscript", '{ guides(hub: "\u00b2") { items { title } } }'),
    ("guides-hub-letters", '{ guides(hub: "abc") { items { title } } }'),
    ("faq-id-superscript", '{ faq(id: "\u00b2") { question } }'),
    ("faq-id-huge", f'{{ faq(id: "{HUGE}") {{ question }} }}'),
    ("faq-id-letters", '{ faq(id: "abc") { question } }'),
    ("faq-id-negative", '{ faq(id: "-3") { question } }'),
    ("page-id-huge", f'{{ page(id: "{HUGE}") {{ title }} }}'),
    ("page-id-superscript", '{ page(id: "\u00b2") { title } }'),
    ("faq-id-huge-variable", "query ($id: ID!) { faq(id: $id) { question } }", {"id": 10**30}),
    (
        "guide-id-superscript-variable",
        "query ($id: ID) { guide(id: $id) { title } }",
        {"id": "\u00b2"},
    ),
    ("guides-page-zero", "{ guides(page: 0) { items { title } } }"),
    ("guides-per-page-over-max", "{ guides(perPage: 1000) { items { title } } }"),
    ("guides-per-page-negative", "{ guides(perPage: -1) { items { title } } }"),
    ("faqs-per-page-zero", "{ faqs(perPage: 0) { items { question } } }"),
    ("guides-category-nul", '{ guides(category: "a\\u0000") { items { title } } }'),
    ("search-query-nul", '{ search(query: "a\\u0000") { total } }'),
]

REST = [
    # Pagination.
    rest("offset-huge", "offset=99999999999999999999"),
    rest("offset-negative", "offset=-1"),
    rest("offset-letters", "offset=abc"),
    rest("offset-exponent", "offset=1e3"),
    rest("offset-superscript", "offset=" + quote("\u00b2")),
    rest("offset-nul", "offset=%00"),
    rest("limit-negative", "limit=-1"),
    rest("limit-letters", "limit=abc"),
    rest("limit-over-max", "limit=1000"),
    rest("limit-huge", "limit=99999999999999999999"),
    # Field filters.
    rest("first-published-at-letters", "first_published_at=abc"),
    rest("first-published-at-bad-date", "first_published_at=2020-13-45"),
    rest("published-date-bad", "type=guides.GuidePage&published_date=2020-13-45"),
    rest("published-date-letters", "type=guides.GuidePage&published_date=abc"),
    rest("next-review-due-feb-30", "type=guides.GuidePage&next_review_due=2020-02-30"),
    rest("last-reviewed-letters", "type=guides.GuidePage&last_reviewed=yesterday"),
    rest("category-letters", "type=guides.GuidePage&category=abc"),
    rest("category-huge", "type=guides.GuidePage&category=99999999999999999999"),
    rest("publisher-superscript", "type=guides.GuidePage&publisher=" + quote("\u00b2")),
    rest("hero-image-huge", "type=guides.GuidePage&hero_image=" + HUGE),
    rest("body-filter", "type=guides.GuidePage&body=abc"),
    rest("show-in-menus-maybe", "show_in_menus=maybe"),
    rest("slug-nul", "slug=a%00b"),
    rest("title-nul", "title=%00"),
    rest("unknown-field-filter", "type=guides.GuidePage&nope=1"),
    # Ids.
    rest("id-letters", "id=abc"),
    rest("id-huge", "id=99999999999999999999"),
    rest("id-negative", "id=-1"),
    rest("id-superscript", "id=" + quote("\u00b2")),
    rest("child-of-letters", "child_of=abc"),
    rest("child-of-huge", "child_of=99999999999999999999"),
    rest("child-of-negative", "child_of=-1"),
    rest("child-of-missing-page", "child_of=999999"),
    rest("descendant-of-huge", "descendant_of=" + HUGE),
    rest("ancestor-of-huge", "ancestor_of=" + HUGE),
    rest("ancestor-of-root", "ancestor_of=root"),
    rest("translation-of-huge", "translation_of=" + HUGE),
    rest("child-of-with-descendant-of", "child_of=root&descendant_of=root"),
    # Types, ordering, fields.
    rest("type-unknown", "type=nope.Nope"),
    rest("type-not-a-page", "type=auth.User"),
    rest("type-one-unknown", "type=guides.GuidePage,nope.Nope"),
    rest("type-nul", "type=guides.Guide%00Page"),
    rest("type-no-dot", "type=GuidePage"),
    rest("order-unknown", "order=nope"),
    rest("order-unknown-descending", "order=-nope"),
    rest("order-random-with-title", "order=random,title"),
    rest("order-random-with-offset", "order=random&offset=1"),
    rest("order-private-column", "order=owner__password"),
    rest("order-nul", "order=title%00"),
    rest("order-empty-part", "order=title,,"),
    rest("fields-unknown", "fields=nope"),
    rest("fields-nested-on-plain", "fields=title(x)"),
    rest("fields-nested-200", "fields=" + "parent(" * 200 + "title" + ")" * 200),
    rest("fields-nested-2000-unclosed", "fields=" + "(" * 2000),
    rest("fields-star-twice", "fields=*,*"),
    rest("fields-dangling-comma", "fields=title,"),
    rest("fields-minus-alone", "fields=-"),
    rest("search", "search=scans"),
    rest("search-operator", "search_operator=or"),
    rest("unknown-parameter", "nope=1"),
    rest("unknown-parameter-nul-name", "no%00pe=1"),
    rest("locale-unknown", "locale=xx", status=404),
    rest("locale-nul", "locale=%00"),
    rest("site-port-huge", "site=localhost:" + HUGE),
    rest("site-port-letters", "site=localhost:abc"),
    rest("site-unknown", "site=nowhere.example", status=404),
    rest("rich-text-format-unknown", "rich_text_format=nope"),
    rest("format-xml", "format=xml", status=404),
    rest("format-browsable-api", "format=api", status=404),
    # Headers.
    rest("accept-xml", "", status=406, HTTP_ACCEPT="application/xml"),
    rest("accept-html-with-bad-parameter", "offset=abc", HTTP_ACCEPT="text/html"),
    rest("huge-header-with-bad-parameter", "offset=abc", HTTP_X_JUNK="z" * 16000),
    # Detail and find.
    rest("detail-id-huge", "", path=f"/api/v2/pages/{HUGE}/", status=404),
    rest("detail-id-zero", "", path="/api/v2/pages/0/", status=404),
    rest("detail-id-letters", "", path="/api/v2/pages/abc/", status=404),
    rest("detail-missing", "", path="/api/v2/pages/999999/", status=404),
    rest("detail-bad-fields", "fields=nope", path="/api/v2/pages/{home}/"),
    rest(
        "detail-fields-nested-200",
        "fields=" + "parent(" * 200 + ")" * 200,
        path="/api/v2/pages/{home}/",
    ),
    rest("find-id-letters", "id=abc", path="/api/v2/pages/find/"),
    rest("find-id-huge", "id=99999999999999999999", path="/api/v2/pages/find/"),
    rest("find-id-superscript", "id=" + quote("\u00b2"), path="/api/v2/pages/find/"),
    rest("find-html-path-nul", "html_path=%00", path="/api/v2/pages/find/"),
    rest(
        "find-html-path-missing", "html_path=/no/such/page/", path="/api/v2/pages/find/", status=404
    ),
    rest("find-html-path-long", "html_path=" + "/a" * 2000, path="/api/v2/pages/find/", status=404),
    rest("find-nothing-given", "", path="/api/v2/pages/find/", status=404),
    rest("api-root", "", path="/api/v2/", status=404),
    rest("api-unknown-endpoint", "", path="/api/v2/images/", status=404),
    rest("api-unknown-subpath", "", path="/api/v2/pages/1/nope/", status=404),
    # Methods.
    *[
        Case(f"method-{method.lower()}-{name}", method, path, b"{}", "application/json", status=405)
        for method in ("POST", "PUT", "DELETE", "PATCH", "TRACE")
        for name, path in (
            ("listing", "/api/v2/pages/"),
            ("detail", "/api/v2/pages/{home}/"),
            ("find", "/api/v2/pages/find/"),
        )
    ],
]


@pytest.fixture
def content(make_guide, make_faq):
    guide = make_guide("Asking for a second opinion", slug="second-opinion")
    make_faq()
    return guide


def send(case, home):
    client = Client()
    path = case.path.replace("{home}", str(home.pk))
    if case.method in ("GET", "HEAD"):
        return getattr(client, case.method.lower())(path, **case.headers)
    # generic() sends the bytes as they are, whatever the content type claims.
    return client.generic(
        case.method, path, case.body or b"", content_type=case.content_type or "", **case.headers
    )


def assert_client_error(case, response):
    text = response.content.decode("utf-8", errors="replace")
    expected = case.status
    if expected is None:
        assert 400 <= response.status_code < 500, (response.status_code, text[:500])
    else:
        assert response.status_code == expected, (response.status_code, text[:500])
    assert "Traceback" not in text and 'File "' not in text, text[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    if case.method == "HEAD":
        return  # no body, by definition
    body = json.loads(text)
    assert isinstance(body, dict), body
    return body


@pytest.mark.parametrize("case", GRAPHQL_REQUESTS, ids=lambda case: case.id)
def test_graphql_request_is_refused(content, home, case):
    body = assert_client_error(case, send(case, home))
    if body is None:
        return
    assert body["errors"] and all(error["message"] for error in body["errors"]), body
    assert "INTERNAL_SERVER_ERROR" not in json.dumps(body), body
    assert "data" not in body or body["data"] is None, body


@pytest.mark.parametrize(
    "query, variables",
    [(q, *v) for _, q, *v in [(*c, None)[:3] for c in GRAPHQL_FIELDS]],
    ids=[c[0] for c in GRAPHQL_FIELDS],
)
def test_graphql_field_argument_is_refused(content, graphql, query, variables):
    status, body = graphql.post(query, variables)
    text = json.dumps(body)
    assert status == 400, body
    assert "INTERNAL_SERVER_ERROR" not in text and "Traceback" not in text, body
    assert body["errors"], body
    assert {error["extensions"]["code"] for error in body["errors"]} == {"BAD_USER_INPUT"}, body
    assert all(error["message"] for error in body["errors"]), body


@pytest.mark.parametrize("case", REST, ids=lambda case: case.id)
def test_rest_request_is_refused(content, home, case):
    body = assert_client_error(case, send(case, home))
    if body is not None:
        assert isinstance(body.get("message"), str) and body["message"], body


def test_there_are_more_than_a_hundred_cases():
    assert len(GRAPHQL_REQUESTS) + len(GRAPHQL_FIELDS) + len(REST) > 150
    ids = [case.id for case in GRAPHQL_REQUESTS + REST] + [c[0] for c in GRAPHQL_FIELDS]
    assert len(ids) == len(set(ids))


# What the bad inputs' neighbours still do.


def test_ids_that_parse_still_find(content, graphql, hub):
    data = graphql.data(
        f'{{ guide(id: "{content.pk}") {{ title }} hub(id: {hub.pk}) {{ title }} }}'
    )
    assert data == {"guide": {"title": content.title}, "hub": {"title": hub.title}}
    data = graphql.data(f'{{ guides(hub: "{hub.pk}") {{ items {{ title }} }} }}')
    assert data["guides"]["items"] == [{"title": content.title}]


def test_src_set_without_sizes_uses_every_allowed_width(make_guide, graphql):
    image = wagtail_factories.ImageFactory(file__width=2000, file__height=1000)
    make_guide("With a picture", slug="pictured", hero_image=image)
    data = graphql.data('{ guide(slug: "pictured") { heroImage { srcSet } } }')
    widths = [part.rsplit(" ", 1)[1] for part in data["guide"]["heroImage"]["srcSet"].split(", ")]
    assert widths == ["320w", "480w", "640w", "800w", "1200w", "1600w"]


def test_rest_filters_that_parse_still_filter(api_client, content):
    params = {"type": "guides.GuidePage", "published_date": "2026-01-01", "offset": "0"}
    response = api_client.get("/api/v2/pages/", params)
    assert response.status_code == 200, response.content
    assert [item["title"] for item in response.json()["items"]] == [content.title]
    response = api_client.get("/api/v2/pages/", {"child_of": "root", "fields": "-title"})
    assert response.status_code == 200, response.content


@pytest.fixture
def api_client(db):
    return Client()


def test_choosing_the_reviewer_as_author_is_refused_on_the_author_field(admin_client, make_guide):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    reviewer = Person.objects.create(name="Dr Ada Reviewer")
    guide = make_guide("Reviewed guide", slug="reviewed", reviewed_by=reviewer)
    data = nested_form_data(
        {
            "title": guide.title,
            "slug": guide.slug,
            "standfirst": "",
            "summary": guide.summary,
            "quick_answer": rich_text("<p>Ask plainly.</p>"),
            "published_date": "2026-01-01",
            "next_review_due": "2028-01-01",
            "category": guide.category_id,
            "author": reviewer.pk,
            "change_type": "minor_edit",
            "change_summary": "",
            "key_highlights": streamfield([]),
            "important_facts": streamfield([]),
            "body": streamfield([]),
            "faq_placements": inline_formset([]),
            "related_guide_links": inline_formset([]),
            "references": inline_formset([]),
            "disclaimer": rich_text(""),
        }
    )
    response = admin_client.post(f"/admin/pages/{guide.pk}/edit/", data)
    assert response.status_code == 200  # the form again, with the error
    form = response.context["form"]
    assert form.errors["author"] == [
        "The author cannot be this guide's clinical reviewer: choose someone else."
    ]
    guide.refresh_from_db()
    assert guide.author is None


def test_a_bad_argument_beside_answered_fields_keeps_the_answer(content, graphql):
    status, body = graphql.post('{ hubs { title } guide(id: "\u00b2") { title } }')
    assert status == 200
    assert body["data"]["guide"] is None and isinstance(body["data"]["hubs"], list)
    assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"]
