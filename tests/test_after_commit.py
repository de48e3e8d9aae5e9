"""Work collected in a transaction is done once, when that transaction
commits (cms/tasks/after_commit.py): the response cache's retirements and the tasks
backend both rely on it. Real transactions here: a test's wrapping transaction
never commits."""

import threading

import pytest
from django.db import connection, transaction

from cms.tasks.after_commit import collected_until_commit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def flushed():
    return []


@pytest.fixture
def collect(flushed):
    def collect(item):
        collected_until_commit("test", list, lambda items: flushed.append(sorted(items))).append(
            item
        )

    return collect


def test_one_flush_per_commit_with_everything_collected(collect, flushed):
    with transaction.atomic():
        collect("a")
        with transaction.atomic():  # a savepoint joins the outer transaction
            collect("b")
        assert flushed == []
    assert flushed == [["a", "b"]]


def test_a_rollback_drops_what_was_collected(collect, flushed):
    with pytest.raises(RuntimeError), transaction.atomic():
        collect("lost")
        raise RuntimeError
    with transaction.atomic():
        collect("kept")
    assert flushed == [["kept"]]


def test_each_call_of_a_decorated_function_is_its_own_transaction(collect, flushed):
    @transaction.atomic  # one Atomic object for every call
    def publish(item):
        collect(item)

    publish("first")
    publish("second")
    assert flushed == [["first"], ["second"]]


def test_threads_in_one_decorated_function_keep_their_own_collections(collect, flushed):
    collected = threading.Barrier(2)
    first_committed = threading.Event()
    seen_by_second = []

    @transaction.atomic  # shared by both threads
    def publish(item, then):
        collect(item)
        collected.wait(timeout=10)
        then()

    def first():
        publish("first", lambda: None)
        first_committed.set()
        connection.close()

    def second():
        def wait_for_the_first_commit():
            first_committed.wait(timeout=10)
            # The first commit flushed only its own item: this one waits for its own.
            seen_by_second.extend(flushed)

        publish("second", wait_for_the_first_commit)
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert seen_by_second == [["first"]]
    assert flushed == [["first"], ["second"]]
