"""Reading the library: the list and its filters, an item in either language, drafts, versions, the guide."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from capacity.learning import selectors, services
from capacity.learning.models import Item, State
from capacity.learning.services import load_shipped

pytestmark = pytest.mark.django_db

CASE_TEXT = {
    "title": "Alpha: reading the data together",
    "summary": "Principals learned to read their results with the board.",
    "themes": ["data"],
    "sections": [f"Answer {n}." for n in range(1, 8)],
}
CASE_FACTS = {"year": 2019, "characteristics": ["evidence"], "contexts": ["networks"]}


@pytest.fixture
def library(db) -> None:
    load_shipped()


@pytest.fixture
def reader(client, world, library):
    client.force_login(world.personas["teacher_a1"])
    return client


def _draft(world, **texts) -> Item:
    return services.case_draft_create(
        user=world.personas["board_a"],
        board=world.board_a,
        facts=CASE_FACTS,
        texts=texts or {"en": CASE_TEXT},
    )


def _published_case(world) -> Item:
    item = _draft(world)
    services.case_submit(user=world.personas["board_a"], item=item)
    services.case_publish(user=world.personas["ministry"], item=item)
    return Item.objects.get(pk=item.pk)


# --- the library list ---------------------------------------------------------------------


def test_it_lists_the_modules_in_order_then_the_case_studies(reader) -> None:
    page = reader.get(reverse("learning_library")).content.decode()
    positions = [page.index(f"Module {n}<") for n in range(1, 9)]
    assert positions == sorted(positions)
    assert "A shared mission, vision and goals" in page
    assert "Maple Ridge District School Board" in page
    assert "English public" in page  # the board type's label, not its code
    assert "· english-public" not in page
    assert "Board improvement teams" in page  # a context of use's label
    assert page.count('href="/learning/maple-ridge-vision/"') == 1
    assert "{# search box: added by search #}" not in page  # a template comment, never shown


def test_it_filters_by_characteristic_in_the_database(reader) -> None:
    page = reader.get("/learning/?characteristic=trustees").content.decode()
    assert "Stonebridge" in page
    assert "Maple Ridge: a vision people use" not in page


def test_it_filters_by_context_and_board_type(reader) -> None:
    filters = {"context": "mentoring", "board_type": "french-catholic"}
    items = list(selectors.library(filters))
    assert [i.slug for i in items] == ["grand-lac-mentoring-catholique"]
    page = reader.get("/learning/", filters).content.decode()
    # Modules have no context of use: the page says so rather than "Modules (0)".
    assert "Modules are not tagged by context of use" in page
    assert "grand-lac-mentoring-catholique" in page


def test_the_language_filter_keeps_items_written_in_it(world, reader) -> None:
    french_only = _draft(world, fr={**CASE_TEXT, "title": "Alpha : lire les données"})
    services.case_submit(user=world.personas["board_a"], item=french_only)
    services.case_publish(user=world.personas["ministry"], item=french_only)
    assert french_only.slug in [i.slug for i in selectors.library({"language": "fr"})]
    assert french_only.slug not in [i.slug for i in selectors.library({"language": "en"})]
    page = reader.get("/learning/?language=en").content.decode()
    assert "Alpha : lire" not in page


def test_a_draft_is_never_in_the_library(world, reader) -> None:
    _draft(world)
    assert "Alpha: reading the data together" not in reader.get("/learning/").content.decode()


def test_the_library_is_two_queries_whatever_the_filters(
    django_assert_num_queries, library
) -> None:
    with django_assert_num_queries(2):
        assert len(list(selectors.library({}))) == 20
    with django_assert_num_queries(2):
        found = selectors.library(
            {"characteristic": "trustees", "context": "board-improvement", "language": "fr"}
        )
        assert [i.slug for i in found] == ["stonebridge-trustee-governance"]


def test_the_library_page_costs_the_same_with_one_item_or_twenty(client, world, library) -> None:
    client.force_login(world.personas["teacher_a1"])
    client.get("/learning/")  # warm the session and the person's scope
    with CaptureQueriesContext(connection) as everything:
        client.get("/learning/")
    with CaptureQueriesContext(connection) as one:
        client.get("/learning/?characteristic=trustees&board_type=english-catholic")
    assert len(everything.captured_queries) == len(one.captured_queries)
    # Two of them find whether the person has sessions and drafts to read (the links "In the
    # library" offers).
    assert len(everything.captured_queries) <= 10


def test_the_nav_links_to_the_library_for_everyone_signed_in(reader) -> None:
    page = reader.get("/").content.decode()
    assert 'href="/learning/"' in page


# --- an item ------------------------------------------------------------------------------


def test_a_module_shows_its_agenda_sections_cases_and_instruments(reader) -> None:
    page = reader.get("/learning/shared-mission/").content.decode()
    assert '<h1 lang="en">A shared mission, vision and goals</h1>' in page
    assert "Annotated agenda" in page and "Total time" in page
    assert "175 minutes" in page  # the agenda's minutes add up
    for heading in ("Description", "Research summary", "Overview", "Guiding questions", "Synopsis"):
        assert f'">{heading}</h2>' in page
    assert 'href="/learning/maple-ridge-vision/"' in page
    assert 'href="/instruments/strong-districts/"' in page
    assert 'href="/instruments/module-evaluation/"' in page
    assert 'href="/learning/shared-mission.pdf?lang=en"' in page


def test_a_case_study_shows_its_facts_and_seven_sections(reader) -> None:
    page = reader.get("/learning/maple-ridge-vision/").content.decode()
    assert "Maple Ridge District School Board" in page
    assert "English public" in page and "2016" in page
    assert "Broadly shared mission, vision and goals" in page
    assert "strategic planning" in page  # a theme
    assert page.count('<section aria-labelledby="s-') == 7
    assert "Advice to others</h2>" in page


def test_it_reads_the_readers_language_and_offers_the_other(client, world, library) -> None:
    client.force_login(world.personas["teacher_a1"])
    page = client.get("/learning/maple-ridge-vision/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<h1 lang="fr">Maple Ridge : une vision dont on se sert</h1>' in page
    assert 'href="?lang=en" hreflang="en" lang="en">Read in English</a>' in page
    english = client.get(
        "/learning/maple-ridge-vision/?lang=en", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert '<h1 lang="en">Maple Ridge: a vision people use</h1>' in english
    assert "Bibliothèque" in english  # the interface stays French


def test_an_item_in_one_language_says_so(world, reader) -> None:
    item = _draft(world, fr={**CASE_TEXT, "title": "Alpha : lire les données"})
    services.case_submit(user=world.personas["board_a"], item=item)
    services.case_publish(user=world.personas["ministry"], item=item)
    page = reader.get(f"/learning/{item.slug}/").content.decode()
    assert "This text is written in French only." in page
    assert '<h1 lang="fr">Alpha : lire les données</h1>' in page
    assert "?lang=en" not in page


def test_a_draft_only_item_is_a_404_to_those_who_may_not_read_it(world, client, library) -> None:
    item = _draft(world)
    client.force_login(world.personas["principal_b1"])
    assert client.get(f"/learning/{item.slug}/").status_code == 404
    assert client.get(f"/learning/{item.slug}/versions/").status_code == 404
    assert client.get(f"/learning/{item.slug}/versions/1/").status_code == 404


def test_a_never_published_item_shows_its_draft_to_its_board(world, client, library) -> None:
    item = _draft(world)
    client.force_login(world.personas["trustee_a"])
    page = client.get(f"/learning/{item.slug}/").content.decode()
    assert "Draft, not published." in page
    assert "Alpha: reading the data together" in page
    assert ".pdf" not in page  # PDFs are of published versions only


def test_draft_readers_are_told_of_a_newer_working_version(world, client, library) -> None:
    item = _published_case(world)
    services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=item.current.revision,
        facts=CASE_FACTS,
        texts={"en": {**CASE_TEXT, "title": "Alpha, second telling"}},
    )
    client.force_login(world.personas["board_a"])
    page = client.get(f"/learning/{item.slug}/").content.decode()
    assert "A newer version is being worked on: version 2 (Draft)" in page
    assert "Alpha: reading the data together" in page  # the page shows the published one
    assert f'href="/learning/{item.slug}/draft/"' in page  # the authoring page
    client.force_login(world.personas["teacher_a1"])
    page = client.get(f"/learning/{item.slug}/").content.decode()
    assert "A newer version" not in page and "second telling" not in page


# --- versions -----------------------------------------------------------------------------


def test_versions_lists_only_what_the_person_may_read(world, client, library) -> None:
    item = _published_case(world)
    services.case_draft_update(
        user=world.personas["board_a"],
        item=item,
        revision=item.current.revision,
        facts=CASE_FACTS,
        texts={"en": {**CASE_TEXT, "title": "Alpha, second telling"}},
    )
    client.force_login(world.personas["teacher_a1"])
    page = client.get(f"/learning/{item.slug}/versions/").content.decode()
    assert "Published" in page and "second telling" not in page
    assert client.get(f"/learning/{item.slug}/versions/2/").status_code == 404
    client.force_login(world.personas["board_a"])
    page = client.get(f"/learning/{item.slug}/versions/").content.decode()
    assert "second telling" in page
    page = client.get(f"/learning/{item.slug}/versions/2/").content.decode()
    assert "Version 2: not the current version." in page


def test_an_earlier_version_is_marked_as_not_the_current_one(world, reader, tmp_path) -> None:
    import shutil

    from capacity.learning import content

    root = tmp_path / "content"
    shutil.copytree(content.SHIPPED, root)
    path = root / "cases" / "maple-ridge-vision.en.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'title: "Maple Ridge: a vision people use"', 'title: "Maple Ridge, retold"'
        ),
        encoding="utf-8",
    )
    services.content_load(root=root, audit=False)
    page = reader.get("/learning/maple-ridge-vision/versions/1/").content.decode()
    assert "Version 1: not the current version." in page
    assert "Replaced by a later version" in page
    assert "Maple Ridge: a vision people use" in page
    assert "Maple Ridge, retold" in reader.get("/learning/maple-ridge-vision/").content.decode()
    listing = reader.get("/learning/maple-ridge-vision/versions/").content.decode()
    assert listing.index("Maple Ridge, retold") < listing.index("a vision people use")


def test_the_published_version_page_says_it_is_the_published_one(reader) -> None:
    page = reader.get("/learning/maple-ridge-vision/versions/1/").content.decode()
    assert "Version 1 is the published version" in page


# --- the guide and the draft notice's link ------------------------------------------------


def test_the_guide_names_the_six_contexts_of_use(reader) -> None:
    page = reader.get(reverse("learning_guide")).content.decode()
    for label in (
        "Mentoring and coaching",
        "Learning networks",
        "Study groups",
        "Succession planning",
        "Board improvement teams",
        "Leadership development teams",
    ):
        assert f"{label}</a></dt>" in page  # each links to the library filtered by it
    assert "Starting points" in page


def test_the_guide_is_in_french_for_a_french_reader(client, world) -> None:
    client.force_login(world.personas["teacher_a1"])
    page = client.get("/learning/guide/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Points de départ" in page
    assert "Starting points" not in page


def test_guide_is_a_page_not_an_item(reader) -> None:
    assert reader.get("/learning/guide/").resolver_match.url_name == "learning_guide"


def test_an_item_state_label_reads_in_words(world, client, library) -> None:
    item = _draft(world)
    services.case_submit(user=world.personas["board_a"], item=item)
    assert Item.objects.get(pk=item.pk).current.state == State.SUBMITTED
    client.force_login(world.personas["ministry"])
    page = client.get(f"/learning/{item.slug}/versions/").content.decode()
    assert "Submitted for review" in page


def test_the_instruments_line_names_each_instrument_once_after_its_use(reader) -> None:
    page = reader.get("/learning/shared-mission/").content.decode()
    assert 'Evaluation: <a href="/instruments/module-evaluation/">Module evaluation</a>' in page
    assert "Module evaluation: " not in page
    assert 'Self-assessment: <a href="/instruments/strong-districts/">' in page


def test_the_instruments_line_in_french_has_a_space_before_each_colon(reader, settings) -> None:
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = reader.get("/learning/shared-mission/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'Évaluation\u00a0: <a href="/instruments/module-evaluation/">' in page
    assert 'Autoévaluation\u00a0: <a href="/instruments/strong-districts/">' in page


def test_a_context_filter_says_modules_are_not_tagged_by_context(reader) -> None:
    page = reader.get(reverse("learning_library"), {"context": "mentoring"}).content.decode()
    assert "Modules are not tagged by context of use" in page
    assert "(0)" not in page[page.index('id="modules-h"') : page.index('id="cases-h"')]


def test_an_unknown_filter_value_shows_the_forms_error_and_lists_nothing(reader) -> None:
    response = reader.get(reverse("learning_library"), {"characteristic": "bogus"})
    page = response.content.decode()
    assert response.context["form"].errors["characteristic"]
    assert 'class="error-summary" role="alert"' in page
    assert response.context["modules"] == [] and 'id="modules-h"' not in page


def test_french_filters_agree_any_with_each_fields_noun(reader) -> None:
    page = reader.get("/learning/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    def first_choice(name: str) -> str:
        start = page.index(f'name="{name}"')
        return page[page.index("<option", start) : page.index("</option>", start)]

    assert first_choice("characteristic").endswith(">Toutes")
    assert first_choice("language").endswith(">Toutes")
    assert first_choice("board_type").endswith(">Tous")
    assert first_choice("context").endswith(">Tous")


def test_the_versions_page_in_french_has_a_space_before_its_colon(world, client) -> None:
    item = _published_case(world)
    client.force_login(world.personas["teacher_a1"])
    page = client.get(
        f"/learning/{item.slug}/versions/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "<h1>Versions\u00a0: " in page


def test_a_missing_library_page_says_nothing_about_school_or_board_numbers(reader) -> None:
    response = reader.get("/learning/no-such-item/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and "school or board number" not in page
    assert "Check the address" in page
