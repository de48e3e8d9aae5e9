"""Gunicorn settings for the CMS, used by the Docker image.

Every value can be tuned from the environment without rebuilding the image.
Run with: gunicorn --config gunicorn.conf.py cms.wsgi:application
"""

import math
import os

# Cap for the automatic worker count. os.cpu_count() inside a container often
# reports every CPU of the host, and each Wagtail worker holds its own copy of
# the app in memory, so an uncapped 2*cores+1 can exhaust the container's RAM.
# Set WEB_CONCURRENCY to go beyond it.
MAX_AUTO_WORKERS = 8


def _available_cpus():
    """CPUs this process may really use: the cgroup v2 quota, else its CPU affinity."""
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()
        if quota != "max":
            return max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not available on macOS
        return os.cpu_count() or 1


# Listen on all interfaces: inside a container, 127.0.0.1 is unreachable from
# the host and from other containers. PORT is what most platforms inject.
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# WEB_CONCURRENCY is the usual platform convention; otherwise the classic
# 2*cores+1 for sync workers, capped (see MAX_AUTO_WORKERS).
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _available_cpus() + 1, MAX_AUTO_WORKERS))

# Load the app once in the master before forking: workers share its memory
# pages, and a broken configuration (e.g. missing SECRET_KEY) stops the server
# at once instead of leaving workers failing to boot in a loop.
preload_app = True

# Kill a worker stuck on one request for this long. Above gunicorn's 30s default
# because the first request for an image rendition resizes the image in-request.
# (With the sync worker this bounds each request; a gthread worker's heartbeat
# comes from its main loop, so there it only catches a worker that hangs
# whole, and a slow request is bounded by the database and Redis timeouts.)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))

# On SIGTERM (deploy, scale-down), let in-flight requests finish for this long
# before workers are killed. Keep the orchestrator's stop timeout above it.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))

# Worker class: gthread, so slow clients cannot stop the service. A sync
# worker reads each request itself: a client that sends its headers or body
# a byte at a time holds the whole worker until `timeout` kills it, and as
# many such connections as workers (a dozen, 60 s each, again and again)
# stopped every request. A gthread worker leaves an idle connection to its
# poller and gives a thread only to one that sends: a trickling client holds
# one thread, never the worker. THREADS is above the dozen slow connections
# .ci/slow_clients.py opens, so even if all of them land on one worker it
# still answers. (Measured against sync at 50 connections in
# benchmarks/server_settings_benchmark.py, docs/benchmarks.md "Server
# settings (gunicorn)": gthread served more, 1,924 vs 1,405 req/s cached, with
# a longer tail, p99 5x p50 instead of 3x.) Every thread may hold a database
# connection (CONN_MAX_AGE): up to workers x threads of them, so size
# PostgreSQL's max_connections (or a pooler) for that. A proxy that buffers
# whole requests in front (nginx) takes slow clients off gunicorn entirely.
# GUNICORN_WORKER_CLASS=sync brings the old behaviour back.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "2"))

# Recycle each worker after a number of requests (jittered so they do not all
# restart at once) to bound slow memory growth, e.g. from image processing;
# 0 turns recycling off. It was 1000: under load each worker restarted every
# couple of seconds, and each new worker imported the URLconf (Wagtail's
# admin, 0.2-0.4 s of CPU) on its first request, which halved throughput
# (685 vs 1,389 req/s cached GET) and put p99 at 0.2-0.5 s. With the warm-up
# below, recycling at 1000 still cost 10-20% (fork, copy-on-write, new
# connections); at 20000 (a restart per worker about once a minute at that
# full load, once a day at 1 req/s) nothing measurable: 1,405 req/s, p99
# 97 ms, as with recycling off (1,389 req/s, p99 89 ms).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "2000"))

# Warm-up (cms/http/warmup.py): the master builds what Django builds lazily (the
# URLconf with Wagtail's admin, the cache backend) once, before forking, so no
# worker, and no recycled worker, pays for it on its first requests; each
# worker then opens its own database and cache connections before it serves.
# GUNICORN_WARMUP=0 turns it off (to measure it).
WARMUP = os.environ.get("GUNICORN_WARMUP", "1") != "0"


def when_ready(server):
    if WARMUP and server.cfg.preload_app:
        from cms.http.warmup import warm_master

        warm_master()


def post_worker_init(worker):
    if WARMUP:
        from cms.http.warmup import warm_master, warm_worker

        if not worker.cfg.preload_app:
            warm_master()  # the app was loaded in this worker, not the master
        # Connections are per thread: only a sync worker serves from the
        # thread that runs this hook.
        warm_worker(connections=type(worker).__name__ == "SyncWorker")


# Addresses of the reverse proxy / load balancer whose X-Forwarded-* headers
# gunicorn trusts for the request scheme. The default trusts only local
# proxies; set it to the proxy's address or network (e.g. 10.0.0.0/8), or "*"
# when the container is reachable only through the proxy. (Django reads
# X-Forwarded-Proto itself via SECURE_PROXY_SSL_HEADER, so in any case the
# container must not be reachable without going through the proxy.)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Containers log to stdout/stderr and the platform collects them. The access
# log records the proxy's X-Forwarded-For (the real client) and the duration.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
)

# Worker heartbeat files on a RAM-backed filesystem: on a disk-backed (overlay)
# filesystem the heartbeat can block and get healthy workers killed.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

proc_name = "cancer-care-guides"
