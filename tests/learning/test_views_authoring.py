"""The authoring pages as people use them: the form (new and edit, one or two languages, errors,
conflicts), the draft page and its actions, the lists of drafts and of case studies to review.

Who may open each page is in tests/test_authorization.py and who may post in
tests/test_authorization_writes.py; here, what the pages do.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from capacity.directory.models import Role
from capacity.learning import services
from capacity.learning.models import Comment, Item, State
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FACTS = {"year": 2017, "characteristics": ["evidence"], "contexts": ["networks"]}


def as_(client: Client, world, persona: str) -> Client:
    client.force_login(world.personas[persona])
    return client


def form_data(world, language: str = "en", *, answered: bool = True, **extra: Any) -> dict:
    data: dict[str, Any] = {
        "languages": [language],
        "board": str(world.board_a.pk),
        "year": "2016",
        "characteristics": ["evidence", "alignment"],
        "contexts": ["mentoring"],
        f"{language}-title": "Des données lues en équipe" if language == "fr" else "Data in teams",
        f"{language}-summary": "Un résumé." if language == "fr" else "A summary.",
        f"{language}-themes": "données, équipes",
    }
    for n in range(1, 8):
        data[f"{language}-section_{n}"] = f"Réponse **{n}**." if answered else ""
    data.update(extra)
    return data


def case(world, *, answered: bool = True) -> Item:
    body = {
        "title": "Reading the data together",
        "summary": "A summary." if answered else "",
        "themes": [],
        "sections": [f"Answer {n}." if answered else "" for n in range(1, 8)],
    }
    return services.case_draft_create(
        user=world.personas["board_a"], board=world.board_a, facts=FACTS, texts={"en": body}
    )


# --- the form -----------------------------------------------------------------------------------


def test_the_new_form_asks_the_seven_questions_in_the_interface_language(client, world) -> None:
    page = as_(client, world, "board_a").get("/learning/cases/new/", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert 'name="fr-section_1"' in html and 'name="en-section_1"' not in html
    assert "Les caractéristiques visées" in html and "Conseils aux autres" in html
    assert 'type="hidden" name="board"' in html  # one board led: not asked
    assert "Markdown" in html
    assert 'name="add_language" value="en"' in html


def test_a_leader_of_two_boards_chooses_the_board(client, world) -> None:
    MembershipFactory(user=world.personas["board_a"], role=Role.BOARD_LEADER, board=world.board_b)
    html = as_(client, world, "board_a").get("/learning/cases/new/").content.decode()
    assert '<select name="board"' in html and world.board_b.name in html


def test_adding_the_second_language_keeps_what_was_typed_and_saves_nothing(client, world) -> None:
    data = form_data(world, "fr", add_language="en")
    page = as_(client, world, "board_a").post("/learning/cases/new/", data)
    html = page.content.decode()
    assert page.status_code == 200 and not Item.objects.exists()
    assert 'name="en-section_1"' in html and 'name="fr-section_1"' in html
    assert "Réponse **7**." in html and "Des données lues en équipe" in html
    assert "field-error" not in html


def test_removing_a_language_keeps_the_other(client, world) -> None:
    data = {**form_data(world, "fr"), **form_data(world, "en")}
    data["languages"] = ["en", "fr"]
    page = as_(client, world, "board_a").post(
        "/learning/cases/new/", {**data, "remove_language": "en"}
    )
    html = page.content.decode()
    assert 'name="en-title"' not in html and "Des données lues en équipe" in html


def test_a_new_case_study_in_both_languages_is_saved_as_a_draft(client, world) -> None:
    data = {**form_data(world, "fr"), **form_data(world, "en")}
    data["languages"] = ["en", "fr"]
    page = as_(client, world, "board_a").post("/learning/cases/new/", data)
    item = Item.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/learning/{item.slug}/draft/"
    assert item.current is not None and item.current.state == State.DRAFT
    fr = item.current.texts.get(language="fr")
    assert fr.themes == ["données", "équipes"] and fr.sections[6][1] == "Réponse **7**."
    assert item.current.facts["characteristics"] == ["evidence", "alignment"]


def test_errors_are_shown_by_their_fields_and_nothing_typed_is_lost(client, world) -> None:
    data = form_data(world, "fr", year="1850", characteristics=[])
    data["fr-title"] = ""
    html = as_(client, world, "board_a").post("/learning/cases/new/", data).content.decode()
    assert not Item.objects.exists()
    assert html.count('class="field has-error"') == 3  # year, characteristics, title
    assert "Réponse **5**." in html and "Un résumé." in html


def test_a_board_never_offered_is_refused(client, world) -> None:
    data = form_data(world, board=str(world.board_b.pk))
    assert as_(client, world, "board_a").post("/learning/cases/new/", data).status_code == 403


def test_the_edit_form_opens_with_the_draft_and_saves_it(client, world) -> None:
    item = case(world)
    assert item.current is not None
    client = as_(client, world, "board_a")
    html = client.get(f"/learning/{item.slug}/edit/").content.decode()
    assert "Reading the data together" in html and "Answer 7." in html
    assert f'name="revision" value="{item.current.revision}"' in html
    data = form_data(world, revision=str(item.current.revision))
    assert client.post(f"/learning/{item.slug}/edit/", data).status_code == 302
    item.current.refresh_from_db()
    assert item.current.texts.get().title == "Data in teams"


def test_a_conflict_keeps_the_persons_text_and_says_what_happened(client, world) -> None:
    item = case(world)
    assert item.current is not None
    seen = item.current.revision
    services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=seen,
        facts=FACTS,
        texts={
            "en": {"title": "Theirs", "summary": "", "themes": [], "sections": [""] * 7},
        },
    )
    data = form_data(world, revision=str(seen))
    data["en-section_3"] = "My long answer"
    page = as_(client, world, "board_a").post(f"/learning/{item.slug}/edit/", data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Someone saved this case study after you opened it" in html
    assert "My long answer" in html
    assert f'name="revision" value="{seen + 1}"' in html  # saving again now keeps theirs out
    item.current.refresh_from_db()
    assert item.current.texts.get().title == "Theirs"
    again = as_(client, world, "board_a").post(
        f"/learning/{item.slug}/edit/", {**data, "revision": str(seen + 1)}
    )
    assert again.status_code == 302


def test_a_submitted_case_is_not_opened_for_editing(client, world) -> None:
    item = case(world)
    services.case_submit(user=world.personas["board_a"], item=item)
    page = as_(client, world, "board_a").get(f"/learning/{item.slug}/edit/")
    assert page.status_code == 302 and page["Location"] == f"/learning/{item.slug}/draft/"


# --- the draft page and its actions -----------------------------------------------------------


def test_the_draft_page_shows_the_text_as_readers_will_and_the_authors_actions(
    client, world
) -> None:
    item = case(world)
    html = as_(client, world, "board_a").get(f"/learning/{item.slug}/draft/").content.decode()
    assert "<h3>Where we started</h3>" in html and "Answer 3." in html
    assert "Draft" in html and "Learning networks" in html
    assert f"/learning/{item.slug}/edit/" in html and f"/learning/{item.slug}/submit/" in html
    assert f"/learning/{item.slug}/publish/" not in html


def test_a_trustee_reads_the_draft_without_actions(client, world) -> None:
    item = case(world)
    html = as_(client, world, "trustee_a").get(f"/learning/{item.slug}/draft/").content.decode()
    assert "Answer 3." in html and '<form method="post" action="/learning/' not in html


def test_markdown_in_an_answer_is_rendered_and_html_is_not(client, world) -> None:
    item = case(world)
    assert item.current is not None
    body = {
        "title": "T",
        "summary": "S",
        "themes": [],
        "sections": ["**bold**", "<script>x</script>", *["a"] * 5],
    }
    services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=item.current.revision,
        facts=FACTS,
        texts={"en": body},
    )
    html = as_(client, world, "board_a").get(f"/learning/{item.slug}/draft/").content.decode()
    assert "<strong>bold</strong>" in html and "<script>x" not in html


def test_submit_return_edit_resubmit_publish_through_the_pages(client, world) -> None:
    item = case(world)
    leader, officer = Client(), Client()
    leader.force_login(world.personas["board_a"])
    officer.force_login(world.personas["ministry"])
    assert leader.post(f"/learning/{item.slug}/submit/").status_code == 302
    review = officer.get("/learning/review/").content.decode()
    assert f"/learning/{item.slug}/draft/" in review
    draft = officer.get(f"/learning/{item.slug}/draft/").content.decode()
    assert f"/learning/{item.slug}/return/" in draft and f"/learning/{item.slug}/publish/" in draft
    returned = officer.post(f"/learning/{item.slug}/return/", {"text": "Say more about year two."})
    assert returned.status_code == 302
    page = leader.get(f"/learning/{item.slug}/draft/").content.decode()
    assert "Say more about year two." in page and "Returned" in page
    item.refresh_from_db()
    assert item.current is not None
    data = form_data(world, revision=str(item.current.revision))
    assert leader.post(f"/learning/{item.slug}/edit/", data).status_code == 302
    assert leader.post(f"/learning/{item.slug}/submit/").status_code == 302
    assert officer.post(f"/learning/{item.slug}/publish/", {"text": ""}).status_code == 302
    item.refresh_from_db()
    assert item.published is not None and item.published.number == 2
    # Version 1, returned, is still readable by the draft's readers.
    old = leader.get(f"/learning/{item.slug}/draft/?version=1").content.decode()
    assert "Reading the data together" in old and "version 1" in old
    assert leader.get(f"/learning/{item.slug}/draft/?version=9").status_code == 404


def test_a_return_without_a_comment_is_refused_on_the_page_with_the_reason(client, world) -> None:
    item = case(world)
    services.case_submit(user=world.personas["board_a"], item=item)
    page = as_(client, world, "ministry").post(f"/learning/{item.slug}/return/", {"text": "  "})
    assert page.status_code == 400
    assert "Say what the authors should change." in page.content.decode()
    item.refresh_from_db()
    assert item.current is not None and item.current.state == State.SUBMITTED


def test_submitting_an_unanswered_draft_says_why(client, world) -> None:
    item = case(world, answered=False)
    page = as_(client, world, "board_a").post(f"/learning/{item.slug}/submit/")
    assert page.status_code == 400
    assert "Answer this question before submitting." in page.content.decode()


def test_submitting_names_each_missing_field_and_links_to_it(client, world) -> None:
    item = case(world, answered=False)
    services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=item.current.revision,
        facts=FACTS,
        texts={
            "en": {"title": "Both", "summary": "", "themes": [], "sections": ["A."] * 7},
            "fr": {
                "title": "Les deux",
                "summary": "Un résumé.",
                "themes": [],
                "sections": ["R."] * 2 + [""] + ["R."] * 4,
            },
        },
    )
    page = as_(client, world, "board_a").post(f"/learning/{item.slug}/submit/")
    html = page.content.decode()
    edit = f"/learning/{item.slug}/edit/"
    assert page.status_code == 400
    assert f'<a href="{edit}#id_en-summary"><span>Summary</span> (English)</a>' in html
    assert (
        f'<a href="{edit}#id_fr-section_3"><span lang="fr">Notre point de départ</span> (French)</a>'
        in html
    )
    listed = html.split('class="error-list"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 2  # only the two missing; the others were answered
    french = client.post(f"/learning/{item.slug}/submit/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "<span>Résumé</span> (anglais)</a>" in french.content.decode()


def test_the_form_names_each_field_in_error_at_the_top_with_a_link(client, world) -> None:
    data = form_data(world, "fr", year="1850")
    data["fr-title"] = ""
    html = as_(client, world, "board_a").post("/learning/cases/new/", data).content.decode()
    assert '<a href="#id_year"><span>Year the work began</span></a>' in html
    assert '<a href="#id_fr-title"><span>Title</span> (French)</a>' in html


def test_a_comment_is_added_with_its_author(client, world) -> None:
    item = case(world)
    page = as_(client, world, "board_a").post(
        f"/learning/{item.slug}/comment/", {"text": "Ready for a read?"}
    )
    assert page.status_code == 302
    comment = Comment.objects.get()
    assert comment.author == world.personas["board_a"]
    html = client.get(f"/learning/{item.slug}/draft/").content.decode()
    assert "Ready for a read?" in html and "Comment" in html


def test_review_comments_are_rendered_as_markdown_and_html_is_shown_as_text(client, world) -> None:
    item = case(world)
    services.comment_add(
        user=world.personas["board_a"],
        version=item.current,
        text="Relisez les **données**.\n\n<script>alert(1)</script>",
    )
    html = as_(client, world, "board_a").get(f"/learning/{item.slug}/draft/").content.decode()
    assert "<strong>données</strong>" in html and "**données**" not in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_states_agree_with_a_version_in_french(client, world) -> None:
    item = case(world)
    services.case_submit(user=world.personas["board_a"], item=item)
    html = (
        as_(client, world, "ministry")
        .get(f"/learning/{item.slug}/draft/", HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert '<span class="tag">Soumise pour examen</span>' in html
    assert "<dt>Soumise le</dt>" in html and "Déposé" not in html
    services.case_return(user=world.personas["ministry"], item=item, comment="Plus.")
    html = client.get(f"/learning/{item.slug}/draft/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span class="tag">Renvoyée à ses auteurs</span>' in html


# --- the lists ----------------------------------------------------------------------------------


def test_the_drafts_list_shows_what_the_person_may_read(client, world) -> None:
    item = case(world)
    for persona, sees in (("board_a", True), ("trustee_a", True), ("principal_b1", False)):
        html = as_(Client(), world, persona).get("/learning/drafts/").content.decode()
        assert (f"/learning/{item.slug}/draft/" in html) is sees, persona


def test_the_review_queue_lists_the_oldest_first(client, world) -> None:
    first, second = case(world), case(world)
    for item in (first, second):
        services.case_submit(user=world.personas["board_a"], item=item)
    html = as_(client, world, "ministry").get("/learning/review/").content.decode()
    assert html.index(f"/learning/{first.slug}/") < html.index(f"/learning/{second.slug}/")


def test_the_drafts_list_reads_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
) -> None:
    for _ in range(5):
        case(world)
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, role=Role.BOARD_LEADER, board=world.board_a)
    client.force_login(colleague)
    with django_assert_max_num_queries(12):
        client.get("/learning/drafts/")
