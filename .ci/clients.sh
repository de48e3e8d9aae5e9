#!/usr/bin/env bash
# Real clients against a live server with the production settings:
#   1. npm ci in clients/, unless make install just did (Apollo Client, graphql-request, GraphQL Code
#      Generator, TypeScript, and the GraphiQL files it copies to cms/static/graphiql/);
#   2. deploy/run-production.sh, as docs/operations.md tells people to run it:
#      the release steps with the demo content on a throwaway SQLite file (or
#      $DATABASE_URL), then gunicorn with gunicorn.conf.py and cms.settings.production
#      on 127.0.0.1, the response cache on (shared through $REDIS_URL when set,
#      else one worker), images served by the app (SERVE_MEDIA);
#   3. codegen, then `node --test` over clients/tests/ (Apollo Client built by
#      clients/src/apollo.ts over every demo guide, failing on any warning Apollo
#      prints; persisted queries over GET, CORS preflight, weak ETags,
#      graphql-request, introspection off);
#   4. the offline sync client (clients/src/sync/app.ts, compiled by tsc): a first
#      sync into JSON files, a guide rendered from its stored trees, an edit and an
#      unpublish made on the server, a second sync; the store must equal the API;
#   5. GraphiQL in headless Chromium on a second server with GraphiQL on, every
#      request outside 127.0.0.1 refused (.ci/graphiql_check.py).
# tsc --noEmit is a step of its own in .ci/run (npm run codegen, typecheck).
# Usage: .ci/clients.sh [port]   (GraphiQL's server listens on port+1)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8140}
root=$PWD
python=$root/.venv/bin/python
step() { printf '\n-- %s\n' "$*"; }
started=$SECONDS

if [ clients/node_modules/.package-lock.json -nt clients/package-lock.json ]; then
  step "clients/node_modules is up to date with package-lock.json (make install ran npm ci)"
else
  step "npm ci in clients/"
  (cd clients && npm ci --no-audit --no-fund --loglevel=error)
fi

workdir=$(mktemp -d /tmp/ci-clients.XXXXXX)
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$workdir"
}
trap stop EXIT

origin=https://app.guides.example
export DJANGO_SETTINGS_MODULE=cms.settings.production
export SECRET_KEY=clients-check-only-$RANDOM$RANDOM
export ALLOWED_HOSTS=127.0.0.1,localhost
# SITE_URL is http://: the script turns SECURE_SSL_REDIRECT off itself.
export SITE_URL=http://127.0.0.1:$port
export DATABASE_URL=${DATABASE_URL:-sqlite:///$workdir/clients.sqlite3}
export MEDIA_ROOT=$workdir/media STATIC_ROOT=$workdir/static
export CORS_ALLOWED_ORIGINS=$origin
export GRAPHQL_RESPONSE_CACHE_ENABLED=true
if [ -n "${REDIS_URL:-}" ]; then workers=2; else workers=1; fi

serve() { # port, log name, extra environment...
  local at=$1 log=$2
  shift 2
  env PORT="$at" WEB_CONCURRENCY="$workers" "$@" deploy/run-production.sh --no-control-socket \
    --access-logfile "$workdir/$log-access.log" >"$workdir/$log.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  # The first start runs the release steps (migrate, demo content, collectstatic).
  for _ in $(seq 1000); do
    curl -sf -o /dev/null "http://127.0.0.1:$at/health/" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.3
  done
  tail -n 60 "$workdir/$log.log"
  echo "deploy/run-production.sh on port $at did not start"
  return 1
}

step "deploy/run-production.sh: release steps with the demo content (DATABASE_URL=${DATABASE_URL%%\?*}), gunicorn, $workers worker(s), http://127.0.0.1:$port/"
serve "$port" production LOAD_DEMO_CONTENT=true
step "deploy/run-production.sh with GRAPHIQL_ENABLED=true and no release steps, http://127.0.0.1:$((port + 1))/graphiql/"
serve "$((port + 1))" graphiql GRAPHIQL_ENABLED=true MIGRATE=false COLLECTSTATIC=false SET_SITE_URL=false

step "The addresses in answers work: REST detail_url and html_url on SITE_URL, image files served"
$python - "$port" <<'PY'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
def get(path):
    with urllib.request.urlopen(base + path if path.startswith("/") else path, timeout=30) as r:
        return r.status, r.headers, r.read()
_, _, body = get("/api/v2/pages/?type=guides.GuidePage&limit=1")
meta = json.loads(body)["items"][0]["meta"]
for key in ("detail_url", "html_url"):
    assert meta[key].startswith(base + "/"), f"{key} is {meta[key]}, not under {base}/"
query = '{ guides(perPage: 3) { items { heroImage { url rendition(width: 320) { url } } } } }'
request = urllib.request.Request(base + "/graphql/", json.dumps({"query": query}).encode(),
                                 {"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=30) as r:
    items = json.loads(r.read())["data"]["guides"]["items"]
urls = [u for i in items if i["heroImage"] for u in (i["heroImage"]["url"], i["heroImage"]["rendition"]["url"])]
assert urls, "no image in the first guides"
for url in urls:
    status, headers, data = get(url)
    assert status == 200 and headers["Content-Type"].startswith("image/") and data, url
print(f"detail_url and html_url under {base}/; {len(urls)} image addresses answered 200 with an image")
PY

step "Codegen: types, Apollo's possibleTypes and typePolicies from schema.graphql (src/apollo.ts uses them)"
(cd clients && npm run --silent codegen >/dev/null)

step "Node clients (node --test clients/tests/; the Apollo run fails on any warning or error Apollo prints)"
# The development condition turns on Apollo's development checks (the warnings a
# frontend's dev build prints); tsx compiles the src/*.ts files the tests import;
# tests/console-guard.mjs fails a test file that prints to console.warn or .error.
if ! (cd clients && GRAPHQL_URL=http://127.0.0.1:$port/graphql/ CORS_ORIGIN=$origin \
  node --conditions=development --import tsx --import ./tests/console-guard.mjs --test --test-concurrency=1 --test-reporter=spec tests/); then
  tail -n 40 "$workdir/production.log"
  exit 1
fi

step "Offline sync client: first sync, an edit and an unpublish on the server, sync again, store equals the API"
# Compiled to CommonJS in a throwaway directory: Node 20 runs it with no loader.
(cd clients && node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit false --outDir "$workdir/sync-build" \
    --rootDir src --module commonjs --moduleResolution node10 --verbatimModuleSyntax false)
sync_client() { # first|again, environment...
  local step=$1
  shift
  (cd clients && env GRAPHQL_URL="http://127.0.0.1:$port/graphql/" "$@" \
    node "$workdir/sync-build/sync/app.js" "$step" "$workdir/sync-store") ||
    { tail -n 40 "$workdir/production.log"; exit 1; }
}
sync_client first
# The server side of the test: an edit published through clinical review and an
# unpublish, as editors and reviewers would.
expect=$($python manage.py shell -v 0 -c '
import json
from guides.models import GuidePage
from home.management.commands.load_demo_content import publish_as_demo_team
edited = GuidePage.objects.live().get(slug="asking-for-a-second-opinion")
edited.title = edited.title + " (revised)"
publish_as_demo_team(edited)  # through clinical review, as every guide
gone = GuidePage.objects.live().exclude(pk=edited.pk).order_by("pk").first()
gone.unpublish()
print(json.dumps({f"GUIDE:{edited.pk}": edited.title, f"GUIDE:{gone.pk}": None}))
')
echo "server edits: $expect"
sync_client again EXPECT="$expect"

step "GraphiQL in headless Chromium, nothing loaded from outside 127.0.0.1"
$python .ci/graphiql_check.py "http://127.0.0.1:$((port + 1))/graphiql/"

echo "Clients: every check passed in $((SECONDS - started)) s."
