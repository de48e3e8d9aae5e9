"""Give the default Site the address in SITE_URL.

Wagtail builds a page's absolute address (REST `html_url`, the admin's links)
from its Site's hostname and port, not from settings: the migrations create
`localhost` on port 80, so every such address pointed at http://localhost/
until this runs. Idempotent; the production script runs it at each start.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


def site_address(url):
    """(hostname, port) for a Wagtail Site whose root_url is `url`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommandError(f"SITE_URL must be http(s)://host[:port], not {url!r}.")
    default = 443 if parts.scheme == "https" else 80
    port = parts.port or default
    # Wagtail derives the scheme from the port: 443 is https, anything else http.
    if parts.scheme == "https" and port != 443:
        raise CommandError(
            f"SITE_URL {url!r}: Wagtail writes https addresses only for port 443; "
            "serve https on 443 (the usual proxy set-up)."
        )
    if parts.scheme == "http" and port == 443:
        raise CommandError(f"SITE_URL {url!r}: port 443 is https to Wagtail.")
    return parts.hostname, port


class Command(BaseCommand):
    help = "Set the default Site's hostname and port from SITE_URL."

    def handle(self, *args, **options):
        hostname, port = site_address(settings.SITE_URL)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default Site: run `manage.py migrate` first.")
        if (site.hostname, site.port) != (hostname, port):
            site.hostname, site.port = hostname, port
            site.save(update_fields=["hostname", "port"])
        Site.clear_site_root_paths_cache()
        self.stdout.write(f"Default site: {site.root_url}")
