"""Background work: results files uploaded through the web are imported by a task.

The task runs in `capacity worker` (django-tasks' database backend); tests run
it at once. Progress goes to the cache (the import's own writes are inside its transaction,
unseen until it ends); the page polls it. The outcome goes to the ResultImport row.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from capacity.evidence.models import ResultImport


@task()
def import_uploaded_results(import_id: int) -> str:
    from capacity.evidence.importers.results import import_results

    job = ResultImport.objects.get(pk=import_id)
    job.state = ResultImport.State.RUNNING
    job.save(update_fields=["state"])
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
    except Exception as exc:  # the job must end in a state a person can read
        job.refresh_from_db()
        job.state = ResultImport.State.FAILED
        job.summary = {"error": f"{type(exc).__name__}: {exc}"}
        job.finished = timezone.now()
        job.save()
        raise
    job.refresh_from_db()
    job.state = ResultImport.State.APPLIED if report.applied else ResultImport.State.REJECTED
    job.summary = report.summary() | {"notes": report.notes}
    job.rows_done = report.rows
    job.rows_total = report.rows
    job.problems_csv = report.problems_csv() if report.problems else ""
    job.finished = timezone.now()
    job.save()
    return job.state
