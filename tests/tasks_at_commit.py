"""Background tasks in tests run as they do in production: once per object,
when the transaction that asked for them ends.

In production, cms/tasks/ collects Wagtail's tasks (reference index, search
entry) during a transaction and runs each once after the commit. A test runs
inside a transaction that never commits, so there each task would run at
once on every save: seven reference-index rebuilds and two search updates per
publish, more than half of the time the tests spend building content. Here
the outermost transaction a test opens itself (a publish, an add_child, a
save) stands for the commit: its tasks run once when it ends without error,
and are dropped when it rolls back. Tests with real transactions
(transaction=True) see the production code unchanged.
"""

from django.db import transaction

import cms.tasks

_SLOT = "_collected_until_commit_tasks"  # cms.tasks.after_commit's slot for the tasks


def _test_blocks_only(blocks):
    return bool(blocks) and all(block._from_testcase for block in blocks)


def _in_real_transaction(connection):
    return any(not block._from_testcase for block in connection.atomic_blocks)


def _exit(original):
    def __exit__(self, exc_type, exc_value, traceback):
        connection = transaction.get_connection(self.using)
        committed = False
        try:
            result = original(self, exc_type, exc_value, traceback)
            committed = exc_type is None and not connection.needs_rollback
            return result
        finally:
            if not self._from_testcase and _test_blocks_only(connection.atomic_blocks):
                run_all, collection = getattr(connection, _SLOT, (None, None))
                setattr(connection, _SLOT, (None, None))
                if run_all is not None:
                    if committed:
                        run_all()
                    else:
                        collection.clear()

    return __exit__


def patched(monkeypatch):
    monkeypatch.setattr(cms.tasks, "_in_real_transaction", _in_real_transaction)
    monkeypatch.setattr(transaction.Atomic, "__exit__", _exit(transaction.Atomic.__exit__))
