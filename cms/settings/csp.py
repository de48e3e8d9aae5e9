"""Content-Security-Policy settings (django-csp), applied by path in cms/http/csp.py."""

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

env = environ.Env()

# Content-Security-Policy (django-csp, cms/http/csp.py): nothing at all for the
# API's answers; the admin and GraphiQL get what their pages load.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "base-uri": [NONE],
        "form-action": [NONE],
        "frame-ancestors": [NONE],
    }
}
# Uploaded images shown in the admin may come from object storage.
_MEDIA_ORIGINS = [
    origin
    for origin in (
        f"https://{env('S3_CUSTOM_DOMAIN', default='')}"
        if env("S3_CUSTOM_DOMAIN", default="")
        else "",
        env("S3_ENDPOINT_URL", default=""),
        "https://*.amazonaws.com" if env("S3_BUCKET", default="") else "",
    )
    if origin
]
CSP_POLICIES_BY_PATH = [
    (
        "/admin/",
        {
            "default-src": [SELF],
            # Wagtail's widgets and panels write inline <script> and style= attributes.
            "script-src": [SELF, UNSAFE_INLINE],
            "style-src": [SELF, UNSAFE_INLINE],
            # data: and blob: for image previews before and after upload.
            "img-src": [SELF, "data:", "blob:", *_MEDIA_ORIGINS],
            "media-src": [SELF, *_MEDIA_ORIGINS],
            "font-src": [SELF, "data:"],
            "connect-src": [SELF],
            "frame-src": [SELF],  # the live preview panel
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [SELF],
        },
    ),
    (
        "/graphiql/",
        {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF, NONCE],
            "img-src": [SELF, "data:"],
            "font-src": [SELF, "data:"],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [NONE],
            "form-action": [NONE],
            "frame-ancestors": [NONE],
        },
    ),
]
