"""The admin's "Import a guide" page: upload a .docx, HTML, Markdown or plain-text
file, or paste text, choose the hub, and see the import report with a link to the draft."""

from bs4 import BeautifulSoup
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from guides.importing.build import import_source
from guides.importing.report import ImportReport
from guides.importing.sources import FORMATS, ImportRefused, detect_format, to_source
from guides.models import GuideCategory, GuideIndexPage

PASTED_FORMATS = [
    ("auto", "Recognised from the text"),
    ("text", "Plain text"),
    ("markdown", "Markdown"),
    ("html", "HTML"),
]
EXTENSIONS = {"markdown": ".md", "html": ".html", "text": ".txt"}


def hubs_for(user):
    """The hubs this user may add guides to."""
    return [
        hub
        for hub in GuideIndexPage.objects.order_by("title")
        if hub.permissions_for_user(user).can_add_subpage()
    ]


def can_import(user):
    return PagePermissionPolicy().user_has_permission(user, "add")


def pasted_name(text, fmt):
    """The name pasted text is recognised by when it is pasted again: its
    title's words (the first heading of HTML, the first line of Markdown or text)."""
    if fmt == "html":
        heading = BeautifulSoup(text, "html.parser").find(["h1", "h2"])
        line = heading.get_text(" ") if heading else strip_tags(text)
    else:
        line = next(line for line in text.splitlines() if line.strip()).lstrip("# ")
    return slugify(line)[:80].strip("-") or "pasted-article"


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="A Word (.docx), HTML, Markdown (.md) or plain-text (.txt) file. Importing "
        "the same article into the same hub again (same file, title or original address) "
        "updates its guide.",
    )
    text = forms.CharField(
        label="…or paste the article",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text, Markdown or HTML. Start with the title (its first line).",
    )
    pasted_format = forms.ChoiceField(
        label="Pasted text is", choices=PASTED_FORMATS, initial="auto", required=False
    )
    hub = forms.ModelChoiceField(queryset=GuideIndexPage.objects.none(), empty_label=None)
    category = forms.ModelChoiceField(
        queryset=GuideCategory.objects.order_by("name"),
        required=False,
        empty_label="The first category (change it in the draft)",
    )
    new_guide = forms.BooleanField(
        label="Import as a new guide",
        required=False,
        help_text="By default an article already imported into the hub (same file, title or "
        "original address) updates that guide as a new revision. Tick to make a separate guide.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        hubs = hubs_for(user)
        self.fields["hub"].queryset = GuideIndexPage.objects.filter(pk__in=[h.pk for h in hubs])

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise forms.ValidationError("Upload a file or paste the article's text (not both).")
        limit = settings.GUIDE_IMPORT_MAX_BYTES
        if upload and upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the importer takes at most {limit:,}."
            )
        try:
            if upload:
                cleaned["source"] = to_source(upload.name, upload.read())
            else:
                fmt = cleaned.get("pasted_format") or "auto"
                if fmt == "auto":
                    fmt = detect_format(text)
                stem = pasted_name(text, fmt)
                cleaned["source"] = to_source(stem + EXTENSIONS[fmt], text.encode(), fmt=fmt)
        except ImportRefused as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


class ImportGuideView(WagtailAdminTemplateMixin, FormView):
    page_title = "Import a guide"
    header_icon = "upload"
    template_name = "guides/importing/import_guide.html"
    form_class = ImportForm

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        source = form.cleaned_data["source"]
        try:
            report = import_source(
                source,
                form.cleaned_data["hub"],
                user=self.request.user,
                category=form.cleaned_data.get("category"),
                new_guide=form.cleaned_data.get("new_guide", False),
            )
        except ImportRefused as error:
            report = ImportReport(file_name=source.name, error=str(error))
        edit_url = reverse("wagtailadmin_pages:edit", args=[report.guide.pk]) if report.ok else ""
        return self.render_to_response(
            self.get_context_data(
                form=self.form_class(user=self.request.user), report=report, edit_url=edit_url
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formats"] = ", ".join(sorted(FORMATS))
        return context


class ImportGuideMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)
