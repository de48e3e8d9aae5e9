"""The tasks backend: Wagtail's background work (the reference index behind
"Used N times", the admin search index, front-end cache purges) done in the
process that asked for it, as Django's ImmediateBackend does, but once per
object per transaction, after it commits.

Why: one publish saves the guide twice and each of its inline rows (FAQ
placements, related guides, references) once, and every save asks for the
reference index of the whole guide and for its search entry. With the
ImmediateBackend that was seven reference-index rebuilds and two search
updates per publish, about 60% of the publish's CPU. Here each distinct task
runs once when the outermost transaction commits, and the reference index of
an inline row is keyed by the page it belongs to. A rolled-back transaction
runs nothing, as it should.

Outside a transaction, and inside a test's wrapping transaction (which never
commits), tasks run at once, as before.
"""

import json

from django.apps import apps
from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from modelcluster.fields import ParentalKey

from cms.tasks.after_commit import collected_until_commit

REFERENCE_INDEX_TASK = "wagtail.tasks.update_reference_index_task"


def _in_real_transaction(connection):
    if not connection.in_atomic_block:
        return False
    return not getattr(connection.atomic_blocks[0], "_from_testcase", False)


def _owner(app_label, model_name, pk):
    """The (app_label, model_name, pk) whose reference index a save of this
    object rebuilds: the object itself, or the page or snippet an inline row
    belongs to (as Wagtail's task finds it)."""
    model = apps.get_model(app_label, model_name)
    keys = [f for f in model._meta.get_fields() if isinstance(f, ParentalKey)]
    if not keys:
        return (app_label, model_name, str(pk))
    row = model._base_manager.filter(pk=pk).values(keys[0].attname).first()
    if row is None or row[keys[0].attname] is None:
        return None  # gone, or belongs to nothing: nothing to index
    parent = keys[0].related_model
    return _owner(parent._meta.app_label, parent._meta.model_name, row[keys[0].attname])


class OncePerTransactionBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        connection = transaction.get_connection()
        if not _in_real_transaction(connection):
            return super().enqueue(task, args, kwargs)
        pending = collected_until_commit("tasks", dict, self._run)
        key = (task.module_path, json.dumps([args, kwargs], sort_keys=True, default=str))
        pending.setdefault(key, (task, list(args), dict(kwargs)))
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    def _run(self, pending):
        done = set()
        for task, args, kwargs in pending.values():
            if task.module_path == REFERENCE_INDEX_TASK:
                args = _owner(*args)
                if args is None:
                    continue
            key = (task.module_path, json.dumps([args, kwargs], sort_keys=True, default=str))
            if key in done:
                continue
            done.add(key)
            super().enqueue(task, args, kwargs)
