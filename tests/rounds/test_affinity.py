"""The debrief's affinity step on a fixed set of notes: which notes go together, the same in
any order, why (each group's terms and each note's ties), the facilitator's edits, storage,
the small cases and the word lists' strict reading (capacity/rounds/affinity.py)."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from capacity.rounds import affinity
from capacity.rounds.affinity import (
    AffinityDataError,
    Note,
    as_dict,
    content_words,
    from_dict,
    group_notes,
    move,
    parse_languages,
    rename,
)

# Hand-written notes from a visit's classrooms, in English and French, naming a grade and a
# subject at most. Four themes, seven notes each (four English, three French): students
# talking in groups, copying definitions from the board, fractions with manipulatives, and
# the teacher's open questions. Ids interleave the themes, as a visit's notes would.
NOTES: tuple[tuple[str, str, str, str], ...] = (
    (
        "n01",
        "talk",
        "en",
        "Students work in groups of four and discuss how they would split the bill; each "
        "group explains its reasoning to another group.",
    ),
    (
        "n02",
        "copy",
        "en",
        "The teacher writes definitions on the board; students copy the definitions into "
        "their notebooks in silence.",
    ),
    (
        "n03",
        "hands",
        "en",
        "Grade 4 mathematics. Students use fraction strips and blocks to build fractions "
        "equal to one half, then compare their models.",
    ),
    (
        "n04",
        "ask",
        "en",
        "The teacher asks open questions such as 'how do you know?' and waits before "
        "taking an answer; several hands go up.",
    ),
    (
        "n05",
        "talk",
        "fr",
        "Les élèves travaillent en groupes de trois; chaque groupe discute de sa "
        "stratégie puis explique son raisonnement à la classe.",
    ),
    (
        "n06",
        "copy",
        "fr",
        "L'enseignante écrit les définitions au tableau; les élèves les copient dans leur cahier.",
    ),
    (
        "n07",
        "hands",
        "fr",
        "Les élèves manipulent des bandes de fractions et comparent leurs modèles pour "
        "trouver des fractions équivalentes.",
    ),
    (
        "n08",
        "ask",
        "fr",
        "L'enseignant pose des questions ouvertes et attend plusieurs secondes avant "
        "d'accepter une réponse.",
    ),
    (
        "n09",
        "talk",
        "en",
        "Partners discuss the problem, then the groups share their reasoning; the teacher"
        " moves between groups and listens to the discussion.",
    ),
    (
        "n10",
        "copy",
        "en",
        "Students fill in a worksheet by copying answers from the board; the task is to "
        "copy the definitions of the vocabulary words.",
    ),
    (
        "n11",
        "hands",
        "en",
        "With manipulatives (blocks and fraction circles) students model fractions of a "
        "set and record their models.",
    ),
    (
        "n12",
        "ask",
        "en",
        "Teacher asks a question, waits, then asks another student to add to the first "
        "answer; the questions are open.",
    ),
    (
        "n13",
        "talk",
        "fr",
        "En groupes, les élèves discutent et se mettent d'accord sur une explication "
        "commune; un porte-parole par groupe présente le raisonnement.",
    ),
    (
        "n14",
        "copy",
        "fr",
        "Les élèves remplissent une fiche en copiant les définitions affichées au tableau.",
    ),
    (
        "n15",
        "hands",
        "fr",
        "Matériel de manipulation sur chaque table: les élèves représentent des fractions"
        " avec des blocs et dessinent leurs modèles.",
    ),
    (
        "n16",
        "ask",
        "fr",
        "Questions ouvertes de l'enseignante; elle attend, puis demande à un autre élève "
        "de compléter la réponse.",
    ),
    (
        "n17",
        "talk",
        "en",
        "Small groups discuss which strategy is the most efficient; students explain "
        "their reasoning to their partners.",
    ),
    (
        "n18",
        "copy",
        "en",
        "Grade 4 science. Students copy the definitions of the parts of a plant from the "
        "board onto a worksheet.",
    ),
    (
        "n19",
        "hands",
        "en",
        "Students compare fractions on a number line they built with fraction strips; the"
        " models are displayed on the wall.",
    ),
    (
        "n20",
        "ask",
        "en",
        "The teacher answers questions with questions; students are given time to think "
        "before anyone answers.",
    ),
    (
        "n21",
        "talk",
        "fr",
        "Discussion en groupes de deux: chaque élève explique son raisonnement à son "
        "partenaire, puis les partenaires changent.",
    ),
    (
        "n22",
        "copy",
        "fr",
        "Les élèves copient au tableau les définitions du vocabulaire puis remplissent la fiche.",
    ),
    (
        "n23",
        "hands",
        "fr",
        "6e année, mathématiques. Les élèves utilisent des blocs et des bandes pour "
        "comparer des fractions et expliquent leurs modèles.",
    ),
    (
        "n24",
        "ask",
        "fr",
        "Les questions de l'enseignant sont ouvertes; il attend avant de choisir qui "
        "répond et accepte plusieurs réponses.",
    ),
    (
        "n25",
        "talk",
        "en",
        "Groups discuss the problem at their tables while the teacher listens; a reporter"
        " from each group shares the group's reasoning.",
    ),
    (
        "n26",
        "copy",
        "en",
        "Students copy notes and definitions from the board; the teacher checks that each"
        " notebook has the definitions.",
    ),
    (
        "n27",
        "hands",
        "en",
        "Students build models of fractions with blocks and manipulatives, then compare "
        "the fractions they made.",
    ),
    (
        "n28",
        "ask",
        "en",
        "Open questions from the teacher, with wait time before an answer; the teacher "
        "asks 'why?' after each answer.",
    ),
)


def _notes() -> list[Note]:
    return [Note(note_id, text, language) for note_id, _, language, text in NOTES]


def _theme(theme: str, language: str | None = None) -> set[str]:
    return {i for i, t, lang, _ in NOTES if t == theme and language in (None, lang)}


@pytest.fixture(scope="module")
def grouping() -> affinity.Grouping:
    return group_notes(_notes())


def test_the_fixed_notes_have_four_themes_in_both_languages() -> None:
    assert len(NOTES) >= 24
    assert len({i for i, _, _, _ in NOTES}) == len(NOTES)
    for theme in ("talk", "copy", "hands", "ask"):
        assert _theme(theme, "en") and _theme(theme, "fr")


def test_it_groups_notes_that_share_words_across_both_languages(
    grouping: affinity.Grouping,
) -> None:
    # Talk and fractions share words after folding and stemming ("groups"/"groupes",
    # "discussion", "fractions", "models"/"modèles"): one group each, both languages.
    # Copying and questioning share one word across the languages ("definitions",
    # "questions"), less than each language's notes share among themselves ("board",
    # "copy" / "tableau", "copient"), so silhouette keeps them apart by language: six groups.
    assert grouping.choice == "silhouette"
    assert sorted(grouping.partition(), key=min) == [
        _theme("talk"),
        _theme("copy", "en"),
        _theme("hands"),
        _theme("ask", "en"),
        _theme("copy", "fr"),
        _theme("ask", "fr"),
    ]
    assert grouping.ungrouped == ()


def test_it_explains_the_number_of_groups_by_silhouette(grouping: affinity.Grouping) -> None:
    assert [k for k, _ in grouping.scores] == [2, 3, 4, 5, 6, 7, 8]
    best = max(grouping.scores, key=lambda ks: ks[1])
    assert best[0] == len(grouping.groups) == 6
    assert all(-1 <= score <= 1 for _, score in grouping.scores)


def test_asking_for_four_groups_gives_the_four_themes() -> None:
    four = group_notes(_notes(), groups=4)
    assert four.choice == "asked"
    assert four.scores == ()
    assert sorted(four.partition(), key=min) == [
        _theme("talk"),
        _theme("copy"),
        _theme("hands"),
        _theme("ask"),
    ]
    assert [g.suggested_name for g in four.groups] == [
        "Group, discuss, reasoning",
        "Definitions, copy, board",
        "Fractions, models, compare",
        "Questions, answer, asks",
    ]


def test_it_gives_the_same_groups_whatever_the_order_of_the_notes(
    grouping: affinity.Grouping,
) -> None:
    for seed in range(10):
        notes = _notes()
        random.Random(seed).shuffle(notes)
        again = group_notes(notes)
        assert again == grouping
        assert [g.key for g in again.groups] == [g.key for g in grouping.groups]
        assert again.scores == grouping.scores
        assert {g.key: g.ties for g in again.groups} == {g.key: g.ties for g in grouping.groups}


def test_groups_come_largest_first_with_stable_keys(grouping: affinity.Grouping) -> None:
    assert [g.key for g in grouping.groups] == ["g1", "g2", "g3", "g4", "g5", "g6"]
    assert [len(g.note_ids) for g in grouping.groups] == [7, 7, 4, 4, 3, 3]
    assert grouping.groups[0].note_ids == tuple(sorted(_theme("talk")))


def test_each_group_is_explained_by_its_top_terms(grouping: affinity.Grouping) -> None:
    talk = grouping.group_of("n01")
    assert talk is not None
    # Shown as written in the notes, never as a stem ("reasoning", not "reason").
    assert [(t.word, t.notes) for t in talk.terms] == [
        ("group", 7),
        ("discuss", 5),
        ("reasoning", 4),
        ("explique", 3),
        ("raisonnement", 3),
    ]
    assert [t.stem for t in talk.terms][:3] == ["group", "discuss", "reason"]
    weights = [t.weight for t in talk.terms]
    assert weights == sorted(weights, reverse=True)
    assert talk.suggested_name == "Group, discuss, reasoning"
    assert talk.title == talk.suggested_name
    hands = grouping.group_of("n07")
    assert hands is not None and hands.suggested_name == "Fractions, models, compare"
    french_copy = grouping.group_of("n06")
    assert french_copy is not None
    assert french_copy.suggested_name == "Tableau, définitions, copient"


def test_each_note_is_tied_to_its_group_by_words_it_shares(
    grouping: affinity.Grouping,
) -> None:
    texts = {i: text for i, _, _, text in NOTES}
    languages = {i: lang for i, _, lang, _ in NOTES}
    for group in grouping.groups:
        for note_id in group.note_ids:
            ties = group.ties[note_id]
            assert ties, note_id
            own = {stem for stem, _ in content_words(texts[note_id], languages[note_id])}
            for tie in ties:
                assert tie.stem in own
                assert tie.notes >= 2  # another note of the group uses it too
                # The word as this note writes it, so a French note shows French words.
                assert tie.word in texts[note_id].lower()
    hands = grouping.group_of("n07")
    assert hands is not None
    assert [t.word for t in hands.ties["n07"]] == ["fractions", "modèles", "bandes"]
    assert [t.word for t in hands.ties["n03"]] == ["fraction", "models", "compare"]


def test_only_whole_words_tie_notes_not_fragments() -> None:
    # Character n-grams would tie "discuss" and "discs" ("disc"); stems do not, and every
    # tie is a word the facilitator can find in the notes.
    apart = group_notes(
        [
            Note("a", "Students discuss the graph", "en"),
            Note("b", "Students sort the discs", "en"),
        ]
    )
    assert apart.choice == "few"
    assert apart.partition() == [{"a"}, {"b"}]


def test_it_does_not_group_translations_that_share_no_word() -> None:
    # The documented limit of TF-IDF: a note and its translation stay apart unless they
    # share a word after folding and stemming (sentence embeddings would join them).
    apart = group_notes(
        [
            Note("a", "Students read silently", "en"),
            Note("b", "Les élèves lisent en silence", "fr"),
        ]
    )
    assert apart.partition() == [{"a"}, {"b"}]
    together = group_notes(
        [
            Note("a", "The teacher asks open questions", "en"),
            Note("b", "L'enseignante pose des questions ouvertes", "fr"),
        ]
    )
    assert together.choice == "few"
    assert together.partition() == [{"a", "b"}]
    assert [t.word for t in together.groups[0].ties["b"]] == ["questions"]


def test_words_are_folded_and_common_and_prompt_words_left_out() -> None:
    assert content_words("Les ÉLÈVES expliquent l'énoncé à l'enseignante.", "fr") == [
        ("expliquent", "expliquent"),
        ("enonc", "énoncé"),
    ]
    assert content_words("The teacher and 24 students: groups, GROUPS!", "en") == [
        ("group", "groups"),
        ("group", "groups"),
    ]


def test_it_groups_no_notes_into_nothing() -> None:
    empty = group_notes([])
    assert (empty.groups, empty.ungrouped, empty.choice, empty.scores) == ((), (), "none", ())


def test_it_puts_one_note_in_one_group_explained_by_its_own_words() -> None:
    one = group_notes([Note("a", "Students measure the classroom with metre sticks", "en")])
    assert one.choice == "one"
    assert one.partition() == [{"a"}]
    assert [t.word for t in one.groups[0].ties["a"]] == ["measure", "metre", "sticks"]
    assert one.groups[0].suggested_name == "Measure, metre, sticks"


def test_it_keeps_identical_notes_in_one_group() -> None:
    same = [Note(str(i), "Students copy the definitions from the board", "en") for i in range(5)]
    grouped = group_notes(same)
    assert grouped.choice == "one"
    assert grouped.partition() == [{"0", "1", "2", "3", "4"}]
    # Asking for more groups than there are different notes gives as many as there are.
    assert group_notes(same, groups=3).partition() == [{"0", "1", "2", "3", "4"}]


def test_it_leaves_notes_with_no_content_word_ungrouped() -> None:
    empty = [
        Note("x1", "The teacher is doing this.", "en"),
        Note("x2", "Les élèves, la tâche : ...", "fr"),
        Note("x3", "12 / 24", "en"),
        Note("x4", "", "fr"),
    ]
    alone = group_notes(empty)
    assert alone.groups == ()
    assert alone.ungrouped == ("x1", "x2", "x3", "x4")
    assert alone.choice == "none"
    mixed = group_notes(_notes() + empty)
    assert mixed.ungrouped == ("x1", "x2", "x3", "x4")
    assert mixed.partition() == group_notes(_notes()).partition()


def test_it_refuses_duplicate_ids_unknown_languages_and_no_groups() -> None:
    with pytest.raises(ValueError, match="more than once"):
        group_notes([Note("a", "groups", "en"), Note("a", "blocks", "en")])
    with pytest.raises(ValueError, match="unknown note language 'de'"):
        group_notes([Note("a", "Gruppenarbeit", "de")])
    with pytest.raises(ValueError, match="at least 1"):
        group_notes(_notes(), groups=0)


def test_asking_for_one_group_puts_every_note_together() -> None:
    one = group_notes(_notes(), groups=1)
    assert one.partition() == [{i for i, _, _, _ in NOTES}]


# --- the facilitator's edits ---------------------------------------------------------------


def test_moving_a_note_recomputes_the_explanations_and_leaves_the_original(
    grouping: affinity.Grouping,
) -> None:
    english, french = grouping.group_of("n02"), grouping.group_of("n06")
    assert english is not None and french is not None
    moved = move(grouping, "n06", english.key)
    after = moved.group_of("n06")
    assert after is not None and after.key == english.key
    assert set(after.note_ids) == _theme("copy", "en") | {"n06"}
    # Tied to the English notes by the word they share, written as the note writes it.
    assert [t.word for t in after.ties["n06"]] == ["définitions"]
    assert grouping.group_of("n06") == french  # the original is unchanged
    remaining = moved.group_of("n14")
    assert remaining is not None and set(remaining.note_ids) == {"n14", "n22"}


def test_moving_every_note_out_of_a_group_removes_it(grouping: affinity.Grouping) -> None:
    french = grouping.group_of("n06")
    english = grouping.group_of("n02")
    assert french is not None and english is not None
    merged = grouping
    for note_id in french.note_ids:
        merged = move(merged, note_id, english.key)
    assert french.key not in [g.key for g in merged.groups]
    assert len(merged.groups) == 5
    assert merged.group_of("n02") is not None
    assert set(merged.group_of("n02").note_ids) == _theme("copy")  # type: ignore[union-attr]
    # The other groups keep their keys.
    assert [g.key for g in merged.groups] == [g.key for g in grouping.groups if g != french]


def test_moving_a_note_to_a_new_key_starts_a_group(grouping: affinity.Grouping) -> None:
    split = move(grouping, "n20", "timing")
    new = split.group_of("n20")
    assert new is not None and new.key == "timing" and new.note_ids == ("n20",)
    assert split.groups[-1] == new
    assert new.name == ""
    assert new.ties["n20"]  # alone: its own strongest words


def test_moving_an_ungrouped_note_places_it_without_ties() -> None:
    grouped = group_notes([*_notes(), Note("x1", "The teacher is doing this.", "en")])
    placed = move(grouped, "x1", "g1")
    assert placed.ungrouped == ()
    group = placed.group_of("x1")
    assert group is not None and group.ties["x1"] == ()


def test_moving_to_its_own_group_changes_nothing(grouping: affinity.Grouping) -> None:
    assert move(grouping, "n01", "g1") is grouping


def test_it_refuses_to_move_an_unknown_note_or_to_no_group(
    grouping: affinity.Grouping,
) -> None:
    with pytest.raises(KeyError):
        move(grouping, "n99", "g1")
    with pytest.raises(ValueError, match="group key"):
        move(grouping, "n01", " ")


def test_renaming_names_the_theme_and_an_empty_name_restores_the_suggestion(
    grouping: affinity.Grouping,
) -> None:
    named = rename(grouping, "g1", "  Students  explain their thinking ")
    group = named.group_of("n01")
    assert group is not None
    assert group.name == "Students explain their thinking"
    assert group.title == "Students explain their thinking"
    assert group.suggested_name == "Group, discuss, reasoning"
    assert named.groups[1:] == grouping.groups[1:]
    # The name survives moves into and out of the group.
    moved = move(named, "n05", "g2")
    assert moved.groups[0].name == "Students explain their thinking"
    cleared = rename(named, "g1", "")
    assert cleared.groups[0].title == "Group, discuss, reasoning"


def test_it_refuses_to_rename_an_unknown_group_or_with_too_long_a_name(
    grouping: affinity.Grouping,
) -> None:
    with pytest.raises(KeyError):
        rename(grouping, "g9", "Questions")
    with pytest.raises(ValueError, match="at most"):
        rename(grouping, "g1", "x" * 201)


# --- storage -------------------------------------------------------------------------------


def test_a_grouping_survives_json_with_its_edits_and_explanations(
    grouping: affinity.Grouping,
) -> None:
    edited = rename(move(grouping, "n06", "g3"), "g3", "Copier des définitions")
    stored = json.loads(json.dumps(as_dict(edited)))
    assert "text" not in json.dumps(stored)
    back = from_dict(stored)
    assert back == edited
    assert back.weights == edited.weights and back.spellings == edited.spellings
    assert [g.ties for g in back.groups] == [g.ties for g in edited.groups]
    assert as_dict(back) == stored


def test_it_refuses_a_stored_grouping_that_places_a_note_twice(
    grouping: affinity.Grouping,
) -> None:
    stored = as_dict(grouping)
    stored["groups"][1]["notes"].append("n01")
    with pytest.raises(ValueError, match="once"):
        from_dict(stored)
    stored = as_dict(grouping)
    stored["version"] = 2
    with pytest.raises(ValueError, match="version"):
        from_dict(stored)
    stored = as_dict(grouping)
    stored["notes"]["n01"][0][2] = "heavy"
    with pytest.raises(ValueError, match="triples"):
        from_dict(stored)


# --- the word lists ------------------------------------------------------------------------


def test_the_packaged_word_lists_cover_english_and_french() -> None:
    languages = affinity.languages()
    assert set(languages) == {"en", "fr"}
    assert {"the", "and"} <= languages["en"].stop_words
    assert {"les", "des", "eleves"} <= languages["fr"].stop_words | languages["fr"].prompt_words
    assert languages["fr"].stemmer == "french"


GOOD = """
[languages.en]
stemmer = "english"
stop_words = ["the"]
prompt_words = ["teacher"]
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('"the"', '"The"'), r"languages\.en\.stop_words: 'The' is not a folded word"),
        (GOOD.replace('"the"', '"élève"'), "'élève' is not a folded word"),
        (GOOD.replace('"the"', '"the", "the"'), "'the' is listed twice"),
        (GOOD.replace('"english"', '"klingon"'), "'klingon' is not a Snowball stemmer"),
        (GOOD + "extra = 1\n", r"unknown keys \['extra'\]"),
        (GOOD.replace('prompt_words = ["teacher"]', ""), r"missing keys \['prompt_words'\]"),
        (GOOD.replace("[languages.en]", "[langues.en]"), r"\[languages\.<code>\]"),
        ("stemmer = ", "not valid TOML"),
    ],
)
def test_it_refuses_word_lists_that_are_not_strictly_right(text: str, message: str) -> None:
    with pytest.raises(AffinityDataError, match=message) as error:
        parse_languages(text, source="lists.toml")
    assert str(error.value).startswith("lists.toml")


def test_it_reads_word_lists_that_are_right() -> None:
    assert parse_languages(GOOD)["en"].prompt_words == frozenset({"teacher"})


def test_it_runs_without_django() -> None:
    # Pages, the API and the CLI call it later; until the import contracts cover the rounds
    # app, this keeps it pure: grouping notes in a fresh interpreter loads no Django.
    code = (
        "import sys; from capacity.rounds.affinity import Note, group_notes; "
        "group_notes([Note('a', 'Students discuss fractions', 'en'), "
        "Note('b', 'Les élèves discutent des fractions', 'fr'), Note('c', 'Open questions', 'en')]); "
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('django', 'ninja')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
