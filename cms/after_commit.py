"""Work collected during a transaction and done once, when it commits.

A publish saves and signals many times; what each save asks for (cached
answers to retire, background tasks) is gathered in one collection per
transaction and handed to one on-commit callback. A rollback drops the
callback, and the collection with it.

The collection is kept on the connection (one per thread) beside its
callback, and stays this transaction's for as long as Django still holds
that callback. Not on the Atomic object: `@transaction.atomic` reuses one
object for every call, in every thread.
"""

from django.db import transaction


def collected_until_commit(name, make, flush):
    """This transaction's collection called `name` (made by `make()` on first
    use); `flush(collection)` runs once after the outermost commit."""
    connection = transaction.get_connection()
    slot = f"_collected_until_commit_{name}"
    run, collection = getattr(connection, slot, (None, None))
    if run is None or not any(func is run for _ids, func, _robust in connection.run_on_commit):
        collection = make()

        def run():
            flush(collection)

        setattr(connection, slot, (run, collection))
        transaction.on_commit(run)
    return collection
