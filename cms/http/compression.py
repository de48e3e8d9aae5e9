"""Compressed answers of the public API (GraphQL and the REST API): brotli
where the client accepts it, else gzip, else the bytes as they are.

Accept-Encoding is parsed by werkzeug (q-values, `br;q=0`, `*`, `identity`,
junk), the best coding the client accepts wins, brotli first on a tie. Answers
under API_COMPRESSION_MIN_BYTES are sent as they are (a few bytes saved cost
more than they save), as is anything that compresses no smaller.

A compressed answer's ETag becomes weak (`W/"…"`, Django's GZipMiddleware
rule): the bytes differ, the content does not, and If-None-Match compares
weakly (cms/graphql/view.not_modified), so the uncompressed answer's tag, its
weak form or `*` still gets a 304. Every answer that goes through here says
`Vary: Accept-Encoding`, so shared caches keep the variants apart.

Cached GraphQL answers keep their compressed bytes with them
(`encoded_variants`, stored by cms/caching/response_cache.py): a hit picks
bytes and compresses nothing.

BREACH: compression leaks the size of what an attacker's reflected input
shares with a secret in the same body. API answers hold public content only,
no CSRF tokens, session data or credentials (the GraphQL view sets no CSRF
cookie and renders no token), so compressing them leaks nothing. Only JSON
API answers are compressed, by these helpers: the admin's HTML pages, which
carry CSRF tokens, and GraphiQL's page never are.
"""

from functools import lru_cache

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from werkzeug.http import parse_accept_header

# Best first: brotli answers are about a sixth smaller than gzip's.
CODINGS = ("br", "gzip")


def encode(coding, data):
    """`data` (bytes) compressed with `coding`."""
    if coding == "br":
        return brotli.compress(data, quality=settings.API_COMPRESSION_BROTLI_QUALITY)
    # No random padding (GZipMiddleware's BREACH measure): nothing secret to hide,
    # and cached bytes are made once, so padding would not vary anyway.
    return compress_string(data)


def encoded_variants(body):
    """Every coding of an answer (bytes) worth compressing: {coding: bytes},
    empty for one too small to compress."""
    if len(body) < settings.API_COMPRESSION_MIN_BYTES:
        return {}
    return {coding: encode(coding, body) for coding in CODINGS}


def negotiated(request):
    """The coding this request accepts best ("br", "gzip"), or None."""
    return _best_coding(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@lru_cache(maxsize=256)  # clients send a handful of distinct headers; a hit should not parse
def _best_coding(header):
    return parse_accept_header(header).best_match(CODINGS)


def compress(request, response, variants=None):
    """Compress an API answer for this request, with the bytes in `variants`
    ({coding: bytes}, from the response cache) when it has them."""
    patch_vary_headers(response, ["Accept-Encoding"])
    if (
        response.streaming
        or response.has_header("Content-Encoding")
        or not response.get("Content-Type", "").startswith("application/json")
        or len(response.content) < settings.API_COMPRESSION_MIN_BYTES
    ):
        return response
    coding = negotiated(request)
    if coding is None:
        return response
    data = (variants or {}).get(coding)
    if data is None:
        data = encode(coding, response.content)
    if len(data) >= len(response.content):
        return response
    response.content = data
    response["Content-Encoding"] = coding
    response["Content-Length"] = str(len(data))
    etag = response.get("ETag")
    if etag and not etag.startswith("W/"):
        response["ETag"] = "W/" + etag
    return response
