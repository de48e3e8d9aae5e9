"""Rich text links and embeds for the API: only pages, images and documents
the public can read get an address, and every link in a list of guides is
looked up in one query. cms/rich_text/public_html.py renders and sanitises with these."""

import re
from contextvars import ContextVar

from django.utils.html import escape
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.images.formats import FORMATS_BY_NAME, search_for_image_formats
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from cms.caching import cache_tags
from cms.ids import stored_id
from cms.visibility import is_visible, visible_pages

# page id (str) -> visible Page or None, for the request being answered.
_link_cache: ContextVar[dict | None] = ContextVar("rich_text_page_links", default=None)

_ANCHOR = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_PAGE_LINK = re.compile(r'\blinktype="page"')
_ID = re.compile(r'\bid="([^"]*)"')


def page_link_ids(texts):
    """Ids of pages linked from these stored rich text strings."""
    ids = set()
    for text in texts:
        for tag in _ANCHOR.findall(text or ""):
            found = _PAGE_LINK.search(tag) and _ID.search(tag)
            if found and (id_ := stored_id(found.group(1))):
                ids.add(id_)
    return ids


def start_request_cache():
    return _link_cache.set({})


def end_request_cache(token):
    _link_cache.reset(token)


def load_pages(ids):
    """Look up these linked pages in one query and remember them for the request."""
    cache_tags.record_page_ids(ids)  # a hidden page that comes back changes the link
    cache = _link_cache.get()
    if cache is None:
        cache = {}
    missing = [str(id_) for id_ in ids if id_ is not None and str(id_) not in cache]
    if missing:
        found = {
            str(page.pk): page
            for page in visible_pages(Page.objects.filter(pk__in=missing).order_by())
        }
        for id_ in missing:
            cache[id_] = found.get(id_)
    return cache


class StoredIdsMixin:
    """Wagtail's handlers look ids up as they are stored, so one link or
    embed with a missing, non-numeric or out-of-range id (hand-edited,
    imported or hostile HTML) fails the whole answer. Such an entity resolves
    to nothing instead, as a deleted one does."""

    @classmethod
    def get_many(cls, attrs_list):
        ids = [stored_id(attrs.get("id")) for attrs in attrs_list]
        valid = [{**attrs, "id": id_} for attrs, id_ in zip(attrs_list, ids, strict=True) if id_]
        found = iter(super().get_many(valid))
        return [next(found) if id_ else None for id_ in ids]

    @classmethod
    def extract_references(cls, attrs):
        # For the reference index ("Used N times"), which a bad id would stop.
        if id_ := stored_id(attrs.get("id")):
            yield from super().extract_references({**attrs, "id": id_})


class PublicPageLinkHandler(StoredIdsMixin, PageLinkHandler):
    """A link to a draft, restricted or expired page keeps its text but loses
    its address, so the API never reveals where unpublished pages live."""

    @classmethod
    def get_many(cls, attrs_list):
        ids = [stored_id(attrs.get("id")) for attrs in attrs_list]
        pages = load_pages([id_ for id_ in ids if id_])
        return [pages.get(id_) for id_ in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        return [
            f'<a href="{escape(page.url)}">' if page else "<a>" for page in cls.get_many(attrs_list)
        ]


class PublicOnlyMixin:
    """An image or document in a collection behind a view restriction (a
    password, a login) resolves to nothing, as a deleted one does: the link
    keeps its words, the embed its empty placeholder, and neither its file's
    address (cms.visibility.is_visible, the gate of every output)."""

    @classmethod
    def get_many(cls, attrs_list):
        return [
            obj if obj is not None and is_visible(obj) else None
            for obj in super().get_many(attrs_list)
        ]


class DocumentLinks(PublicOnlyMixin, StoredIdsMixin, DocumentLinkHandler):
    pass


class ImageEmbeds(PublicOnlyMixin, StoredIdsMixin, ImageEmbedHandler):
    """Also an image without a known format gets the default one."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        search_for_image_formats()
        return super().expand_db_attributes_many(
            [
                attrs
                if attrs.get("format") in FORMATS_BY_NAME
                else {**attrs, "format": "fullwidth"}
                for attrs in attrs_list
            ]
        )
