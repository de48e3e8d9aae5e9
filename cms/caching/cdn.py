"""A CDN or reverse proxy in front of the API: answers carry their cache tags
as surrogate keys, and a change purges exactly those keys.

Configured with WAGTAILFRONTENDCACHE (Wagtail's front-end cache setting, built
from CDN_* variables in settings): one of the backends below, each Wagtail's
own where it has one, taught to purge by key. Every public answer (GraphQL
GET, the REST API) then names its tags in the backend's header (Varnish's
`xkey`, Fastly's `Surrogate-Key`, Cloudflare's `Cache-Tag`) and may be kept by
shared caches for CDN_MAX_AGE seconds (`s-maxage`): the purge, not the clock,
ends it.

Purges run after the editor's transaction commits, and once more
CDN_REPURGE_DELAY seconds later (the editor waits for it): a reader's request
that read the old rows just before the commit can reach the CDN just after
the first purge. (Such an answer is sent `no-cache` when the app sees the
change in time, cms/caching/response_cache.py; the second purge covers the
last moments.)
"""

import json
import logging
import time
from functools import lru_cache
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import requests
from django.conf import settings
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.frontend_cache.backends.cloudflare import CloudflareBackend
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger(__name__)


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class VarnishXkeyBackend(HTTPBackend):
    """Varnish with the xkey module (deploy/varnish.vcl): a PURGE request with
    an `xkey-purge` header removes every object carrying one of its keys."""

    tag_header = "xkey"
    separator = " "
    keys_per_request = 100

    def purge_tags(self, tags):
        for chunk in _chunks(list(tags), self.keys_per_request):
            request = PurgeRequest(
                url=f"{self.cache_scheme}://{self.cache_netloc}/",
                headers={"xkey-purge": " ".join(chunk)},
            )
            try:
                urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT).close()  # noqa: S310 (configured LOCATION)
            except (HTTPError, URLError, OSError) as error:
                logger.error("Could not purge %d keys from Varnish: %s", len(chunk), error)


class FastlySurrogateKeyBackend(BaseBackend):
    """Fastly: purge by surrogate key through its API (up to 256 keys a call)."""

    tag_header = "Surrogate-Key"
    separator = " "
    keys_per_request = 256

    def __init__(self, params):
        super().__init__(params)
        self.service_id = params["SERVICE_ID"]
        self.api_token = params["API_TOKEN"]
        self.api_url = params.get("API_URL", "https://api.fastly.com")

    def purge(self, url):
        pass  # answers are purged by key; page URLs only redirect to the frontend

    def purge_tags(self, tags):
        for chunk in _chunks(list(tags), self.keys_per_request):
            try:
                response = requests.post(
                    f"{self.api_url}/service/{self.service_id}/purge",
                    json={"surrogate_keys": chunk},
                    headers={"Fastly-Key": self.api_token, "Accept": "application/json"},
                    timeout=settings.CDN_PURGE_TIMEOUT,
                )
                response.raise_for_status()
            except requests.RequestException as error:
                logger.error("Could not purge %d keys from Fastly: %s", len(chunk), error)


class CloudflareCacheTagBackend(CloudflareBackend):
    """Cloudflare: purge by cache tag (up to 30 a call), with Wagtail's
    Cloudflare settings (ZONEID and BEARER_TOKEN, or EMAIL and APIKEY)."""

    tag_header = "Cache-Tag"
    separator = ","
    keys_per_request = 30

    def purge_tags(self, tags):
        headers = {"Content-Type": "application/json"}
        if self.cloudflare_token:
            headers["Authorization"] = f"Bearer {self.cloudflare_token}"
        else:
            headers["X-Auth-Email"] = self.cloudflare_email
            headers["X-Auth-Key"] = self.cloudflare_api_key
        for chunk in _chunks(list(tags), self.keys_per_request):
            try:
                response = requests.post(
                    self.cloudflare_purge_endpoint_url,
                    json={"tags": chunk},
                    headers=headers,
                    timeout=settings.CDN_PURGE_TIMEOUT,
                )
                response.raise_for_status()
            except requests.RequestException as error:
                logger.error("Could not purge %d tags from Cloudflare: %s", len(chunk), error)


def backends():
    """The configured backends that can purge by key."""
    return list(_backends(json.dumps(settings.WAGTAILFRONTENDCACHE, sort_keys=True)))


@lru_cache(maxsize=4)
def _backends(configuration):
    found = get_backends(json.loads(configuration)).values()
    return tuple(backend for backend in found if hasattr(backend, "purge_tags"))


def tag_header():
    """(header name, separator) for the configured CDN, or None without one."""
    for backend in backends():
        return backend.tag_header, backend.separator
    return None


def mark_shared(response, tags, until_expiry=None):
    """Let shared caches keep a public answer until a purge of its tags (or
    CDN_MAX_AGE, or the next scheduled expiry): its tags in the CDN's header,
    `s-maxage` in its Cache-Control. Nothing without a configured CDN."""
    header = tag_header()
    if header is None or not tags:
        return response
    name, separator = header
    s_maxage = settings.CDN_MAX_AGE
    if until_expiry is not None:
        s_maxage = min(s_maxage, until_expiry)
    response["Cache-Control"] = f"{response['Cache-Control']}, s-maxage={s_maxage}"
    response[name] = header_value(tags, separator)
    return response


def header_value(tags, separator):
    """The tags as one header value, at most CDN_TAG_HEADER_MAX_BYTES long:
    beyond that, objects are named by their collections (`page:12` by
    `list:wagtailcore.page`), which every change to them purges as well."""
    value = separator.join(tags)
    if len(value) <= settings.CDN_TAG_HEADER_MAX_BYTES:
        return value
    coarse = sorted({_collection_of(tag) for tag in tags})
    return separator.join(coarse)


def _collection_of(tag):
    kind, _, _rest = tag.partition(":")
    if kind in ("page", "tree"):
        return "list:wagtailcore.page"
    if kind in ("list", "all"):
        return tag
    return f"list:{kind}"


def purge(tags):
    """Purge answers with any of these tags from every configured CDN, now and
    once more CDN_REPURGE_DELAY seconds later, before the editor's request
    returns: so once a publish returns, no CDN holds what it replaced."""
    found = backends()
    if not found or not tags:
        return
    tags = sorted(set(tags))
    _purge(found, tags)
    if settings.CDN_REPURGE_DELAY > 0:
        time.sleep(settings.CDN_REPURGE_DELAY)
        _purge(found, tags)


def _purge(found, tags):
    for backend in found:
        try:
            backend.purge_tags(tags)
        except Exception:  # a CDN outage must not fail the editor's publish
            logger.exception("Could not purge cache tags with %s", type(backend).__name__)
