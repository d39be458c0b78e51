"""Background work: results files uploaded through the web are imported by a task.

The task runs in `capacity worker` (django-tasks' database backend); tests run
it at once. Progress goes to the cache (the import's own writes are inside its
transaction, unseen until it ends); the page polls it. The outcome goes to the
ResultImport row, and every import ends in a state a person can read:

- any exception in the import (a reader crash included) marks it failed with the
  reason, audited;
- the import itself runs in a child process (CAPACITY_IMPORT_IN_CHILD_PROCESS), so
  a crash that kills a process (SIGABRT in a C library, the kernel's out-of-memory
  killer) ends that one import as failed, naming the signal, and the worker goes
  on. The child also frees all the memory a large file took. Starting Python and
  Django again costs about a second per upload, nothing beside an import;
- an import still running after CAPACITY_IMPORT_TIME_LIMIT seconds is stopped
  and marked failed;
- an import whose worker died (killed, machine restarted) is found by
  `recover_stale_imports`, which `capacity worker` runs at start and every
  minute: taken up again while it has had fewer than CAPACITY_IMPORT_ATTEMPTS
  tries, otherwise marked failed.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.evidence.models import ResultImport
from capacity.processes import child_environment, process_alive

logger = logging.getLogger(__name__)

# A claim this much past the time limit belongs to a dead worker: a live one has
# stopped the import at the limit and recorded it.
GRACE = timedelta(minutes=1)


# The worker takes tasks by priority, then in order. Someone is waiting for an upload's
# outcome; nobody waits for a warming (a page computes what is not warmed yet), so an
# upload goes before any warming waiting in the queue.
WARMING_PRIORITY = -10


@task(priority=WARMING_PRIORITY)
def warm_analyses_task() -> str:
    """Compute the evidence pages' analyses ahead (capacity/evidence/warming.py).

    A warming takes minutes on the province, and the worker runs one task at a time, so
    it stops between boards when an upload is waiting and queues itself again (behind the
    upload); the next one finds what this one computed in the cache. It also stops when
    another warming waits: results changed since this one began, so what is left of it
    would be computed for data already replaced (imports back to back kept the worker
    computing for versions nobody would read, beside the pages that needed its core).
    """
    from capacity.evidence.warming import warm_analyses

    why: list[str] = []

    def stop() -> bool:
        if _task_waiting_before_warming():
            why.append("upload")
        elif _warming_waiting():
            why.append("newer")
        return bool(why)

    warmed = warm_analyses(stop=stop)
    if warmed.stopped and why == ["newer"]:
        logger.info("Computing ahead stopped after %.1f s: newer results wait", warmed.seconds)
        return (
            f"{warmed.year}: stopped after {warmed.seconds:.1f} s for newer results "
            "(the warming queued for them follows)"
        )
    if warmed.stopped:
        logger.info("Computing ahead stopped after %.1f s for an upload", warmed.seconds)
        enqueue_warming()
        return f"{warmed.year}: stopped after {warmed.seconds:.1f} s for an upload; queued again"
    logger.info("Analyses computed ahead for %s in %.1f s", warmed.year, warmed.seconds)
    return f"{warmed.year}: {warmed.boards} boards in {warmed.seconds:.1f} s"


def _task_waiting_before_warming() -> bool:
    """Whether a task that goes before a warming (an upload) is waiting for the worker."""
    if not _database_queue():
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(priority__gt=WARMING_PRIORITY).exists()


def _database_queue() -> bool:
    """Whether tasks wait in the database (the tests' backend runs each at once)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(warm_analyses_task.get_backend(), DatabaseBackend)


def queue_warming(sender: object = None, **kwargs: object) -> None:
    """After results change (the `results_changed` signal), have the worker compute ahead.

    Queued once the import's transaction commits, so the worker reads the new
    results. CAPACITY_WARM_AFTER_IMPORT turns it off (the tests do, but for the
    test of this).
    """
    if settings.CAPACITY_WARM_AFTER_IMPORT:
        transaction.on_commit(enqueue_warming)


def enqueue_warming() -> None:
    """Queue a warming, unless one is already waiting to start: it will read these results too.

    Without this, every import queued a warming of its own (minutes on the province), and
    imports in a row left a queue of warmings, all but the last redundant. A warming already
    running may have read the results before this commit, so it does not count.
    """
    if not _warming_waiting():
        warm_analyses_task.enqueue()


def _warming_waiting() -> bool:
    if not _database_queue():
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=warm_analyses_task.module_path).exists()


def worker_label() -> str:
    """host:process id of this process, recorded on the imports it claims."""
    return f"{socket.gethostname()}:{os.getpid()}"


@task()
def import_uploaded_results(import_id: int) -> str:
    """Import one uploaded file. Returns the import's final state."""
    now = timezone.now()
    claimed = ResultImport.objects.filter(pk=import_id, state=ResultImport.State.QUEUED).update(
        state=ResultImport.State.RUNNING,
        claimed_at=now,
        claimed_by=worker_label(),
        attempts=F("attempts") + 1,
    )
    job = ResultImport.objects.get(pk=import_id)
    if not claimed:  # already taken by another worker, or ended: nothing to do
        return job.state
    if settings.CAPACITY_IMPORT_IN_CHILD_PROCESS:
        run_import_in_child(job)
    else:
        run_import(job)
    job.refresh_from_db()
    return job.state


def run_import(job: ResultImport) -> None:
    """Import the job's file in this process and record the outcome on the job."""
    from capacity.evidence.importers.results import import_results

    last_write = 0.0

    def progress(done: int, total: int | None) -> None:
        nonlocal last_write
        now = time.monotonic()
        if now - last_write < 0.5:  # a write per half second is plenty for a progress bar
            return
        last_write = now
        cache.set(job.progress_key, (done, total), 3600)

    try:
        report = import_results(
            [(job.school_year or None, Path(job.file.path))],
            actor=job.uploaded_by,
            actor_label=job.uploaded_by.get_username() if job.uploaded_by else "web upload",
            progress=progress,
        )
    except Exception as exc:  # whatever went wrong, the job must end in a state a person can read
        logger.exception("Import %s of %s failed", job.pk, job.original_name)
        mark_import_failed(
            job,
            cause="exception",
            reason=f"{type(exc).__name__}: {exc}",
            detail=traceback.format_exc(limit=8),
        )
        return
    job.refresh_from_db()
    job.state = ResultImport.State.APPLIED if report.applied else ResultImport.State.REJECTED
    job.summary = report.summary() | {"notes": report.notes}
    job.rows_done = report.rows
    job.rows_total = report.rows
    job.problems_csv = report.problems_csv() if report.problems else ""
    job.finished = timezone.now()
    job.save()


def run_import_in_child(job: ResultImport) -> None:
    """Import the job's file in a child process, and record a failure if the child ends without an outcome.

    The child (`python -m capacity.evidence.import_process ID`) calls `run_import`.
    Its standard error goes to a temporary file, copied to ours, so the last line a
    crashing library printed becomes part of the reason.
    """
    limit = settings.CAPACITY_IMPORT_TIME_LIMIT
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "capacity.evidence.import_process", str(job.pk)],
            env=child_environment(),
            stderr=errors,
        )
        try:
            code = child.wait(timeout=limit)
            timed_out = False
        except subprocess.TimeoutExpired:
            child.kill()
            code = child.wait()
            timed_out = True
        errors.seek(0)
        said = errors.read().decode("utf-8", "replace")
    if said:
        sys.stderr.write(said)
    job.refresh_from_db()
    if job.state != ResultImport.State.RUNNING:  # the child recorded the outcome
        return
    if timed_out:
        mark_import_failed(
            job,
            cause="time_limit",
            reason=f"took longer than {limit} seconds",
            detail=said,
            seconds=limit,
        )
        return
    how = signal.Signals(-code).name if code < 0 else f"exit code {code}"
    last = [line.strip() for line in said.splitlines() if line.strip()][-1:]
    mark_import_failed(
        job,
        cause="crash",
        reason=how + (f": {last[0][:300]}" if last else ""),
        detail=said,
        how=how,
    )


def mark_import_failed(
    job: ResultImport, *, cause: str, reason: str, detail: str = "", **facts: object
) -> None:
    """Record that the import ended without importing anything, and audit it.

    `cause` (exception, crash, time_limit, worker_gone) picks the sentence the page
    shows in the reader's language, with `facts`; `reason` is the technical account
    kept for the audit log and shown beside it.
    """
    job.refresh_from_db()
    job.state = ResultImport.State.FAILED
    job.summary = {"cause": cause, "error": reason, **facts}
    job.finished = timezone.now()
    job.save(update_fields=["state", "summary", "finished"])
    audit_record(
        action=Action.IMPORT_FAILED,
        actor=job.uploaded_by,
        actor_label=job.uploaded_by.get_username() if job.uploaded_by else "web upload",
        target=job.original_name,
        detail={
            "import": job.pk,
            "cause": cause,
            "reason": reason,
            "attempts": job.attempts,
            "detail": detail[-4000:],
        },
    )


def import_is_stale(job: ResultImport, *, now: datetime | None = None) -> bool:
    """Whether a running import's worker is gone.

    Gone when its process no longer exists on this machine, or when the claim is
    older than the time limit and a minute (a live worker stops an import at the
    limit, so only a dead or hung one lets it run longer). A running import with
    no claim (from before claims were recorded) counts from its upload.
    """
    now = now or timezone.now()
    since = job.claimed_at or job.created
    if now - since > timedelta(seconds=settings.CAPACITY_IMPORT_TIME_LIMIT) + GRACE:
        return True
    host, _, pid = job.claimed_by.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


def recover_stale_imports(*, now: datetime | None = None) -> list[ResultImport]:
    """Take up again, or mark failed, every running import whose worker is gone. Returns them."""
    recovered = []
    for job in ResultImport.objects.filter(state=ResultImport.State.RUNNING).select_related(
        "uploaded_by"
    ):
        if not import_is_stale(job, now=now):
            continue
        if job.attempts < settings.CAPACITY_IMPORT_ATTEMPTS:
            # Conditional, so two sweeping workers queue it once.
            requeued = ResultImport.objects.filter(
                pk=job.pk, state=ResultImport.State.RUNNING, claimed_by=job.claimed_by
            ).update(state=ResultImport.State.QUEUED)
            if requeued:
                logger.warning(
                    "Import %s lost its worker (%s); queued again", job.pk, job.claimed_by
                )
                import_uploaded_results.enqueue(job.pk)
        else:
            mark_import_failed(
                job,
                cause="worker_gone",
                reason=f"worker {job.claimed_by or 'unknown'} gone",
                attempts=job.attempts,
            )
        job.refresh_from_db()
        recovered.append(job)
    return recovered


def watch_for_stale_imports(*, interval: float = 60.0) -> None:
    """Run `recover_stale_imports` every `interval` seconds in a background thread of the worker."""
    import threading

    from django.db import connection

    def sweep() -> None:
        while True:
            time.sleep(interval)
            try:
                recover_stale_imports()
            except Exception:  # a locked or unreachable database: try again next time
                logger.exception("Could not check for imports whose worker died")
            finally:
                connection.close()

    threading.Thread(target=sweep, name="stale-imports", daemon=True).start()
