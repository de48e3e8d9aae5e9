"""Root GraphQL queries for guides and hubs, and the prefetching that keeps a
list of guides at a fixed number of SQL queries however long it is."""

from collections import defaultdict
from functools import reduce
from operator import or_

import graphene
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber, Substr
from grapple.registry import registry
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.caching import cache_tags
from cms.graphql.fields import (
    page_id,
    page_number,
    page_size,
    paginate,
    paginated_list,
    pagination,
    single_page,
)
from cms.graphql.reader_columns import unread_columns, unselected_columns
from cms.graphql.selection import EVERYTHING, Selection
from cms.publishing.preview import preview_or_lookup
from cms.rich_text.links import load_pages, page_link_ids
from cms.visibility import visible_pages
from faqs import blocks as faq_blocks
from faqs.models import FAQ
from guides.models import GuideFAQ, GuideIndexPage, GuidePage, RelatedGuide


def _guide_type():
    return registry.pages[GuidePage]


def _hub_type():
    return registry.pages[GuideIndexPage]


GuideList = paginated_list("GuideList", _guide_type, "A page of guides with pagination details.")


# What each guide field reads from the database, so that a query loads only
# what it selects. `jsonLd` is built from several of them.
_JOINED = {
    "category": ("category",),
    "publisher": ("publisher", "jsonLd"),
    "hero_image": ("heroImage",),
    "reviewed_by": ("reviewedBy", "jsonLd"),
    "author": ("author", "jsonLd"),
    "author_organisation": ("authorOrganisation", "jsonLd"),
}
_PREFETCHED = {
    "hero_image__renditions": ("heroImage",),
    "cancer_types": ("cancerTypes", "jsonLd"),
    "audiences": ("audiences", "jsonLd"),
    "references": ("references", "jsonLd"),
    "change_log": ("changeLog",),
}


def _selects(selection, fields):
    return any(field in selection for field in fields)


class _SortedInPython(QuerySet):
    """Orderable rows (links, placements) sorted by sort_order in Python once
    read, not by an ORDER BY: Django compiles that by hashing every selected
    column (SQLCompiler._order_by_pairs), which for joins of 35 to 70 columns
    costs more than sorting a guide's few rows. Give it no ordering of its own."""

    def _fetch_all(self):
        unsorted = self._result_cache is None
        super()._fetch_all()
        if unsorted:
            self._result_cache.sort(key=lambda row: (row.sort_order, row.pk))


def guide_queryset(selection=EVERYTHING, with_related=True, visible_only=True):
    """Live, public guides with what `selection` (the guide fields a GraphQL
    query selects; by default all of them) reads joined or prefetched; with
    `with_related`, their related guides the same way, one level deep. A list
    of guides then costs the same number of queries however long it is.
    Without `visible_only`, every guide: for relations, whose members the
    resolver checks one by one (and records, hidden too, as cache tags)."""
    joined, lookups, deferred = _loading(selection)
    if with_related and "relatedGuides" in selection:
        related_joined, related_lookups, related_deferred = _loading(
            selection["relatedGuides"], prefix="guide__"
        )
        # The linked guides are joined to their links (one query, not a second
        # one for the guides), hidden ones too: they are left out by
        # `api_related_guides`, and the answer must know about them, since
        # publishing one changes it.
        lookups.append(
            Prefetch(
                "related_guide_links",
                queryset=_SortedInPython(RelatedGuide)
                .select_related("guide", *related_joined)
                .defer(*related_deferred)
                .prefetch_related(*related_lookups)
                .order_by(),
            )
        )
    guides = visible_pages(GuidePage.objects.all()) if visible_only else GuidePage.objects.all()
    return guides.select_related(*joined).defer(*deferred).prefetch_related(*lookups)


def _loading(selection, prefix=""):
    """(relations to join, lookups to prefetch, columns to defer) for the guide
    fields `selection` reads, each path starting with `prefix`."""
    joined = [prefix + name for name, fields in _JOINED.items() if _selects(selection, fields)]
    lookups = [prefix + name for name, fields in _PREFETCHED.items() if _selects(selection, fields)]
    deferred = unread_columns(GuidePage, prefix) + unselected_columns(GuidePage, selection, prefix)
    if "heroImage" in selection:
        deferred += unread_columns(get_image_model(), prefix + "hero_image__")
        if "placeholder" in selection["heroImage"]:
            joined.append(prefix + "hero_image__placeholder")
    if _selects(selection, ("faqs", "jsonLd")):
        # An FAQ's people are joined only when the query asks for them: each
        # join is a dozen more columns for Django to compile and read.
        people = [
            f"faq__{name}"
            for name, field in (("reviewed_by", "reviewedBy"), ("author", "author"))
            if field in selection["faqs"]
        ]
        lookups.append(
            Prefetch(
                prefix + "faq_placements",
                queryset=_SortedInPython(GuideFAQ)
                .select_related("faq", "faq__topic", *people)
                .defer(*unread_columns(FAQ, prefix="faq__"))
                .order_by(),
            )
        )
    return joined, lookups, deferred


def prefetch_stream_blocks(stream_values):
    """Turn the raw blocks of many StreamValues into values together: one
    `bulk_to_python` call per block type for all pages, instead of one per page."""
    pending = defaultdict(list)
    for stream in stream_values:
        for index, raw in enumerate(stream._raw_data):
            if stream._bound_blocks[index] is None and raw is not None:
                # Blocks are not hashable; every stream of one field shares its block.
                pending[(id(stream.stream_block), raw["type"])].append((stream, index, raw))
    for (_block_id, type_name), items in pending.items():
        child_block = items[0][0].stream_block.child_blocks.get(type_name)
        if child_block is None:
            continue  # a block type removed from the code; Wagtail skips it too
        values = child_block.bulk_to_python([raw["value"] for _stream, _index, raw in items])
        for (stream, index, raw), value in zip(items, values, strict=True):
            stream._bound_blocks[index] = StreamValue.StreamChild(
                child_block, value, id=raw.get("id")
            )


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def specific_chosen_pages(stream_values):
    """Pages chosen in blocks (e.g. a call to action's page) come from the
    chooser as plain pages; swap them for their specific pages in bulk."""
    found = []
    for stream in stream_values:
        for child in stream:
            if isinstance(child.value, StructValue):
                found += [
                    (child.value, name)
                    for name, value in child.value.items()
                    if type(value) is Page
                ]
    if found:
        specific = Page.objects.filter(pk__in={v[name].pk for v, name in found}).specific()
        pages = {page.pk: page for page in specific}
        for struct_value, name in found:
            struct_value[name] = pages.get(struct_value[name].pk, struct_value[name])


def _prefetch_body_faq_people(stream_values, selection):
    """The reviewer and author of the FAQs chosen in blocks, in one query each,
    when the query asks for them (the blocks load FAQs with their topic only)."""
    people = [
        name
        for name, field in (("reviewed_by", "reviewedBy"), ("author", "author"))
        if field in selection
    ]
    if not people:
        return
    faqs = [
        item
        for stream in stream_values
        for child in stream
        if isinstance(child.value, StructValue)
        for value in child.value.values()
        if isinstance(value, ListValue)
        for item in value
        if isinstance(item, FAQ)
    ]
    prefetch_related_objects(faqs, *people)


def prefetch_guides(guides, selection=EVERYTHING):
    """Load, for a list of guides and the guides they relate to, what their
    selected fields read lazily: body blocks, hubs and the pages their rich
    text links to."""
    related = [
        link.visible_guide_or_none
        for guide in guides
        if "related_guide_links" in getattr(guide, "_prefetched_objects_cache", {})
        for link in guide.related_guide_links.all()
        if link.visible_guide_or_none is not None
    ]
    texts = _prefetch_fields(guides, selection)
    texts += _prefetch_fields(related, selection["relatedGuides"])
    load_pages(page_link_ids(texts))
    return guides


def _prefetch_fields(guides, selection):
    """Prepare body blocks and hubs; return the rich texts whose page links to load."""
    texts = []
    for guide in guides:
        # A field's tree links to the same pages as its HTML.
        if "quickAnswer" in selection or "quickAnswerTree" in selection:
            texts.append(guide.quick_answer)
        if "disclaimer" in selection or "disclaimerTree" in selection:
            texts.append(guide.disclaimer)
        if "body" in selection:
            texts += _strings([raw for raw in guide.body.raw_data if raw is not None])
        if "faqs" in selection:
            texts += [placement.faq.answer for placement in guide.faq_placements.all()]
    if "body" in selection:
        with faq_blocks.reusing(_placed_faqs(guides)):
            prefetch_stream_blocks([guide.body for guide in guides])
        specific_chosen_pages([guide.body for guide in guides])
        _prefetch_body_faq_people([guide.body for guide in guides], selection["body"]["faqs"])
    if "hub" in selection:
        parent_paths = {guide.path[: -GuidePage.steplen] for guide in guides}
        hubs = {hub.path: hub for hub in GuideIndexPage.objects.filter(path__in=parent_paths)}
        for guide in guides:
            guide._api_hub = hubs.get(guide.path[: -GuidePage.steplen])
    return texts


def _placed_faqs(guides):
    """The FAQs of the guides' FAQ sections, where they were prefetched."""
    return [
        placement.faq
        for guide in guides
        if "faq_placements" in getattr(guide, "_prefetched_objects_cache", {})
        for placement in guide.faq_placements.all()
    ]


def filtered_guides(hub=None, category=None, cancer_type=None, audience=None, selection=EVERYTHING):
    queryset = guide_queryset(selection)
    if hub is not None:
        queryset = queryset.child_of(hub)
    if category:
        queryset = queryset.filter(category__slug=category)
    # Label filters test for a link instead of joining and de-duplicating:
    # DISTINCT over every column made counting a page of guides several times dearer.
    if cancer_type:
        through = GuidePage.cancer_types.through
        queryset = queryset.filter(
            Exists(through.objects.filter(guidepage=OuterRef("pk"), cancertype__slug=cancer_type))
        )
    if audience:
        through = GuidePage.audiences.through
        queryset = queryset.filter(
            Exists(through.objects.filter(guidepage=OuterRef("pk"), audience__slug=audience))
        )
    # Newest first as readers see it; ties broken by publishing time, then id.
    return queryset.order_by(*NEWEST_FIRST)


NEWEST_FIRST = ("-published_date", "-first_published_at", "-pk")


def live_guide_pages():
    """The page rows of the guides the public may read, without the guides'
    own rows: what counting them needs. The index of live pages by type and
    path (guides migration 0015) holds every column the visibility rules
    read, so PostgreSQL counts them from the index alone, where the guides
    joined with their pages had it read and hash every row of both."""
    guide_type = ContentType.objects.get_for_model(GuidePage)
    # The list these count records the guides' collection; the count reads
    # the same pages, so it adds no cache tags of its own.
    with cache_tags.relation():
        return visible_pages(Page.objects.filter(content_type=guide_type))


def guide_list(info, page=None, per_page=None, hub=None, **filters):
    if hub is not None and not filters and getattr(hub, "_api_hub_batch", None):
        return _batched_hub_guides(hub, page, per_page, Selection.of(info, "items"))
    selection = Selection.of(info, "items")
    guides = filtered_guides(hub, selection=selection, **filters)
    if any(filters.values()):
        items, pagination = paginate(guides, page, per_page)
    else:
        pages = live_guide_pages()
        total = (pages if hub is None else pages.child_of(hub)).count()
        items, pagination = _page_of(guides, total, page, per_page)
    return GuideList(items=prefetch_guides(items, selection), pagination=pagination)


def _page_of(queryset, total, page, per_page):
    """(items, pagination) of one page of `queryset`, which holds `total`
    items, as `paginate` gives them (a page past the end is empty)."""
    per_page, page = page_size(per_page), page_number(page)
    start = (page - 1) * per_page
    items = list(queryset[start : start + per_page]) if start < total or page == 1 else []
    return items, pagination(total, len(items), page, per_page)


def hub_list(hubs):
    """A list of hubs for the API. When several of them list their guides, the
    guides of every hub are loaded together: a page of each in one query."""
    hubs = list(hubs)
    load_pages(page_link_ids(hub.intro for hub in hubs))
    for hub in hubs:
        hub._api_hub_batch = hubs
    return hubs


def _batched_hub_guides(hub, page, per_page, selection):
    per_page, page = page_size(per_page), page_number(page)
    if (page, per_page) not in getattr(hub, "_api_hub_guides", {}):
        _load_hub_guides(hub._api_hub_batch, page, per_page, selection)
    return hub._api_hub_guides[(page, per_page)]


def _load_hub_guides(hubs, page, per_page, selection):
    """One page of guides for each hub: one query counts them, one (numbering
    each hub's guides newest first) fetches the page of every hub."""
    guides_by_hub, totals = {}, {}
    for depth in {hub.depth for hub in hubs}:
        paths = [hub.path for hub in hubs if hub.depth == depth]
        # Path prefixes, not a computed column: the path index finds each hub's
        # guides, so a hub of thousands costs what a hub of ten does.
        under = reduce(or_, (Q(path__startswith=path) for path in paths))
        hub_path = Substr("path", 1, depth * GuidePage.steplen)
        in_hubs = visible_pages(GuidePage.objects.all()).filter(under, depth=depth + 1)
        totals.update(
            live_guide_pages()
            .filter(under, depth=depth + 1)
            .order_by()
            .annotate(hub_path=hub_path)
            .values_list("hub_path")
            .annotate(total=Count("pk"))
        )
        if len(paths) == 1:  # one hub (the usual `hub(...)`): a plain page of it
            start = (page - 1) * per_page
            # The page's ids from narrow rows in index order (a subquery), then
            # their full rows: sorting thousands of whole guides would cost more.
            ids = in_hubs.order_by(*NEWEST_FIRST).values("pk")[start : start + per_page]
            found = list(
                guide_queryset(selection)
                .filter(pk__in=ids)
                .annotate(hub_path=hub_path)
                .order_by(*NEWEST_FIRST)
            )
        else:
            found = list(
                guide_queryset(selection)
                .filter(under, depth=depth + 1)
                .annotate(
                    hub_path=hub_path,
                    position=Window(RowNumber(), partition_by=F("hub_path"), order_by=NEWEST_FIRST),
                )
                .filter(position__gt=(page - 1) * per_page, position__lte=page * per_page)
                .order_by("position")
            )
        for guide in prefetch_guides(found, selection):
            guides_by_hub.setdefault(guide.hub_path, []).append(guide)
    for hub in hubs:
        items = guides_by_hub.get(hub.path, [])
        if not hasattr(hub, "_api_hub_guides"):
            hub._api_hub_guides = {}
        hub._api_hub_guides[(page, per_page)] = GuideList(
            items=items, pagination=pagination(totals.get(hub.path, 0), len(items), page, per_page)
        )


class GuideQueries(graphene.ObjectType):
    guides = graphene.Field(
        GuideList,
        page=graphene.Int(description="1-based page number."),
        per_page=graphene.Int(description="Guides per page, at most the configured maximum."),
        category=graphene.String(description="Guide category slug, e.g. 'decision-guide'."),
        cancer_type=graphene.String(description="Cancer type slug, e.g. 'lymphoma'."),
        audience=graphene.String(description="Audience slug, e.g. 'caregivers'."),
        hub=graphene.ID(description="Only guides in this hub (its page id)."),
        description="Live guides, newest first, with filters and pagination. "
        "Null, with an error beside it, when an argument is out of range.",
    )
    guide = graphene.Field(
        _guide_type,
        id=graphene.ID(),
        slug=graphene.String(),
        url_path=graphene.String(
            description="The guide's path, e.g. '/second-opinion/asking-for-a-second-opinion/'."
        ),
        token=graphene.String(
            description="A preview token from the admin: returns that unpublished draft instead."
        ),
        description="One live guide, by id, slug or urlPath; or a draft, by preview token.",
    )
    hub = graphene.Field(
        _hub_type,
        id=graphene.ID(),
        slug=graphene.String(),
        url_path=graphene.String(),
        description="One live guide hub with its guides.",
    )
    hubs = graphene.List(
        graphene.NonNull(_hub_type),
        required=True,
        description="Every live guide hub, in menu order.",
    )

    def resolve_guides(self, info, hub=None, page=None, per_page=None, **filters):
        hub_page = None
        if hub is not None:
            hub_id = page_id(hub, name="hub", what="a hub's page id (a number)")
            hub_page = visible_pages(GuideIndexPage.objects.filter(pk=hub_id)).first()
            if hub_page is None:
                return GuideList(items=[], pagination=paginate([], 1, per_page)[1])
        return guide_list(info, hub=hub_page, page=page, per_page=per_page, **filters)

    def resolve_guide(self, info, id=None, slug=None, url_path=None, token=None):
        if token is not None:
            return preview_or_lookup(token, GuidePage, id=id, slug=slug, url_path=url_path)
        selection = Selection.of(info)
        guide = single_page(lambda: guide_queryset(selection), id=id, slug=slug, url_path=url_path)
        return prefetch_guides([guide], selection)[0] if guide else None

    def resolve_hub(self, info, id=None, slug=None, url_path=None):
        return single_page(hub_queryset, id=id, slug=slug, url_path=url_path)

    def resolve_hubs(self, info):
        return hub_list(hub_queryset().order_by("path"))


def hub_queryset():
    """Live, public hubs with the page of their call to action joined."""
    return visible_pages(GuideIndexPage.objects.all()).select_related("cta_page")


# The hub's `guides` field lists through this module (see GuideIndexPage).
GuideIndexPage.guide_list_type = GuideList
GuideIndexPage.list_guides = staticmethod(guide_list)
