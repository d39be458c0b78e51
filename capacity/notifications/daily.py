"""The worker's daily reminders: `remind_daily` at start and then every minute, in a background thread.

Like the worker's sweep for imports whose worker died (capacity/evidence/tasks.py),
this runs beside django-tasks' own loop. `remind_daily` keeps the day it last ran
in the database, so the minute's check costs one small query, a restarted
worker does not repeat the day, and a worker that was stopped at midnight
sends the day's reminders when it starts.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connection

from capacity.notifications.services import remind_daily

logger = logging.getLogger(__name__)


def run_daily_reminders() -> int | None:
    """The day's reminders if not yet sent; a failure is logged and tried again a minute later."""
    try:
        return remind_daily()
    except Exception:  # noqa: BLE001 - a locked or unreachable database: try again next time
        logger.exception("Could not send the day's reminders")
        return None


def watch_for_daily_reminders(*, interval: float = 60.0) -> None:
    """Check every `interval` seconds whether the day's reminders are due."""

    def loop() -> None:
        while True:
            time.sleep(interval)
            try:
                run_daily_reminders()
            finally:
                connection.close()

    threading.Thread(target=loop, name="daily-reminders", daemon=True).start()
