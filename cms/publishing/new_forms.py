"""Admin create views that do not autosave.

Wagtail autosaves a form as the editor types; on a create form the first
autosave makes the page or snippet, so a form the editor abandons without
saving leaves a draft behind that nobody asked for. A new guide or FAQ is
created when the editor saves it; once it exists, its edit form autosaves as
usual."""

from wagtail.admin.views.pages.create import CreateView as PageCreateView


class NotAutosaved:
    """Turns Wagtail's autosave off for this view, whatever the setting says
    (the view sets `autosave_enabled` from WAGTAIL_AUTOSAVE_INTERVAL)."""

    @property
    def autosave_enabled(self):
        return False

    @autosave_enabled.setter
    def autosave_enabled(self, value):
        pass

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Wagtail's page create view shows the "saved" indicator even without autosave.
        context.pop("autosave_indicator", None)
        return context


class NewPageView(NotAutosaved, PageCreateView):
    pass
