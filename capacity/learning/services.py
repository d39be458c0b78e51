"""Every write to the learning library: loading content files, and a case study's workflow.

Loading (`content_load`) stores what `content.load_dir` read: a new item gets version 1,
published; changed words or facts make a new published version (the earlier one stays
readable); the same files again change nothing. A file item may not take the slug of a
case study written in Capacity.

A case study written in Capacity moves draft -> submitted -> published, or back to its
authors with a coordinator's comment (see models.py). Edits name the revision they started
from, so two co-authors never silently overwrite each other; an edit to a returned or
published version starts the next version, so what was reviewed or read stays as it was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.directory.models import Board
from capacity.instruments.definition import Problem
from capacity.learning import content, notices
from capacity.learning.hooks import ON_PUBLISH
from capacity.learning.models import (
    Comment,
    Context,
    Item,
    Kind,
    Language,
    Origin,
    State,
    Tag,
    Text,
    Version,
)

WORKING = (State.DRAFT, State.SUBMITTED, State.RETURNED)
# First path segments under /learning/ that are pages, not items: a case study's slug (made from
# its title) never takes one, or "/learning/review/" would be both the queue and a case study.
# tests/learning/test_services.py checks that every such segment of learning/urls.py is here.
RESERVED_SLUGS = frozenset(
    {"api", "boards", "cases", "drafts", "guide", "modules", "new", "review", "search", "sessions"}
)
COMMENT_MAX = 4000


def _published(item: Item) -> None:
    Tag.objects.filter(item=item).delete()
    facts = item.published.facts if item.published else {}
    Tag.objects.bulk_create(
        [
            Tag(item=item, vocabulary=Tag.Vocabulary.CHARACTERISTIC, code=c)
            for c in facts.get("characteristics", [])
        ]
        + [
            Tag(item=item, vocabulary=Tag.Vocabulary.CONTEXT, code=c)
            for c in facts.get("contexts", [])
        ]
    )
    # Each callback registered in capacity/learning/hooks.py (the search indexer).
    for callback in ON_PUBLISH:
        callback(item)


def board_type_of(board: Board) -> str:
    """The library's board type (language and system) of a directory board; '' for the others."""
    if board.board_type not in (Board.Type.PUBLIC, Board.Type.CATHOLIC):
        return ""
    language = "french" if board.language == "fr" else "english"
    return f"{language}-{board.board_type}"


# --- loading content files ------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _facts(item: content.Item) -> dict[str, Any]:
    keys = [key for key in content.SHARED[item.kind] if key not in ("kind", "slug")]
    first = next(iter(item.versions.values())).front
    facts = {key: first[key] for key in keys if key in first}
    for optional in ("schools",):
        if optional in first:
            facts[optional] = first[optional]
    return facts


def _texts(item: content.Item) -> dict[str, dict[str, Any]]:
    out = {}
    for language, version in sorted(item.versions.items()):
        front = version.front
        out[language] = {
            "title": str(front["title"]),
            "summary": str(front["summary"]),
            "themes": [str(t) for t in front.get("themes", [])],
            "agenda": [dict(segment) for segment in front.get("agenda", [])],
            "sections": [[heading, text] for heading, text in version.sections],
        }
    return out


def _digest(facts: dict[str, Any], texts: dict[str, dict[str, Any]]) -> str:
    blob = json.dumps({"facts": facts, "texts": texts}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def _new_version(
    item: Item, *, state: str, facts: dict[str, Any], texts: dict[str, dict[str, Any]], user: Any
) -> Version:
    last = item.versions.order_by("-number").first()
    version = Version.objects.create(
        item=item,
        number=(last.number + 1) if last else 1,
        state=state,
        facts=facts,
        digest=_digest(facts, texts),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    Text.objects.bulk_create(
        Text(
            version=version,
            language=language,
            title=text["title"],
            summary=text["summary"],
            themes=text.get("themes", []),
            agenda=text.get("agenda", []),
            sections=text["sections"],
        )
        for language, text in texts.items()
    )
    return version


def _publish(item: Item, version: Version, user: Any) -> None:
    now = timezone.now()
    if item.published_id and item.published_id != version.pk:
        Version.objects.filter(pk=item.published_id).update(state=State.SUPERSEDED)
    version.state = State.PUBLISHED
    version.published_at = now
    version.decided_by = user if getattr(user, "is_authenticated", False) else None
    version.save(update_fields=["state", "published_at", "decided_by", "updated_at"])
    item.published = version
    item.current = version
    item.save(update_fields=["published", "current"])
    _published(item)


@transaction.atomic
def content_load(
    *, root: Path = content.SHIPPED, user: Any = None, actor_label: str = "", audit: bool = True
) -> LoadReport:
    """Load every module and case study under `root`; all or nothing (raises content.ContentError)."""
    items = content.load_dir(root)
    existing = {item.slug: item for item in Item.objects.select_related("published")}
    problems = [
        Problem(f"{item.slug}.*.md", None, "slug", "a case study written in Capacity has this slug")
        for item in items
        if item.slug in existing and existing[item.slug].origin == Origin.APP
    ]
    problems += [
        Problem(
            f"{item.slug}.*.md",
            None,
            "kind",
            f"{item.slug!r} is already a {existing[item.slug].kind}",
        )
        for item in items
        if item.slug in existing and existing[item.slug].kind != item.kind
    ]
    if problems:
        raise content.ContentError(problems)
    report = LoadReport()
    for parsed in items:
        facts, texts = _facts(parsed), _texts(parsed)
        digest = _digest(facts, texts)
        stored = existing.get(parsed.slug)
        if stored is not None and stored.published and stored.published.digest == digest:
            report.unchanged.append(parsed.slug)
            continue
        number = facts.get("number") if parsed.kind == Kind.MODULE else None
        if stored is None:
            clash = Item.objects.filter(kind=Kind.MODULE, number=number).first() if number else None
            if clash is not None:
                raise content.ContentError(
                    [
                        Problem(
                            f"{parsed.slug}.*.md",
                            None,
                            "number",
                            f"module {number} is {clash.slug!r}",
                        )
                    ]
                )
            stored = Item.objects.create(
                kind=parsed.kind, slug=parsed.slug, origin=Origin.FILE, number=number
            )
            report.created.append(parsed.slug)
        else:
            if number is not None and stored.number != number:
                stored.number = number
                stored.save(update_fields=["number"])
            report.updated.append(parsed.slug)
        version = _new_version(stored, state=State.PUBLISHED, facts=facts, texts=texts, user=user)
        _publish(stored, version, user)
    if audit and (report.created or report.updated):
        audit_record(
            action=Action.LIBRARY_LOADED,
            actor=user,
            actor_label=actor_label,
            target=str(root.name),
            detail={
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
            },
        )
    return report


def load_shipped(*, audit: bool = False) -> LoadReport:
    """The starter modules and case studies (the demo, and a fresh installation's library)."""
    return content_load(root=content.SHIPPED, actor_label="capacity demo", audit=audit)


# --- a case study written in Capacity ------------------------------------------------------


def authors_of(item: Item) -> frozenset[int]:
    """Who wrote the item: whoever started it or any of its versions."""
    ids = set(item.versions.exclude(created_by=None).values_list("created_by_id", flat=True))
    if item.created_by_id:
        ids.add(item.created_by_id)
    return frozenset(ids)


def _require_edit(user: Any, item: Item) -> None:
    if item.origin != Origin.APP or item.kind != Kind.CASE:
        raise PermissionDenied
    _read, edit = access.learning_item_rights(user, item, authors_of(item))
    if not edit:
        raise PermissionDenied


def _require_coordinator(user: Any) -> None:
    if not access.can_coordinate_learning(user):
        raise PermissionDenied


def check_case(
    *, facts: dict[str, Any], texts: dict[str, dict[str, Any]], complete: bool
) -> dict[str, list[str]]:
    """Field errors in a case study's facts and texts; `complete` also asks for every section.

    Texts are {language: {"title", "summary", "themes", "sections": [seven Markdown texts]}}.
    """
    errors: dict[str, list[str]] = {}
    characteristics = list(facts.get("characteristics", []))
    if (
        not 1 <= len(characteristics) <= 2
        or len(set(characteristics)) != len(characteristics)
        or any(c not in content.CHARACTERISTICS for c in characteristics)
    ):
        errors.setdefault("characteristics", []).append(
            _("Choose the one or two characteristics the case addresses.")
        )
    if any(c not in Context.values for c in facts.get("contexts", [])):
        errors.setdefault("contexts", []).append(_("Choose contexts of use from the list."))
    year = facts.get("year")
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 1990 <= year <= this_year:
        errors.setdefault("year", []).append(
            _("Give the year the work began, from 1990 to %(year)s.") % {"year": this_year}
        )
    if not texts:
        errors.setdefault("__all__", []).append(
            _("Write the case study in English, French or both.")
        )
    for language, text in texts.items():
        if language not in Language.values:
            errors.setdefault("__all__", []).append(
                _("A case study is written in English or French.")
            )
            continue
        if not str(text.get("title", "")).strip():
            errors.setdefault(f"{language}-title", []).append(_("Give the case study a title."))
        if len(str(text.get("title", ""))) > 300:
            errors.setdefault(f"{language}-title", []).append(
                _("Keep the title under 300 characters.")
            )
        if complete and not str(text.get("summary", "")).strip():
            errors.setdefault(f"{language}-summary", []).append(
                _("Say in a sentence or two what the case is about.")
            )
        sections = list(text.get("sections", []))
        if len(sections) != len(content.CASE_SECTIONS[language]):
            errors.setdefault("__all__", []).append(
                _("A case study answers the seven guiding questions.")
            )
            continue
        if complete:
            for index, body in enumerate(sections):
                if not str(body).strip():
                    errors.setdefault(f"{language}-section-{index + 1}", []).append(
                        _("Answer this question before submitting.")
                    )
    return errors


def _stored_texts(texts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The form's texts as stored: each section under its heading in the text's language."""
    out = {}
    for language, text in texts.items():
        headings = content.CASE_SECTIONS[language]
        out[language] = {
            "title": str(text["title"]).strip(),
            "summary": str(text.get("summary", "")).strip(),
            "themes": [str(t).strip() for t in text.get("themes", []) if str(t).strip()],
            "agenda": [],
            "sections": [
                [h, str(b).strip()] for h, b in zip(headings, text["sections"], strict=True)
            ],
        }
    return out


def _case_facts(board: Board, facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "board": board.name,
        "board_type": board_type_of(board),
        "year": facts["year"],
        "characteristics": list(facts["characteristics"]),
        "contexts": [c for c in Context.values if c in facts.get("contexts", [])],
        "schools": board.schools.count(),
    }


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "case-study")[:70].strip("-") or "case-study"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Item.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def case_draft_create(
    *, user: Any, board: Board, facts: dict[str, Any], texts: dict[str, dict[str, Any]]
) -> Item:
    """Start a case study of `board` (its leaders write it): version 1, a draft."""
    if not access.scope_for(user).may_act_for_board(board.pk):
        raise PermissionDenied
    errors = check_case(facts=facts, texts=texts, complete=False)
    if errors:
        raise ValidationError(errors)
    stored = _stored_texts(texts)
    first = stored.get("en") or stored["fr"]
    item = Item.objects.create(
        kind=Kind.CASE,
        slug=_unique_slug(first["title"]),
        origin=Origin.APP,
        board=board,
        created_by=user,
    )
    version = _new_version(
        item, state=State.DRAFT, facts=_case_facts(board, facts), texts=stored, user=user
    )
    item.current = version
    item.save(update_fields=["current"])
    return item


@transaction.atomic
def case_draft_update(
    *,
    user: Any,
    item: Item,
    revision: int,
    facts: dict[str, Any],
    texts: dict[str, dict[str, Any]],
) -> Version:
    """Save the authors' edit of the working version.

    `revision` is the one the editor started from: if someone saved since, nothing is saved
    and the error says so. A draft is edited in place; editing a returned or published
    version starts the next version (a draft), so what was reviewed stays as it was. A
    submitted version waits for the coordinator and cannot be edited.
    """
    # Lock the item row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer joins select_related makes (the same in the services below).
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("board", "current")
        .get(pk=item.pk)
    )
    _require_edit(user, item)
    current = item.current
    assert current is not None and item.board is not None
    if current.state == State.SUBMITTED:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "This version is with the coordinators; it can be edited once they return it."
                    )
                ]
            }
        )
    if current.revision != revision:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Someone saved this case study after you opened it. Your changes were not "
                        "saved: open it again to see theirs, then make yours."
                    )
                ]
            }
        )
    errors = check_case(facts=facts, texts=texts, complete=False)
    if errors:
        raise ValidationError(errors)
    stored = _stored_texts(texts)
    new_facts = _case_facts(item.board, facts)
    if current.state != State.DRAFT:
        version = _new_version(item, state=State.DRAFT, facts=new_facts, texts=stored, user=user)
        # Revisions go on counting across versions, so an edit begun on the returned version
        # can never match a revision of the draft that replaced it.
        version.revision = current.revision + 1
        version.save(update_fields=["revision"])
        item.current = version
        item.save(update_fields=["current"])
        return version
    current.texts.all().delete()
    Text.objects.bulk_create(
        Text(
            version=current,
            language=language,
            sections=text["sections"],
            **{key: text[key] for key in ("title", "summary", "themes", "agenda")},
        )
        for language, text in stored.items()
    )
    current.facts = new_facts
    current.digest = _digest(new_facts, stored)
    current.revision += 1
    current.save(update_fields=["facts", "digest", "revision", "updated_at"])
    return current


def _comment_text(text: str, field: str, *, required: str = "") -> str:
    """The comment as stored (stripped); `required` is the error when it may not be empty."""
    text = text.strip()
    if required and not text:
        raise ValidationError({field: [required]})
    if len(text) > COMMENT_MAX:
        raise ValidationError({field: [_("Keep a comment under 4,000 characters.")]})
    return text


def _texts_of(version: Version) -> dict[str, dict[str, Any]]:
    return {
        text.language: {
            "title": text.title,
            "summary": text.summary,
            "themes": text.themes,
            "sections": [body for _heading, body in text.sections],
        }
        for text in version.texts.all()
    }


@transaction.atomic
def case_submit(*, user: Any, item: Item) -> Version:
    """Send the working draft to the coordinators; every question must be answered."""
    item = Item.objects.select_for_update(of=("self",)).select_related("current").get(pk=item.pk)
    _require_edit(user, item)
    version = item.current
    assert version is not None
    if version.state != State.DRAFT:
        raise ValidationError({"__all__": [_("Only a draft is submitted.")]})
    facts = dict(version.facts)
    errors = check_case(facts=facts, texts=_texts_of(version), complete=True)
    if errors:
        raise ValidationError(errors)
    version.state = State.SUBMITTED
    version.submitted_at = timezone.now()
    version.revision += 1
    version.save(update_fields=["state", "submitted_at", "revision", "updated_at"])
    audit_record(
        action=Action.CASE_SUBMITTED,
        actor=user,
        target=item.slug,
        detail={"case_version": version.number},
    )
    notices.case_submitted(item=item, version=version, by=user)
    return version


@transaction.atomic
def case_return(*, user: Any, item: Item, comment: str) -> Version:
    """A coordinator sends the submitted version back to its authors, saying why."""
    _require_coordinator(user)
    item = Item.objects.select_for_update(of=("self",)).select_related("current").get(pk=item.pk)
    version = item.current
    if version is None or version.state != State.SUBMITTED:
        raise ValidationError({"__all__": [_("Only a submitted case study is returned.")]})
    comment = _comment_text(comment, "comment", required=_("Say what the authors should change."))
    Comment.objects.create(version=version, kind=Comment.Kind.RETURNED, author=user, text=comment)
    version.state = State.RETURNED
    version.decided_by = user
    version.revision += 1
    version.save(update_fields=["state", "decided_by", "revision", "updated_at"])
    audit_record(
        action=Action.CASE_RETURNED,
        actor=user,
        target=item.slug,
        detail={"case_version": version.number},
    )
    notices.case_returned(item=item, version=version, by=user, authors=authors_of(item))
    return version


@transaction.atomic
def case_publish(*, user: Any, item: Item, comment: str = "") -> Version:
    """A coordinator publishes the submitted version: every signed-in person can read it."""
    _require_coordinator(user)
    item = Item.objects.select_for_update(of=("self",)).select_related("current").get(pk=item.pk)
    version = item.current
    if version is None or version.state != State.SUBMITTED:
        raise ValidationError({"__all__": [_("Only a submitted case study is published.")]})
    comment = _comment_text(comment, "comment")
    if comment:
        Comment.objects.create(
            version=version, kind=Comment.Kind.PUBLISHED, author=user, text=comment
        )
    version.revision += 1
    version.save(update_fields=["revision"])
    _publish(item, version, user)
    audit_record(
        action=Action.CASE_PUBLISHED,
        actor=user,
        target=item.slug,
        detail={"case_version": version.number},
    )
    notices.case_published(item=item, version=version, by=user, authors=authors_of(item))
    return version


@transaction.atomic
def comment_add(*, user: Any, version: Version, text: str) -> Comment:
    """A comment on a version under review, by a coordinator or one of the item's editors.

    Only the item's working version takes comments: a returned version the authors have
    since replaced with a new draft is history, like a published one.
    """
    item = Item.objects.select_for_update().get(pk=version.item_id)
    _read, edit = access.learning_item_rights(user, item, authors_of(item))
    if not (edit or access.can_coordinate_learning(user)):
        raise PermissionDenied
    if version.state not in WORKING or version.pk != item.current_id:
        raise ValidationError({"text": [_("Comments are for versions being written or reviewed.")]})
    text = _comment_text(text, "text", required=_("Write a comment."))
    return Comment.objects.create(version=version, author=user, text=text)
