"""Django's PostgreSQL backend with a connect timeout that may be under 2 s.

psycopg, like libpq, waits at least 2 s for a new connection whatever
`connect_timeout` says. A server that accepts connections and never answers
would then hold the first request of an outage for over 2 s. Here the
connection is made in a helper thread and given up after
DATABASE_CONNECT_TIMEOUT seconds (a float); psycopg's own attempt then ends
by itself, and a connection it still makes is closed.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)

# Few threads: while the database is down, the middleware answers 503 without
# trying again for DATABASE_UNAVAILABLE_RETRY_AFTER seconds.
_connecting = ThreadPoolExecutor(max_workers=4, thread_name_prefix="db-connect")


def _close_late_connection(future):
    if not future.cancelled() and future.exception() is None:
        future.result().close()


class DatabaseWrapper(base.DatabaseWrapper):
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
