#!/usr/bin/env bash
# Production on one machine: the release steps, then gunicorn with the
# production settings. docs/operations.md explains every variable; CI's real
# client checks (.ci/clients.sh) start their servers with this script.
#
#   SECRET_KEY=... deploy/run-production.sh                  # http://127.0.0.1:8000/
#   SECRET_KEY=... SITE_URL=https://cms.example.org REDIS_URL=redis://127.0.0.1:6379/0 \
#     deploy/run-production.sh                               # behind a TLS proxy
#
# Arguments are passed to gunicorn (e.g. --access-logfile FILE).
#
# From the environment (defaults in brackets):
#   SECRET_KEY           required
#   SITE_URL             this service's public address [http://127.0.0.1:$PORT]
#   ALLOWED_HOSTS        [SITE_URL's host]
#   CSRF_TRUSTED_ORIGINS [SITE_URL]
#   SECURE_SSL_REDIRECT  [false when SITE_URL is http://, else true]
#   PORT, BIND           [8000, 127.0.0.1:$PORT: only a proxy on this machine reaches it]
#   REDIS_URL            shared cache; without it, one worker (WEB_CONCURRENCY=1)
#   WEB_CONCURRENCY      gunicorn workers [1 without REDIS_URL; with it, gunicorn.conf.py's count]
#   SERVE_MEDIA          the app serves MEDIA_ROOT's images [true unless S3_BUCKET is set]
#   MIGRATE, COLLECTSTATIC, SET_SITE_URL   the release steps [true]
#   LOAD_DEMO_CONTENT    load the demo guides and logins [false]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x .venv/bin/python ]; then bin=$PWD/.venv/bin/; else bin=""; fi

if [ -z "${SECRET_KEY:-}" ]; then
  echo "SECRET_KEY is not set. Make one and keep it (sessions and preview tokens are signed with it):" >&2
  echo "  export SECRET_KEY=\$(${bin}python -c 'import secrets; print(secrets.token_urlsafe(50))')" >&2
  exit 2
fi

export DJANGO_SETTINGS_MODULE=cms.settings.production
export PORT=${PORT:-8000}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
SITE_URL=${SITE_URL%/}
site_host=${SITE_URL#*://}
site_host=${site_host%%/*}
site_host=${site_host%:*}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-$site_host}
export CSRF_TRUSTED_ORIGINS=${CSRF_TRUSTED_ORIGINS:-$SITE_URL}
case $SITE_URL in
  http://*) export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false} ;;
  https://*) ;;
  *) echo "SITE_URL must start with http:// or https:// (got $SITE_URL)" >&2; exit 2 ;;
esac
if [ -z "${REDIS_URL:-}" ]; then export WEB_CONCURRENCY=${WEB_CONCURRENCY:-1}; fi
if [ -z "${S3_BUCKET:-}" ]; then export SERVE_MEDIA=${SERVE_MEDIA:-true}; fi

manage() { "${bin}python" manage.py "$@"; }

# Refuses to go on when something would be broken: e.g. several workers
# without Redis (cms.E101). Warnings are printed and do not stop it.
manage check --deploy --fail-level ERROR
if [ "${MIGRATE:-true}" = true ]; then manage migrate --noinput; fi
if [ "${COLLECTSTATIC:-true}" = true ]; then manage collectstatic --noinput -v 0; fi
if [ "${SET_SITE_URL:-true}" = true ]; then manage set_site_url; fi
if [ "${LOAD_DEMO_CONTENT:-false}" = true ]; then manage load_demo_content; fi

if [ -n "${REDIS_URL:-}" ]; then cache=Redis; else cache="local memory"; fi
echo "Serving $SITE_URL with gunicorn on ${BIND:-127.0.0.1:$PORT}" \
  "(workers: ${WEB_CONCURRENCY:-as gunicorn.conf.py sets}; cache: $cache; media served by the app: ${SERVE_MEDIA:-false})"
exec "${bin}gunicorn" --config gunicorn.conf.py --bind "${BIND:-127.0.0.1:$PORT}" "$@" cms.wsgi:application
