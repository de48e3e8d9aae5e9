"""What the admin forms of clinically reviewed content (guides, FAQs) share:
the reviewer is read-only, and a clinical change must say what changed."""

from cms.models import CLINICAL_CHANGE_TYPES, ChangeType


class ClinicalChangeFormMixin:
    """For a form with the review panels and `change_type`/`change_summary` fields."""

    # Each form says where readers see the summary.
    change_summary_required = "Say in one sentence what changed: readers see it in the change log."
    author_is_reviewer = "The author cannot be its clinical reviewer: choose someone else."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        obj = self.instance
        if obj.pk and obj.live and not obj.has_unpublished_changes:
            # The summary on the object describes the change already published:
            # a new edit starts a new entry.
            self.initial["change_type"] = ChangeType.MINOR_EDIT
            self.initial["change_summary"] = ""

    def add_error(self, field, error):
        # The reviewer is read-only here, so "reviewer is the author" is the author's to fix.
        errors = getattr(error, "error_dict", {})
        if field is None and "reviewed_by" in errors and "reviewed_by" not in self.fields:
            del errors["reviewed_by"]
            super().add_error("author", self.author_is_reviewer)
            if not errors:
                return
        super().add_error(field, error)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("change_type") in CLINICAL_CHANGE_TYPES and not cleaned_data.get(
            "change_summary"
        ):
            self.add_error("change_summary", self.change_summary_required)
        return cleaned_data
