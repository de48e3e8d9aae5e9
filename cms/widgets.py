"""Admin form widgets shared by the apps."""

from django import forms


class FilterableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """A list of labelled checkboxes with a box to type in that hides the choices
    that do not match (cms/static/cms/admin/editing.js). Without JavaScript it is
    a plain checkbox list: every choice is a native, labelled checkbox that the
    keyboard reaches with Tab and ticks with Space, unlike Ctrl-click in a
    <select multiple>."""

    template_name = "cms/widgets/filterable_checkboxes.html"

    def __init__(self, *args, filter_label="Filter the choices", **kwargs):
        super().__init__(*args, **kwargs)
        self.filter_label = filter_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["filter_label"] = self.filter_label
        return context
