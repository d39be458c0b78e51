"""The worker's queue: an upload is not kept waiting behind warmings, and warmings do not pile up.

Found by benchmarks/soak.py: every import that changed results queued a full warming of
the evidence pages, and the worker took them in order, so after a few imports from the
command line an upload through the web sat at "Waiting to start" behind one warming per
import (minutes each on the province), all but the last of them redundant.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from typer.testing import CliRunner

from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import User
from capacity.evidence.demo import build_demo_results
from capacity.evidence.models import ResultImport
from capacity.evidence.tasks import import_uploaded_results, queue_warming, warm_analyses_task

GOOD = (
    "school_number,school_year,assessment,group,participating,pct_at_standard,status\n"
    "700001,2018-19,G3-READ,all,40,45,\n"
    "700003,2018-19,G3-READ,all,25,81.5,\n"
)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def warmings(status: str) -> int:
    return DBTaskResult.objects.filter(
        task_path=warm_analyses_task.module_path, status=status
    ).count()


@pytest.mark.django_db(transaction=True)
def test_it_queues_one_warming_for_imports_that_commit_before_it_starts() -> None:
    with override_settings(TASKS=DATABASE_QUEUE, CAPACITY_WARM_AFTER_IMPORT=True):
        for _ in range(3):  # three imports commit; no transaction is open, so each queues at once
            queue_warming(sender=None, years={"2018-19"})
    assert warmings("READY") == 1


@pytest.mark.django_db(transaction=True)
def test_it_queues_another_warming_while_one_runs() -> None:
    """A running warming may have read the results before this import committed."""
    with override_settings(TASKS=DATABASE_QUEUE, CAPACITY_WARM_AFTER_IMPORT=True):
        queue_warming(sender=None, years={"2018-19"})
        DBTaskResult.objects.update(status="RUNNING")
        queue_warming(sender=None, years={"2018-19"})
        queue_warming(sender=None, years={"2018-19"})
    assert (warmings("RUNNING"), warmings("READY")) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_the_worker_takes_an_upload_before_a_warming_queued_earlier(
    client, world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.personas["ministry"])
    with override_settings(TASKS=DATABASE_QUEUE, CAPACITY_WARM_AFTER_IMPORT=True):
        queue_warming(sender=None, years={"2018-19"})  # an import from the command line, say
    with override_settings(TASKS=DATABASE_QUEUE):
        client.post(
            "/evidence/imports/", {"file": SimpleUploadedFile("results.csv", GOOD.encode())}
        )
        from capacity.cli import app

        result = CliRunner().invoke(app, ["worker", "--once"])
        assert result.exit_code == 0, result.output
    assert ResultImport.objects.get().state == ResultImport.State.APPLIED
    started = dict(DBTaskResult.objects.values_list("task_path", "started_at"))
    assert started[import_uploaded_results.module_path] < started[warm_analyses_task.module_path]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_warming_stops_for_an_upload_waiting_and_queues_the_rest() -> None:
    """A warming takes minutes on the province: the upload waits for one board's, not all of it."""
    build_demo(DemoOptions(seed=11, boards=4, schools=60, years=3))
    build_demo_results(seed=11, years=3)
    ministry = User.objects.get(username="ministry")
    with override_settings(TASKS=DATABASE_QUEUE):
        job = ResultImport.objects.create(
            uploaded_by=ministry, file="imports/x.csv", original_name="x.csv"
        )
        import_uploaded_results.enqueue(job.pk)
        said = warm_analyses_task.call()
        assert "stopped" in said and "queued again" in said
        assert warmings("READY") == 1
        upload = DBTaskResult.objects.get(task_path=import_uploaded_results.module_path)
        assert upload.status == "READY"  # still waiting: the worker takes it next

        # With nothing waiting before it, the warming queued again runs to its end (taken by the
        # worker, it is no longer waiting).
        upload.delete()
        DBTaskResult.objects.filter(task_path=warm_analyses_task.module_path).update(
            status="RUNNING"
        )
        said = warm_analyses_task.call()
    assert "stopped" not in said and "4 boards" in said


@pytest.mark.django_db(transaction=True)
def test_a_warming_stops_when_newer_results_wait_for_their_own() -> None:
    """Imports back to back: what is left of a warming would be for data already replaced."""
    build_demo(DemoOptions(seed=12, boards=2, schools=20, years=2))
    build_demo_results(seed=12, years=2)
    with override_settings(TASKS=DATABASE_QUEUE, CAPACITY_WARM_AFTER_IMPORT=True):
        queue_warming(sender=None, years={"2018-19"})  # an import committed after this one began
        said = warm_analyses_task.call()
        assert "stopped" in said and "newer results" in said
        assert warmings("READY") == 1  # the newer one, not queued twice

        DBTaskResult.objects.all().delete()
        said = warm_analyses_task.call()
    assert "stopped" not in said and "2 boards" in said
