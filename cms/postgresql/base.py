"""Django's PostgreSQL backend with a connect timeout that may be under 2 s.

psycopg, like libpq, waits at least 2 s for a new connection whatever
`connect_timeout` says. A server that accepts connections and never answers
would then hold the first request of an outage for over 2 s. Here the
connection is made in a helper thread and given up after
DATABASE_CONNECT_TIMEOUT seconds (a float); psycopg's own attempt then ends
by itself, and a connection it still makes is closed.
"""

import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base

from cms.postgresql import serving

logger = logging.getLogger(__name__)

# Few threads: while the database is down, the middleware answers 503 without
# trying again for DATABASE_UNAVAILABLE_RETRY_AFTER seconds.
_connecting = ThreadPoolExecutor(max_workers=4, thread_name_prefix="db-connect")


def _close_late_connection(future):
    if not future.cancelled() and future.exception() is None:
        future.result().close()


class _ConnectTimeoutDatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        timeout = settings.DATABASE_CONNECT_TIMEOUT
        future = _connecting.submit(super().get_new_connection, conn_params)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.add_done_callback(_close_late_connection)
            raise self.Database.OperationalError(
                f"connection timeout expired: no answer from the database in {timeout} s"
            ) from None


# A statement timeout is enforced by the server, and keep-alives and
# tcp_user_timeout are answered or acknowledged by its kernel even when the
# PostgreSQL processes are frozen: only the client can bound that wait. Each
# statement (and the health check's SELECT 1) is registered with a watchdog
# thread, which shuts the socket down once DATABASE_CLIENT_TIMEOUT has passed;
# psycopg's wait then ends at once with an error Django reports as an
# OperationalError, and the middleware answers 503.
class _Watchdog:
    def __init__(self):
        self._lock = threading.Lock()
        self._watched = {}  # token -> (deadline, socket file descriptor, wrapper)
        self._wake = threading.Event()
        self._pid = None

    def _ensure_thread(self):
        # gunicorn forks workers after loading the app: one thread per process.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            threading.Thread(target=self._run, name="db-watchdog", daemon=True).start()

    def watch(self, seconds, fileno, wrapper):
        token = object()
        with self._lock:
            self._ensure_thread()
            self._watched[token] = (time.monotonic() + seconds, fileno, wrapper)
        return token

    def unwatch(self, token):
        with self._lock:
            self._watched.pop(token, None)

    def _run(self):
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            with self._lock:
                expired = [t for t, (deadline, *_rest) in self._watched.items() if deadline <= now]
                for token in expired:
                    _deadline, fileno, wrapper = self._watched.pop(token)
                    wrapper.client_timed_out = True
                    try:
                        with socket.socket(fileno=os.dup(fileno)) as sock:
                            sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    logger.error(
                        "No answer from the database in %s s: connection closed",
                        wrapper.client_timeout,
                    )


_watchdog = _Watchdog()


class _ClientTimeout:
    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.token = None

    def __enter__(self):
        seconds = self.wrapper.client_timeout
        conn = self.wrapper.connection
        if seconds and serving.get() and conn is not None and not conn.closed:
            self.token = _watchdog.watch(seconds, conn.pgconn.socket, self.wrapper)
        return self

    def __exit__(self, *exc_info):
        if self.token is not None:
            _watchdog.unwatch(self.token)
        if self.wrapper.client_timed_out:
            self.wrapper.client_timed_out = False
            raise OperationalError(
                f"no answer from the database in {self.wrapper.client_timeout} s"
            ) from exc_info[1]
        return False


class DatabaseWrapper(_ConnectTimeoutDatabaseWrapper):
    client_timed_out = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._execute_with_client_timeout)

    @property
    def client_timeout(self):
        return settings.DATABASE_CLIENT_TIMEOUT

    def _execute_with_client_timeout(self, execute, sql, params, many, context):
        with _ClientTimeout(self):
            return execute(sql, params, many, context)

    def is_usable(self):
        # A health check that timed out raises (the caller answers 503) instead
        # of returning False, which would make Django wait for a new connection.
        with _ClientTimeout(self):
            return super().is_usable()
