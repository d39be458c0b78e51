"""Instruments loaded from their definitions (capacity/instruments/definition.py).

The definition itself is kept as JSON: the app reads it back with
`definition.from_json`. A survey round will keep its own copy of the definition it
opened with, so loading another wording never changes a round under way.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RATING = "rating", _("Rating scale")
    RUBRIC = "rubric", _("Rubric")
    CHECKLIST = "checklist", _("Checklist")
    PROFILE = "profile", _("Rating and class profile")
    REGISTER = "register", _("Register")
    REFERENCE = "reference", _("Reference model")


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    definition = models.JSONField(_("definition"))
    structure_digest = models.CharField(_("structure digest"), max_length=64)
    content_digest = models.CharField(_("content digest"), max_length=64)
    source_file = models.CharField(
        _("loaded from"), max_length=300, help_text=_("The file name the definition came from.")
    )
    shipped = models.BooleanField(
        _("shipped with Capacity"),
        default=False,
        help_text=_("False once an organisation has loaded its own wording."),
    )
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return f"{self.name_en} (v{self.version})"
