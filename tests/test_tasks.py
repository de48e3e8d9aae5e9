"""Wagtail's background work runs once per object per transaction, after the
commit (cms/tasks/): a publish rebuilds its guide's reference index and
search entry once, not once per inline row, and the results are as complete
as before. Real transactions here: a test's wrapping transaction never commits."""

import pytest
from django.db import transaction
from django_tasks.signals import task_finished
from wagtail.models import ReferenceIndex

from faqs.usage import live_pages_using
from tests.admin_workflow import publish_reviewed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def task_runs():
    runs = []

    def record(sender, task_result, **_kwargs):
        runs.append((task_result.task.name, tuple(task_result.args)))

    task_finished.connect(record, weak=False)
    yield runs
    task_finished.disconnect(record)


@pytest.fixture
def guide_with_inline_rows(make_guide, make_faq):
    faqs = [make_faq(f"Question {n}?") for n in range(3)]
    related = make_guide(title="Related")
    return make_guide(title="Three FAQs", faqs=faqs, related=[related]), faqs


def test_one_publish_indexes_its_guide_once(guide_with_inline_rows, task_runs):
    guide, faqs = guide_with_inline_rows
    task_runs.clear()

    with transaction.atomic():
        guide.standfirst = "Changed."
        publish_reviewed(guide)
        assert task_runs == []  # nothing before the commit

    key = ("guides", "guidepage", str(guide.pk))
    assert task_runs.count(("update_reference_index_task", key)) == 1
    assert task_runs.count(("insert_or_update_object_task", key)) == 1
    # The inline rows (3 FAQ placements, 1 related guide) were not indexed on their own.
    assert {args for _name, args in task_runs} == {key}


def test_the_reference_index_is_complete_after_the_commit(guide_with_inline_rows):
    guide, faqs = guide_with_inline_rows
    ReferenceIndex.objects.all().delete()

    with transaction.atomic():
        guide.standfirst = "Changed."
        publish_reviewed(guide)

    for faq in faqs:
        assert list(live_pages_using(faq)) == [guide.page_ptr]


def test_a_rolled_back_transaction_runs_nothing(guide_with_inline_rows, task_runs):
    guide, _faqs = guide_with_inline_rows
    task_runs.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        guide.standfirst = "Never published."
        publish_reviewed(guide)
        raise RuntimeError

    assert task_runs == []


def test_outside_a_transaction_a_task_runs_at_once(make_faq, task_runs):
    task_runs.clear()

    faq = make_faq("Asked outside any transaction?")

    assert ("update_reference_index_task", ("faqs", "faq", str(faq.pk))) in task_runs


def test_every_transaction_runs_its_own_tasks_when_the_atomic_block_is_reused(
    guide_with_inline_rows, task_runs
):
    # `@transaction.atomic` enters the same Atomic object on every call.
    @transaction.atomic
    def publish(text):
        guide.standfirst = text
        publish_reviewed(guide)

    guide, _faqs = guide_with_inline_rows
    key = ("update_reference_index_task", ("guides", "guidepage", str(guide.pk)))
    for text in ("First.", "Second.", "Third."):
        task_runs.clear()
        publish(text)
        assert task_runs.count(key) == 1, text
