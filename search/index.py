"""Building and storing search entries from guides, hubs and FAQs."""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.utils.html import strip_tags
from wagtail.rich_text import get_text_for_indexing

from search.models import SearchEntry

SEARCH_CONFIG = "english"


def _rich(text):
    return get_text_for_indexing(text or "")


def _join(*parts):
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _stream_text(stream):
    return _join(*(strip_tags(text) for text in stream.stream_block.get_searchable_content(stream)))


def entry_fields(obj):
    """The (kind, fields) of a search entry for `obj`, or None if it is not searchable."""
    from faqs.models import FAQ
    from guides.models import GuideIndexPage, GuidePage

    if isinstance(obj, GuidePage):
        return SearchEntry.GUIDE, {
            "title": obj.title,
            "highlights": _join(
                obj.standfirst,
                obj.summary,
                *(child.value for child in obj.key_highlights),
                *(child.value for child in obj.important_facts),
                _rich(obj.quick_answer),
            ),
            "body": _stream_text(obj.body),
            "url": obj.url or "",
            "path": obj.path,
            "expire_at": obj.expire_at,
            "published_date": obj.published_date,
            "category": obj.category.slug if obj.category_id else "",
            "cancer_types": " " + " ".join(t.slug for t in obj.cancer_types.all()) + " ",
            "audiences": " " + " ".join(a.slug for a in obj.audiences.all()) + " ",
        }
    if isinstance(obj, GuideIndexPage):
        return SearchEntry.HUB, {
            "title": obj.title,
            "highlights": _join(obj.eyebrow, obj.tagline),
            "body": _rich(obj.intro),
            "url": obj.url or "",
            "path": obj.path,
            "expire_at": obj.expire_at,
            "published_date": obj.last_published_at.date() if obj.last_published_at else None,
        }
    if isinstance(obj, FAQ):
        return SearchEntry.FAQ, {
            "title": obj.question,
            "highlights": "",
            "body": _rich(obj.answer),
            "published_date": obj.last_published_at.date() if obj.last_published_at else None,
        }
    return None


def is_searchable(obj):
    from wagtail.models import Page

    if isinstance(obj, Page):
        return obj.live and obj.depth > 1
    return getattr(obj, "live", False)


def update_entry(obj):
    """Add, refresh or remove the entry for one object, as its state says."""
    described = entry_fields(obj)
    if described is None:
        return
    kind, fields = described
    if not is_searchable(obj):
        SearchEntry.objects.filter(kind=kind, object_id=obj.pk).delete()
        return
    entry, _created = SearchEntry.objects.update_or_create(
        kind=kind, object_id=obj.pk, defaults=fields
    )
    update_vectors(SearchEntry.objects.filter(pk=entry.pk))


def remove_entry(obj):
    described = entry_fields_kind(obj)
    if described:
        SearchEntry.objects.filter(kind=described, object_id=obj.pk).delete()


def entry_fields_kind(obj):
    from faqs.models import FAQ
    from guides.models import GuideIndexPage, GuidePage

    for model, kind in (
        (GuidePage, SearchEntry.GUIDE),
        (GuideIndexPage, SearchEntry.HUB),
        (FAQ, SearchEntry.FAQ),
    ):
        if isinstance(obj, model):
            return kind
    return None


def update_vectors(entries):
    """Compute the PostgreSQL full-text vectors for these entries (a no-op elsewhere)."""
    if connection.vendor != "postgresql":
        return
    title = SearchVector("title", weight="A", config=SEARCH_CONFIG)
    highlights = SearchVector("highlights", weight="B", config=SEARCH_CONFIG)
    body = SearchVector("body", weight="C", config=SEARCH_CONFIG)
    entries.update(
        document=title + highlights + body,
        title_vector=SearchVector("title", config=SEARCH_CONFIG),
        highlights_vector=SearchVector("highlights", config=SEARCH_CONFIG),
        # Type-ahead matches word prefixes as typed, without stemming.
        suggest_vector=SearchVector("title", config="simple"),
    )
