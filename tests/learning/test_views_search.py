"""The library's search page, /learning/search/ (views_search.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from capacity.learning import search, services
from capacity.learning.models import Item
from capacity.learning.services import load_shipped

pytestmark = pytest.mark.django_db

URL = "/learning/search/"


@pytest.fixture
def reader(client, world):
    load_shipped()
    client.force_login(world.personas["teacher_a1"])
    return client


def test_its_address_is_named_learning_search() -> None:
    assert reverse("learning_search") == URL


def test_it_sends_anonymous_people_to_sign_in(client, world) -> None:
    response = client.get(URL, {"q": "mentoring"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_shows_the_form_and_no_results_before_anything_is_asked(reader) -> None:
    response = reader.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="search"' in page and 'name="q"' in page
    assert "items found" not in page and "item found" not in page


def test_it_lists_the_items_found_with_links_to_them(reader) -> None:
    response = reader.get(URL, {"q": "mentoring"})
    page = response.content.decode()
    hits = response.context["hits"]
    assert hits and all(hit.language == "en" for hit in hits[:1])
    first = hits[0]
    assert f'href="/learning/{first.item.slug}/?lang={first.language}"' in page
    assert first.title_marked in page
    assert "Characteristics:" in page
    assert "items found" in page


def test_a_query_without_accents_finds_the_french_texts(reader) -> None:
    hits = reader.get(URL, {"q": "evaluation des eleves", "language": "fr"}).context["hits"]
    assert hits and {hit.language for hit in hits} == {"fr"}
    page = reader.get(URL, {"q": "evaluation des eleves", "language": "fr"}).content.decode()
    assert 'lang="fr"' in page  # French words in an English page are marked as such


def test_an_empty_query_with_filters_lists_the_filtered_items(reader) -> None:
    response = reader.get(URL, {"q": "", "characteristic": "trustees"})
    hits = response.context["hits"]
    assert hits
    assert all("trustees" in hit.characteristics for hit in hits)
    assert len({hit.item.pk for hit in hits}) == len(hits)


def test_the_board_type_filter_keeps_that_type_only(reader) -> None:
    hits = reader.get(URL, {"board_type": "french-catholic"}).context["hits"]
    assert hits and {hit.board_type for hit in hits} == {"french-catholic"}
    assert all(hit.item.kind == "case" for hit in hits)


def test_it_says_when_nothing_matches(reader) -> None:
    response = reader.get(URL, {"q": "zanzibar quokka"})
    assert response.context["hits"] == []
    assert "Nothing in the library matches" in response.content.decode()


def test_a_hostile_query_is_shown_as_text(reader) -> None:
    response = reader.get(URL, {"q": '<script>alert(1)</script> " OR NEAR(*'})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_an_unknown_filter_value_is_ignored_with_its_error(reader) -> None:
    response = reader.get(URL, {"q": "mentoring", "characteristic": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors["characteristic"]
    assert response.context["hits"] == []


def test_a_draft_is_not_found(reader, world) -> None:
    services.case_draft_create(
        user=world.personas["board_a"],
        board=world.board_a,
        facts={"year": 2019, "characteristics": ["evidence"], "contexts": []},
        texts={
            "en": {
                "title": "Zanzibar",
                "summary": "Zanzibar.",
                "themes": [],
                "sections": ["Zanzibar."] * 7,
            }
        },
    )
    assert Item.objects.filter(slug="zanzibar").exists()
    assert reader.get(URL, {"q": "zanzibar"}).context["hits"] == []


def test_it_reads_in_french(reader) -> None:
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = reader.get(URL, {"q": "réseaux"}, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert "Chercher dans la bibliothèque" in page
    hits = response.context["hits"]
    assert hits and hits[0].language == "fr"


def test_it_runs_a_fixed_number_of_queries(reader) -> None:
    reader.get(URL, {"q": "mentoring"})  # the session and the person, read once
    with CaptureQueriesContext(connection) as few:
        reader.get(URL, {"q": "mentoring"})
    with CaptureQueriesContext(connection) as many:
        reader.get(URL, {"q": "board"})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_library_page_has_a_search_box(reader) -> None:
    page = reader.get(reverse("learning_library")).content.decode()
    assert f'action="{URL}"' in page and 'name="q"' in page


def test_the_matched_words_are_highlighted(reader) -> None:
    page = reader.get(URL, {"q": "mentoring"}).content.decode()
    assert "<mark>mentoring</mark>" in page.lower()


def test_a_french_reader_sees_the_french_text_whenever_it_matches(reader) -> None:
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    hits = reader.get(URL, {"q": "budget"}, HTTP_ACCEPT_LANGUAGE="fr").context["hits"]
    french = {h.item.pk for h in search.search("budget", language="fr")}
    assert hits and french
    assert all(h.language == "fr" for h in hits if h.item.pk in french)


def test_an_english_reader_sees_the_english_text_whenever_it_matches(reader) -> None:
    hits = reader.get(URL, {"q": "evaluation"}).context["hits"]
    english = {h.item.pk for h in search.search("evaluation", language="en")}
    assert hits and english
    assert all(h.language == "en" for h in hits if h.item.pk in english)


def test_a_filtered_list_without_words_reads_as_few_queries_as_the_library_list(reader) -> None:
    reader.get(URL, {"q": "", "language": "fr"})  # the session and the person, read once
    with CaptureQueriesContext(connection) as listed:
        reader.get(reverse("learning_library"), {"language": "fr"})
    with CaptureQueriesContext(connection) as searched:
        response = reader.get(URL, {"q": "", "language": "fr"})
    assert len(response.context["hits"]) >= 10
    assert len(searched.captured_queries) <= len(listed.captured_queries)
