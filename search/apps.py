from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search for patients. grapple's root `search` is not exposed: it
    returns drafts and private pages (see cms/schema.py)."""

    name = "search"
