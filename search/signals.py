"""What Wagtail's save and delete signals do not cover for search entries."""

from wagtail.models import Page

from search import index


def reindex_moved_pages(sender, instance, **kwargs):
    """A move rewrites descendants' addresses without saving them: refresh them all."""
    for page in Page.objects.descendant_of(instance, inclusive=True).specific():
        index.update_entry(page)


def reindex_page(sender, instance, **kwargs):
    index.update_entry(instance.specific)


def reindex_snippet(sender, instance, **kwargs):
    index.update_entry(instance)
