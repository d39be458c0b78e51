"""The learning library: modules and case studies, their versions, review comments and tags.

An `Item` is a module or a case study, named by its slug. Its words live in
`Version`s (numbered 1, 2, ... per item), each with one `Text` per language it is written
in. The version everyone reads is `Item.published`; the one its authors work on is
`Item.current` (the same row once published). A version's `state` says where it is in
the workflow (docs/learning.md "Authoring and publishing"):

    draft -> submitted -> published        (a coordinator publishes it)
                       -> returned         (a coordinator returns it with a comment;
                                            the authors' next edit starts a new version)

Versions are never deleted: earlier ones stay readable on the item's history page.
`Tag` rows copy the published version's characteristics and contexts of use so lists
and search filter in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    MODULE = "module", _("Module")
    CASE = "case", _("Case study")


class Origin(models.TextChoices):
    FILE = "file", _("Loaded from files")
    APP = "app", _("Written in Capacity")


class State(models.TextChoices):
    """The state of a version of a case study. The context lets French agree them with "version"
    and "étude de cas" (feminine), apart from the plans' masculine "Soumis pour examen"."""

    DRAFT = "draft", pgettext_lazy("case study state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("case study state", "Submitted for review")
    RETURNED = "returned", pgettext_lazy("case study state", "Returned to its authors")
    PUBLISHED = "published", pgettext_lazy("case study state", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("case study state", "Replaced by a later version")


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")


class BoardType(models.TextChoices):
    ENGLISH_PUBLIC = "english-public", _("English public")
    ENGLISH_CATHOLIC = "english-catholic", _("English Catholic")
    FRENCH_PUBLIC = "french-public", _("French public")
    FRENCH_CATHOLIC = "french-catholic", _("French Catholic")


class Context(models.TextChoices):
    """Seed 002's contexts of use for the resource."""

    MENTORING = "mentoring", _("Mentoring and coaching")
    NETWORKS = "networks", _("Learning networks")
    STUDY_GROUPS = "study-groups", _("Study groups")
    SUCCESSION = "succession-planning", _("Succession planning")
    BOARD_IMPROVEMENT = "board-improvement", _("Board improvement teams")
    LEADERSHIP_TEAMS = "leadership-development-teams", _("Leadership development teams")


class Item(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    board = models.ForeignKey(
        "directory.Board",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name=_("board writing it"),
        help_text=_("For a case study written in Capacity: the board whose story it is."),
    )
    number = models.PositiveSmallIntegerField(_("module number"), null=True, blank=True)
    published = models.ForeignKey(
        "learning.Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    current = models.ForeignKey(
        "learning.Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "number", "slug"]
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="module", number__isnull=False)
                | Q(kind="case", number__isnull=True),
                name="learning_item_module_number",
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(kind="module"),
                name="learning_item_one_module_number",
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class Version(models.Model):
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="versions", verbose_name=_("item")
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    # The front matter shared by the languages (board, board_type, year, characteristics,
    # contexts, schools; a module's number, case_studies, self_assessment, evaluation).
    facts = models.JSONField(_("facts"), default=dict)
    digest = models.CharField(_("content digest"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    # Counts saves: an edit names the revision it started from, so two people editing the
    # same draft never silently overwrite each other.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="learning_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.item.slug} v{self.number}"

    def text(self, language: str) -> Text | None:
        """This version's text in `language`, else in the other language, else None."""
        texts = {text.language: text for text in self.texts.all()}
        return texts.get(language) or next(iter(texts.values()), None)


class Text(models.Model):
    """One language of a version: what a reader reads."""

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="texts", verbose_name=_("version")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    themes = models.JSONField(_("themes"), default=list, blank=True)
    # A module's annotated agenda: [{"minutes": 15, "title": "...", "notes": "..."}, ...]
    agenda = models.JSONField(_("agenda"), default=list, blank=True)
    # The body's sections in order: [[heading, Markdown], ...]
    sections = models.JSONField(_("sections"), default=list)

    class Meta:
        ordering = ["version", "language"]
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="learning_text_language"),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"


class Comment(models.Model):
    """A note on a version under review: a coordinator's comment, a return's reason, a reply."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("Published")

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="comments", verbose_name=_("version")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.version}: {self.get_kind_display()}"


class Tag(models.Model):
    """A published item's characteristic or context of use, for filtering."""

    class Vocabulary(models.TextChoices):
        CHARACTERISTIC = "characteristic", _("Characteristic")
        CONTEXT = "context", _("Context of use")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="tags")
    vocabulary = models.CharField(max_length=20, choices=Vocabulary.choices)
    code = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "vocabulary", "code"], name="learning_tag_once"
            ),
        ]
        indexes = [models.Index(fields=["vocabulary", "code"])]

    def __str__(self) -> str:
        return f"{self.item.slug}: {self.vocabulary} {self.code}"


class Session(models.Model):
    """A module run by a board's or a school's team: when, who took part, the facilitator's notes.

    Its participants answer the module evaluation in a survey round of the instruments app
    (`evaluation`), so the facilitator reads only the group's figures, from the instrument's
    smallest reported group on.
    """

    module = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        related_name="sessions",
        limit_choices_to={"kind": Kind.MODULE},
        verbose_name=_("module"),
    )
    board = models.ForeignKey(
        "directory.Board",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_sessions",
        verbose_name=_("board"),
    )
    school = models.ForeignKey(
        "directory.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_sessions",
        verbose_name=_("school"),
    )
    held_on = models.DateField(_("date"))
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="learning_sessions", verbose_name=_("participants")
    )
    notes = models.TextField(_("notes"), blank=True, max_length=20000)
    evaluation = models.OneToOneField(
        "instruments.Round",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_session",
        verbose_name=_("module evaluation round"),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("module session")
        verbose_name_plural = _("module sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(board__isnull=False, school__isnull=True)
                | Q(board__isnull=True, school__isnull=False),
                name="learning_session_one_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.slug} {self.held_on}"


class SearchEntry(models.Model):
    """One language of an item's published version, as search reads it (capacity/learning/search.py).

    Rows are rebuilt from the published version whenever it changes, so a draft is never here.
    `board_type` copies the published facts so search filters without reading JSON. The
    `*_terms` columns hold the words folded and stemmed in Python for SQLite's FTS5 table
    (migration 0002 keeps that table in step with triggers); on PostgreSQL they stay empty and
    a `document` tsvector column, added by the migration outside the model, is searched instead.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="search_entries")
    language = models.CharField(max_length=2, choices=Language.choices)
    board_type = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    themes = models.TextField(blank=True)
    body = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="learning_search_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} ({self.language})"
