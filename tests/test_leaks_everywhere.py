"""Nothing hidden reaches any answer, by any path of the schema.

One live guide links every kind of hidden content: draft, never published,
unpublished, a pending revision of a live guide, password- and
group-restricted, under a restricted or a draft hub, expired, and FAQs that
are unpublished or expired. Each hidden thing carries its own marker word.
The queries are generated from the schema: every root field with every id,
slug, path and marker as arguments, then every field of every object the
answers really hold, path by path, to the depth limit. No answer, and no
REST answer, may contain a marker.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)
from wagtail.models import Locale, PageViewRestriction

from cms import sync
from cms.graphql.schema import schema
from guides.models import GuideFAQ, GuidePage
from home.models import FeaturedGuide, FeaturedHub

SCHEMA = schema.graphql_schema

# Values for field arguments below the root: a size every image offers.
NESTED_ARGUMENTS = {"rendition": "(width: 320)", "srcSet": "(sizes: [320])"}


def marker(kind):
    return f"zq{kind}marker"


HIDDEN_PAGE_KINDS = [
    "draft",
    "neverpublished",
    "unpublished",
    "password",
    "group",
    "restrictedancestor",
    "draftancestor",
    "expiredpage",
]
HIDDEN_FAQ_KINDS = ["unpublishedfaq", "expiredfaq"]
ALL_MARKERS = [
    marker(kind)
    for kind in [
        *HIDDEN_PAGE_KINDS,
        *HIDDEN_FAQ_KINDS,
        "pendingrevision",
        "restrictedhub",
        "drafthub",
    ]
]


def _paragraph_linking(pages):
    links = " ".join(
        f'<a linktype="page" id="{page.pk}">link {number}</a>' for number, page in enumerate(pages)
    )
    return {"type": "paragraph", "value": f"<p>See {links}.</p>"}


def _call_to_action(page):
    return {
        "type": "call_to_action",
        "value": {
            "heading": "Next",
            "text": "",
            "button_label": "Go",
            "page": page.pk,
            "external_url": "",
        },
    }


@pytest.fixture
def world(make_hub, make_guide, make_faq, hub, home):
    """Every hidden kind, linked from one live guide in every way a guide links."""
    past = timezone.now() - datetime.timedelta(minutes=5)
    # Where an app that synced before any of this would sync on from.
    history_token = sync.make_token(
        {"v": 1, "l": Locale.get_default().pk, "m": "at", "p": 0, "t": past.timestamp()}
    )

    def hidden_guide(kind, **kwargs):
        return make_guide(
            f"Guide {marker(kind)}",
            slug=f"guide-{marker(kind)}",
            summary=f"Summary {marker(kind)}",
            **kwargs,
        )

    pages = {
        "draft": hidden_guide("draft", publish=False),
        "neverpublished": hidden_guide("neverpublished", publish=False),
        "unpublished": hidden_guide("unpublished"),
        "password": hidden_guide("password"),
        "group": hidden_guide("group"),
        "expiredpage": hidden_guide("expiredpage"),
    }
    pages["unpublished"].unpublish()
    PageViewRestriction.objects.create(
        page=pages["password"], restriction_type="password", password="x"
    )
    group = PageViewRestriction.objects.create(page=pages["group"], restriction_type="groups")
    group.groups.add(Group.objects.create(name="Clinicians only"))
    pages["expiredpage"].expire_at = past
    pages["expiredpage"].save()  # still live: the scheduler has not run

    restricted_hub = make_hub(
        f"Hub {marker('restrictedhub')}", slug=f"hub-{marker('restrictedhub')}"
    )
    PageViewRestriction.objects.create(page=restricted_hub, restriction_type="login")
    pages["restrictedancestor"] = hidden_guide("restrictedancestor", parent=restricted_hub)
    draft_hub = make_hub(
        f"Hub {marker('drafthub')}", slug=f"hub-{marker('drafthub')}", publish=False
    )
    pages["draftancestor"] = hidden_guide("draftancestor", parent=draft_hub)

    pending = make_guide("Pending guide", slug="pending-guide")
    pending.title = f"Guide {marker('pendingrevision')}"
    pending.summary = f"Summary {marker('pendingrevision')}"
    pending.save_revision()  # a draft on a live page, never published

    faqs = {
        "unpublishedfaq": make_faq(
            f"Question {marker('unpublishedfaq')}?",
            f"<p>{marker('unpublishedfaq')}</p>",
            publish=False,
        ),
        "expiredfaq": make_faq(
            f"Question {marker('expiredfaq')}?", f"<p>{marker('expiredfaq')}</p>"
        ),
    }
    faqs["expiredfaq"].expire_at = past
    faqs["expiredfaq"].save()
    shown_faq = make_faq("A question anyone may read?", "<p>An answer.</p>")

    linked = [*pages.values(), restricted_hub, draft_hub, pending]
    carrier = make_guide(
        "Carrier guide",
        slug="carrier",
        faqs=[shown_faq, *faqs.values()],
        related=[page for page in linked if isinstance(page, GuidePage)],
        quick_answer=_paragraph_linking(linked)["value"],
        body=[
            _paragraph_linking(linked),
            *[_call_to_action(page) for page in linked],
            {
                "type": "faqs",
                "value": {
                    "title": "Questions",
                    "faqs": [f.pk for f in [shown_faq, *faqs.values()]],
                },
            },
        ],
    )
    for number, page in enumerate(linked):
        if isinstance(page, GuidePage):
            FeaturedGuide.objects.create(page=home, guide=page, sort_order=number)
        else:
            FeaturedHub.objects.create(page=home, hub=page, sort_order=number)
    assert GuideFAQ.objects.filter(page=carrier).count() == 3
    return {
        "pages": [*linked, carrier, hub],
        "faqs": [*faqs.values(), shown_faq],
        "carrier": carrier,
        "history_token": history_token,
    }


def _root_calls(world):
    """Every root field with every argument a client could try."""
    pages, faqs = world["pages"], world["faqs"]
    calls = []
    for page in pages:
        for name in ("guide", "hub", "page"):
            calls.append(f'{name}(id: "{page.pk}")')
            calls.append(f'{name}(urlPath: "{page.url_path}")')
        calls.append(f'guide(slug: "{page.slug}")')
        calls.append(f'hub(slug: "{page.slug}")')
        calls.append(f'guides(hub: "{page.pk}", perPage: 100)')
    for faq in faqs:
        calls.append(f'faq(id: "{faq.pk}")')
        calls.append(f'faqs(topic: "{faq.topic.slug}", perPage: 100)')
    for word in [*ALL_MARKERS, "guide", "question", "carrier"]:
        calls.append(f'search(query: "{word}", perPage: 50)')
        calls.append(f'searchSuggestions(prefix: "{word[:6]}")')
    calls += [
        "guides(perPage: 100)",
        "faqs(perPage: 100)",
        "hubs",
        "home",
        "faqTopics",
        "siteSettings",
        # A first sync, and a sync from before every hidden thing was made
        # or hidden: those come as tombstones (kind and id), never as items.
        "changes(perPage: 100)",
        f'changes(since: "{world["history_token"]}", perPage: 100)',
    ]
    root_fields = set(SCHEMA.query_type.fields)
    called = {call.split("(")[0] for call in calls}
    assert called == root_fields, f"root fields without generated calls: {root_fields - called}"
    return calls


def _selection(graphql_type, depth_left):
    """Every field of `graphql_type`: leaves in full, objects with an id as
    `__typename id` (they are explored on their own path), value objects
    in full while depth lasts."""
    graphql_type = get_named_type(graphql_type)
    if is_leaf_type(graphql_type):
        return ""
    if isinstance(graphql_type, GraphQLUnionType | GraphQLInterfaceType):
        members = SCHEMA.get_possible_types(graphql_type)
        inner = " ".join(
            f"... on {member.name} {{ {_fields(member, depth_left)} }}" for member in members
        )
        return f"{{ __typename {inner} }}"
    return f"{{ {_fields(graphql_type, depth_left)} }}"


def _fields(object_type, depth_left):
    parts = ["__typename"]
    for name, field in object_type.fields.items():
        target = get_named_type(field.type)
        call = name + NESTED_ARGUMENTS.get(name, "")
        if is_leaf_type(target):
            parts.append(call)
        elif _has_id(target):
            parts.append(f"{call} {{ __typename ... on {_id_typenames(target)} }}")
        elif depth_left > 1:
            parts.append(f"{call} {_selection(target, depth_left - 1)}")
    return " ".join(parts)


def _has_id(graphql_type):
    types = (
        SCHEMA.get_possible_types(graphql_type)
        if isinstance(graphql_type, GraphQLUnionType | GraphQLInterfaceType)
        else [graphql_type]
    )
    return all(isinstance(t, GraphQLObjectType) and "id" in t.fields for t in types)


def _id_typenames(graphql_type):
    if isinstance(graphql_type, GraphQLInterfaceType):
        return f"{graphql_type.name} {{ id }}"
    if isinstance(graphql_type, GraphQLUnionType):
        raise AssertionError("unions of objects with ids are not generated yet")
    return f"{graphql_type.name} {{ id }}"


def _objects_with_ids(value, found):
    """(typename, id) of every object in an answer, with the JSON path to it."""
    if isinstance(value, dict):
        if "__typename" in value and "id" in value:
            found.add((value["__typename"], value["id"]))
        for item in value.values():
            _objects_with_ids(item, found)
    elif isinstance(value, list):
        for item in value:
            _objects_with_ids(item, found)
    return found


def _id_fields(object_type):
    """Fields of a type that lead to objects with ids: the edges to follow."""
    return [
        name
        for name, field in object_type.fields.items()
        if not is_leaf_type(get_named_type(field.type)) and _has_id(get_named_type(field.type))
    ]


def _paths_to_objects(object_type, depth_left):
    """Selection paths below `object_type` that end at objects with ids,
    through value objects (blocks, lists, search results) when needed."""
    paths = []
    if depth_left <= 0:
        return paths
    for name, field in object_type.fields.items():
        target = get_named_type(field.type)
        if is_leaf_type(target):
            continue
        call = name + NESTED_ARGUMENTS.get(name, "")
        if _has_id(target):
            paths.append(([call], target))
            continue
        members = (
            SCHEMA.get_possible_types(target)
            if isinstance(target, GraphQLUnionType | GraphQLInterfaceType)
            else [target]
        )
        for member in members:
            prefix = f"... on {member.name} " if member is not target else ""
            for rest, end in _paths_to_objects(member, depth_left - 1):
                paths.append(([call, *([prefix.strip()] if prefix else []), *rest], end))
    return paths


def _document(root_call, path, end_type, depth_left):
    def selection_set(inner):
        return inner if inner.startswith("{") else f"{{ {inner} }}"

    inner = _selection(end_type, depth_left)
    for step in reversed(path):
        if step.startswith("..."):
            inner = f"{{ {step} {selection_set(inner)} }}"
        else:
            inner = f"{step} {selection_set(inner)}"
    return f"{{ {root_call} {selection_set(inner)} }}"


def walk(root_calls, max_depth, run):
    """Breadth first: each root call, then every path from it to objects with
    ids, followed only where answers hold objects not explored yet. `run`
    answers a document with its data; returns the (typename, id) explored."""
    explored = set()
    frontier = [
        (call, [], SCHEMA.query_type.fields[call.split("(")[0]].type) for call in root_calls
    ]
    while frontier:
        root_call, path, end_type = frontier.pop(0)
        depth_used = 1 + len([step for step in path if not step.startswith("...")])
        data = run(_document(root_call, path, end_type, max_depth - depth_used))
        found = _objects_with_ids(data, set())
        new = found - explored
        explored |= found
        if not new or depth_used >= max_depth:
            continue
        named = get_named_type(end_type)
        members = (
            SCHEMA.get_possible_types(named)
            if isinstance(named, GraphQLInterfaceType | GraphQLUnionType)
            else [named]
        )
        for member in members:
            prefix = [f"... on {member.name}"] if member is not named else []
            for rest, target in _paths_to_objects(member, max_depth - depth_used - 1):
                frontier.append((root_call, [*path, *prefix, *rest], target))
    return explored


@pytest.fixture
def unbounded_cost(settings):
    # The leak hunt is about what answers hold, not what the public may ask for at once.
    for name in ("COST", "ALIASES", "FIELDS", "TOKENS", "REPEATED_FIELDS", "FRAGMENTS"):
        setattr(settings, f"GRAPHQL_MAX_{name}", 10**9)
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
    return settings


def test_no_generated_query_finds_anything_hidden(graphql, world, unbounded_cost):
    max_depth = unbounded_cost.GRAPHQL_MAX_DEPTH
    documents, leaks, errors = 0, [], []

    def run(document):
        nonlocal documents
        documents += 1
        status, body = graphql.post(document)
        text = json.dumps(body).lower()
        leaks.extend((m, document) for m in ALL_MARKERS if m in text)
        codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
        if (
            status != 200
            or "INTERNAL_SERVER_ERROR" in codes
            or "GRAPHQL_VALIDATION_FAILED" in codes
        ):
            errors.append((status, document, body.get("errors")))
        return body.get("data") or {}

    explored = walk(_root_calls(world), max_depth, run)

    print(
        f"\n{documents} generated documents, {len(explored)} distinct objects, {len(leaks)} leaks"
    )
    assert not errors, sorted({e["message"] for _s, _d, errs in errors for e in errs or []})
    assert not leaks, sorted({(m, d[:60]) for m, d in leaks})
    assert documents > 150
    # The walk did reach the live guide that links everything.
    assert ("GuidePage", str(world["carrier"].pk)) in explored


def test_rest_api_shows_nothing_hidden(client, world):
    urls = [
        "/api/v2/pages/?fields=*&limit=100",
        "/api/v2/pages/?type=guides.GuidePage&fields=*&limit=100",
    ]
    for page in world["pages"]:
        urls.append(f"/api/v2/pages/{page.pk}/?fields=*")
        urls.append(f"/api/v2/pages/find/?html_path={page.url_path}")
        urls.append(f"/api/v2/pages/?child_of={page.pk}&fields=*")
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        text = response.content.decode().lower()
        assert not [m for m in ALL_MARKERS if m in text], url
