"""Inside a test's own transaction (which never commits), background tasks run
as in production (tests/tasks_at_commit.py): once per object when the
outermost transaction the code opened ends, none when it rolls back."""

import pytest
from django.db import transaction
from django_tasks.signals import task_finished

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_runs():
    runs = []

    def record(sender, task_result, **_kwargs):
        runs.append((task_result.task.name, tuple(task_result.args)))

    task_finished.connect(record, weak=False)
    yield runs
    task_finished.disconnect(record)


def test_one_publish_indexes_its_guide_once(make_guide, make_faq, task_runs):
    faqs = [make_faq(f"Question {n}?") for n in range(3)]
    guide = make_guide(title="Three FAQs", faqs=faqs, publish=False)
    task_runs.clear()

    with transaction.atomic():  # as the admin's publish
        guide.save_revision().publish()

    key = ("guides", "guidepage", str(guide.pk))
    assert task_runs.count(("update_reference_index_task", key)) == 1
    assert task_runs.count(("insert_or_update_object_task", key)) == 1
    assert {args for _name, args in task_runs} == {key}


def test_tasks_wait_for_the_outermost_transaction_and_a_rollback_drops_them(make_guide, task_runs):
    guide = make_guide(title="Waits")
    task_runs.clear()

    with transaction.atomic():
        guide.save_revision().publish()
        assert task_runs == []
    assert task_runs

    task_runs.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        guide.save_revision().publish()
        raise RuntimeError
    assert task_runs == []
