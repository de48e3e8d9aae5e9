"""The guide's admin form: review fields read-only, a clinical change says
what changed, citations match references, and lengths as the server counts."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError

from cms.publishing.review_forms import ClinicalChangeFormMixin
from guides import readability
from guides.models.references import CITATION

SUMMARY_MAX_LENGTH = 600
# What search engines show of a page's description.
RECOMMENDED_LENGTHS = {"search_description": 160}


class GuidePageForm(ClinicalChangeFormMixin, WagtailAdminPageForm):
    """Checks that every [n] the text cites has a reference on the References tab,
    and that a clinical change says what changed."""

    change_summary_required = (
        "Say in one sentence what changed: readers see it in the guide's change log."
    )
    author_is_reviewer = "The author cannot be this guide's clinical reviewer: choose someone else."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        summary = self.fields.get("summary")
        if summary is not None:
            # The browser's maxlength cuts a pasted summary mid-word without a
            # word; the length is checked on save and shown by a live counter.
            summary.widget.attrs.pop("maxlength", None)
            summary.widget.attrs["data-character-limit"] = SUMMARY_MAX_LENGTH
        # No limit in the database, but search engines cut what they show:
        # the counter says when it is longer than that, and the save is not refused.
        for name, length in RECOMMENDED_LENGTHS.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-character-recommended"] = length

    def clean(self):
        cleaned_data = super().clean()
        fields = (
            "standfirst",
            "summary",
            "quick_answer",
            "key_highlights",
            "important_facts",
            "body",
        )
        if any(name not in cleaned_data for name in (*fields, "title")):
            return cleaned_data  # other errors first
        formset = self.formsets["references"]
        available = sum(
            1
            for form in formset.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        )

        def uncited(text):
            """The error for the numbers `text` cites with no reference, if any."""
            missing = sorted(
                number
                for number in {int(n) for n in CITATION.findall(text)}
                if not 1 <= number <= available
            )
            if not missing:
                return None
            listed = ", ".join(f"[{number}]" for number in missing)
            return ValidationError(
                f"The text cites {listed} but the guide has {available} reference(s). "
                "Add the reference on the References tab or correct the number."
            )

        # Each error is put on the field, or the block, that cites: the editor
        # sees which paragraph to correct, not only a banner.
        for name in ("title", "standfirst", "summary"):
            if error := uncited(cleaned_data[name] or ""):
                self.add_error(name, error)
        if error := uncited(readability.rich_text_lines(cleaned_data["quick_answer"])):
            self.add_error("quick_answer", error)
        for name in ("key_highlights", "important_facts", "body"):
            errors = {}
            for position, child in enumerate(cleaned_data[name]):
                text = "\n".join(readability.stream_text(child.block, child.value))
                if error := uncited(text):
                    errors[position] = error
            if errors:
                self.add_error(name, StreamBlockValidationError(block_errors=errors))
        return cleaned_data


# Only an approved clinical review sets who reviewed a guide and when
# (guides.clinical_review); an ordinary edit cannot change them.
