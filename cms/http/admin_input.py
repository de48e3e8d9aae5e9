"""Malformed admin input is a form error or a 4xx, never a 500.

Wagtail's admin trusts parts of what the browser posts:
- StreamBlock and ListBlock read their `<prefix>-count`, `-deleted` and
  `-type` keys without checking them, and Draftail reads its field as JSON:
  a POST without them (a button posted alone, such as "Cancel workflow") or
  with nonsense in them raised KeyError, ValueError or JSONDecodeError in
  every admin form with a StreamField or rich text. The form fields below,
  registered for every StreamField and RichTextField of the admin's model
  forms (pages and snippets alike), make that a validation error on the
  field; the form is shown again with the saved content.
- Copying a page reads `new_parent_page` from the POST before its form
  does: missing, not a number or no such page is answered 400 here.
- A chooser widget (page, image, snippet) shown again with the posted value
  looks that value up as a primary key and only expects "no such object":
  a value that is no number raised ValueError while rendering the form's
  errors. It is no object too (`_chooser_instance`).
- A snippet chooser offers no "create" tab unless its viewset names a form,
  yet its create route answers a POST by calling a form that is None
  (`chooser_creation_or_404`, routed in cms/urls.py).
"""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.blocks.base import BlockField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

# What a widget hands its field when the POST could not be read.
MALFORMED = object()
_READ_ERRORS = (KeyError, ValueError, TypeError, IndexError)
_checked_widget_classes = {}


def _checked_widget_class(widget_class):
    if widget_class not in _checked_widget_classes:

        def value_from_datadict(self, data, files, name):
            try:
                return super(checked, self).value_from_datadict(data, files, name)
            except _READ_ERRORS:
                return MALFORMED

        checked = type(
            f"Checked{widget_class.__name__}",
            (widget_class,),
            {"value_from_datadict": value_from_datadict},
        )
        _checked_widget_classes[widget_class] = checked
    return _checked_widget_classes[widget_class]


class MalformedInputIsAnError:
    """A form field whose widget's unreadable input is a validation error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.__class__ = _checked_widget_class(type(self.widget))

    def clean(self, value):
        if value is MALFORMED:
            raise ValidationError(
                "This content did not arrive complete. Reload the page and try again.",
                code="malformed",
            )
        return super().clean(value)

    def bound_data(self, data, initial):
        return initial if data is MALFORMED else super().bound_data(data, initial)

    def has_changed(self, initial, data):
        return data is MALFORMED or super().has_changed(initial, data)


class CheckedBlockField(MalformedInputIsAnError, BlockField):
    pass


class CheckedRichTextField(MalformedInputIsAnError, forms.CharField):
    pass


register_form_field_override(StreamField, override={"form_class": CheckedBlockField})
register_form_field_override(RichTextField, override={"form_class": CheckedRichTextField})


_get_instance = BaseChooser.get_instance


def _chooser_instance(self, value):
    try:
        return _get_instance(self, value)
    except (ValueError, TypeError):  # not a primary key at all
        return None


# Wagtail's chooser widgets are picked by Wagtail for each foreign key, so the
# lookup is corrected on their common base rather than in a subclass.
BaseChooser.get_instance = _chooser_instance


@hooks.register("before_copy_page")
def copy_needs_a_parent_page(request, page):
    if request.method != "POST":
        return None
    try:
        Page.objects.get(id=int(request.POST["new_parent_page"]))
    except (KeyError, ValueError, Page.DoesNotExist):
        return HttpResponseBadRequest(
            "Choose the page to copy into (new_parent_page).",
            content_type="text/plain; charset=utf-8",
        )
    return None


def chooser_creation_or_404(request, app_label, model_name):
    """A snippet chooser's create route, only where the chooser has a creation form."""
    try:
        viewset = apps.get_model(app_label, model_name).snippet_viewset.chooser_viewset
    except (LookupError, AttributeError) as error:
        raise Http404 from error
    if not (viewset.creation_form_class or viewset.form_fields or viewset.exclude_form_fields):
        raise Http404("This chooser offers no creation form.")
    return viewset.create_view(request)
