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
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))

# On SIGTERM (deploy, scale-down), let in-flight requests finish for this long
# before workers are killed. Keep the orchestrator's stop timeout above it.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))

# Recycle each worker after a number of requests (jittered so they do not all
# restart at once) to bound slow memory growth, e.g. from image processing.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

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
