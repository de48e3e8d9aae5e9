"""Work collected during a transaction and done once, when it commits.

A publish saves and signals many times; what each save asks for (cached
answers to retire, background tasks) is gathered in one collection per
transaction and handed over once after the commit: every call registers an
on-commit callback, and the first of them to run takes the whole collection
(the others find it empty). A rollback drops the callbacks, and the
collection with them.

The collection is kept on the connection (one per thread) beside its latest
callback, and stays this transaction's for as long as Django still holds that
callback. Not on the Atomic object: `@transaction.atomic` reuses one object
for every call, in every thread.
"""

from django.db import transaction


def collected_until_commit(name, make, flush):
    """This transaction's collection called `name` (made by `make()` on first
    use, a dict, set or list); `flush(items)` gets what it holds once, after
    the outermost commit."""
    connection = transaction.get_connection()
    slot = f"_collected_until_commit_{name}"
    latest, collection = getattr(connection, slot, (None, None))
    if latest is None or not any(
        func is latest for _ids, func, _robust in connection.run_on_commit
    ):
        collection = make()

    def take_all():
        items = collection.copy()
        collection.clear()
        if items:
            flush(items)

    setattr(connection, slot, (take_all, collection))
    transaction.on_commit(take_all)
    return collection
