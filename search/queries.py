"""The GraphQL `search` and `searchSuggestions` queries."""

import graphene
from django.conf import settings
from graphql import GraphQLError
from grapple.registry import registry

from cms.graphql.limits import costs
from cms.graphql.selection import Selection
from cms.visibility import visible_objects
from search import engine
from search.models import SearchEntry

MAX_PAGE = 100


class SearchKind(graphene.Enum):
    GUIDE = SearchEntry.GUIDE
    FAQ = SearchEntry.FAQ
    HUB = SearchEntry.HUB


def _page_type(label):
    from django.apps import apps

    return lambda: registry.pages[apps.get_model(label)]


class TextRange(graphene.ObjectType):
    """Where a match is in a plain text, for apps that style it themselves."""

    start = graphene.Int(required=True)
    end = graphene.Int(required=True)


class SearchResult(graphene.ObjectType):
    kind = graphene.Field(SearchKind, required=True)
    title = graphene.String(required=True)
    url = graphene.String(description="Page address for guides and hubs; empty for FAQs.")
    excerpt = graphene.String(
        required=True,
        description="A passage around the match, HTML-escaped, matched words wrapped in <mark>.",
    )
    excerpt_text = graphene.String(required=True)
    matches = graphene.List(graphene.NonNull(TextRange), required=True)
    score = graphene.Float(required=True, description="Higher is more relevant.")
    promoted = graphene.Boolean(required=True, description="Pinned by editors for this query.")
    guide = graphene.Field(_page_type("guides.GuidePage"))
    hub = graphene.Field(_page_type("guides.GuideIndexPage"))
    faq = graphene.Field(lambda: registry.snippets[_faq_model()])


def _faq_model():
    from faqs.models import FAQ

    return FAQ


class SearchResults(graphene.ObjectType):
    total = graphene.Int(required=True)
    total_is_exact = graphene.Boolean(required=True)
    page = graphene.Int(required=True)
    per_page = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(SearchResult), required=True)


class SearchSuggestion(graphene.ObjectType):
    text = graphene.String(required=True)
    kind = graphene.Field(SearchKind, required=True)
    url = graphene.String()


def _bad_input(message):
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


def _load_objects(hits, selected):
    """The live guide, hub or FAQ behind each hit, a query per kind."""
    from faqs.models import FAQ
    from faqs.queries import prefetch_faqs
    from guides.queries import guide_queryset, hub_list, hub_queryset, prefetch_guides

    ids = {
        kind: [hit.object_id for hit in hits if hit.kind == kind]
        for kind, _ in SearchEntry.KIND_CHOICES
    }
    objects = {}
    if ids[SearchEntry.GUIDE]:
        wanted = selected["guide"]
        guides = guide_queryset(wanted).filter(pk__in=ids[SearchEntry.GUIDE])
        guides = prefetch_guides(list(guides), wanted)
        objects.update({(SearchEntry.GUIDE, g.pk): g for g in guides})
    if ids[SearchEntry.HUB]:
        hubs = hub_list(hub_queryset().filter(pk__in=ids[SearchEntry.HUB]))
        objects.update({(SearchEntry.HUB, h.pk): h for h in hubs})
    if ids[SearchEntry.FAQ]:
        faqs = visible_objects(FAQ.objects.filter(pk__in=ids[SearchEntry.FAQ])).select_related(
            "topic", "reviewed_by", "author"
        )
        objects.update({(SearchEntry.FAQ, f.pk): f for f in prefetch_faqs(list(faqs))})
    return objects


class SearchQueries(graphene.ObjectType):
    search = graphene.Field(
        SearchResults,
        query=graphene.String(required=True, description="What the reader typed."),
        kinds=graphene.List(
            graphene.NonNull(SearchKind), description="Only these kinds of result."
        ),
        category=graphene.String(description="Guide category slug (guides only)."),
        cancer_type=graphene.String(description="Cancer type slug (guides only)."),
        audience=graphene.String(description="Audience slug (guides only)."),
        page=graphene.Int(description="1-based page number."),
        per_page=graphene.Int(description="Results per page."),
        description="Live guides, hubs and published FAQs matching the query, most relevant first.",
    )
    search_suggestions = graphene.List(
        graphene.NonNull(SearchSuggestion),
        prefix=graphene.String(required=True),
        limit=graphene.Int(description="At most 20."),
        description="Guide titles and FAQ questions for type-ahead, as the reader types.",
    )

    # What one call costs (cms/graphql/limits.py, units of about 10 µs): a
    # search ranks the whole index and excerpts its page, 30-50 ms on the demo
    # content whatever the page size.
    @costs(5_000)
    def resolve_search(self, info, query, kinds=None, page=None, per_page=None, **filters):
        page = 1 if page is None else page
        per_page = settings.SEARCH_DEFAULT_PAGE_SIZE if per_page is None else per_page
        if not 1 <= page <= MAX_PAGE:
            raise _bad_input(f"page must be between 1 and {MAX_PAGE}.")
        if not 1 <= per_page <= settings.SEARCH_MAX_PAGE_SIZE:
            raise _bad_input(f"perPage must be between 1 and {settings.SEARCH_MAX_PAGE_SIZE}.")
        kinds = [kind.value if hasattr(kind, "value") else kind for kind in kinds or []]
        try:
            results = engine.search(query, kinds=kinds, page=page, per_page=per_page, **filters)
        except engine.SearchInputError as error:
            raise _bad_input(str(error)) from error
        # The typed objects cost a few queries; load them only when asked for.
        selected = Selection.of(info, "items")
        wanted = selected.names() & {"guide", "faq", "hub"}
        objects = _load_objects(results.hits, selected) if wanted else {}
        items = [
            SearchResult(
                kind=hit.kind,
                title=hit.title,
                url=hit.url or None,
                excerpt=hit.excerpt.html,
                excerpt_text=hit.excerpt.text,
                matches=[TextRange(start=start, end=end) for start, end in hit.excerpt.matches],
                score=hit.score,
                promoted=hit.promoted,
                **{hit.kind: objects.get((hit.kind, hit.object_id))},
            )
            for hit in results.hits
        ]
        return SearchResults(
            total=results.total,
            total_is_exact=results.total_is_exact,
            page=page,
            per_page=per_page,
            items=items,
        )

    # One or two index scans, about 13 ms.
    @costs(1_500)
    def resolve_search_suggestions(self, info, prefix, limit=None):
        limit = 8 if limit is None else limit
        if not 1 <= limit <= 20:
            raise _bad_input("limit must be between 1 and 20.")
        try:
            entries = engine.suggestions(prefix, limit=limit)
        except engine.SearchInputError as error:
            raise _bad_input(str(error)) from error
        return [SearchSuggestion(text=e.title, kind=e.kind, url=e.url or None) for e in entries]
