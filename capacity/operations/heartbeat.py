"""The background worker's heartbeat: a beat at start and every CAPACITY_HEARTBEAT_SECONDS after.

`capacity worker` (and so the worker `capacity serve` runs) starts a `Heartbeat`:
it writes its row of `WorkerBeat` once before taking any task, then again from a
daemon thread beside django-tasks' loop, like the worker's other watchers
(capacity/evidence/tasks.py, capacity/notifications/daily.py). The thread dies with
the process, so a worker that was killed, or that hangs as a whole (stopped, out of
memory, swapping), stops beating; a worker busy with a long import keeps beating.

Beats are rows in the database, not files or memory, because the web processes that
read them for /healthz (every gunicorn process, on any machine) share only the
database. A beat is machine state, like the day the reminders last ran, so it is not
audited. Clocks: the worker's clock writes the beat and the web process's clock reads
it, so machines should agree on the time (NTP); a few seconds apart is harmless.

On SQLite one writer at a time holds the database: while an import's transaction
writes, the beat waits for it (up to the 20 s busy timeout) and, if it still cannot
write, is logged and tried again at the next interval. An import longer than
CAPACITY_HEARTBEAT_STALE_SECONDS on SQLite therefore shows as a stale worker;
PostgreSQL has no such wait.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils import timezone

from capacity.operations.models import WorkerBeat

logger = logging.getLogger(__name__)

# Rows of workers that stopped are kept this long (so /healthz can say when the
# worker last beat), then deleted by the next worker to start.
KEEP_STOPPED = datetime.timedelta(days=1)


class Heartbeat:
    """One worker process's beat: `start()` beats once, then every `interval` seconds in a thread."""

    def __init__(self, *, interval: float | None = None) -> None:
        self.interval = float(interval or settings.CAPACITY_HEARTBEAT_SECONDS)
        self.worker = uuid.uuid4().hex
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> None:
        """Record that this worker is alive now."""
        now = timezone.now()
        updated = WorkerBeat.objects.filter(worker=self.worker).update(beat_at=now)
        if not updated:
            WorkerBeat.objects.create(
                worker=self.worker,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=self.started_at,
                beat_at=now,
            )

    def start(self, *, thread: bool = True) -> None:
        """Beat now (a failure here stops the worker's start) and, with `thread`, every interval after."""
        WorkerBeat.objects.filter(beat_at__lt=timezone.now() - KEEP_STOPPED).delete()
        self.beat()
        if thread:
            self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.beat()
            except Exception:  # a locked or unreachable database: the next beat tries again
                logger.exception("The worker could not record its heartbeat")
            finally:
                connection.close()

    def stop(self) -> None:
        """Stop beating (tests; a real worker stops beating when its process ends)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


@dataclass(frozen=True)
class WorkerStatus:
    """What /healthz says about the background workers."""

    expected: bool  # False when the site runs without a worker by configuration
    last_beat: datetime.datetime | None  # the latest beat of any worker
    seconds_since: float | None
    alive: int  # workers whose last beat is recent enough
    interval: int
    stale_after: int

    @property
    def state(self) -> str:
        """`ok`, `stale` (no recent beat), `missing` (no beat at all) or `not expected`."""
        if not self.expected:
            return "not expected"
        if self.alive:
            return "ok"
        return "stale" if self.last_beat is not None else "missing"

    @property
    def ok(self) -> bool:
        return self.state in ("ok", "not expected")


def worker_status(*, now: datetime.datetime | None = None) -> WorkerStatus:
    """The workers' beats in one query: the latest, how long ago, and how many beat recently."""
    now = now or timezone.now()
    stale_after = settings.CAPACITY_HEARTBEAT_STALE_SECONDS
    beats = WorkerBeat.objects.aggregate(
        last=Max("beat_at"),
        alive=Count("pk", filter=Q(beat_at__gte=now - datetime.timedelta(seconds=stale_after))),
    )
    last = beats["last"]
    return WorkerStatus(
        expected=settings.CAPACITY_EXPECT_WORKER,
        last_beat=last,
        seconds_since=None if last is None else round((now - last).total_seconds(), 1),
        alive=beats["alive"],
        interval=settings.CAPACITY_HEARTBEAT_SECONDS,
        stale_after=stale_after,
    )
