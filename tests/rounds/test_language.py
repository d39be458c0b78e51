"""The language of rounds notes: descriptive-language flags, Bloom suggestions, the lists' loader.

Notes and tasks here are hand-written in the way observers write them on a phone:
short, lower-case or not, accents or not. Descriptive notes must come back clean;
judging notes must be flagged exactly (the same words, nothing more).
"""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest

from capacity.rounds import language
from capacity.rounds.language import (
    DATA,
    LEVELS,
    LanguageDataError,
    check_descriptive,
    level_distribution,
    load_bloom,
    load_evaluative,
    shipped_bloom,
    suggest_level,
)

EVALUATIVE = (DATA / "evaluative.yaml").read_text(encoding="utf-8")
BLOOM = (DATA / "bloom.yaml").read_text(encoding="utf-8")

# --- describing, not judging ------------------------------------------------------------

DESCRIPTIVE_EN = [
    "The teacher asks: what is 3/4 of 12? Four students raise their hands; one answers 9.",
    "Students work in pairs with fraction strips and write equivalent fractions on whiteboards.",
    "The teacher walks between the groups and asks each group to explain its first step.",
    "Task: sort the shapes by number of sides, then write a rule for each group.",
    "Eleven of 24 students are writing; six look at the board; the rest talk about the problem.",
    "A student asks whether the answer can be a decimal. The teacher answers with a question.",
    "Learning goal on the board: I can compare two fractions with different denominators.",
    "Two students at the back table discuss the goodness of fit of their line.",
    "Good morning routine: students read the agenda, then start the warm-up problem.",
    "Students spend a great deal of the time copying the examples from the board.",
    "Students engaged in a debate about which graph shows the data; three spoke for the bars.",
    'The teacher says "Excellent work!" to a student who explained her method.',
    "A student says \u201cthis is boring\u201d and puts his head down on the desk.",
    "Transition from the carpet to desks takes four minutes; the teacher counts down from ten.",
    "The teacher models question 1, then students complete questions 2 to 6 alone.",
    "Students predict the result before rolling the dice 20 times and recording each roll.",
    "Well-being check-in at the start: each student picks a colour for how they feel.",
    "Two students use a number line to show that 0.5 and 1/2 are the same point.",
]

JUDGING_EN = [
    ("Excellent lesson, the students were engaged.", ["Excellent", "engaged"]),
    (
        "The class was poorly managed and the transitions were chaotic.",
        ["poorly managed", "chaotic"],
    ),
    ("Not excellent: students waited a lot.", ["Not excellent"]),
    ("The group work was pretty good.", ["pretty good"]),
    ("The lesson was not very engaging.", ["not very engaging"]),
    ("Good questioning by the teacher.", ["Good"]),
    ("The teacher should have used manipulatives.", ["should have"]),
    ("The worksheet was boring.", ["boring"]),
    ("A well-organized room; the routines were effective.", ["well-organized", "effective"]),
    ("The explanation was okay but the examples were weak.", ["okay", "weak"]),
    ("Students behaved badly during group work.", ["badly"]),
    ("It was a great lesson, an amazing job!", ["great", "amazing"]),
    ("The pacing wasn't too bad, though the ending was rushed.", ["wasn't too bad"]),
    ("An interesting and very effective lesson.", ["interesting", "very effective"]),
    (
        "The questions were inappropriate for Grade 3; a waste of time.",
        ["inappropriate", "waste of time"],
    ),
    ("Classroom management needs improvement.", ["needs improvement"]),
    (
        "Perfectly paced; the teacher missed an opportunity to check understanding.",
        ["Perfectly", "missed an opportunity"],
    ),
    ("GREAT energy, SO-SO follow-up.", ["GREAT", "SO-SO"]),
]

DESCRIPTIVE_FR = [
    "L'enseignante demande : combien font 3/4 de 12 ? Quatre élèves lèvent la main ; un répond 9.",
    "Les élèves travaillent en dyades avec des bandes de fractions et écrivent les équivalences.",
    "Bienvenue affichée au tableau ; les élèves lisent l'horaire de la journée.",
    "Bien que la consigne soit au tableau, six élèves demandent quoi faire.",
    "Les élèves ont du mal à placer 0,5 sur la droite numérique ; deux demandent de l'aide.",
    "Bien sûr, l'enseignant répète la consigne en anglais puis en français.",
    "Activité sur le bien-être : chaque élève choisit une couleur.",
    "Bon nombre d'élèves utilisent leurs doigts pour compter.",
    "Trois élèves donnent la bonne réponse ; deux autres répondent 12.",
    "L'enseignant dit \u00ab\u00a0Excellent travail\u00a0!\u00a0\u00bb à un élève qui a expliqué sa méthode.",
    "La transition du tapis aux pupitres dure quatre minutes ; l'enseignante compte à rebours.",
    "Tâche : trier les formes selon le nombre de côtés, puis écrire une règle pour chaque groupe.",
    "Onze élèves sur 24 écrivent ; six regardent le tableau ; les autres discutent du problème.",
    "Malgré le bruit du couloir, les équipes poursuivent la discussion.",
    "Les élèves cherchent la réponse dans le texte mais ne la trouvent nulle part.",
    "« Eh bien », dit un élève, puis : eh bien, on pourrait diviser par deux.",
    "Les élèves sont assis pas très loin du tableau interactif.",
    "Les élèves superposent les deux figures pour comparer les angles.",
]

JUDGING_FR = [
    ("Excellente leçon, les élèves étaient engagés.", ["Excellente", "engagés"]),
    ("La classe est mal gérée et les transitions sont chaotiques.", ["mal gérée", "chaotiques"]),
    ("C'est bien.", ["bien"]),
    ("Le travail en équipe était assez bien.", ["assez bien"]),
    ("La leçon n'était pas très motivante.", ["pas très motivante"]),
    ("Mauvaise gestion du temps.", ["Mauvaise"]),
    ("L'enseignant aurait dû utiliser du matériel de manipulation.", ["aurait dû"]),
    ("Une activité ennuyeuse et peu efficace.", ["ennuyeuse", "peu efficace"]),
    ("Très bonne question de l'enseignante.", ["Très bonne"]),
    ("Les consignes n'étaient pas excellentes.", ["pas excellentes"]),
    ("Les exemples étaient faibles, c'est pas terrible.", ["faibles", "pas terrible"]),
    ("Une classe bien organisée, des routines efficaces.", ["bien organisée", "efficaces"]),
    ("C'était pas mal, mais la fin était rapide.", ["pas mal"]),
    ("Super leçon, vraiment géniale !", ["Super", "vraiment géniale"]),
    (
        "Les questions étaient inappropriées pour la 3e année ; une perte de temps.",
        ["inappropriées", "perte de temps"],
    ),
    ("La gestion de classe est à améliorer.", ["à améliorer"]),
    ("Les élèves travaillent mal en équipe.", ["mal"]),
    ("EXCELLENT travail, Bravo !", ["EXCELLENT", "Bravo"]),
    ("C\u2019est pas très bien expliqué.", ["pas très bien"]),
    ("Les eleves sont tres desorganises.", ["tres desorganises"]),
]


@pytest.mark.parametrize("note", DESCRIPTIVE_EN)
def test_it_leaves_a_descriptive_english_note_unflagged(note: str) -> None:
    assert check_descriptive(note, "en") == []


@pytest.mark.parametrize("note", DESCRIPTIVE_FR)
def test_it_leaves_a_descriptive_french_note_unflagged(note: str) -> None:
    assert check_descriptive(note, "fr") == []


@pytest.mark.parametrize(("note", "flagged"), JUDGING_EN)
def test_it_flags_exactly_the_judgements_in_an_english_note(note: str, flagged: list[str]) -> None:
    assert [flag.text for flag in check_descriptive(note, "en")] == flagged


@pytest.mark.parametrize(("note", "flagged"), JUDGING_FR)
def test_it_flags_exactly_the_judgements_in_a_french_note(note: str, flagged: list[str]) -> None:
    assert [flag.text for flag in check_descriptive(note, "fr")] == flagged


def test_each_flag_points_at_its_words_in_the_original_text() -> None:
    note = "Élèves très désorganisés; leçon excellente."
    for flag in check_descriptive(note, "fr"):
        assert note[flag.start : flag.end] == flag.text
    assert [(f.start, f.end) for f in check_descriptive(note, "fr")] == [(7, 24), (32, 42)]


def test_a_flag_suggests_what_to_describe_instead_in_the_notes_language() -> None:
    (english,) = check_descriptive("The lesson was excellent.", "en")
    (french,) = check_descriptive("La leçon était excellente.", "fr")
    assert english.kind == french.kind == "praise"
    assert english.suggestion.startswith("Write what the students said")
    assert french.suggestion.startswith("Notez ce que les élèves ont dit")


def test_a_phrase_is_preferred_to_its_own_words_and_gives_the_suggestion() -> None:
    (flag,) = check_descriptive("The room was poorly managed.", "en")
    assert (flag.text, flag.forms, flag.kind) == ("poorly managed", ("poorly managed",), "blame")
    assert flag.suggestion.startswith("Describe what happened")


def test_overlapping_judgements_become_one_flag_with_the_most_specific_suggestion() -> None:
    # "pas très" (a hedge) and "bien" (with its modifiers) overlap: one flag, the hedge's advice.
    (flag,) = check_descriptive("Pas très bien.", "fr")
    assert flag.text == "Pas très bien"
    assert flag.forms == ("pas très", "bien")
    assert flag.kind == "hedge"
    assert flag.suggestion.startswith("Un jugement adouci")


def test_a_negated_judgement_is_still_flagged_with_its_negation() -> None:
    assert [f.text for f in check_descriptive("It was not excellent, never boring.", "en")] == [
        "not excellent",
        "never boring",
    ]
    assert [f.text for f in check_descriptive("Ce n'est jamais mauvais.", "fr")] == [
        "jamais mauvais"
    ]


def test_a_modifier_alone_is_not_a_judgement() -> None:
    assert check_descriptive("Very few students answered; it was not quick.", "en") == []
    assert check_descriptive("Très peu d'élèves répondent, pas plus de trois.", "fr") == []


def test_it_matches_whole_words_only() -> None:
    # "goodness" is not "good", "bienvenue" not "bien", "malgré" not "mal", "bonjour" not "bon".
    assert check_descriptive("Goodness, the goods were weakened by supergluing.", "en") == []
    assert check_descriptive("Bienvenue ! Bonjour ! Malgré tout, les superpositions.", "fr") == []


def test_it_ignores_case_and_accents() -> None:
    assert [f.text for f in check_descriptive("TRES BIEN GERE", "fr")] == ["TRES BIEN GERE"]
    assert [f.text for f in check_descriptive("Genial", "fr")] == ["Genial"]


def test_words_inside_quotation_marks_are_what_someone_said_and_are_not_flagged() -> None:
    note = 'The teacher says "Good job" and the lesson is good.'
    assert [(f.text, f.start) for f in check_descriptive(note, "en")] == [("good", 46)]


def test_it_accepts_a_regional_language_code_and_refuses_an_unknown_language() -> None:
    assert [f.text for f in check_descriptive("C'est bien.", "fr-CA")] == ["bien"]
    with pytest.raises(ValueError, match="'de' is not a language"):
        check_descriptive("Gut.", "de")


def test_it_returns_nothing_for_an_empty_note() -> None:
    assert check_descriptive("", "en") == []


# --- the task's cognitive demand -----------------------------------------------------------

TASKS_EN = [
    ("List the planets in order from the sun.", "knowledge", ("list",)),
    ("Explain in your own words why the ice melted.", "comprehension", ("explain",)),
    ("Solve the five equations on the sheet.", "application", ("solve",)),
    (
        "Compare the two graphs and classify each animal by its diet.",
        "analysis",
        ("compare", "classify"),
    ),
    ("Design an experiment on which paper towel absorbs more water.", "synthesis", ("design",)),
    (
        "Read both letters, decide which argument is stronger and justify your choice.",
        "evaluation",
        ("decide", "justify"),
    ),
    ("Identifies the main idea and summarises it.", "comprehension", ("summarise",)),
    ("Students identified the nouns in each sentence.", "knowledge", ("identify",)),
    ("Students are planning a class garden.", "synthesis", ("plan",)),
    (
        "Carried out the experiment and measured the shadow.",
        "application",
        ("carry out", "measure"),
    ),
    ("They chose the best strategy.", "evaluation", ("choose",)),
    ("Break down the word problem, then break it down again.", "analysis", ("break down",)),
]

TASKS_FR = [
    ("Identifiez les verbes du texte.", "knowledge", ("identifier",)),
    ("Explique dans tes mots pourquoi la glace fond.", "comprehension", ("expliquer",)),
    ("Resolvez les cinq équations.", "application", ("résoudre",)),
    (
        "Comparez les deux graphiques et classez les animaux selon leur régime.",
        "analysis",
        ("comparer", "classer"),
    ),
    (
        "Concevez une expérience pour savoir quel papier absorbe le plus d'eau.",
        "synthesis",
        ("concevoir",),
    ),
    (
        "Lisez les deux lettres, choisissez l'argument le plus convaincant et justifiez votre choix.",
        "evaluation",
        ("choisir", "justifier"),
    ),
    ("Rédigeons une lettre au maire.", "synthesis", ("rédiger",)),
    ("Trace le graphique et décris la tendance.", "application", ("tracer",)),
    ("Justifie-le.", "evaluation", ("justifier",)),
    ("COMPAREZ-LES.", "analysis", ("comparer",)),
    ("Les élèves identifient les sons, puis les écrivent.", "knowledge", ("identifier",)),
    ("Les élèves emploient la règle apprise.", "application", ("employer",)),
]


@pytest.mark.parametrize(("task", "level", "verbs"), TASKS_EN)
def test_it_suggests_a_level_for_an_english_task(task: str, level: str, verbs: tuple) -> None:
    suggestion = suggest_level(task, "en")
    assert suggestion is not None
    assert (suggestion.level, suggestion.verbs) == (level, verbs)


@pytest.mark.parametrize(("task", "level", "verbs"), TASKS_FR)
def test_it_suggests_a_level_for_a_french_task(task: str, level: str, verbs: tuple) -> None:
    suggestion = suggest_level(task, "fr")
    assert suggestion is not None
    assert (suggestion.level, suggestion.verbs) == (level, verbs)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("identify", "en"),
        ("identifies", "en"),
        ("identified", "en"),
        ("identifying", "en"),
        ("identifier", "fr"),
        ("identifiez", "fr"),
        ("identifient", "fr"),
        ("identifie", "fr"),
        ("identifiées", "fr"),
    ],
)
def test_every_form_of_a_regular_verb_counts(text: str, lang: str) -> None:
    suggestion = suggest_level(f"Students {text} the shapes.", lang)
    assert suggestion is not None and suggestion.level == "knowledge"


def test_the_suggestion_is_the_highest_level_and_keeps_the_lower_verbs_found() -> None:
    suggestion = suggest_level("Identify the two numbers, compare them and justify.", "en")
    assert suggestion is not None
    assert suggestion.level == "evaluation"
    assert suggestion.verbs == ("justify",)
    assert [(f.verb, f.level, f.text) for f in suggestion.found] == [
        ("identify", "knowledge", "Identify"),
        ("compare", "analysis", "compare"),
        ("justify", "evaluation", "justify"),
    ]


def test_a_verb_found_points_at_its_words_in_the_task() -> None:
    task = "Ensuite, Comparez."
    suggestion = suggest_level(task, "fr")
    assert suggestion is not None
    (found,) = suggestion.found
    assert task[found.start : found.end] == "Comparez"


def test_a_verb_found_twice_is_named_once() -> None:
    suggestion = suggest_level("Compare A and B; compare B and C.", "en")
    assert suggestion is not None and suggestion.verbs == ("compare",)


def test_it_suggests_nothing_without_a_listed_verb() -> None:
    assert suggest_level("Count the tiles and write the total.", "en") is None
    assert suggest_level("", "fr") is None


def test_an_ignored_form_is_not_a_verb() -> None:
    # "classe" is the class far more often than "classify" in a task's text, "liste" a list.
    assert suggest_level("En classe, les élèves écrivent une histoire.", "fr") is None
    assert suggest_level("Une liste de mots.", "fr") is None
    suggestion = suggest_level("Classez les mots.", "fr")
    assert suggestion is not None and suggestion.level == "analysis"


def test_a_verb_inside_a_word_or_a_compound_is_not_counted() -> None:
    assert suggest_level("Les demi-comparaisons et les listes.", "fr") is None
    assert suggest_level("A planet is not a plan.", "en") is not None  # "plan" alone counts
    assert suggest_level("Planets and planetariums.", "en") is None


def test_the_shipped_levels_are_blooms_six_in_order_with_their_names() -> None:
    taxonomy = shipped_bloom()
    assert [level.code for level in taxonomy.levels] == list(LEVELS)
    assert [level.rank for level in taxonomy.levels] == [1, 2, 3, 4, 5, 6]
    assert [(level.name.en, level.name.fr) for level in taxonomy.levels] == [
        ("Knowledge", "Connaissance"),
        ("Comprehension", "Compréhension"),
        ("Application", "Application"),
        ("Analysis", "Analyse"),
        ("Synthesis", "Synthèse"),
        ("Evaluation", "Évaluation"),
    ]
    assert taxonomy.level("analysis").name.get("fr") == "Analyse"
    for level in taxonomy.levels:
        assert level.verbs["en"] and level.verbs["fr"]
        assert level.description.en and level.description.fr


def test_the_distribution_counts_and_shares_every_level_in_order() -> None:
    distribution = level_distribution(
        ["analysis", "knowledge", "knowledge", "knowledge", "evaluation"]
    )
    assert list(distribution) == list(LEVELS)
    assert distribution["knowledge"] == {"count": 3, "share": 0.6}
    assert distribution["analysis"] == {"count": 1, "share": 0.2}
    assert distribution["synthesis"] == {"count": 0, "share": 0.0}
    assert sum(d["share"] for d in distribution.values()) == pytest.approx(1.0)


def test_the_distribution_of_no_tasks_is_all_zero() -> None:
    assert all(d == {"count": 0, "share": 0.0} for d in level_distribution([]).values())


def test_the_distribution_refuses_an_unknown_level() -> None:
    with pytest.raises(ValueError, match="'remember' is not a level"):
        level_distribution(["knowledge", "remember"])


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(language).failed == 0


# --- the loader's refusals ---------------------------------------------------------------


def _line(text: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refusals(error: pytest.ExceptionInfo[LanguageDataError]) -> list[tuple[int | None, str]]:
    return [(p.line, p.field) for p in error.value.problems]


def test_the_shipped_lists_load() -> None:
    lists = load_evaluative(DATA / "evaluative.yaml")
    assert set(lists.entries) == {"en", "fr"}
    assert "bien" in {form for entry in lists.entries["fr"] for form in entry.forms}
    assert load_bloom(DATA / "bloom.yaml").ignore == {
        "en": (),
        "fr": ("classe", "classes", "liste", "listes"),
    }


def test_it_refuses_an_unknown_key_in_an_entry(tmp_path: Path) -> None:
    text = EVALUATIVE.replace(
        "      instead: Write what the students said",
        "      note: praise\n      instead: Write what the students said",
        1,
    )
    with pytest.raises(LanguageDataError) as error:
        load_evaluative(_write(tmp_path, "evaluative.yaml", text))
    assert _refusals(error) == [(_line(text, "note: praise"), "en.praise[0].note")]
    assert "evaluative.yaml, line" in str(error.value)
    assert "unknown key (expected: forms, instead)" in str(error.value)


def test_it_refuses_a_word_listed_twice(tmp_path: Path) -> None:
    text = EVALUATIVE.replace("forms: [good, nice, lovely]", "forms: [good, nice, Excellent]")
    with pytest.raises(LanguageDataError) as error:
        load_evaluative(_write(tmp_path, "evaluative.yaml", text))
    assert _refusals(error) == [(_line(text, "[good, nice, Excellent]"), "en.praise[2].forms[2]")]
    assert "'excellent' is already listed at en.praise[0].forms[0]" in str(error.value)


def test_it_refuses_a_modifier_that_is_also_a_listed_word(tmp_path: Path) -> None:
    text = EVALUATIVE.replace("modifiers: [pas, plus,", "modifiers: [pas, bien, plus,")
    with pytest.raises(LanguageDataError) as error:
        load_evaluative(_write(tmp_path, "evaluative.yaml", text))
    assert _refusals(error) == [(_line(text, "modifiers: [pas, bien"), "fr.modifiers[1]")]


def test_it_refuses_a_list_without_its_french(tmp_path: Path) -> None:
    text = EVALUATIVE[: EVALUATIVE.index("\nfr:\n")] + "\n"
    with pytest.raises(LanguageDataError) as error:
        load_evaluative(_write(tmp_path, "evaluative.yaml", text))
    assert [p.field for p in error.value.problems] == ["fr"]
    assert "missing (every list is in English and French)" in str(error.value)


def test_it_refuses_a_set_phrase_that_contains_no_listed_word(tmp_path: Path) -> None:
    text = EVALUATIVE.replace("not_judgements: [good morning,", "not_judgements: [at home,")
    with pytest.raises(LanguageDataError) as error:
        load_evaluative(_write(tmp_path, "evaluative.yaml", text))
    assert _refusals(error) == [(_line(text, "[at home,"), "en.not_judgements[0]")]
    assert "excepts nothing" in str(error.value)


def test_it_refuses_punctuation_in_a_form_and_a_key_written_twice(tmp_path: Path) -> None:
    text = EVALUATIVE.replace("[poor, poorly,", "[poor!, poorly,").replace(
        "  hedge:\n    - forms: [not very,", "  hedge: []\n  hedge:\n    - forms: [not very,", 1
    )
    with pytest.raises(LanguageDataError) as error:
        load_evaluative(_write(tmp_path, "evaluative.yaml", text))
    assert [p.field for p in error.value.problems] == ["en.hedge"]
    assert "this key appears twice" in str(error.value)  # YAML problems come first
    text = EVALUATIVE.replace("[poor, poorly,", "[poor!, poorly,")
    with pytest.raises(LanguageDataError) as error:
        load_evaluative(_write(tmp_path, "evaluative.yaml", text))
    assert _refusals(error) == [(_line(text, "[poor!,"), "en.blame[0].forms[0]")]


def test_it_refuses_a_verb_in_two_levels(tmp_path: Path) -> None:
    text = BLOOM.replace("en: [define, list,", "en: [define, compare, list,")
    with pytest.raises(LanguageDataError) as error:
        load_bloom(_write(tmp_path, "bloom.yaml", text))
    assert len(error.value.problems) == 1
    problem = error.value.problems[0]
    # Knowledge comes first, so the second listing (under analysis) is the one refused.
    assert problem.line == _line(text, "en: [analyse, analyze, compare")
    assert problem.field == "levels[3].verbs.en[2]"
    assert "'compare' is listed also under knowledge (levels[0].verbs.en[1])" in problem.message


def test_it_refuses_a_verb_form_shared_by_two_levels(tmp_path: Path) -> None:
    # "describes" is made from "describe" (comprehension); listing it under evaluation clashes.
    text = BLOOM.replace(
        "{verb: choose, forms: [chooses, chose, chosen, choosing]}",
        "{verb: choose, forms: [chooses, chose, chosen, choosing, describes]}",
    )
    with pytest.raises(LanguageDataError) as error:
        load_bloom(_write(tmp_path, "bloom.yaml", text))
    assert _refusals(error) == [
        (_line(text, "choosing, describes"), "levels[5].verbs.en[21].forms[4]")
    ]
    assert "a verb belongs to one level" in str(error.value)


def test_it_refuses_a_level_without_french_verbs(tmp_path: Path) -> None:
    start = BLOOM.index("      fr: [appliquer,")
    end = BLOOM.index("  - code: analysis")
    text = BLOOM[:start] + BLOOM[end:]
    with pytest.raises(LanguageDataError) as error:
        load_bloom(_write(tmp_path, "bloom.yaml", text))
    assert _refusals(error) == [(_line(text, "      en: [apply,") - 1, "levels[2].verbs.fr")]


def test_it_refuses_levels_out_of_order_or_renamed(tmp_path: Path) -> None:
    text = BLOOM.replace("{en: Knowledge, fr: Connaissance}", "{en: Remember, fr: Se souvenir}")
    with pytest.raises(LanguageDataError) as error:
        load_bloom(_write(tmp_path, "bloom.yaml", text))
    assert _refusals(error) == [(_line(text, "Remember"), "levels[0].name")]
    assert "'Knowledge' / 'Connaissance'" in str(error.value)
    text = BLOOM.replace("code: synthesis", "code: creating")
    with pytest.raises(LanguageDataError) as error:
        load_bloom(_write(tmp_path, "bloom.yaml", text))
    assert [p.field for p in error.value.problems] == ["levels"]
    assert "knowledge, comprehension, application, analysis, synthesis, evaluation" in str(
        error.value
    )


def test_it_refuses_an_irregular_french_verb_written_as_regular(tmp_path: Path) -> None:
    text = BLOOM.replace("fr: [expliquer,", "fr: [écrire, ouvrir, expliquer,")
    with pytest.raises(LanguageDataError) as error:
        load_bloom(_write(tmp_path, "bloom.yaml", text))
    assert [p.field for p in error.value.problems] == [
        "levels[1].verbs.fr[0]",
        "levels[1].verbs.fr[1]",
    ]
    assert "'écrire' is not a regular -er or -ir verb" in str(error.value)


def test_it_refuses_ignoring_a_form_no_verb_makes(tmp_path: Path) -> None:
    text = BLOOM.replace("fr: [classe, classes,", "fr: [classe, tableau,")
    with pytest.raises(LanguageDataError) as error:
        load_bloom(_write(tmp_path, "bloom.yaml", text))
    assert _refusals(error) == [(_line(text, "[classe, tableau,"), "ignore.fr[1]")]


def test_it_lists_every_problem_of_a_file_at_once(tmp_path: Path) -> None:
    text = BLOOM.replace("ignore:", "ignored:").replace(
        "  - code: knowledge", "  - code: knowledge\n    rank: 1"
    )
    with pytest.raises(LanguageDataError) as error:
        load_bloom(_write(tmp_path, "bloom.yaml", text))
    assert sorted(p.field for p in error.value.problems) == ["ignore", "ignored", "levels[0].rank"]


def test_it_refuses_an_empty_file_or_invalid_yaml(tmp_path: Path) -> None:
    with pytest.raises(LanguageDataError, match="the file is empty"):
        load_bloom(_write(tmp_path, "bloom.yaml", ""))
    with pytest.raises(LanguageDataError, match="not valid YAML"):
        load_evaluative(_write(tmp_path, "evaluative.yaml", "en: [unclosed\n"))


def test_it_imports_no_django() -> None:
    # Pages, the API and the CLI call it, and so can any script: it must run without settings.
    code = (
        "import sys, capacity.rounds.language as m; m.shipped_bloom(); m.shipped_evaluative(); "
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('django', 'ninja')))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
