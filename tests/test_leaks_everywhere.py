"""Nothing hidden reaches any answer, by any path of the schema.

One live guide links every kind of hidden content: draft, never published,
unpublished, a pending revision of a live guide, password- and
group-restricted, under a restricted or a draft hub, expired, FAQs that are
unpublished or expired, content hidden by a change made without a save (a bulk
update, a restored backup: expiry, unpublishing, a view restriction), and an
image and a document in a password-protected collection (as the hero, in an
image block, embedded and linked in rich text). An FAQ readers never saw is
deleted from it, which its change log must not tell. Each hidden thing
carries its own marker word.
The queries are generated from the schema: every root field with every id,
slug, path and marker as arguments, then every field of every object the
answers really hold, path by path, to the depth limit. No answer, and no
REST answer, may contain a marker; no REST block value may hold the id of a
hidden object, and no sync tombstone may name something never public.
"""

import datetime
import json

import pytest
import wagtail_factories
from django.contrib.auth.models import Group
from django.utils import timezone
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Locale, Page, PageViewRestriction

from cms import sync
from cms.graphql.schema import schema
from faqs.models import FAQ
from guides.blocks import GuideBodyBlock
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
# Hidden after the fact by a change that saves nothing (no signal, no index
# update): each is published, indexed and linked first.
OUT_OF_BAND_PAGE_CHANGES = {
    "oobexpired": lambda pages: pages.update(expire_at=timezone.now()),
    "oobunpublished": lambda pages: pages.update(live=False),
    "oobrestricted": lambda pages: PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=page, restriction_type="login") for page in pages]
    ),
}
OUT_OF_BAND_FAQ_CHANGES = {
    "oobexpiredfaq": lambda faqs: faqs.update(expire_at=timezone.now()),
    "oobunpublishedfaq": lambda faqs: faqs.update(live=False),
}
# Files in a password-protected collection: their titles, file names and
# alt text are markers, and so is any address of them.
PRIVATE_FILE_KINDS = ["privatehero", "privateblockimage", "privateembed", "privatedocument"]
ALL_MARKERS = [
    marker(kind)
    for kind in [
        *HIDDEN_PAGE_KINDS,
        *HIDDEN_FAQ_KINDS,
        *OUT_OF_BAND_PAGE_CHANGES,
        *OUT_OF_BAND_FAQ_CHANGES,
        *PRIVATE_FILE_KINDS,
        "pendingrevision",
        "restrictedhub",
        "drafthub",
        "deletedfaq",
    ]
]
# Hidden since they were made: a tombstone for one tells that it exists.
NEVER_PUBLIC = [
    "draft",
    "neverpublished",
    "restrictedancestor",
    "draftancestor",
    "drafthub",
    "unpublishedfaq",
    "deletedfaq",
]


def _paragraph_linking(pages):
    links = " ".join(
        f'<a linktype="page" id="{page.pk}">link {number}</a>' for number, page in enumerate(pages)
    )
    return {"type": "paragraph", "value": f"<p>See {links}.</p>"}


def _private_files(collection):
    def image(kind):
        return wagtail_factories.ImageFactory(
            title=f"Image {marker(kind)}",
            collection=collection,
            file__filename=f"{marker(kind)}.jpg",
        )

    document = get_document_model().objects.create(
        title=f"Document {marker('privatedocument')}",
        file=f"documents/{marker('privatedocument')}.pdf",
        collection=collection,
    )
    return {
        "hero": image("privatehero"),
        "block": image("privateblockimage"),
        "embed": image("privateembed"),
        "document": document,
    }


def _rich_text_with_files(files):
    return (
        f'<p>Read <a linktype="document" id="{files["document"].pk}">the leaflet</a>.</p>'
        f'<embed embedtype="image" id="{files["embed"].pk}" format="fullwidth"'
        f' alt="Alt {marker("privateembed")}"/>'
    )


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

    out_of_band = {kind: hidden_guide(kind) for kind in OUT_OF_BAND_PAGE_CHANGES}
    private = Collection.get_first_root_node().add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    files = _private_files(private)

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
    for kind in OUT_OF_BAND_FAQ_CHANGES:
        faqs[kind] = make_faq(f"Question {marker(kind)}?", f"<p>{marker(kind)}</p>")
    deleted = make_faq(f"Question {marker('deletedfaq')}?", publish=False)
    shown_faq = make_faq("A question anyone may read?", _rich_text_with_files(files))

    linked = [*pages.values(), *out_of_band.values(), restricted_hub, draft_hub, pending]
    carrier = make_guide(
        "Carrier guide",
        slug="carrier",
        hero_image=files["hero"],
        faqs=[shown_faq, *faqs.values(), deleted],
        related=[page for page in linked if isinstance(page, GuidePage)],
        quick_answer=_paragraph_linking(linked)["value"] + _rich_text_with_files(files),
        body=[
            _paragraph_linking(linked),
            {"type": "paragraph", "value": _rich_text_with_files(files)},
            {
                "type": "image",
                "value": {"image": files["block"].pk, "alt_text": "A scan", "caption": ""},
            },
            *[_call_to_action(page) for page in linked],
            {
                "type": "faqs",
                "value": {
                    "title": "Questions",
                    "faqs": [f.pk for f in [shown_faq, *faqs.values(), deleted]],
                },
            },
        ],
    )
    deleted_id = deleted.pk
    deleted.delete()  # never published: the carrier's change log must not tell
    for kind, change in OUT_OF_BAND_PAGE_CHANGES.items():
        change(GuidePage.objects.filter(pk=out_of_band[kind].pk))
    for kind, change in OUT_OF_BAND_FAQ_CHANGES.items():
        change(FAQ.objects.filter(pk=faqs[kind].pk))
    for number, page in enumerate(linked):
        if isinstance(page, GuidePage):
            FeaturedGuide.objects.create(page=home, guide=page, sort_order=number)
        else:
            FeaturedHub.objects.create(page=home, hub=page, sort_order=number)
    assert GuideFAQ.objects.filter(page=carrier).count() == len(faqs) + 1
    never_public = {
        *{("GUIDE", str(pages[kind].pk)) for kind in NEVER_PUBLIC if kind in pages},
        ("HUB", str(draft_hub.pk)),
        ("FAQ", str(faqs["unpublishedfaq"].pk)),
        ("FAQ", str(deleted_id)),
    }
    return {
        "pages": [*linked, carrier, hub],
        "faqs": [*faqs.values(), shown_faq],
        "carrier": carrier,
        "history_token": history_token,
        # By the model a chooser block names, for REST block values.
        "hidden_ids": {
            "page": {page.pk for page in linked if page.pk != pending.pk},
            "faq": {*(faq.pk for faq in faqs.values()), deleted_id},
            "image": {files[name].pk for name in ("hero", "block", "embed")},
            "document": {files["document"].pk},
        },
        "never_public": never_public,
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


def _chosen_ids(block, value, found):
    """Ids a REST block value names, by the kind of object each chooser picks,
    walking the body's own block definitions (a block added later is covered)."""
    if value is None:
        return found
    if isinstance(block, blocks.ChooserBlock):
        model = block.target_model
        kind = "page" if issubclass(model, Page) else model._meta.model_name
        found.setdefault(kind, set()).add(value if isinstance(value, int) else value.get("id"))
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            _chosen_ids(block.child_block, item, found)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _chosen_ids(child, value.get(name), found)
    elif isinstance(block, blocks.StreamBlock):
        for item in value:
            _chosen_ids(block.child_blocks[item["type"]], item["value"], found)
    return found


def test_rest_block_values_name_no_hidden_object(client, world):
    body = client.get(f"/api/v2/pages/{world['carrier'].pk}/?fields=*").json()["body"]
    chosen = _chosen_ids(GuideBodyBlock(), body, {})
    # The walk read the blocks that choose: pages, FAQs and an image.
    assert {"page", "faq"} <= chosen.keys()
    named = {kind: ids & world["hidden_ids"].get(kind, set()) for kind, ids in chosen.items()}
    assert not any(named.values()), named


def test_sync_sends_no_tombstone_for_what_was_never_public(graphql, world, unbounded_cost):
    query = """query ($since: String) {
      changes(since: $since, perPage: 100) { removed { kind id } hasMore }
    }"""
    removed = set()
    for since in (None, world["history_token"]):
        answer = graphql.data(query, {"since": since})["changes"]
        assert not answer["hasMore"]
        removed |= {(item["kind"], item["id"]) for item in answer["removed"]}
    assert not removed & world["never_public"], removed & world["never_public"]
