"""The background worker's heartbeat, one row per running worker process."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """When a worker process last beat.

    Each worker process (`capacity worker`, or the one `capacity serve` runs) has its
    own row, named by an id drawn when it starts, so several workers on one machine or
    several never overwrite each other's beat, and /healthz, read by any web process,
    sees them all. A row whose worker stopped goes stale and is deleted a day later.
    The host and process id are for the people running the site (the admin, a query);
    /healthz never shows them.
    """

    worker = models.CharField(_("worker"), max_length=40, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    beat_at = models.DateTimeField(_("last beat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} {self.beat_at:%Y-%m-%d %H:%M:%S}"
