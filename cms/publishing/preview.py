"""Headless preview: an editor's unsaved draft, shown by the web or mobile app.

Previewing a page in the admin stores the draft (wagtail-headless-preview's
PagePreview) under a signed, timestamped token and opens the chosen app's
preview address with `?content_type=guides.guidepage&token=...`. The app reads
the draft back with `guide(token:)` or `page(token:)`. Tokens expire after
HEADLESS_PREVIEW_TOKEN_MAX_AGE seconds; a forged or expired token is a GraphQL
error with a code, never a traceback.
"""

from django.conf import settings
from django.core.signing import BadSignature, SignatureExpired
from graphql import GraphQLError
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview

# Preview modes in the admin's preview panel, besides the built-in one.
CLIENTS = {"web": "Web app", "mobile": "Mobile app"}


def client_urls():
    """The preview addresses that are configured, by preview mode."""
    return {
        mode: url
        for mode, url in (
            ("web", settings.HEADLESS_PREVIEW_WEB_URL),
            ("mobile", settings.HEADLESS_PREVIEW_MOBILE_URL),
        )
        if url
    }


class HeadlessPreview(HeadlessPreviewMixin):
    """Preview in the frontends as well as in the CMS's own plain rendering."""

    @property
    def preview_modes(self):
        return [
            ("", "Built-in preview"),
            *((mode, CLIENTS[mode]) for mode in client_urls()),
        ]

    def serve_preview(self, request, mode_name):
        url = client_urls().get(mode_name)
        if url is None:
            return super(HeadlessPreviewMixin, self).serve_preview(request, mode_name)
        self._preview_client_url = url
        return super().serve_preview(request, mode_name)

    def get_client_root_url(self, request):
        return self._preview_client_url


def _error(message, code):
    return GraphQLError(message, extensions={"code": code})


def preview_page(token, page_type):
    """The draft stored under `token`, which must be a `page_type` (a Page model,
    or Page for any type)."""
    try:
        HeadlessPreviewMixin.get_preview_signer().unsign(
            token, max_age=settings.HEADLESS_PREVIEW_TOKEN_MAX_AGE
        )
    except SignatureExpired:
        raise _error(
            "This preview token has expired: open the preview from the admin again.",
            "PREVIEW_TOKEN_EXPIRED",
        ) from None
    except BadSignature:
        raise _error("This preview token is not valid.", "PREVIEW_TOKEN_INVALID") from None
    preview = PagePreview.objects.filter(token=token).first()
    if preview is None:
        raise _error(
            "This preview is no longer stored: open the preview from the admin again.",
            "PREVIEW_TOKEN_EXPIRED",
        )
    page = preview.as_page()
    if not isinstance(page, page_type):
        raise _error(
            f"This preview token is for a {page._meta.verbose_name}, not a "
            f"{page_type._meta.verbose_name}.",
            "PREVIEW_TOKEN_INVALID",
        )
    return page


def preview_or_lookup(token, page_type, **lookup):
    """A root field given a `token`: the draft, and no other lookup beside it."""
    if any(lookup.values()):
        raise _error("Give either a preview token or a lookup, not both.", "BAD_USER_INPUT")
    return preview_page(token, page_type)
