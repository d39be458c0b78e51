"""Messages to people (the inbox, and email), each person's preferences, and the daily reminder run.

A message keeps what happened (`kind` and `params`), never its text: the text is
rendered from the kind's registered wording (capacity/notifications/kinds.py) in
the language of whoever reads it, so one message reads in English on the page of
an English reader and in French in a French reader's email.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Language


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # A reminder names what it reminds of and the day, so that a second run the same day sends nothing.
    dedupe_key = models.CharField(_("once-only key"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.recipient_id}"

    @property
    def subject(self) -> str:
        """The message's subject in the active language."""
        from capacity.notifications import kinds

        return kinds.subject(self.kind, self.params)

    @property
    def body(self) -> str:
        from capacity.notifications import kinds

        return kinds.body(self.kind, self.params)


class Preference(models.Model):
    """How one person wants to hear: by email or in the inbox only, and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    email = models.BooleanField(_("send me email too"), default=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}{' email' if self.email else ''}"


class DailyRun(models.Model):
    """The last day a daily job ran, kept in the database so that a restarted worker does not repeat it."""

    name = models.CharField(_("job"), max_length=40, unique=True)
    last_day = models.DateField(_("last run"))

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")

    def __str__(self) -> str:
        return f"{self.name} {self.last_day}"
