"""The language of rounds notes: describing rather than judging, and the task's cognitive demand.

Two checks on what observers write during a classroom visit (docs/rounds.md):

- `check_descriptive(text, language)` flags words and phrases that judge what was
  seen ("excellent", "poorly managed", "bien", "mauvais", "pas très...") and gives,
  for each, a suggestion of what to describe instead. The word lists are data:
  `data/evaluative.yaml`.
- `suggest_level(task_text, language)` suggests the level of Bloom's taxonomy a task
  asks of students from the verbs in it ("compare", "classify": analysis); observers
  confirm or change it. The levels and verbs are data: `data/bloom.yaml`.
  `level_distribution(levels)` counts confirmed levels for "task predicts
  performance" charts.

Both lists are read strictly: an unknown key, a word listed twice, a verb in two
levels or a missing language refuses the file with its file, line and field
(`LanguageDataError`). Matching ignores case and accents, takes whole words only, and
reports spans in the caller's original text. Nothing here imports Django: pages, the
API and the command line all call these functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

from capacity.instruments.definition import Problem, Text, read_yaml

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "fr")
KINDS = ("praise", "blame", "hedge")
# The original taxonomy (Bloom, 1956), lowest to highest, with its names in both languages.
LEVELS = ("knowledge", "comprehension", "application", "analysis", "synthesis", "evaluation")
LEVEL_NAMES = {
    "knowledge": ("Knowledge", "Connaissance"),
    "comprehension": ("Comprehension", "Compréhension"),
    "application": ("Application", "Application"),
    "analysis": ("Analysis", "Analyse"),
    "synthesis": ("Synthesis", "Synthèse"),
    "evaluation": ("Evaluation", "Évaluation"),
}


class LanguageDataError(ValueError):
    """A word list is refused: every problem found, each with its file, line and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- folding text for matching ------------------------------------------------------------

_SAME_CHAR = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2010": "-", "\u2011": "-"}
_SEPARATOR = r"[\s-]+"
# Whole words: a hyphen between letters joins them into one word ("bien-être").
_START = r"(?<!\w)(?<!\w-)"
_END = r"(?!\w)(?!-\w)"
# A French verb keeps its pronoun after a hyphen: "comparez-les", "justifie-le", "explique-moi".
_VERB_END = r"(?!\w)(?!-(?!(?:les|le|la|lui|leur|moi|toi|nous|vous|en|y)(?!\w))\w)"
_WORD = re.compile(r"^[\w']+$")
_QUOTED = re.compile(r'"[^"]*"|\u201c[^\u201d]*\u201d|\u00ab[^\u00bb]*\u00bb')


def _fold(text: str) -> tuple[str, list[int]]:
    """`text` without case or accents, and for each folded character its index in `text`.

    Folding character by character keeps the map exact even where a character folds
    to two ("ß" -> "ss") or a combining accent disappears, so spans found in the
    folded text point at the right characters of the original.
    """
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        char = _SAME_CHAR.get(char, char)
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                out.append(folded)
                where.append(index)
    return "".join(out), where


def _words(phrase: str) -> tuple[str, ...]:
    """A phrase as folded words: hyphens and spaces both separate ("so-so" = "so so")."""
    return tuple(w for w in re.split(_SEPARATOR, _fold(phrase)[0]) if w)


def _alternation(phrases: Iterable[tuple[str, ...]]) -> str:
    """A regex alternative per phrase, longest first, so a phrase wins over its own words."""
    ordered = sorted(set(phrases), key=lambda words: (-len(" ".join(words)), words))
    return "|".join(_SEPARATOR.join(re.escape(w) for w in words) for words in ordered)


def _overlapping(alternation: str) -> re.Pattern[str]:
    """Finds the longest phrase starting at every word start, overlapping ones included."""
    return re.compile(rf"(?=(?:{_START}({alternation}){_END}))")


def _language(language: str) -> str:
    primary = re.split(r"[-_]", language.strip().lower())[0]
    if primary not in LANGUAGES:
        raise ValueError(f"{language!r} is not a language of the word lists (en, fr)")
    return primary


# --- the evaluative word lists --------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """Evaluative forms that share a suggestion of what to write instead."""

    kind: str
    forms: tuple[str, ...]
    instead: str


@dataclass(frozen=True)
class Flag:
    """A judgement found in a note: its span in the note, the words, and what to write instead.

    `forms` are the listed words or phrases found inside the span (a modifier such as
    "not" or "très" joins the span but is not a form); `kind` and `suggestion` come
    from the longest of them, the most specific.
    """

    start: int
    end: int
    text: str
    kind: str
    suggestion: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    entry: Entry
    form: str


@dataclass
class _EvaluativeMatcher:
    entries: dict[tuple[str, ...], tuple[Entry, str]]
    modifiers: tuple[tuple[str, ...], ...]
    not_judgements: tuple[tuple[str, ...], ...]
    forms: re.Pattern[str] = field(init=False)
    modifier: re.Pattern[str] | None = field(init=False)
    exception: re.Pattern[str] | None = field(init=False)

    def __post_init__(self) -> None:
        self.forms = _overlapping(_alternation(self.entries))
        self.modifier = _overlapping(_alternation(self.modifiers)) if self.modifiers else None
        self.exception = (
            _overlapping(_alternation(self.not_judgements)) if self.not_judgements else None
        )


@dataclass(frozen=True)
class EvaluativeLists:
    """The checked contents of evaluative.yaml, ready to match (see `parse_evaluative`)."""

    entries: dict[str, tuple[Entry, ...]]
    modifiers: dict[str, tuple[str, ...]]
    not_judgements: dict[str, tuple[str, ...]]
    matchers: dict[str, _EvaluativeMatcher] = field(repr=False, compare=False)


def check_descriptive(text: str, language: str, lists: EvaluativeLists | None = None) -> list[Flag]:
    """Every judging word or phrase in a note, in the order they appear.

    Case and accents do not matter and only whole words count ("goodness" is not
    "good", "bienvenue" is not "bien"). A phrase is preferred to its own words
    ("poorly managed" rather than "poorly"); a modifier just before a flag joins it,
    so a negation is still a judgement ("not excellent", "pas très efficace");
    overlapping or touching flags ("pas très" + "bien") become one. Set phrases that
    only look like judgements ("bien que", "good morning") and words inside quotation
    marks (what someone said, recorded as heard) are not flagged.

    >>> [f.text for f in check_descriptive("Not excellent: the lesson was well-managed.", "en")]
    ['Not excellent', 'well-managed']
    """
    matcher = (lists or shipped_evaluative()).matchers[_language(language)]
    folded, where = _fold(text)
    quoted = [m.span() for m in _QUOTED.finditer(folded)]
    excepted = (
        [(m.start(1), m.end(1)) for m in matcher.exception.finditer(folded)]
        if matcher.exception
        else []
    )
    candidates: list[_Candidate] = []
    for match in matcher.forms.finditer(folded):
        start, end = match.start(1), match.end(1)
        if any(s <= start and end <= e for s, e in quoted + excepted):
            continue
        entry, form = matcher.entries[_words(match.group(1))]
        candidates.append(_Candidate(start, end, entry, form))
    # A modifier ending just before a word (spaces or a hyphen between) can extend it.
    extends: dict[int, int] = {}
    if matcher.modifier:
        for match in matcher.modifier.finditer(folded):
            gap = re.match(_SEPARATOR, folded[match.end(1) :])
            if gap:
                after = match.end(1) + gap.end()
                extends[after] = min(extends.get(after, after), match.start(1))

    groups: list[tuple[int, int, list[_Candidate]]] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        start = candidate.start
        while start in extends:
            start = extends[start]
        if groups:
            g_start, g_end, members = groups[-1]
            between = folded[g_end:start]
            if start < g_end or not between.strip(" \t\n\r\f\v-"):
                groups[-1] = (g_start, max(g_end, candidate.end), [*members, candidate])
                continue
        groups.append((start, candidate.end, [candidate]))

    flags = []
    for start, end, members in groups:
        main = max(members, key=lambda c: (c.end - c.start, -c.start))
        first, last = where[start], where[end - 1] + 1
        flags.append(
            Flag(
                start=first,
                end=last,
                text=text[first:last],
                kind=main.entry.kind,
                suggestion=main.entry.instead,
                forms=tuple(dict.fromkeys(c.form for c in members)),
            )
        )
    return flags


# --- Bloom's taxonomy ---------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One level of the taxonomy: its code, rank (1 lowest), names and its verbs by language."""

    code: str
    rank: int
    name: Text
    description: Text
    verbs: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class VerbFound:
    """A task verb found in a task's text: the verb as listed, its level, its span and text."""

    verb: str
    level: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    """The suggested level, the verbs that led to it, and every verb found (any level)."""

    level: str
    verbs: tuple[str, ...]
    found: tuple[VerbFound, ...]


@dataclass(frozen=True)
class Taxonomy:
    """The checked contents of bloom.yaml (see `parse_bloom`)."""

    levels: tuple[Level, ...]
    ignore: dict[str, tuple[str, ...]]
    # By language: every folded form -> (level code, verb as listed); and their regex.
    forms: dict[str, dict[tuple[str, ...], tuple[str, str]]] = field(repr=False, compare=False)
    patterns: dict[str, re.Pattern[str]] = field(repr=False, compare=False)

    def level(self, code: str) -> Level:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)


def suggest_level(
    task_text: str, language: str, taxonomy: Taxonomy | None = None
) -> Suggestion | None:
    """The level suggested by the task's verbs, or None when no listed verb appears.

    The suggestion is the HIGHEST level whose verb appears, because a task demands
    what its most demanding step demands: in "read the two texts and compare them",
    reading is the way in and comparing is what students must be able to do - the
    question rounds ask is "if I did exactly what was asked, what would I know how to
    do?". The lower verbs are still returned in `found`. Verbs can overstate a task
    (a "compare" that only asks to spot one difference), which is why observers
    confirm the level rather than take it. Several verbs of the top level are all
    given (`verbs`, in the order they first appear, each once), so the page can say
    "suggested: analysis, because: compare, classify"; there is no tie to break
    between levels, since one is always higher.

    >>> suggest_level("Compare the two graphs, then classify the data.", "en").verbs
    ('compare', 'classify')
    """
    taxonomy = taxonomy or shipped_bloom()
    code = _language(language)
    folded, where = _fold(task_text)
    found = []
    for match in taxonomy.patterns[code].finditer(folded):
        level, verb = taxonomy.forms[code][_words(match.group(1))]
        first, last = where[match.start(1)], where[match.end(1) - 1] + 1
        found.append(VerbFound(verb, level, first, last, task_text[first:last]))
    if not found:
        return None
    top = max(LEVELS.index(f.level) for f in found)
    verbs = tuple(dict.fromkeys(f.verb for f in found if LEVELS.index(f.level) == top))
    return Suggestion(level=LEVELS[top], verbs=verbs, found=tuple(found))


class LevelCount(TypedDict):
    count: int
    share: float


def level_distribution(levels: Iterable[str]) -> dict[str, LevelCount]:
    """How many tasks sit at each level and what share of all tasks that is.

    Every level is present, lowest first, so charts of one visit and of a year line
    up; with no tasks every count and share is 0 rather than a division by zero.
    An unknown level code is refused (ValueError), never counted silently.

    >>> level_distribution(["analysis", "knowledge", "knowledge", "analysis"])["analysis"]
    {'count': 2, 'share': 0.5}
    """
    counts = dict.fromkeys(LEVELS, 0)
    for level in levels:
        if level not in counts:
            raise ValueError(f"{level!r} is not a level of Bloom's taxonomy ({', '.join(LEVELS)})")
        counts[level] += 1
    total = sum(counts.values())
    return {
        level: {"count": count, "share": count / total if total else 0.0}
        for level, count in counts.items()
    }


# --- reading and checking the files ----------------------------------------------------------


def _read(text: str, file: str) -> tuple[Any, _Checker]:
    data, problems, lines = read_yaml(text, file)
    checker = _Checker(file, lines, problems)
    if data is None and not problems:
        checker.refuse("", "the file is empty")
    elif not problems and not isinstance(data, dict):
        checker.refuse("", "the file is a mapping of keys to values")
    return data, checker


class _Checker:
    def __init__(self, file: str, lines: dict[str, int], problems: list[Problem]) -> None:
        self.file = file
        self.lines = lines
        self.problems = problems

    def refuse(self, path: str, message: str) -> None:
        """Records a problem on the line of `path`, or of its nearest parent that has one."""
        probe, line = path, self.lines.get(path)
        while line is None and probe:
            shorter = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", probe)
            probe = shorter if shorter != probe else ""
            line = self.lines.get(probe)
        self.problems.append(Problem(self.file, line or 1, path, message))

    def keys(self, data: dict[str, Any], path: str, required: tuple[str, ...]) -> bool:
        """Refuses unknown and missing keys; True when the mapping has exactly `required`."""
        ok = True
        for key in data:
            if key not in required:
                ok = False
                self.refuse(
                    f"{path}.{key}" if path else key,
                    f"unknown key (expected: {', '.join(required)})",
                )
        for key in required:
            if key not in data:
                ok = False
                why = " (every list is in English and French)" if key in LANGUAGES else ""
                self.refuse(f"{path}.{key}" if path else key, f"missing{why}")
        return ok

    def mapping(self, value: Any, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.refuse(path, "must be a mapping of keys to values")
        return None

    def texts(self, value: Any, path: str, *, empty: bool = False) -> list[tuple[str, str]]:
        """The list's texts with their paths; refuses anything that is not non-empty text."""
        if not isinstance(value, list) or (not value and not empty):
            self.refuse(path, "must be a list of texts" + ("" if empty else " (at least one)"))
            return []
        out = []
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if isinstance(item, str) and item.strip():
                out.append((item.strip(), where))
            else:
                self.refuse(where, "must be a text")
        return out

    def phrase(self, text: str, path: str) -> tuple[str, ...] | None:
        words = _words(text)
        if not words or not all(_WORD.match(w) for w in words):
            self.refuse(path, f"{text!r} must be words only (letters, apostrophes, hyphens)")
            return None
        return words

    def raise_if_refused(self) -> None:
        if self.problems:
            raise LanguageDataError(self.problems)


def _text(checker: _Checker, value: Any, path: str) -> Text | None:
    data = checker.mapping(value, path)
    if data is None or not checker.keys(data, path, LANGUAGES):
        return None
    for language in LANGUAGES:
        if not isinstance(data[language], str) or not data[language].strip():
            checker.refuse(f"{path}.{language}", "must be a text")
            return None
    return Text(en=data["en"].strip(), fr=data["fr"].strip())


def parse_evaluative(text: str, file: str = "evaluative.yaml") -> EvaluativeLists:
    """The evaluative word lists in `text`, or LanguageDataError listing every problem."""
    data, checker = _read(text, file)
    checker.raise_if_refused()
    entries: dict[str, tuple[Entry, ...]] = {}
    modifiers: dict[str, tuple[str, ...]] = {}
    exceptions: dict[str, tuple[str, ...]] = {}
    matchers: dict[str, _EvaluativeMatcher] = {}
    checker.keys(data, "", LANGUAGES)
    for language in LANGUAGES:
        section = checker.mapping(data.get(language), language) if language in data else None
        if section is None or not checker.keys(
            section, language, (*KINDS, "modifiers", "not_judgements")
        ):
            continue
        seen: dict[tuple[str, ...], str] = {}

        def unique(words: tuple[str, ...], path: str, seen: dict[tuple[str, ...], str]) -> bool:
            if words in seen:
                checker.refuse(path, f"{' '.join(words)!r} is already listed at {seen[words]}")
                return False
            seen[words] = path
            return True

        found: dict[tuple[str, ...], tuple[Entry, str]] = {}
        listed: list[Entry] = []
        for kind in KINDS:
            path = f"{language}.{kind}"
            items = section[kind]
            if not isinstance(items, list) or not items:
                checker.refuse(path, "must be a list of entries (forms and instead)")
                continue
            for index, item in enumerate(items):
                where = f"{path}[{index}]"
                item_data = checker.mapping(item, where)
                if item_data is None or not checker.keys(item_data, where, ("forms", "instead")):
                    continue
                instead = item_data["instead"]
                if not isinstance(instead, str) or not instead.strip():
                    checker.refuse(f"{where}.instead", "must be a text")
                    continue
                forms = checker.texts(item_data["forms"], f"{where}.forms")
                entry = Entry(kind, tuple(form for form, _ in forms), instead.strip())
                listed.append(entry)
                for form, form_path in forms:
                    words = checker.phrase(form, form_path)
                    if words and unique(words, form_path, seen):
                        found[words] = (entry, form)
        entries[language] = tuple(listed)

        modifier_words = []
        for form, path in checker.texts(section["modifiers"], f"{language}.modifiers", empty=True):
            words = checker.phrase(form, path)
            if words and unique(words, path, seen):
                modifier_words.append(words)
        modifiers[language] = tuple(" ".join(w) for w in modifier_words)

        exception_words = []
        for form, path in checker.texts(
            section["not_judgements"], f"{language}.not_judgements", empty=True
        ):
            words = checker.phrase(form, path)
            if not words or not unique(words, path, seen):
                continue
            if not any(
                words[i : i + len(listed_words)] == listed_words
                for listed_words in found
                for i in range(len(words))
            ):
                checker.refuse(
                    path, f"{form!r} contains no listed word or phrase, so it excepts nothing"
                )
                continue
            exception_words.append(words)
        exceptions[language] = tuple(" ".join(w) for w in exception_words)
        if found:
            matchers[language] = _EvaluativeMatcher(
                found, tuple(modifier_words), tuple(exception_words)
            )
    checker.raise_if_refused()
    return EvaluativeLists(entries, modifiers, exceptions, matchers)


# French verbs the -ir rule would conjugate wrongly (third group: ouvrir, venir, courir...).
_FRENCH_IRREGULAR_IR = ("vrir", "frir", "enir", "ourir", "ervir", "llir", "quérir", "querir")
_ER_ENDINGS = (
    "er", "e", "es", "ent", "ons", "ez", "ee", "ees", "ant", "ais", "ait", "aient", "ions",
    "iez", "era", "eras", "erai", "erons", "erez", "eront",
)  # fmt: skip
_IR_ENDINGS = (
    "ir", "is", "it", "issons", "issez", "issent", "i", "ie", "ies", "issant", "issais",
    "issait", "issaient", "isse", "isses", "ira", "irons", "irez", "iront",
)  # fmt: skip


def _english_forms(word: str) -> set[str]:
    """A regular English verb's forms; both spellings where a final consonant may double."""
    forms = {word}
    if re.search(r"[^aeiou]y$", word):
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
        return forms
    forms.add(word + "es" if re.search(r"(s|x|z|ch|sh)$", word) else word + "s")
    if word.endswith("ie"):
        forms |= {word + "d", word[:-2] + "ying"}
    elif word.endswith("ee"):
        forms |= {word + "d", word + "ing"}
    elif word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    else:
        forms |= {word + "ed", word + "ing"}
        if re.search(r"[^aeiou][aeiou][^aeiouwxy]$", word):
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def _french_forms(word: str) -> set[str]:
    """A regular French -er or -ir verb's common forms (folded, so é and e are one)."""
    stem, group = word[:-2], word[-2:]
    if group == "ir":
        return {stem + ending for ending in _IR_ENDINGS}
    forms = set()
    for ending in _ER_ENDINGS:
        forms.add(stem + ending)
        if stem.endswith("g") and ending[0] in "ao":
            forms.add(stem + "e" + ending)  # rédigeons, jugeant
        if stem.endswith("y") and ending in ("e", "es", "ent"):
            forms.add(stem[:-1] + "i" + ending)  # emploie
    return forms


def _verb_forms(
    checker: _Checker, item: Any, language: str, path: str
) -> tuple[str, list[tuple[tuple[str, ...], str]]] | None:
    """The verb as listed and each of its folded forms with the path that names it."""
    if isinstance(item, dict):
        if not checker.keys(item, path, ("verb", "forms")):
            return None
        verb = item["verb"]
        if not isinstance(verb, str) or not verb.strip():
            checker.refuse(f"{path}.verb", "must be a text")
            return None
        words = checker.phrase(verb, f"{path}.verb")
        if words is None:
            return None
        forms = [(words, f"{path}.verb")]
        for form, form_path in checker.texts(item["forms"], f"{path}.forms"):
            form_words = checker.phrase(form, form_path)
            if form_words:
                forms.append((form_words, form_path))
        return verb.strip(), forms
    if not isinstance(item, str) or not item.strip():
        checker.refuse(path, "must be a verb, or {verb: ..., forms: [...]}")
        return None
    words = checker.phrase(item, path)
    if words is None:
        return None
    head, rest = words[0], words[1:]
    if language == "fr":
        if not head.endswith(("er", "ir")) or head.endswith(_FRENCH_IRREGULAR_IR):
            checker.refuse(
                path,
                f"{item!r} is not a regular -er or -ir verb: write it as "
                "{verb: ..., forms: [...]} with every form to match",
            )
            return None
        heads = _french_forms(head)
    else:
        heads = _english_forms(head)
    return item.strip(), [((h, *rest), path) for h in sorted(heads)]


def parse_bloom(text: str, file: str = "bloom.yaml") -> Taxonomy:
    """The taxonomy in `text`, or LanguageDataError listing every problem."""
    data, checker = _read(text, file)
    checker.raise_if_refused()
    checker.keys(data, "", ("levels", "ignore"))
    levels: list[Level] = []
    forms: dict[str, dict[tuple[str, ...], tuple[str, str]]] = {lang: {} for lang in LANGUAGES}
    first_path: dict[str, dict[tuple[str, ...], str]] = {lang: {} for lang in LANGUAGES}
    bases: dict[str, dict[tuple[str, ...], tuple[str, str]]] = {lang: {} for lang in LANGUAGES}
    items = data.get("levels")
    if not isinstance(items, list) or [
        i.get("code") if isinstance(i, dict) else None for i in items
    ] != list(LEVELS):
        checker.refuse(
            "levels",
            f"must list the six levels in order, by code: {', '.join(LEVELS)}",
        )
        items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    for index, item in enumerate(items):
        path = f"levels[{index}]"
        if not checker.keys(item, path, ("code", "name", "description", "verbs")):
            continue
        code = item["code"]
        if code not in LEVELS:
            continue  # already refused: the list of codes is wrong
        name = _text(checker, item["name"], f"{path}.name")
        expected = LEVEL_NAMES[code]
        if name is not None and (name.en, name.fr) != expected:
            checker.refuse(
                f"{path}.name",
                f"the original taxonomy names this level {expected[0]!r} / {expected[1]!r}",
            )
        description = _text(checker, item["description"], f"{path}.description")
        verbs_data = checker.mapping(item["verbs"], f"{path}.verbs")
        if verbs_data is None or not checker.keys(verbs_data, f"{path}.verbs", LANGUAGES):
            continue
        verbs: dict[str, tuple[str, ...]] = {}
        for language in LANGUAGES:
            list_path = f"{path}.verbs.{language}"
            listed = verbs_data[language]
            if not isinstance(listed, list) or not listed:
                checker.refuse(list_path, "must be a list of verbs (at least one)")
                continue
            names = []
            for v_index, verb_item in enumerate(listed):
                result = _verb_forms(checker, verb_item, language, f"{list_path}[{v_index}]")
                if result is None:
                    continue
                verb, verb_forms = result
                base = _words(verb)
                if base in bases[language]:
                    other_code, other_path = bases[language][base]
                    where = "twice" if other_code == code else f"also under {other_code}"
                    checker.refuse(
                        f"{list_path}[{v_index}]",
                        f"{verb!r} is listed {where} ({other_path}): a verb belongs to one level",
                    )
                    continue
                bases[language][base] = (code, f"{list_path}[{v_index}]")
                names.append(verb)
                for words, form_path in verb_forms:
                    known = forms[language].get(words)
                    if known is None:
                        forms[language][words] = (code, verb)
                        first_path[language][words] = form_path
                    elif known[0] != code:
                        checker.refuse(
                            form_path,
                            f"{' '.join(words)!r} ({verb}) is also a form of {known[1]!r} "
                            f"under {known[0]} ({first_path[language][words]}): "
                            "a verb belongs to one level",
                        )
            verbs[language] = tuple(names)
        if name is not None and description is not None and len(verbs) == len(LANGUAGES):
            levels.append(Level(code, LEVELS.index(code) + 1, name, description, verbs))

    ignore: dict[str, tuple[str, ...]] = {}
    ignore_data = checker.mapping(data.get("ignore"), "ignore") if "ignore" in data else None
    if ignore_data is not None and checker.keys(ignore_data, "ignore", LANGUAGES):
        for language in LANGUAGES:
            kept = []
            for form, path in checker.texts(
                ignore_data[language], f"ignore.{language}", empty=True
            ):
                ignored = checker.phrase(form, path)
                if ignored is None:
                    continue
                if ignored not in forms[language]:
                    checker.refuse(path, f"{form!r} is no verb's form, so ignoring it does nothing")
                    continue
                del forms[language][ignored]
                kept.append(form)
            ignore[language] = tuple(kept)
    checker.raise_if_refused()
    patterns = {
        language: re.compile(f"{_START}({_alternation(forms[language])}){_VERB_END}")
        for language in LANGUAGES
    }
    return Taxonomy(tuple(levels), ignore, forms, patterns)


def load_evaluative(path: Path) -> EvaluativeLists:
    """Read and check an evaluative word list file (see `parse_evaluative`)."""
    return parse_evaluative(path.read_text(encoding="utf-8"), path.name)


def load_bloom(path: Path) -> Taxonomy:
    """Read and check a Bloom verb list file (see `parse_bloom`)."""
    return parse_bloom(path.read_text(encoding="utf-8"), path.name)


@cache
def shipped_evaluative() -> EvaluativeLists:
    """The lists shipped in capacity/rounds/data, read once per process."""
    return load_evaluative(DATA / "evaluative.yaml")


@cache
def shipped_bloom() -> Taxonomy:
    """The taxonomy shipped in capacity/rounds/data, read once per process."""
    return load_bloom(DATA / "bloom.yaml")
