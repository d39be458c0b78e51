"""Searching the library (capacity/learning/search.py), on SQLite and on PostgreSQL alike.

Case studies are written and published through the real workflow (draft, submit, publish),
so the index is kept by the same `on_publish` hook the app uses. Stems are Snowball's; the
cases below are ones both Snowball (Python) and PostgreSQL's dictionaries agree on.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from capacity.directory.models import Role
from capacity.learning import search, services
from capacity.learning.models import Item, SearchEntry
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EMPTY = ["Nothing yet."] * 7


def _text(title: str, *, summary: str = "A case.", body: str = "", themes=()) -> dict[str, Any]:
    return {
        "title": title,
        "summary": summary,
        "themes": list(themes),
        "sections": [body or "Nothing to add.", *EMPTY[1:]],
    }


def _case(
    world,
    *,
    en: dict[str, Any] | None = None,
    fr: dict[str, Any] | None = None,
    characteristics=("mission",),
    contexts=(),
    board=None,
    publish: bool = True,
) -> Item:
    board = board or world.board_a
    leader = world.personas["board_a"]
    if board != world.board_a:
        leader = UserFactory(username=f"leader-{board.pk}")
        MembershipFactory(user=leader, role=Role.BOARD_LEADER, board=board)
    texts = {lang: text for lang, text in (("en", en), ("fr", fr)) if text}
    item = services.case_draft_create(
        user=leader,
        board=board,
        facts={
            "year": 2020,
            "characteristics": list(characteristics),
            "contexts": list(contexts),
        },
        texts=texts,
    )
    if publish:
        services.case_submit(user=leader, item=item)
        services.case_publish(user=world.personas["ministry"], item=item)
    return Item.objects.get(pk=item.pk)


def _slugs(hits: list[search.Hit]) -> list[str]:
    return [hit.item.slug for hit in hits]


def test_it_runs_on_the_database_the_suite_was_asked_for() -> None:
    assert connection.vendor in ("sqlite", "postgresql")


def test_a_query_without_accents_finds_accented_french_words(world) -> None:
    item = _case(world, fr=_text("Étude", body="L'évaluation des élèves a changé."))
    hits = search.search("evaluation eleves")
    assert _slugs(hits) == [item.slug]
    assert hits[0].language == "fr"


def test_an_accented_query_finds_words_written_without_accents(world) -> None:
    item = _case(world, en=_text("A study", body="The principal's role in the network."))
    assert _slugs(search.search("rôle")) == [item.slug]
    assert _slugs(search.search("RÔLE")) == [item.slug]


def test_french_plurals_find_singulars_and_the_reverse(world) -> None:
    item = _case(world, fr=_text("Étude", body="Chaque enseignant du réseau y participe."))
    assert _slugs(search.search("enseignants")) == [item.slug]
    assert _slugs(search.search("réseaux")) == [item.slug]
    assert _slugs(search.search("reseaux")) == [item.slug]


def test_english_stems_find_other_forms_of_a_word(world) -> None:
    item = _case(world, en=_text("A study", body="Mentoring new principals, and budgeting."))
    assert _slugs(search.search("mentors")) == [item.slug]
    assert _slugs(search.search("mentored")) == [item.slug]
    assert _slugs(search.search("budgets")) == [item.slug]


def test_every_word_of_the_query_must_be_found(world) -> None:
    item = _case(world, en=_text("A study", body="Mentoring new principals."))
    _case(world, en=_text("Another study", body="Mentoring new teachers."))
    assert _slugs(search.search("mentoring principals")) == [item.slug]


def test_each_language_is_searched_with_its_own_words(world) -> None:
    item = _case(
        world,
        en=_text("Networks of schools", body="The schools met every month."),
        fr=_text("Réseaux d'écoles", body="Les écoles se réunissaient chaque mois."),
    )
    english = search.search("networks", reader_language="fr")
    french = search.search("réseau", reader_language="en")
    assert _slugs(english) == _slugs(french) == [item.slug]
    assert english[0].language == "en" and english[0].title == "Networks of schools"
    assert french[0].language == "fr" and french[0].title == "Réseaux d'écoles"


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(world) -> None:
    in_body = _case(world, en=_text("A study", body="We discussed succession at length."))
    in_title = _case(world, en=_text("Succession", body="We discussed many things."))
    assert _slugs(search.search("succession")) == [in_title.slug, in_body.slug]


def test_themes_are_searched(world) -> None:
    item = _case(world, en=_text("A study", themes=["attendance"]))
    assert _slugs(search.search("attendance")) == [item.slug]


def test_the_excerpt_is_the_passage_with_the_words(world) -> None:
    _case(
        world,
        en=_text(
            "A study",
            summary="Our summary.",
            body="First paragraph about nothing.\n\nThe **mentoring** circles met weekly.",
        ),
    )
    hit = search.search("mentor")[0]
    assert hit.excerpt == "The mentoring circles met weekly."
    assert search.search("study")[0].excerpt == "Our summary."


def test_a_long_passage_is_shortened_around_the_word(world) -> None:
    filler = "word " * 100
    _case(world, en=_text("A study", body=f"{filler}mentoring {filler}"))
    excerpt = search.search("mentoring")[0].excerpt
    assert "mentoring" in excerpt and len(excerpt) <= search.EXCERPT_CHARS + 4
    assert excerpt.startswith("… ") and excerpt.endswith(" …")


@pytest.mark.parametrize(
    "query",
    [
        'mentoring"',
        "mentoring OR",
        "NOT mentoring",
        "mentoring AND budget",
        "NEAR(mentoring budget)",
        "mentor*",
        "title_terms:mentoring",
        "^mentoring",
        "mentoring -budget",
        "mentoring & | ! <-> :*",
        "mentoring'); DROP TABLE learning_item; --",
        "mentoring\x00",
        "mentoring\n\t\r",
        "(((mentoring",
        "mentoring " * 500,
    ],
)
def test_it_reads_query_syntax_as_plain_words(world, query: str) -> None:
    body = (
        "Mentoring new principals on a budget, near the title terms. "
        "We learned to drop the item table."
    )
    item = _case(world, en=_text("A study", body=body))
    assert _slugs(search.search(query)) == [item.slug]
    assert Item.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "*", ":", "()", "\x00", "the", "-", "' '"])
def test_a_query_of_only_syntax_or_common_words_finds_nothing(world, query: str) -> None:
    _case(world, en=_text("The study", body="The and or not."))
    assert search.search(query) == []


def test_an_unpublished_draft_is_never_found(world) -> None:
    leader, ministry = world.personas["board_a"], world.personas["ministry"]
    item = _case(world, en=_text("Zanzibar", body="Zanzibar."), publish=False)
    assert search.search("zanzibar") == []
    services.case_submit(user=leader, item=item)
    assert search.search("zanzibar") == []
    assert search.rebuild() == 0
    assert search.search("zanzibar") == []
    services.case_publish(user=ministry, item=item)
    assert _slugs(search.search("zanzibar")) == [item.slug]


def test_a_new_published_version_replaces_the_old_words(world) -> None:
    leader, ministry = world.personas["board_a"], world.personas["ministry"]
    item = _case(world, en=_text("Zanzibar", body="Zanzibar."))
    edit = _text("Quokka", body="Quokka.")
    version = item.current
    services.case_draft_update(
        user=leader,
        item=item,
        revision=version.revision,
        facts={"year": 2020, "characteristics": ["mission"], "contexts": []},
        texts={"en": edit},
    )
    # The new version is a draft: readers still find the published words only.
    assert _slugs(search.search("zanzibar")) == [item.slug]
    assert search.search("quokka") == []
    services.case_submit(user=leader, item=item)
    services.case_publish(user=ministry, item=item)
    assert search.search("zanzibar") == []
    hits = search.search("quokka")
    assert _slugs(hits) == [item.slug] and hits[0].title == "Quokka"
    assert SearchEntry.objects.filter(item=item).count() == 1


def test_rebuild_restores_an_emptied_index(world) -> None:
    item = _case(world, en=_text("Zanzibar"), fr=_text("Zanzibar"))
    SearchEntry.objects.all().delete()
    assert search.search("zanzibar") == []
    assert search.rebuild() == 1
    assert _slugs(search.search("zanzibar")) == [item.slug]
    assert SearchEntry.objects.filter(item=item).count() == 2


def test_rebuild_repairs_an_index_that_lost_its_words(world) -> None:
    """As after a restore that brought the rows but not SQLite's FTS5 table or PostgreSQL's
    tsvector column."""
    item = _case(world, en=_text("Zanzibar"), fr=_text("Zanzibar"))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO learning_search_fts(learning_search_fts) VALUES ('delete-all')"
            )
        else:
            cursor.execute("UPDATE learning_searchentry SET document = NULL")
    assert search.search("zanzibar") == []
    assert search.rebuild() == 1
    assert _slugs(search.search("zanzibar")) == [item.slug]


def test_the_filters_narrow_the_hits(world) -> None:
    world.board_b.language = "fr"
    world.board_b.save()
    mission = _case(
        world,
        en=_text("Mentoring A"),
        characteristics=["mission"],
        contexts=["mentoring"],
    )
    trustees = _case(
        world,
        en=_text("Mentoring B"),
        characteristics=["trustees"],
        contexts=["networks"],
    )
    french = _case(
        world,
        fr=_text("Mentorat C", body="mentoring"),
        characteristics=["trustees", "evidence"],
        contexts=["mentoring", "networks"],
        board=world.board_b,
    )
    everything = {mission.slug, trustees.slug, french.slug}
    assert set(_slugs(search.search("mentoring"))) == everything
    assert _slugs(search.search("mentoring", characteristic="mission")) == [mission.slug]
    assert set(_slugs(search.search("mentoring", characteristic="trustees"))) == {
        trustees.slug,
        french.slug,
    }
    assert set(_slugs(search.search("mentoring", context="mentoring"))) == {
        mission.slug,
        french.slug,
    }
    assert _slugs(search.search("mentoring", board_type="french-catholic")) == [french.slug]
    assert set(_slugs(search.search("mentoring", board_type="english-public"))) == {
        mission.slug,
        trustees.slug,
    }
    assert _slugs(search.search("mentoring", language="fr")) == [french.slug]
    assert _slugs(search.search("mentoring", context="networks", characteristic="evidence")) == [
        french.slug
    ]
    assert search.search("mentoring", board_type="english-catholic") == []


def test_an_empty_query_with_filters_lists_the_filtered_items(world) -> None:
    mission = _case(world, en=_text("One"), characteristics=["mission"])
    _case(world, en=_text("Two"), characteristics=["trustees"])
    hits = search.search("", characteristic="mission")
    assert _slugs(hits) == [mission.slug]
    assert hits[0].excerpt == "A case." and hits[0].rank == 0


def test_an_empty_query_without_filters_finds_nothing(world) -> None:
    _case(world, en=_text("One"))
    assert search.search("") == []
    assert search.search("   ") == []


def test_an_item_in_both_languages_is_found_once_in_the_readers_language_on_a_tie(
    world,
) -> None:
    item = _case(world, en=_text("Zanzibar"), fr=_text("Zanzibar"))
    assert [(h.item.slug, h.language) for h in search.search("", characteristic="mission")] == [
        (item.slug, "en")
    ]
    hits = search.search("", characteristic="mission", reader_language="fr")
    assert [(h.item.slug, h.language) for h in hits] == [(item.slug, "fr")]


def test_a_hit_carries_the_board_and_the_characteristics(world) -> None:
    _case(world, en=_text("Zanzibar"), characteristics=["mission", "trustees"])
    hit = search.search("zanzibar")[0]
    assert hit.board == world.board_a.name
    assert hit.characteristics == ("mission", "trustees")
    assert len(hit.characteristic_labels) == 2 and "mission" not in hit.characteristic_labels


def test_the_shipped_library_is_found_with_or_without_accents() -> None:
    services.load_shipped()
    accented = search.search("évaluation")
    assert accented and _slugs(accented) == _slugs(search.search("evaluation"))
    assert "fr" in {hit.language for hit in accented}
    assert "enseign" in search.fold(search.search("enseignants")[0].excerpt)
    assert search.search("mentoring")[0].item.kind == "case"
    assert search.rebuild() == 20


def test_fold_removes_accents_and_case() -> None:
    assert search.fold("Évaluation ÉLÈVES cœur Straße") == "evaluation eleves coeur strasse"


def test_the_fts5_query_quotes_every_word() -> None:
    assert (
        search.fts5_query('Mentors AND "budgets" NEAR(x*', "en") == '"mentor" "budget" "near" "x"'
    )
    assert search.fts5_query("des évaluations", "fr") == '"evalu"'
    assert search.fts5_query('" * :', "en") == ""


def test_the_readers_language_is_shown_whenever_its_text_matches(world) -> None:
    # The English title matches far better than the French body, yet a French reader gets
    # the French text, and an English reader the English one.
    item = _case(
        world,
        en=_text("Zanzibar budget lines"),
        fr=_text("Une étude", body="Le mot zanzibar une seule fois."),
    )
    assert [(h.item.slug, h.language) for h in search.search("zanzibar")] == [(item.slug, "en")]
    hits = search.search("zanzibar", reader_language="fr")
    assert [(h.item.slug, h.language) for h in hits] == [(item.slug, "fr")]


def test_the_other_language_is_shown_only_when_the_readers_does_not_match(world) -> None:
    item = _case(world, en=_text("Nothing here"), fr=_text("Zanzibar"))
    hits = search.search("zanzibar", reader_language="en")
    assert [(h.item.slug, h.language) for h in hits] == [(item.slug, "fr")]


def test_items_keep_their_rank_order_whatever_language_is_shown(world) -> None:
    # "strong" matches in its title (English) and only in its body (French); "weak" in its
    # body only, in both languages. A French reader sees both in French, strong first.
    strong = _case(
        world,
        en=_text("Zanzibar first"),
        fr=_text("Une étude", body="Zanzibar dans le texte."),
    )
    weak = _case(
        world,
        en=_text("A study", body="Zanzibar in the text, among many other words of the body."),
        fr=_text("Autre étude", body="Zanzibar dans le texte, parmi bien d'autres mots du corps."),
    )
    hits = search.search("zanzibar", reader_language="fr")
    assert [(h.item.slug, h.language) for h in hits] == [(strong.slug, "fr"), (weak.slug, "fr")]


def test_the_matched_words_are_marked_and_everything_else_escaped(world) -> None:
    _case(
        world,
        en=_text("Mentors <b>and</b> mentoring", body="The <i>mentoring</i> circles & more."),
    )
    hit = search.search("mentoring")[0]
    assert hit.title_marked == (
        "<mark>Mentors</mark> &lt;b&gt;and&lt;/b&gt; <mark>mentoring</mark>"
    )
    assert hit.excerpt_marked == "The &lt;i&gt;<mark>mentoring</mark>&lt;/i&gt; circles &amp; more."


def test_without_words_nothing_is_marked_and_the_summary_is_the_excerpt(world) -> None:
    _case(world, en=_text("A <study>", summary="Our summary & more."))
    hit = search.search("", characteristic="mission")[0]
    assert hit.excerpt == "Our summary & more."
    assert hit.title_marked == "A &lt;study&gt;" and "<mark>" not in hit.excerpt_marked
