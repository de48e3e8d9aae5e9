"""Redis for the Django cache, failing fast and skipping a Redis that fails.

django-redis (with IGNORE_EXCEPTIONS) turns a Redis error into a cache miss,
so answers are computed from the database instead. Each failure still costs
up to REDIS_SOCKET_TIMEOUT, and a request makes several cache calls, so a
frozen Redis would cost seconds per request. `CircuitBreakerConnection` (the
connection class of django-redis's pool) therefore trips after a failure:
for REDIS_CIRCUIT_BREAKER_SECONDS this process does not try Redis at all
(every cache call is a miss at once), then one call tries again, and the
cache is back by itself when Redis is.
"""

import logging
import time

from django.conf import settings
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)

# Monotonic time until which this process does not try Redis.
_open_until = 0.0


def circuit_open():
    return time.monotonic() < _open_until


def trip(error):
    global _open_until
    seconds = settings.REDIS_CIRCUIT_BREAKER_SECONDS
    if not circuit_open():
        logger.warning("Redis unavailable (%s): cache skipped for %s s", error, seconds)
    _open_until = time.monotonic() + seconds


def reset():
    global _open_until
    _open_until = 0.0


class CircuitBreakerConnection(Connection):
    def connect(self, *args, **kwargs):
        if self._sock is None and circuit_open():
            raise RedisConnectionError("Redis skipped after a recent failure (circuit open)")
        try:
            return super().connect(*args, **kwargs)
        except FAILURES as error:
            trip(error)
            raise

    def send_packed_command(self, *args, **kwargs):
        try:
            return super().send_packed_command(*args, **kwargs)
        except FAILURES as error:
            trip(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except FAILURES as error:
            trip(error)
            raise
