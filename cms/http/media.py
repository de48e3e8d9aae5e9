"""Image files from MEDIA_ROOT, served by the app when no proxy or bucket does.

Whitenoise serves static files only: files uploaded or made after start-up
(uploads, renditions) are not its business. With S3_BUCKET set, the bucket or
its CDN serves them; on one machine a proxy (Caddy, nginx) serving
MEDIA_ROOT's image folders is best. SERVE_MEDIA=true routes them through
Django's own `django.views.static.serve` instead (conditional GETs, content
types, no path outside the folder), for a machine with no such proxy.

Only the image folders: `documents/` sits in MEDIA_ROOT too, and documents are
for editors only (cms/urls.py), so a route over all of MEDIA_ROOT would hand
out private files to anyone who knows a name.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.urls import re_path
from django.views.decorators.http import require_safe
from django.views.static import serve

PUBLIC_FOLDERS = ("images", "original_images")


@require_safe
def serve_image_file(request, path):
    # Judged after normalising: `images/../documents/x.pdf` is documents/x.pdf.
    path = posixpath.normpath(path)
    if path.split("/", 1)[0] not in PUBLIC_FOLDERS or "/" not in path:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Browsers and CDNs may keep a file for SERVE_MEDIA_MAX_AGE (default an hour).
    response["Cache-Control"] = f"public, max-age={settings.SERVE_MEDIA_MAX_AGE}"
    return response


def media_urlpatterns():
    """The route under MEDIA_URL, when SERVE_MEDIA is on."""
    if not settings.SERVE_MEDIA:
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}(?P<path>.+)$", serve_image_file, name="media")]
