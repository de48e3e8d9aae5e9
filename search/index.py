"""Building and storing search entries from guides, hubs and FAQs."""

from django.db import connection
from django.utils.html import strip_tags
from wagtail.rich_text import get_text_for_indexing

from search.models import SearchEntry, SearchText

SEARCH_CONFIG = "english"
TEXT_FIELDS = ("highlights", "body")


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
            "expire_at": obj.expire_at,
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
    texts = {name: fields.pop(name) for name in TEXT_FIELDS}
    entry, _created = SearchEntry.objects.update_or_create(
        kind=kind, object_id=obj.pk, defaults=fields
    )
    SearchText.objects.update_or_create(entry=entry, defaults=texts)
    update_vectors([entry.pk])


def update_entries(objects):
    """Refresh the entries of many objects of one model at once (used by update_index)."""
    from django.db.models import prefetch_related_objects

    from guides.models import GuidePage

    objects = list(objects)
    guides = [obj for obj in objects if isinstance(obj, GuidePage)]
    if guides:
        prefetch_related_objects(guides, "category", "cancer_types", "audiences")
    entries, texts, stale = [], [], []
    for obj in objects:
        described = entry_fields(obj)
        if described is None:
            continue
        kind, fields = described
        stale.append((kind, obj.pk))
        if is_searchable(obj):
            texts.append({name: fields.pop(name) for name in TEXT_FIELDS})
            entries.append(SearchEntry(kind=kind, object_id=obj.pk, **fields))
    if not stale:
        return
    for kind in {kind for kind, _pk in stale}:
        ids = [pk for k, pk in stale if k == kind]
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
    created = SearchEntry.objects.bulk_create(entries, batch_size=500)
    SearchText.objects.bulk_create(
        [SearchText(entry=entry, **text) for entry, text in zip(created, texts, strict=True)],
        batch_size=500,
    )
    update_vectors([entry.pk for entry in created])


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


def update_vectors(entry_ids):
    """Compute the PostgreSQL full-text vectors of these entries (a no-op elsewhere)."""
    if connection.vendor != "postgresql" or not entry_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE search_searchentry AS entry SET
              document = setweight(to_tsvector(%(config)s, entry.title), 'A')
                      || setweight(to_tsvector(%(config)s, text.highlights), 'B')
                      || setweight(to_tsvector(%(config)s, text.body), 'C'),
              title_vector = to_tsvector(%(config)s, entry.title),
              highlights_vector = to_tsvector(%(config)s, text.highlights),
              -- type-ahead matches word prefixes as typed, without stemming
              suggest_vector = to_tsvector('simple', entry.title)
            FROM search_searchtext AS text
            WHERE text.entry_id = entry.id AND entry.id = ANY(%(ids)s)
            """,
            {"config": SEARCH_CONFIG, "ids": list(entry_ids)},
        )
