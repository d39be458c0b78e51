"""Every upload ends in a state a person can read: failures carry their reason, dead workers are noticed.

The first tests run the task in the test process; the last ones run the real
`capacity worker` and its import child against a database file, and kill them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from capacity.audit.models import Action, AuditEntry
from capacity.evidence.models import ResultImport
from capacity.evidence.tasks import import_uploaded_results, recover_stale_imports
from tests.processes import Instance, children_of, wait_for

GOOD = (
    "school_number,school_year,assessment,group,participating,pct_at_standard,status\n"
    "700001,2018-19,G3-READ,all,40,45,\n"
)


def queued_upload(user, settings, tmp_path, **fields) -> ResultImport:
    settings.MEDIA_ROOT = tmp_path
    job = ResultImport(uploaded_by=user, original_name="results.csv", **fields)
    job.file.save("results.csv", ContentFile(GOOD.encode()), save=False)
    job.save()
    return job


def test_an_import_that_raises_is_marked_failed_with_its_reason_and_audited(
    world, settings, tmp_path
) -> None:
    job = queued_upload(world.personas["ministry"], settings, tmp_path)
    # A stored name that leaves the media folder: Django's storage raises while the task opens it.
    ResultImport.objects.filter(pk=job.pk).update(file="../../etc/passwd")
    import_uploaded_results.enqueue(job.pk)
    job.refresh_from_db()
    assert job.state == ResultImport.State.FAILED
    assert job.summary["cause"] == "exception" and "SuspiciousFileOperation" in job.summary["error"]
    assert job.finished is not None
    entry = AuditEntry.objects.get(action=Action.IMPORT_FAILED)
    assert entry.target == "results.csv" and entry.actor == world.personas["ministry"]
    assert "SuspiciousFileOperation" in entry.detail["reason"]


def test_the_failed_page_says_why(client, world, settings, tmp_path) -> None:
    job = queued_upload(
        world.personas["ministry"],
        settings,
        tmp_path,
        state=ResultImport.State.FAILED,
        summary={"cause": "crash", "error": "SIGABRT: double free", "how": "SIGABRT"},
    )
    client.force_login(world.personas["ministry"])
    page = client.get(f"/evidence/imports/{job.pk}/").content.decode()
    assert "The import process ended unexpectedly (SIGABRT). Nothing was imported." in page
    assert "double free" in page
    assert "every 1s" not in page  # the page stops polling


def test_a_task_for_an_import_already_taken_does_nothing(world, settings, tmp_path) -> None:
    job = queued_upload(
        world.personas["ministry"], settings, tmp_path, state=ResultImport.State.APPLIED
    )
    assert import_uploaded_results.call(job.pk) == ResultImport.State.APPLIED
    job.refresh_from_db()
    assert job.attempts == 0


def a_finished_process_id() -> int:
    process = subprocess.Popen(["true"])  # noqa: S607
    process.wait()
    return process.pid


def test_an_import_whose_worker_process_is_gone_is_taken_up_again_at_once(
    world, settings, tmp_path
) -> None:
    job = queued_upload(
        world.personas["ministry"],
        settings,
        tmp_path,
        state=ResultImport.State.RUNNING,
        claimed_at=timezone.now(),
        claimed_by=f"{socket.gethostname()}:{a_finished_process_id()}",
        attempts=1,
    )
    assert [j.pk for j in recover_stale_imports()] == [job.pk]
    job.refresh_from_db()
    # Taken up again (tests run tasks at once) and imported.
    assert job.state == ResultImport.State.APPLIED and job.attempts == 2


def test_an_import_past_the_time_limit_is_taken_up_again(world, settings, tmp_path) -> None:
    settings.CAPACITY_IMPORT_TIME_LIMIT = 600
    job = queued_upload(
        world.personas["ministry"],
        settings,
        tmp_path,
        state=ResultImport.State.RUNNING,
        claimed_at=timezone.now() - timedelta(seconds=600 + 61),
        claimed_by="elsewhere:1",
        attempts=1,
    )
    recover_stale_imports()
    job.refresh_from_db()
    assert job.state == ResultImport.State.APPLIED and job.attempts == 2


def test_an_import_that_lost_its_worker_on_its_last_attempt_is_marked_failed(
    world, settings, tmp_path
) -> None:
    settings.CAPACITY_IMPORT_ATTEMPTS = 2
    job = queued_upload(
        world.personas["ministry"],
        settings,
        tmp_path,
        state=ResultImport.State.RUNNING,
        claimed_at=timezone.now() - timedelta(days=1),
        claimed_by="elsewhere:1",
        attempts=2,
    )
    recover_stale_imports()
    job.refresh_from_db()
    assert job.state == ResultImport.State.FAILED and job.summary["cause"] == "worker_gone"
    assert AuditEntry.objects.filter(action=Action.IMPORT_FAILED, target="results.csv").exists()


def test_an_import_left_running_before_claims_were_recorded_is_recovered(
    world, settings, tmp_path
) -> None:
    """The issue's "Importing 0%" forever: a running row with no claim, uploaded long ago."""
    job = queued_upload(
        world.personas["ministry"], settings, tmp_path, state=ResultImport.State.RUNNING
    )
    ResultImport.objects.filter(pk=job.pk).update(created=timezone.now() - timedelta(days=2))
    recover_stale_imports()
    job.refresh_from_db()
    assert job.state != ResultImport.State.RUNNING


def test_an_import_its_live_worker_is_running_is_left_alone(world, settings, tmp_path) -> None:
    job = queued_upload(
        world.personas["ministry"],
        settings,
        tmp_path,
        state=ResultImport.State.RUNNING,
        claimed_at=timezone.now(),
        claimed_by=f"{socket.gethostname()}:{os.getpid()}",
        attempts=1,
    )
    assert recover_stale_imports() == []
    job.refresh_from_db()
    assert job.state == ResultImport.State.RUNNING and job.attempts == 1


# --- real processes -----------------------------------------------------------------

QUEUE = f"""
from django.core.files.base import ContentFile
from capacity.evidence.models import ResultImport
from capacity.evidence.tasks import import_uploaded_results
job = ResultImport(original_name="results.csv")
job.file.save("results.csv", ContentFile({GOOD.encode()!r}), save=False)
job.save()
import_uploaded_results.enqueue(job.pk)
print(job.pk)
"""


def import_child(worker: subprocess.Popen) -> int:
    found = wait_for(
        lambda: [pid for pid in children_of(worker.pid) if b"import_process" in cmdline(pid)], 60
    )
    return found[0]


def cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


@pytest.mark.slow
def test_a_crash_that_kills_the_import_process_marks_the_upload_failed(instance: Instance) -> None:
    """SIGABRT from a C library kills the import's child process: the upload says so, the worker goes on."""
    pk = int(instance.python(QUEUE).strip())
    worker = instance.start("worker", "--once")
    try:
        child = import_child(worker)
        os.kill(child, 6)  # SIGABRT, as abort() in a C library sends
        assert worker.wait(60) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    state, summary = instance.query(
        "select state, summary from evidence_resultimport where id = ?", pk
    )[0]
    assert state == "failed"
    assert '"cause": "crash"' in summary and "SIGABRT" in summary
    assert (
        instance.query("select count(*) from audit_auditentry where action = 'import_failed'")[0][0]
        == 1
    )


@pytest.mark.slow
def test_an_import_whose_worker_was_killed_ends_and_the_next_worker_takes_it_up(
    instance: Instance,
) -> None:
    pk = int(instance.python(QUEUE).strip())
    worker = instance.start("worker")
    try:
        child = import_child(worker)
        # Held still while its worker dies, so that it cannot finish the small file first
        # (on a quiet machine it can, within the watch's one-second interval).
        os.kill(child, signal.SIGSTOP)
        worker.kill()
        worker.wait()
        os.kill(child, signal.SIGCONT)
        # The import's child notices its worker is gone and ends too.
        wait_for(
            lambda: not os.path.exists(f"/proc/{child}") or b"import_process" not in cmdline(child),
            10,
        )
    finally:
        if worker.poll() is None:
            worker.kill()
    assert (
        instance.query("select state from evidence_resultimport where id = ?", pk)[0][0]
        == "running"
    )
    assert instance.run("worker", "--once").returncode == 0
    state, attempts = instance.query(
        "select state, attempts from evidence_resultimport where id = ?", pk
    )[0]
    assert (
        attempts == 2 and state == "rejected"
    )  # imported again; the demo-less database knows no school 700001
