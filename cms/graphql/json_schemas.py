"""The JSON Schemas of what the API answers in JSON values GraphQL cannot
describe (the rich-text trees of the `…Tree` fields), served at the address
in their `$id`: GET /schema/<name>.schema.json, for a frontend's code
generator (json-schema-to-typescript, quicktype) and for editors that follow
`$schema` links.

Every `*.schema.json` in the repository's schema/ folder is served as it is,
read once at start-up: the file is the contract, and a deploy is the only
thing that changes it. A name not among them is a 404, so no request reaches
the file system.
"""

import hashlib

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

SCHEMA_DIR = settings.BASE_DIR / "schema"
# The media type JSON Schema defines for schemas (draft 2020-12, section 14).
CONTENT_TYPE = "application/schema+json"
# Changes only with a deploy: shared caches keep it an hour, then revalidate
# with the ETag (a 304 when it did not change).
CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400"


def _load():
    schemas = {}
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        content = path.read_bytes()
        name = path.name.removesuffix(".schema.json")
        schemas[name] = (content, f'"{hashlib.sha256(content).hexdigest()[:32]}"')
    return schemas


SCHEMAS = _load()


@require_safe
def json_schema(request, name):
    if name not in SCHEMAS:
        raise Http404(f"no schema {name}")
    content, etag = SCHEMAS[name]
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    # Public and the same for everyone: any site's tools may read it.
    response["Access-Control-Allow-Origin"] = "*"
    # If-None-Match compared weakly; a 304 keeps the caching headers.
    return get_conditional_response(request, etag=etag, response=response)
