"""No public HTML: page addresses send patients to the frontend, or answer 404.

Wagtail's page-serving route is replaced by `frontend_redirect` (under the same
URL name, `wagtail_serve`, so `page.url` and the admin's "View live" still
work). A page the public may read (live, unexpired, no view restriction:
cms.visibility) redirects to FRONTEND_BASE_URL joined with the page's path; any
other address, or every address when FRONTEND_BASE_URL is unset, is a plain
404 with no content, so a redirect never tells anyone a hidden page exists.
Nothing is rendered here: editors see drafts through the admin's preview.

Page-view password and login forms (Wagtail's `_util/` views) are not routed:
with no page serving there is nothing for them to unlock.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotFound, HttpResponseRedirect
from wagtail.models import Site

from cms.visibility import is_visible

NOT_FOUND = "Not found.\n"


def not_found():
    return HttpResponseNotFound(NOT_FOUND, content_type="text/plain; charset=utf-8")


def frontend_redirect(request, path):
    base = settings.FRONTEND_BASE_URL.rstrip("/")
    if not base:
        return not_found()
    site = Site.find_for_request(request)
    if site is None:
        return not_found()
    components = [component for component in path.split("/") if component]
    try:
        page, _args, _kwargs = site.root_page.localized.specific.route(request, components)
    except (Http404, PermissionDenied):
        return not_found()
    if not is_visible(page, request):
        return not_found()
    _site_id, _root_url, page_path = page.get_url_parts(request)
    if page_path is None:
        return not_found()
    return HttpResponseRedirect(base + page_path)


def editors_only(view):
    """Serve `view` to people who can use the admin; a plain 404 for everyone else."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
            return not_found()
        return view(request, *args, **kwargs)

    return wrapper
