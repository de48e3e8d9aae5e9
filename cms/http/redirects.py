"""Redirects are for one client: no shared cache keeps them."""

# Redirect statuses (304 Not Modified is a 3xx but no redirect).
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class PrivateRedirectsMiddleware:
    """No shared cache keeps a redirect.

    A redirect depends on more than its URL: the HTTPS redirect on the scheme
    the proxy saw, the login redirect on the session, a page's on the
    frontend's address. Cached by a proxy under the URL alone, one plain-HTTP
    request would send every HTTPS client of that URL to itself. First in
    MIDDLEWARE, so every redirect gets this, including those the middleware
    after it answers (SecurityMiddleware, CommonMiddleware, Wagtail's redirects).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REDIRECT_STATUSES:
            # Replaced, not patched: a `public, s-maxage` must not survive beside it.
            response["Cache-Control"] = "private, no-store"
            if "Expires" in response:
                del response["Expires"]
        return response
