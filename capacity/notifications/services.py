"""Every write of notifications: sending a message (inbox and email), reading it, preferences, reminders.

Apps call `notify` after their own transaction commits (`transaction.on_commit`),
so a message never announces a change that was rolled back, and a failing mail
server never undoes a plan's submission: a message whose email could not be sent
stays in the inbox with no `emailed_at`, and the failure is logged.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from capacity.directory.models import User
from capacity.notifications import kinds
from capacity.notifications.models import DailyRun, Notification, Preference

logger = logging.getLogger(__name__)

REMIND = "remind"


def default_email(user: Any) -> bool:
    """Email is on for a person with an address that can receive mail.

    Addresses under .invalid (RFC 2606: never deliverable; the demo's people have
    them) start with email off, so building the demo mails nobody.
    """
    address = (user.email or "").strip().lower()
    return bool(address) and not address.endswith(".invalid")


def preference_of(user: Any) -> Preference:
    """The person's stored preference, or the default one (not saved) when they never chose."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(
        user=user, email=default_email(user), language=settings.LANGUAGE_CODE
    )


def absolute_url(url: str) -> str:
    """A link an email can carry: the site's address (CAPACITY_SITE_URL) before the page's path."""
    if not url or "://" in url:
        return url
    return settings.CAPACITY_SITE_URL.rstrip("/") + url


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    dedupe_key: str = "",
    exclude: Any = None,
) -> list[Notification]:
    """Put a message in each recipient's inbox and email those who want email. Returns the new messages.

    People who are inactive, the person who acted (`exclude`), and (with a
    `dedupe_key`) anyone who already has a message with that key get nothing.
    """
    if kind not in kinds.registered():
        raise ValueError(f"No wording registered for the kind {kind!r}")
    excluded = getattr(exclude, "pk", exclude)
    people = {u.pk: u for u in recipients if u is not None and u.is_active and u.pk != excluded}
    if dedupe_key and people:
        already = Notification.objects.filter(recipient__in=list(people), dedupe_key=dedupe_key)
        for pk in already.values_list("recipient_id", flat=True):
            people.pop(pk, None)
    made = []
    for user in people.values():
        try:
            with transaction.atomic():
                made.append(
                    Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        params=params or {},
                        url=url[:300],
                        dedupe_key=dedupe_key[:200],
                    )
                )
        except IntegrityError:  # another process sent the same reminder a moment ago
            continue
    if made:
        _email(made, people)
    return made


def _email(messages: list[Notification], people: dict[int, Any]) -> None:
    chosen = {p.user_id: p for p in Preference.objects.filter(user__in=list(people))}
    for message in messages:
        user = people[message.recipient_id]
        preference = chosen.get(user.pk)
        wants = preference.email if preference else default_email(user)
        if not wants or not user.email:
            continue
        language = preference.language if preference else settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                subject = message.subject
                text = message.body
                if message.url:
                    text += "\n\n" + absolute_url(message.url)
            send_mail(subject, text, None, [user.email])
        except Exception:  # noqa: BLE001 - the inbox has the message; the mail server may be back tomorrow
            logger.exception("Could not email notification %s to %s", message.pk, user.pk)
            continue
        Notification.objects.filter(pk=message.pk).update(emailed_at=timezone.now())


def notify_on_commit(**kwargs: Any) -> None:
    """`notify` once the caller's transaction commits (at once outside a transaction).

    Robust: a failure is logged and never reaches the person whose action it follows.
    """
    transaction.on_commit(lambda: notify(**kwargs), robust=True)


def notification_read(*, notification: Notification, user: Any) -> None:
    """Mark the person's own message read (the view fetched it through the person's inbox)."""
    if notification.recipient_id != user.pk:
        raise ValueError("A person marks only their own messages read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_read_all(*, user: Any) -> int:
    """Mark every unread message of the person read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_set(
    *, user: User, email: bool | None = None, language: str | None = None
) -> Preference:
    """Record how the person wants to hear from Capacity (a person's own setting: not audited)."""
    preference = preference_of(user)
    if email is not None:
        preference.email = email
    if language is not None:
        preference.language = language
    preference.full_clean()
    preference.save()
    return preference


def remind(*, today: datetime.date | None = None) -> int:
    """Ask every reminder source what is overdue today and notify the people responsible.

    Each reminder goes to each person once per item and day: its dedupe key
    names the kind, the item and the day, so a second run the same day sends
    nothing. Returns how many messages were sent.
    """
    today = today or timezone.localdate()
    sent = 0
    for name, source in sorted(kinds.reminder_sources().items()):
        try:
            reminders = list(source(today))
        except Exception:  # noqa: BLE001 - one broken source does not stop the others
            logger.exception("The reminder source %s failed", name)
            continue
        for reminder in reminders:
            sent += len(
                notify(
                    recipients=reminder.recipients,
                    kind=reminder.kind,
                    params=reminder.params,
                    url=reminder.url,
                    dedupe_key=f"{reminder.kind}:{reminder.item}:{today.isoformat()}",
                )
            )
    return sent


def remind_daily(*, today: datetime.date | None = None) -> int | None:
    """Run `remind` if it has not run today (the day is kept in the database); None when it had.

    The worker calls this at start and every minute, so a restarted worker
    does not remind twice and a worker that was down at midnight catches up.
    The day is recorded after the run: two workers racing both run, and the
    dedupe keys keep each reminder single.
    """
    today = today or timezone.localdate()
    last = DailyRun.objects.filter(name=REMIND).values_list("last_day", flat=True).first()
    if last is not None and last >= today:
        return None
    sent = remind(today=today)
    DailyRun.objects.update_or_create(name=REMIND, defaults={"last_day": today})
    return sent
