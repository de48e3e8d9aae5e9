"""Settings shared by every environment. Secrets and hosts come from the environment."""

import math
from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

from cms.caching.redis_cache import CircuitBreakerConnection

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

INSTALLED_APPS = [
    "cms",
    "home",
    "guides",
    "faqs",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.api.v2",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.postgres",
    "rest_framework",
    "graphene_django",
    "grapple",
    "wagtail_headless_preview",
    "corsheaders",
    "health_check",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First: every redirect, whoever answers it, is kept by no shared cache.
    "cms.http.redirects.PrivateRedirectsMiddleware",
    # Next: every response, early answers included, gets its policy (cms/http/csp.py).
    "cms.http.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before anything that reads the database: a 503 when it is down.
    "cms.http.database_unavailable.DatabaseUnavailableMiddleware",
    "cms.visibility.RequestScopeMiddleware",
    "search.middleware.SearchClientMiddleware",
    # Before sessions and routing: cached public answers to GET /graphql/.
    "cms.graphql.view.CachedAnswerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a locked-out login into the lockout page (axes/lockout.html).
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out username and address before any
# password is checked (and otherwise authenticates nobody; ModelBackend checks
# the password). AxesBackend is AxesStandaloneBackend with ModelBackend's
# get_user, so a session can name it: Wagtail's test helpers log in with the
# first backend listed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database
# (postgres://user:pass@host:5432/name in production).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# When the database is down or unreachable, requests answer 503 quickly
# (cms/http/database_unavailable.py). A new connection gives up after this many seconds
# (PostgreSQL: cms/postgresql, which also allows less than psycopg's 2 s) ...
DATABASE_CONNECT_TIMEOUT = env.float("DATABASE_CONNECT_TIMEOUT", default=1.5)
# ... a statement is cancelled by PostgreSQL after DATABASE_STATEMENT_TIMEOUT
# seconds, and given up by this process after DATABASE_CLIENT_TIMEOUT even when
# the server cannot answer at all (frozen, or a network that drops packets:
# cms/postgresql closes the socket). 0 turns either off, e.g. for a long migration.
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=1.0)
DATABASE_CLIENT_TIMEOUT = env.float("DATABASE_CLIENT_TIMEOUT", default=1.5)
# TCP keep-alives (seconds) and the kernel's limit on unacknowledged data.
DATABASE_KEEPALIVES_IDLE = env.int("DATABASE_KEEPALIVES_IDLE", default=5)
DATABASE_KEEPALIVES_INTERVAL = env.int("DATABASE_KEEPALIVES_INTERVAL", default=1)
DATABASE_KEEPALIVES_COUNT = env.int("DATABASE_KEEPALIVES_COUNT", default=3)
DATABASE_TCP_USER_TIMEOUT = env.float("DATABASE_TCP_USER_TIMEOUT", default=1.5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "cms.postgresql"
    # psycopg's own limit, for the helper thread that connects: whole seconds, at least 2.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = max(
        2, math.ceil(DATABASE_CONNECT_TIMEOUT)
    )
    DATABASES["default"]["OPTIONS"].update(
        {
            # The server cancels a statement running longer than this ... (and
            # compiles none: the API's statements run in milliseconds, and the
            # planner's cost of walking a large index put searches at 100,000
            # guides past JIT's threshold, 2 s of compiling for 60 ms of work).
            "options": f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)} -c jit=off",
            # ... and the kernel drops a connection whose peer is gone
            # (keep-alive probes, unacknowledged data after tcp_user_timeout ms).
            "keepalives": 1,
            "keepalives_idle": DATABASE_KEEPALIVES_IDLE,
            "keepalives_interval": DATABASE_KEEPALIVES_INTERVAL,
            "keepalives_count": DATABASE_KEEPALIVES_COUNT,
            "tcp_user_timeout": round(DATABASE_TCP_USER_TIMEOUT * 1000),
        }
    )
# ... and after a failure the service answers 503 at once, with this many
# seconds in Retry-After, before it tries the database again.
DATABASE_UNAVAILABLE_RETRY_AFTER = env.int("DATABASE_UNAVAILABLE_RETRY_AFTER", default=2)
# Paths answered without the database check (views that touch no database).
DATABASE_FREE_PATHS = ["/api/ping/"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (django-axes) for the Wagtail admin login, the only login
# form there is: after AXES_FAILURE_LIMIT failed attempts for one username from
# one address, or from one address whatever the usernames, that pair or that
# address is refused, even with the right password, until AXES_COOLOFF_MINUTES
# have passed since the last attempt. A successful login clears only that
# username's failures (cms/http/login_throttling.py). `manage.py axes_reset` lifts
# every lockout at once.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "cms.http.login_throttling.LoginAttempts"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "cms.http.client_ip.client_ip"
# Proxies in front of the app that append to X-Forwarded-For; 0 (the default
# here; production assumes its TLS proxy, 1) ignores that header and throttles
# by the connection's address (cms/http/client_ip.py, checked by cms/checks.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The admin's password reset form: posts per address and per email address
# within the window, then 429 (cms/http/login_throttling.py).
PASSWORD_RESET_LIMIT = env.int("PASSWORD_RESET_LIMIT", default=5)
PASSWORD_RESET_WINDOW_MINUTES = env.float("PASSWORD_RESET_WINDOW_MINUTES", default=15)
# Content-Security-Policy by path (django-csp, cms/http/csp.py): cms/settings/csp.py.
from cms.settings.csp import CONTENT_SECURITY_POLICY, CSP_POLICIES_BY_PATH  # noqa: E402, F401

# The admin loads nothing from other sites: no avatars from gravatar.com, no
# new-release check against releases.wagtail.org (upgrades follow the lock file).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Wagtail sends anyone who must log in (a login-restricted document collection)
# to the throttled admin login: there is no separate frontend login form.
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# The app serves MEDIA_ROOT's images itself when no proxy or bucket does (cms/http/media.py).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
SERVE_MEDIA_MAX_AGE = env.int("SERVE_MEDIA_MAX_AGE", default=3600)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads and renditions are made once and read by every app server: with
# several servers, keep them in S3-compatible object storage (docs/operations.md, "Object storage").
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "region_name": env("S3_REGION", default="") or None,
            "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
            # Served from a CDN or the bucket's public address, not signed URLs
            # that change on every request (and so defeat every cache).
            "custom_domain": env("S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": env.bool("S3_SIGNED_URLS", default=False),
            "location": env("S3_LOCATION", default=""),
            # Wagtail names renditions uniquely; never overwrite another upload.
            "file_overwrite": False,
        },
    }

# Wagtail
WAGTAIL_SITE_NAME = "Cancer care guides"
# No Gravatar: the admin would send editors' email hashes to a third party, and
# where it is unreachable every avatar is a broken image. Wagtail's own default
# avatar stands in unless an editor uploads one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# An approved clinical review publishes; nobody publishes guides or FAQs
# directly (cms/publishing/clinical.py).
# Wagtail's background work, in-process and once per object per transaction
# (cms/tasks/): a publish rebuilt its guide's reference index seven times.
TASKS = {"default": {"BACKEND": "cms.tasks.OncePerTransactionBackend"}}
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.publishing.workflow_actions.publish_approved"
# This service's public address (scheme, host, and the port unless 80/443):
# the base of absolute URLs handed to frontends (images, REST detail_url) and
# of the default Site (REST html_url; `manage.py set_site_url` writes it).
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL)
WAGTAILAPI_BASE_URL = env("WAGTAILAPI_BASE_URL", default=SITE_URL)
WAGTAILSEARCH_BACKENDS = {
    # The admin's own search.
    "default": {"BACKEND": "wagtail.search.backends.database"},
    # Patient search (GraphQL `search`): kept up to date on every publish,
    # unpublish, move and delete; rebuilt by `manage.py update_index`.
    "patient_search": {"BACKEND": "search.backend.PatientSearchBackend"},
}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# GraphQL
GRAPHENE = {
    "SCHEMA": "cms.graphql.schema.schema",
    # A resolver that loses the database makes the whole answer a 503;
    # text with NUL characters is refused before it reaches PostgreSQL;
    # no hidden page, FAQ or image leaves a resolver (cms/visibility/gate.py).
    "MIDDLEWARE": ["cms.graphql.field_middleware.PublicFieldMiddleware"],
}

# Every limit the API enforces is a named setting here.
# Patient information should be readable at school grade 8 or lower; the
# readability panel highlights sentences above this grade.
GUIDES_READABILITY_TARGET_GRADE = 8

GUIDES_API_DEFAULT_PAGE_SIZE = env.int("GUIDES_API_DEFAULT_PAGE_SIZE", default=10)
GUIDES_API_MAX_PAGE_SIZE = env.int("GUIDES_API_MAX_PAGE_SIZE", default=100)
# Delta sync (`changes`): days of changes kept for apps to catch up on (an
# older token must sync from scratch), and how long before a token's time
# its journal entries are read again (a change may commit after the token).
SYNC_HISTORY_DAYS = env.int("SYNC_HISTORY_DAYS", default=30)
SYNC_COMMIT_GRACE_SECONDS = env.int("SYNC_COMMIT_GRACE_SECONDS", default=60)
# Renditions frontends may ask for; anything else is refused so nobody can
# make the server resize images to arbitrary sizes: each width and each crop
# in each format ("original" keeps the uploaded file's format).
GUIDES_API_IMAGE_WIDTHS = [320, 480, 640, 800, 1200, 1600]
GUIDES_API_IMAGE_FILLS = ["320x180", "640x360", "1200x630"]
GUIDES_API_IMAGE_FORMATS = ["avif", "webp", "original"]
GUIDES_API_IMAGE_FILTERS = ["original"] + [
    spec + ("" if image_format == "original" else f"|format-{image_format}")
    for spec in [f"width-{width}" for width in GUIDES_API_IMAGE_WIDTHS]
    + [f"fill-{size}" for size in GUIDES_API_IMAGE_FILLS]
    for image_format in GUIDES_API_IMAGE_FORMATS
]
# Renditions one request may make (those already made cost nothing): an AVIF
# of 1200 pixels takes 1 to 3.5 seconds of a shared core, so a query asking for
# every width, format and crop of a page of images must not make them at once.
GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST = env.int(
    "GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST", default=12
)
GRAPHIQL_ENABLED = env.bool("GRAPHIQL_ENABLED", default=False)

GRAPPLE = {
    "APPS": ["cms", "home", "guides", "faqs"],
    "AUTO_CAMELCASE": True,
    "EXPOSE_GRAPHIQL": False,  # served by cms.urls behind GRAPHIQL_ENABLED instead
    "PAGE_SIZE": GUIDES_API_DEFAULT_PAGE_SIZE,
    "MAX_PAGE_SIZE": GUIDES_API_MAX_PAGE_SIZE,
    "ALLOWED_IMAGE_FILTERS": GUIDES_API_IMAGE_FILTERS,
    "RICHTEXT_FORMAT": "html",
    # Our interface applies the visibility rules of cms/visibility/ to parent, children...
    "PAGE_INTERFACE": "cms.graphql.pages.PageInterface",
}

# Browsers on the web frontend call /graphql/ from another origin.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(graphql|api)/.*$"
# Apollo Client names itself in these headers (client awareness); without them
# in the list, a browser's preflight fails and so does every query.
CORS_ALLOW_HEADERS = (*default_headers, "apollographql-client-name", "apollographql-client-version")

# Patient search
SEARCH_DEFAULT_PAGE_SIZE = env.int("SEARCH_DEFAULT_PAGE_SIZE", default=10)
SEARCH_MAX_PAGE_SIZE = env.int("SEARCH_MAX_PAGE_SIZE", default=50)
SEARCH_EXCERPT_LENGTH = 180  # characters
# PostgreSQL ranks at most three times this many candidates per search (the
# newest title, highlight and any-field matches), so search costs the same at
# any collection size; pages past it rank a larger set (search/engine.py).
SEARCH_RANK_CANDIDATES = env.int("SEARCH_RANK_CANDIDATES", default=100)
# `total` is exact up to this many matches; past it, it is this number plus
# one and `totalIsExact` is false: counting a common word's every match grows
# with the collection.
SEARCH_EXACT_TOTAL_LIMIT = env.int("SEARCH_EXACT_TOTAL_LIMIT", default=1000)
# "database": our weighted index (search.engine). "wagtail": rank with the Wagtail
# search backend named below, e.g. OpenSearch for very large collections.
SEARCH_ENGINE = env("SEARCH_ENGINE", default="database")
# "What people search for" shows a query once this many different clients
# asked it, and forgets which clients asked what after this many days.
SEARCH_REPORT_MIN_CLIENTS = env.int("SEARCH_REPORT_MIN_CLIENTS", default=3)
SEARCH_REPORT_CLIENT_DAYS = env.int("SEARCH_REPORT_CLIENT_DAYS", default=30)
SEARCH_WAGTAIL_BACKEND = env("SEARCH_WAGTAIL_BACKEND", default="default")

# GraphQL endpoint limits (cms/graphql/limits.py explains the cost formula).
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=10)
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=15)
# In units of about 10 µs of a worker's time: a request within it answers in
# about 250 ms on the demo content (cms/graphql/limits.py).
GRAPHQL_MAX_COST = env.int("GRAPHQL_MAX_COST", default=25_000)
# What a root field costs when its resolver declares nothing (`@costs`): each
# runs its own database queries, a few ms.
GRAPHQL_ROOT_FIELD_COST = env.int("GRAPHQL_ROOT_FIELD_COST", default=500)
GRAPHQL_LIST_COST_FACTOR = 10
GRAPHQL_MAX_REQUEST_BYTES = env.int("GRAPHQL_MAX_REQUEST_BYTES", default=16 * 1024)
# Parsing and validation bounded in work, whatever the document (docs/frontend.md, "Errors and limits").
GRAPHQL_MAX_TOKENS = env.int("GRAPHQL_MAX_TOKENS", default=1_000)  # lexical tokens, comments aside
GRAPHQL_MAX_COMMENTS = env.int("GRAPHQL_MAX_COMMENTS", default=100)
GRAPHQL_MAX_FIELDS = env.int("GRAPHQL_MAX_FIELDS", default=400)  # fragments expanded
# Fields of one response name in one selection set (compared pairwise by graphql-core).
# Above 13, the body's block types: `... on XBlock { id title }` for each is fine.
GRAPHQL_MAX_REPEATED_FIELDS = env.int("GRAPHQL_MAX_REPEATED_FIELDS", default=32)
# `__typename` alone: Apollo Client adds it to every inline fragment (a full
# guide body has 13), and comparing 64 of them costs nothing.
GRAPHQL_MAX_REPEATED_TYPENAMES = env.int("GRAPHQL_MAX_REPEATED_TYPENAMES", default=64)
GRAPHQL_MAX_FRAGMENTS = env.int("GRAPHQL_MAX_FRAGMENTS", default=30)  # definitions per document
GRAPHQL_MAX_LIST_ITEMS = env.int("GRAPHQL_MAX_LIST_ITEMS", default=10)  # srcSet sizes, kinds...
GRAPHQL_MAX_STRING_LENGTH = env.int("GRAPHQL_MAX_STRING_LENGTH", default=1_000)  # characters
GRAPHQL_MAX_VARIABLES = env.int("GRAPHQL_MAX_VARIABLES", default=50)  # declared per operation
# What one request may make the server keep: JSON sizes of `variables` and
# `extensions`, the largest automatic persisted query stored, how many one
# client (and all clients together) may store per minute, and which answers
# the response cache keeps.
GRAPHQL_MAX_VARIABLES_BYTES = env.int("GRAPHQL_MAX_VARIABLES_BYTES", default=2_048)
GRAPHQL_MAX_EXTENSIONS_BYTES = env.int("GRAPHQL_MAX_EXTENSIONS_BYTES", default=512)
GRAPHQL_APQ_MAX_DOCUMENT_BYTES = env.int("GRAPHQL_APQ_MAX_DOCUMENT_BYTES", default=8 * 1024)
GRAPHQL_APQ_REGISTRATIONS_PER_CLIENT = env.int("GRAPHQL_APQ_REGISTRATIONS_PER_CLIENT", default=20)
GRAPHQL_APQ_REGISTRATIONS_TOTAL = env.int("GRAPHQL_APQ_REGISTRATIONS_TOTAL", default=300)
GRAPHQL_APQ_REGISTRATION_WINDOW = 60  # seconds the two counts above are per
# The client's address for those counts: REMOTE_ADDR, or behind a trusted
# proxy the request header it sets (e.g. HTTP_X_FORWARDED_FOR; its last entry).
GRAPHQL_CLIENT_IP_HEADER = env("GRAPHQL_CLIENT_IP_HEADER", default="")
GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES = env.int(
    "GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES", default=512
)
GRAPHQL_RESPONSE_CACHE_MAX_ANSWER_BYTES = env.int(
    "GRAPHQL_RESPONSE_CACHE_MAX_ANSWER_BYTES", default=256 * 1024
)
GRAPHQL_INTROSPECTION_ENABLED = env.bool("GRAPHQL_INTROSPECTION_ENABLED", default=False)

# Shared cache for persisted queries and GraphQL answers. Local memory (one
# process) unless REDIS_URL names a Redis server, e.g. redis://cache:6379/0:
# with several app servers or gunicorn workers, set it so they all see the
# same persisted queries and the same invalidations.
REDIS_URL = env("REDIS_URL", default="")
# A stopped or frozen Redis costs at most these many seconds (floats) per
# attempt; after a failure each process skips Redis (cache misses, answers from
# the database) for REDIS_CIRCUIT_BREAKER_SECONDS, then tries it again.
REDIS_SOCKET_CONNECT_TIMEOUT = env.float("REDIS_SOCKET_CONNECT_TIMEOUT", default=0.25)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.25)
REDIS_CIRCUIT_BREAKER_SECONDS = env.float("REDIS_CIRCUIT_BREAKER_SECONDS", default=5.0)
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
# cms.caching.redis_cache logs each outage once; django-redis would log every missed call.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="guides"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                # A Redis error is a cache miss: answers come from the database.
                "IGNORE_EXCEPTIONS": True,
                "CONNECTION_POOL_KWARGS": {
                    # No retries: one short timeout, then the circuit breaker.
                    "retry": Retry(NoBackoff(), 0),
                    "connection_class": CircuitBreakerConnection,
                },
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
GRAPHQL_CACHE_ALIAS = "default"  # where persisted queries and answers are kept
# Persisted queries (Apollo's protocol; cms/graphql/persisted_queries.py). Seconds an
# automatic persisted query stays in the cache; registered ones live in the
# database. PERSISTED_QUERIES_ONLY answers registered queries and nothing else
# (register them with manage.py register_persisted_queries).
GRAPHQL_PERSISTED_QUERY_TIMEOUT = env.int("GRAPHQL_PERSISTED_QUERY_TIMEOUT", default=24 * 3600)
GRAPHQL_PERSISTED_QUERIES_ONLY = env.bool("GRAPHQL_PERSISTED_QUERIES_ONLY", default=False)
# Response cache (cms/caching/response_cache.py): answers to anonymous queries without
# preview tokens, kept for this many seconds at most (any publish or edit
# retires them at once). HTTP: browsers and CDNs may reuse a public answer for
# MAX_AGE seconds, and serve it stale while they fetch a new one for
# STALE_WHILE_REVALIDATE more; GET requests revalidate with If-None-Match.
# Production turns the response cache on only with REDIS_URL (check cms.W001).
GRAPHQL_RESPONSE_CACHE_ENABLED = env.bool("GRAPHQL_RESPONSE_CACHE_ENABLED", default=True)
# Changes retire only the answers that read what changed (cms/caching/cache_tags.py), so
# answers may live long; review status still changes by the day.
GRAPHQL_RESPONSE_CACHE_TIMEOUT = env.int("GRAPHQL_RESPONSE_CACHE_TIMEOUT", default=3600)
# Single flight: how long a request waits for another computing the same answer.
GRAPHQL_RESPONSE_CACHE_WAIT = env.float("GRAPHQL_RESPONSE_CACHE_WAIT", default=2.0)
# Refresh-ahead (cms/caching/refresh_ahead.py): how many of the hottest answers
# a change recomputes before the editor's request returns (0: none), and for
# how long at most; readers are served the previous ones meanwhile.
GRAPHQL_REFRESH_AHEAD_MAX = env.int("GRAPHQL_REFRESH_AHEAD_MAX", default=20)
GRAPHQL_REFRESH_AHEAD_SECONDS = env.float("GRAPHQL_REFRESH_AHEAD_SECONDS", default=1.0)
GRAPHQL_HTTP_MAX_AGE = env.int("GRAPHQL_HTTP_MAX_AGE", default=60)
GRAPHQL_HTTP_STALE_WHILE_REVALIDATE = env.int("GRAPHQL_HTTP_STALE_WHILE_REVALIDATE", default=300)
# Compressed API answers (cms/http/compression.py): answers smaller than this are
# sent as they are; brotli's quality (0-11: 11 takes ~100 times as long as 5
# for a few per cent less, too slow for an answer computed per request).
API_COMPRESSION_MIN_BYTES = env.int("API_COMPRESSION_MIN_BYTES", default=200)
API_COMPRESSION_BROTLI_QUALITY = env.int("API_COMPRESSION_BROTLI_QUALITY", default=5)

# A CDN or reverse proxy in front (cms/caching/cdn.py): public answers carry their cache
# tags as surrogate keys and shared caches keep them CDN_MAX_AGE seconds
# (s-maxage); every change purges its keys. CDN is one of "varnish" (with
# CDN_PURGE_URL, e.g. http://varnish:6081), "fastly" (FASTLY_SERVICE_ID,
# FASTLY_API_TOKEN) or "cloudflare" (CLOUDFLARE_ZONE_ID, CLOUDFLARE_API_TOKEN).
CDN = env("CDN", default="")
CDN_MAX_AGE = env.int("CDN_MAX_AGE", default=24 * 3600)
CDN_PURGE_TIMEOUT = env.float("CDN_PURGE_TIMEOUT", default=2.0)  # seconds per purge request
CDN_REPURGE_DELAY = env.float("CDN_REPURGE_DELAY", default=0.25)  # the second purge, after commit
CDN_TAG_HEADER_MAX_BYTES = env.int("CDN_TAG_HEADER_MAX_BYTES", default=4096)
_CDN_BACKENDS = {
    "varnish": lambda: {
        "BACKEND": "cms.caching.cdn.VarnishXkeyBackend",
        "LOCATION": env("CDN_PURGE_URL"),
    },
    "fastly": lambda: {
        "BACKEND": "cms.caching.cdn.FastlySurrogateKeyBackend",
        "SERVICE_ID": env("FASTLY_SERVICE_ID"),
        "API_TOKEN": env("FASTLY_API_TOKEN"),
    },
    "cloudflare": lambda: {
        "BACKEND": "cms.caching.cdn.CloudflareCacheTagBackend",
        "ZONEID": env("CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env("CLOUDFLARE_API_TOKEN"),
    },
}
if CDN not in ("", *_CDN_BACKENDS):
    raise ImproperlyConfigured(f"CDN must be one of {', '.join(_CDN_BACKENDS)}, or unset.")
WAGTAILFRONTENDCACHE = {CDN: _CDN_BACKENDS[CDN]()} if CDN else {}

# Clinical review cycle
CLINICAL_REVIEW_MAX_MONTHS = 36  # the longest allowed between reviews
CLINICAL_REVIEW_DEFAULT_MONTHS = env.int("CLINICAL_REVIEW_DEFAULT_MONTHS", default=12)
CLINICAL_REVIEW_DUE_SOON_MONTHS = env.int("CLINICAL_REVIEW_DUE_SOON_MONTHS", default=6)
# send_review_reminders emails a guide's or FAQ's reviewer this many days before it falls due.
CLINICAL_REVIEW_REMINDER_DAYS = env.int("CLINICAL_REVIEW_REMINDER_DAYS", default=30)

# No public HTML (cms/http/frontend_redirect.py): a public page's address here
# redirects to this base joined with the page's path, e.g.
# https://guides.example.org + /second-opinions/asking/. Unset: every page
# address answers 404.
FRONTEND_BASE_URL = env("FRONTEND_BASE_URL", default="")

# Where patients read the guides (the web frontend), for absolute URLs in
# structured data. Defaults to this service's own address.
PUBLIC_SITE_URL = env("PUBLIC_SITE_URL", default=WAGTAILADMIN_BASE_URL)
# Days past its review date after which flag_overdue_reviews unpublishes a
# guide; unset (the default) means it never does.
CLINICAL_REVIEW_UNPUBLISH_AFTER_DAYS = env.int("CLINICAL_REVIEW_UNPUBLISH_AFTER_DAYS", default=None)

# Headless preview (cms/publishing/preview.py): the web and mobile apps' preview routes,
# which receive ?content_type=guides.guidepage&token=... and read the draft with
# guide(token:) or page(token:). Unset: only the built-in preview is offered.
HEADLESS_PREVIEW_WEB_URL = env("HEADLESS_PREVIEW_WEB_URL", default="")
HEADLESS_PREVIEW_MOBILE_URL = env("HEADLESS_PREVIEW_MOBILE_URL", default="")
HEADLESS_PREVIEW_TOKEN_MAX_AGE = env.int(
    "HEADLESS_PREVIEW_TOKEN_MAX_AGE", default=60 * 60
)  # seconds
WAGTAIL_HEADLESS_PREVIEW = {"ENFORCE_TRAILING_SLASH": False}

# Importing articles as draft guides (guides/importing/): the largest file or
# pasted text accepted, what a .docx may unpack to (a zip bomb is refused
# before it is read), and the largest image taken from an article.
GUIDE_IMPORT_MAX_BYTES = env.int("GUIDE_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
GUIDE_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "GUIDE_IMPORT_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024
)
GUIDE_IMPORT_MAX_IMAGE_BYTES = env.int("GUIDE_IMPORT_MAX_IMAGE_BYTES", default=5 * 1024 * 1024)

# Response cache: how often (seconds) each process looks in the database for
# retirements the shared cache missed (Redis down when a change committed,
# cms/caching/pending_retirements.py); it also looks as soon as the cache is
# back. A cached answer costs no query in between. 0: never looks.
GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS = env.float(
    "GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS", default=1.0
)
