"""A case study's workflow in the services: who may write, submit, return, publish and comment,
revision checks, versions kept, and who is told.

Personas (tests/conftest.py): board A's leader writes board A's case studies; board B's leader
(made here) leads another board; the trustee of A reads A's drafts; A1's principal and teacher,
the network's facilitator and B1's principal read only what is published; the ministry officer
coordinates the library.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import URLPattern, get_resolver
from django.utils import translation

from capacity.audit.models import Action, AuditEntry
from capacity.directory.models import Role
from capacity.learning import selectors, services
from capacity.learning.models import Comment, Item, State, Tag
from capacity.notifications import kinds
from capacity.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FACTS = {"year": 2017, "characteristics": ["evidence"], "contexts": ["networks"]}
READ_ONLY = ("trustee_a", "principal_a1", "teacher_a1", "facilitator", "principal_b1", "team_a1")
OUTSIDERS = ("principal_a1", "teacher_a1", "facilitator", "principal_b1", "team_a1")


def text(title: str = "Reading the data together", *, answered: bool = True) -> dict[str, Any]:
    return {
        "title": title,
        "summary": "How a board learned to read its results in teams." if answered else "",
        "themes": ["data", "teams"],
        "sections": [f"Answer {n}." if answered else "" for n in range(1, 8)],
    }


def draft(world, *, answered: bool = True, languages: tuple[str, ...] = ("en",)) -> Item:
    return services.case_draft_create(
        user=world.personas["board_a"],
        board=world.board_a,
        facts=FACTS,
        texts={language: text(answered=answered) for language in languages},
    )


def submitted(world) -> Item:
    item = draft(world)
    services.case_submit(user=world.personas["board_a"], item=item)
    item.refresh_from_db()
    return item


@pytest.fixture
def leader_b(world):
    user = UserFactory(username="leader_b")
    MembershipFactory(user=user, role=Role.BOARD_LEADER, board=world.board_b)
    return user


def who(world, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    people = {name: user for name, user in world.personas.items() if user is not None}
    return {**people, **(extra or {})}


# --- writing a draft ----------------------------------------------------------------------


def test_a_board_leader_starts_a_draft_of_their_board_as_version_one(world) -> None:
    item = draft(world, languages=("en", "fr"))
    assert item.board == world.board_a and item.created_by == world.personas["board_a"]
    version = item.current
    assert version is not None and version.number == 1 and version.state == State.DRAFT
    assert sorted(t.language for t in version.texts.all()) == ["en", "fr"]
    headings = [h for h, _body in version.texts.get(language="fr").sections]
    assert headings[0] == "Les caractéristiques visées"
    assert version.facts["board"] == world.board_a.name
    assert item.published is None


@pytest.mark.parametrize("persona", ["ministry", *READ_ONLY, "leader_b"])
def test_it_refuses_a_draft_of_board_a_by_anyone_but_its_leaders(world, leader_b, persona) -> None:
    with pytest.raises(PermissionDenied):
        services.case_draft_create(
            user=who(world, {"leader_b": leader_b})[persona],
            board=world.board_a,
            facts=FACTS,
            texts={"en": text()},
        )
    assert not Item.objects.exists()


def test_it_refuses_a_draft_without_title_characteristics_or_year_field_by_field(world) -> None:
    with pytest.raises(ValidationError) as raised:
        services.case_draft_create(
            user=world.personas["board_a"],
            board=world.board_a,
            facts={"year": 1850, "characteristics": ["evidence", "evidence"], "contexts": []},
            texts={"fr": {**text(), "title": " "}},
        )
    assert set(raised.value.message_dict) == {"year", "characteristics", "fr-title"}


def test_a_title_that_names_a_page_does_not_become_its_slug(world) -> None:
    item = services.case_draft_create(
        user=world.personas["board_a"],
        board=world.board_a,
        facts=FACTS,
        texts={"en": text("Review")},
    )
    assert item.slug == "review-2"


def test_every_one_word_learning_page_is_a_reserved_slug() -> None:
    """A slug that is also a page's path would make one of them unreachable."""
    from capacity.learning import urls

    words = {
        str(p.pattern).split("/")[1]
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and str(p.pattern).count("/") >= 2
    } - {"<slug:slug>", ""}
    assert words <= services.RESERVED_SLUGS
    assert get_resolver().resolve("/learning/drafts/").url_name == "learning_drafts"
    assert get_resolver().resolve("/learning/review/").url_name == "learning_review"
    assert get_resolver().resolve("/learning/cases/new/").url_name == "learning_case_new"


def test_a_draft_is_edited_in_place_and_its_revision_counts_the_saves(world) -> None:
    item = draft(world)
    version = item.current
    assert version is not None
    saved = services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=version.revision,
        facts=FACTS,
        texts={"en": text("A better title")},
    )
    assert saved.pk == version.pk and saved.revision == version.revision + 1
    assert saved.texts.get().title == "A better title"


def test_it_refuses_an_edit_begun_before_someone_else_saved(world) -> None:
    item = draft(world)
    version = item.current
    assert version is not None
    services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=version.revision,
        facts=FACTS,
        texts={"en": text("Theirs")},
    )
    with pytest.raises(ValidationError, match="Someone saved"):
        services.case_draft_update(
            user=world.personas["board_a"],
            item=item,
            revision=version.revision,
            facts=FACTS,
            texts={"en": text("Mine")},
        )
    assert item.versions.get().texts.get().title == "Theirs"


def test_it_refuses_an_edit_of_a_returned_version_after_a_colleague_started_the_next(
    world,
) -> None:
    """Revisions go on across versions: the new draft's revisions never repeat the returned one's."""
    item = submitted(world)
    services.case_return(user=world.personas["ministry"], item=item, comment="More evidence.")
    item.refresh_from_db()
    assert item.current is not None
    seen = item.current.revision  # the edit form opened on the returned version
    leader = world.personas["board_a"]
    revision = seen
    for n in range(3):  # a colleague saves three times: version 2 reaches the same count
        revision = services.case_draft_update(
            user=leader, item=item, revision=revision, facts=FACTS, texts={"en": text(f"v{n}")}
        ).revision
    with pytest.raises(ValidationError, match="Someone saved"):
        services.case_draft_update(
            user=leader, item=item, revision=seen, facts=FACTS, texts={"en": text("Stale")}
        )


@pytest.mark.parametrize("persona", ["ministry", *READ_ONLY, "leader_b"])
def test_only_the_authors_and_the_boards_leaders_edit_a_draft(world, leader_b, persona) -> None:
    item = draft(world)
    assert item.current is not None
    with pytest.raises(PermissionDenied):
        services.case_draft_update(
            user=who(world, {"leader_b": leader_b})[persona],
            item=item,
            revision=item.current.revision,
            facts=FACTS,
            texts={"en": text("Taken over")},
        )


def test_a_second_leader_of_the_board_edits_the_draft_as_a_co_author(world) -> None:
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, role=Role.BOARD_LEADER, board=world.board_a)
    item = draft(world)
    assert item.current is not None
    services.case_draft_update(
        user=colleague, item=item, revision=item.current.revision, facts=FACTS, texts={"en": text()}
    )
    assert services.authors_of(item) == {world.personas["board_a"].pk}  # edited in place


def test_an_author_who_no_longer_leads_the_board_reads_the_draft_but_does_not_edit_it(
    world,
) -> None:
    from capacity.directory import access
    from capacity.directory.models import Membership

    author = UserFactory(username="author_leaving")
    MembershipFactory(user=author, role=Role.BOARD_LEADER, board=world.board_a)
    item = services.case_draft_create(
        user=author, board=world.board_a, facts=FACTS, texts={"en": text()}
    )
    Membership.objects.filter(user=author).delete()
    access.forget_scope(author)
    MembershipFactory(user=author, role=Role.PRINCIPAL, school=world.school_a1)
    access.forget_scope(author)
    item.refresh_from_db()
    assert item.current is not None
    selectors.get_item_for_user(author, item.slug)  # still readable: they wrote it
    with pytest.raises(PermissionDenied):
        services.case_draft_update(
            user=author,
            item=item,
            revision=item.current.revision,
            facts=FACTS,
            texts={"en": text()},
        )


# --- submitting ---------------------------------------------------------------------------


def test_submitting_refuses_unanswered_questions_and_names_each(world) -> None:
    item = draft(world, answered=False)
    with pytest.raises(ValidationError) as raised:
        services.case_submit(user=world.personas["board_a"], item=item)
    keys = set(raised.value.message_dict)
    assert {f"en-section-{n}" for n in range(1, 8)} | {"en-summary"} == keys
    item.refresh_from_db()
    assert item.current is not None and item.current.state == State.DRAFT


@pytest.mark.parametrize("persona", ["ministry", *READ_ONLY, "leader_b"])
def test_only_its_editors_submit_a_draft(world, leader_b, persona) -> None:
    item = draft(world)
    with pytest.raises(PermissionDenied):
        services.case_submit(user=who(world, {"leader_b": leader_b})[persona], item=item)


def test_a_submitted_version_waits_for_the_coordinators_and_is_not_edited(world) -> None:
    item = submitted(world)
    assert item.current is not None and item.current.state == State.SUBMITTED
    assert AuditEntry.objects.filter(action=Action.CASE_SUBMITTED, target=item.slug).exists()
    with pytest.raises(ValidationError, match="with the coordinators"):
        services.case_draft_update(
            user=world.personas["board_a"],
            item=item,
            revision=item.current.revision,
            facts=FACTS,
            texts={"en": text()},
        )
    assert list(selectors.to_review(world.personas["ministry"])) == [item]
    assert not selectors.to_review(world.personas["board_a"]).exists()


# --- returning and publishing ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["board_a", *READ_ONLY, "leader_b"])
def test_only_a_coordinator_returns_or_publishes(world, leader_b, persona) -> None:
    item = submitted(world)
    user = who(world, {"leader_b": leader_b})[persona]
    with pytest.raises(PermissionDenied):
        services.case_return(user=user, item=item, comment="No.")
    with pytest.raises(PermissionDenied):
        services.case_publish(user=user, item=item)
    item.refresh_from_db()
    assert item.current is not None and item.current.state == State.SUBMITTED


def test_a_return_needs_a_comment_of_reasonable_length(world) -> None:
    item = submitted(world)
    for comment in ("  ", "x" * 4001):
        with pytest.raises(ValidationError):
            services.case_return(user=world.personas["ministry"], item=item, comment=comment)
    with pytest.raises(ValidationError):
        services.case_publish(user=world.personas["ministry"], item=item, comment="x" * 4001)
    assert not Comment.objects.exists()


def test_a_returned_version_is_kept_and_the_next_edit_starts_version_two(world) -> None:
    item = submitted(world)
    services.case_return(user=world.personas["ministry"], item=item, comment="Add evidence.")
    item.refresh_from_db()
    returned = item.current
    assert returned is not None and returned.state == State.RETURNED
    assert returned.comments.get().kind == Comment.Kind.RETURNED
    version = services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=returned.revision,
        facts=FACTS,
        texts={"en": text("With evidence")},
    )
    assert version.number == 2 and version.state == State.DRAFT
    returned.refresh_from_db()
    assert returned.state == State.RETURNED
    assert returned.texts.get().title == "Reading the data together"  # what was reviewed stays


def test_publishing_makes_it_everyones_and_keeps_earlier_versions_readable(world) -> None:
    item = submitted(world)
    ministry = world.personas["ministry"]
    services.case_publish(user=ministry, item=item, comment="Thank you.")
    item.refresh_from_db()
    assert item.published == item.current and item.published is not None
    assert set(Tag.objects.filter(item=item).values_list("code", flat=True)) == {
        "evidence",
        "networks",
    }
    # A new version, published too: the first is superseded and still readable by everyone.
    leader = world.personas["board_a"]
    services.case_draft_update(
        user=leader,
        item=item,
        revision=item.published.revision,
        facts=FACTS,
        texts={"en": text("Second edition")},
    )
    item.refresh_from_db()
    assert item.published.number == 1 and item.current is not None and item.current.number == 2
    services.case_submit(user=leader, item=item)
    services.case_publish(user=ministry, item=item)
    item.refresh_from_db()
    assert item.published.number == 2
    teacher_b = world.personas["principal_b1"]
    found, rights = selectors.get_item_for_user(teacher_b, item.slug)
    numbers = [v.number for v in selectors.versions_for_user(found, rights)]
    assert numbers == [2, 1]
    first = selectors.get_version_for_user(found, rights, 1)
    assert (
        first.state == State.SUPERSEDED and first.texts.get().title == "Reading the data together"
    )


def test_only_a_submitted_version_is_returned_or_published(world) -> None:
    item = draft(world)
    with pytest.raises(ValidationError):
        services.case_publish(user=world.personas["ministry"], item=item)
    with pytest.raises(ValidationError):
        services.case_return(user=world.personas["ministry"], item=item, comment="No.")


# --- comments -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ministry", "board_a"])
def test_coordinators_and_editors_comment_on_the_working_version(world, persona) -> None:
    item = submitted(world)
    assert item.current is not None
    comment = services.comment_add(user=world.personas[persona], version=item.current, text=" Ok ")
    assert comment.text == "Ok" and comment.kind == Comment.Kind.COMMENT


@pytest.mark.parametrize("persona", [*READ_ONLY, "leader_b"])
def test_readers_do_not_comment(world, leader_b, persona) -> None:
    item = submitted(world)
    assert item.current is not None
    with pytest.raises(PermissionDenied):
        services.comment_add(
            user=who(world, {"leader_b": leader_b})[persona], version=item.current, text="Hi"
        )


def test_a_replaced_returned_version_takes_no_more_comments(world) -> None:
    item = submitted(world)
    services.case_return(user=world.personas["ministry"], item=item, comment="Add evidence.")
    item.refresh_from_db()
    returned = item.current
    assert returned is not None
    services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=returned.revision,
        facts=FACTS,
        texts={"en": text()},
    )
    with pytest.raises(ValidationError):
        services.comment_add(user=world.personas["ministry"], version=returned, text="Late")


# --- who reads what -------------------------------------------------------------------------


def test_drafts_are_read_by_their_authors_board_and_coordinators_only(world, leader_b) -> None:
    item = draft(world)
    readers = {"ministry", "board_a", "trustee_a"}
    for name, user in who(world, {"leader_b": leader_b}).items():
        assert (item in selectors.drafts_for(user)) is (name in readers), name
        if name in readers:
            assert selectors.get_item_for_user(user, item.slug)[1].read_drafts
        else:
            with pytest.raises(Exception) as raised:
                selectors.get_item_for_user(user, item.slug)
            assert raised.type.__name__ == "Http404"


def test_a_published_case_is_read_by_every_signed_in_person_without_its_drafts(world) -> None:
    item = submitted(world)
    services.case_publish(user=world.personas["ministry"], item=item)
    for name, user in world.personas.items():
        if user is None:
            continue
        found, rights = selectors.get_item_for_user(user, item.slug)
        assert found == item, name
        assert rights.read_drafts is (name in {"ministry", "board_a", "trustee_a"}), name


# --- who is told -------------------------------------------------------------------------------


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_submit_tells_the_coordinators_and_return_and_publish_tell_the_editors(
    world, django_capture_on_commit_callbacks
) -> None:
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, role=Role.BOARD_LEADER, board=world.board_a)
    other_officer = UserFactory(username="officer_2")
    MembershipFactory(user=other_officer, role=Role.MINISTRY_OFFICER, province=world.province)
    with django_capture_on_commit_callbacks(execute=True):
        item = submitted(world)
    assert _told("case_submitted") == {"ministry", "officer_2"}
    message = Notification.objects.filter(kind="case_submitted").first()
    assert message is not None and message.url == f"/learning/{item.slug}/draft/"
    with django_capture_on_commit_callbacks(execute=True):
        services.case_return(user=world.personas["ministry"], item=item, comment="More.")
    assert _told("case_returned") == {"board_a", "colleague"}  # not the officer who acted
    item.refresh_from_db()
    assert item.current is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.case_draft_update(
            user=world.personas["board_a"],
            item=item,
            revision=item.current.revision,
            facts=FACTS,
            texts={"fr": text("Lire les données ensemble")},
        )
        services.case_submit(user=world.personas["board_a"], item=item)
        services.case_publish(user=other_officer, item=item)
    assert _told("case_published") == {"board_a", "colleague"}
    published = Notification.objects.get(kind="case_published", recipient__username="board_a")
    assert published.url == f"/learning/{item.slug}/"
    with translation.override("fr"):
        subject = kinds.subject("case_published", published.params)
    assert "Lire les données ensemble" in subject


def test_a_refused_step_tells_nobody(world, django_capture_on_commit_callbacks) -> None:
    item = draft(world, answered=False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.case_submit(user=world.personas["board_a"], item=item)
    assert not Notification.objects.exists()
