"""Rich text page links for the API: only pages the public can read get an
address, and every link in a list of guides is looked up in one query."""

import re
from contextvars import ContextVar

from django.utils.html import escape
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from cms import cache_tags
from cms.visibility import visible_pages

# page id (str) -> visible Page or None, for the request being answered.
_link_cache: ContextVar[dict | None] = ContextVar("rich_text_page_links", default=None)

_ANCHOR = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_PAGE_LINK = re.compile(r'\blinktype="page"')
_ID = re.compile(r'\bid="(\d+)"')


def page_link_ids(texts):
    """Ids of pages linked from these stored rich text strings."""
    ids = set()
    for text in texts:
        for tag in _ANCHOR.findall(text or ""):
            if _PAGE_LINK.search(tag) and (found := _ID.search(tag)):
                ids.add(found.group(1))
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
    missing = [str(id_) for id_ in ids if str(id_) not in cache]
    if missing:
        found = {
            str(page.pk): page
            for page in visible_pages(Page.objects.filter(pk__in=missing).order_by())
        }
        for id_ in missing:
            cache[id_] = found.get(id_)
    return cache


class PublicPageLinkHandler(PageLinkHandler):
    """A link to a draft, restricted or expired page keeps its text but loses
    its address, so the API never reveals where unpublished pages live."""

    @classmethod
    def get_many(cls, attrs_list):
        ids = [str(attrs.get("id")) for attrs in attrs_list]
        pages = load_pages(ids)
        return [pages.get(id_) for id_ in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        return [
            f'<a href="{escape(page.url)}">' if page else "<a>" for page in cls.get_many(attrs_list)
        ]
