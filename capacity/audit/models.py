"""The audit log: who did what sensitive thing, when, from where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "sign_out", _("Signed out")
    LOCKED_OUT = "locked_out", _("Locked out after repeated failures")
    USER_CREATED = "user_created", _("Person created")
    USER_DEACTIVATED = "user_deactivated", _("Person deactivated")
    MEMBERSHIP_GRANTED = "membership_granted", _("Role granted")
    MEMBERSHIP_REVOKED = "membership_revoked", _("Role removed")
    IMPORT_APPLIED = "import_applied", _("Import applied")
    IMPORT_REJECTED = "import_rejected", _("Import rejected")
    IMPORT_FAILED = "import_failed", _("Import failed")
    DEMO_LOADED = "demo_loaded", _("Demo province loaded")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    PLAN_CREATED = "plan_created", _("Improvement plan started")
    PLANS_CREATED = "plans_created", _("Focused-intervention plans started")
    PLAN_SUBMITTED = "plan_submitted", _("Improvement plan submitted")
    PLAN_ACCEPTED = "plan_accepted", _("Improvement plan accepted")
    PLAN_RETURNED = "plan_returned", _("Improvement plan returned")
    FOCUS_CLEARED = "focus_cleared", _("Focused intervention ended by the evidence")
    TIMELINE_SET = "timeline_set", _("Plan timeline set")
    RESULTS_UPLOADED = "results_uploaded", _("Results file uploaded")
    INSTRUMENT_LOADED = "instrument_loaded", _("Instrument definition loaded")
    ROUND_OPENED = "round_opened", _("Survey round opened")
    ROUND_CLOSED = "round_closed", _("Survey round closed")
    LIBRARY_LOADED = "library_loaded", _("Learning library content loaded")
    CASE_SUBMITTED = "case_submitted", _("Case study submitted for review")
    CASE_RETURNED = "case_returned", _("Case study returned to its authors")
    CASE_PUBLISHED = "case_published", _("Case study published")
    NETWORKS_SUGGESTED = "networks_suggested", _("Learning networks suggested from evidence")
    NETWORK_FORMED = "network_formed", _("Learning network formed from a suggestion")
    SUGGESTION_REJECTED = "network_suggestion_rejected", _("Network suggestion rejected")
    AGREEMENT_RECORDED = "network_agreement_recorded", _("Network working agreement recorded")
    IDENTIFICATION_PROPOSED = "identification_proposed", _("Identification proposed")
    IDENTIFICATION_DECIDED = "identification_decided", _("Identification decided")
    CAPACITY_GIVEN = "capacity_given", _("Capacity given to a school or board recorded")
    SUPPORT_ESCALATED = "support_escalated", _("Support request escalated to the ministry")

    PORTFOLIO_SAVED = (
        "portfolio_saved",
        _("Portfolio saved (a family of schools or a set of boards)"),
    )
    PORTFOLIO_DELETED = "portfolio_deleted", _("Portfolio deleted")
    DOCUMENTATION_ADDED = (
        "documentation_added",
        _("Pedagogical documentation added (with its consent)"),
    )
    DOCUMENTATION_REMOVED = (
        "documentation_removed",
        _("Pedagogical documentation removed (consent withdrawn or no longer needed)"),
    )
    BACKUP_MADE = "backup_made", _("Backup made (database and stored files)")
    BACKUP_RESTORED = "backup_restored", _("Backup restored (database and stored files)")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(
        _("by (as recorded)"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name typed or the command that acted, kept even if the person is deleted."
        ),
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    target = models.CharField(_("about"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.target}"
        )

    @property
    def readable_detail(self) -> list[tuple[str, str]]:
        """The detail as (label, text) pairs in the viewer's language (see details.py)."""
        from capacity.audit.details import readable

        return readable(self.detail)
