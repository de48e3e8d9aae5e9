"""Wagtail search backend that keeps `SearchEntry` in step with the content.

Registered in WAGTAILSEARCH_BACKENDS as "patient_search": Wagtail calls it on
every save and delete of an indexed model (publish, unpublish, move, delete,
a snippet's publish), and `manage.py update_index` rebuilds it from scratch.
Searching goes through `search.engine`, not through this backend.
"""

from modelsearch.backends.base import BaseIndex, BaseSearchBackend

from search import index
from search.models import SearchEntry


class PatientSearchIndex(BaseIndex):
    def get_key(self):
        return "patient_search"

    def add_model(self, model):
        pass

    def refresh(self):
        pass

    def reset(self):
        SearchEntry.objects.all().delete()

    def add_item(self, obj):
        index.update_entry(obj)

    def add_items(self, model, items):
        index.update_entries(items)

    def delete_item(self, item):
        index.remove_entry(item)

    def __str__(self):
        return "patient search entries"


class PatientSearchRebuilder:
    def __init__(self, index):
        self.index = index

    def start(self):
        self.index.reset()
        return self.index

    def finish(self):
        pass


class PatientSearchBackend(BaseSearchBackend):
    index_class = PatientSearchIndex
    rebuilder_class = PatientSearchRebuilder
    catch_indexing_errors = False

    def search(self, *args, **kwargs):
        raise NotImplementedError("Search patient content with search.engine.search().")

    autocomplete = search
