"""Root GraphQL queries for guides and hubs, and the prefetching that keeps a
list of guides at a fixed number of SQL queries however long it is."""

from collections import defaultdict

import graphene
from django.db.models import Prefetch
from graphql import GraphQLError
from grapple.registry import registry
from wagtail.blocks import StreamValue

from cms.graphql import paginate, paginated_list, single_page
from cms.preview import preview_or_lookup
from cms.rich_text import load_pages, page_link_ids
from cms.visibility import visible_pages
from guides.models import GuideFAQ, GuideIndexPage, GuidePage, RelatedGuide


def _guide_type():
    return registry.pages[GuidePage]


def _hub_type():
    return registry.pages[GuideIndexPage]


GuideList = paginated_list("GuideList", _guide_type, "A page of guides with pagination details.")


def guide_queryset():
    """Live, public guides with everything the API reads from them joined or prefetched."""
    return (
        visible_pages(GuidePage.objects.all())
        .select_related("category", "publisher", "hero_image", "reviewed_by", "author")
        .prefetch_related(
            "hero_image__renditions",
            "cancer_types",
            "audiences",
            "references",
            "change_log",
            Prefetch(
                "faq_placements",
                queryset=GuideFAQ.objects.select_related(
                    "faq", "faq__topic", "faq__reviewed_by", "faq__author"
                ).order_by("sort_order"),
            ),
            Prefetch(
                "related_guide_links",
                queryset=RelatedGuide.objects.select_related(
                    "guide", "guide__category", "guide__publisher", "guide__hero_image"
                ).order_by("sort_order"),
            ),
        )
    )


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


def prefetch_guides(guides):
    """Load, for a list of guides, what their fields read lazily: body blocks,
    hubs and the pages their rich text links to."""
    texts = []
    for guide in guides:
        texts += [guide.quick_answer, guide.disclaimer]
        texts += list(_strings([raw for raw in guide.body.raw_data if raw is not None]))
        texts += [placement.faq.answer for placement in guide.faq_placements.all()]
    load_pages(page_link_ids(texts))
    prefetch_stream_blocks([guide.body for guide in guides])
    parent_paths = {guide.path[: -GuidePage.steplen] for guide in guides}
    hubs = {hub.path: hub for hub in GuideIndexPage.objects.filter(path__in=parent_paths)}
    for guide in guides:
        guide._api_hub = hubs.get(guide.path[: -GuidePage.steplen])
    return guides


def filtered_guides(hub=None, category=None, cancer_type=None, audience=None):
    queryset = guide_queryset()
    if hub is not None:
        queryset = queryset.child_of(hub)
    if category:
        queryset = queryset.filter(category__slug=category)
    if cancer_type:
        queryset = queryset.filter(cancer_types__slug=cancer_type)
    if audience:
        queryset = queryset.filter(audiences__slug=audience)
    # Newest first as readers see it; ties broken by publishing time, then id.
    return queryset.distinct().order_by("-published_date", "-first_published_at", "-pk")


def guide_list(info, page=None, per_page=None, **filters):
    items, pagination = paginate(filtered_guides(**filters), page, per_page)
    return GuideList(items=prefetch_guides(items), pagination=pagination)


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
            if not str(hub).isdigit():
                raise GraphQLError(
                    "hub must be a hub's page id (a number).", extensions={"code": "BAD_USER_INPUT"}
                )
            hub_page = visible_pages(GuideIndexPage.objects.filter(pk=int(hub))).first()
            if hub_page is None:
                return GuideList(items=[], pagination=paginate([], 1, per_page)[1])
        return guide_list(info, hub=hub_page, page=page, per_page=per_page, **filters)

    def resolve_guide(self, info, id=None, slug=None, url_path=None, token=None):
        if token is not None:
            return preview_or_lookup(token, GuidePage, id=id, slug=slug, url_path=url_path)
        guide = single_page(guide_queryset(), id=id, slug=slug, url_path=url_path)
        return prefetch_guides([guide])[0] if guide else None

    def resolve_hub(self, info, id=None, slug=None, url_path=None):
        hubs = visible_pages(GuideIndexPage.objects.all())
        return single_page(hubs, id=id, slug=slug, url_path=url_path)

    def resolve_hubs(self, info):
        return list(visible_pages(GuideIndexPage.objects.all()).order_by("path"))
