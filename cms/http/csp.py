"""A Content-Security-Policy on every response (django-csp), by what the path serves.

Most answers are JSON, redirects and plain-text 404s, which load nothing:
CONTENT_SECURITY_POLICY refuses everything. Two HTML places get what they use
and no more (CSP_POLICIES_BY_PATH, the first prefix that matches):
- the Wagtail admin, whose templates and widgets still write inline scripts
  (date choosers, inline panels) and inline styles, so it allows those, from
  its own origin only, with its previews framed by itself;
- GraphiQL, served from our own static files, whose one inline script and
  style carry the request's nonce (cms/templates/graphene/graphiql.html).
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:  # a view's own @csp wins
            # An admin preview renders the page through a dummy request with
            # the page's own path: it is shown in the admin, under its policy.
            path = "/admin/" if getattr(request, "is_preview", False) else request.path_info
            for prefix, directives in settings.CSP_POLICIES_BY_PATH:
                if path.startswith(prefix):
                    parts.config = directives
                    break
        return parts
