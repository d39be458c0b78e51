"""The debrief's affinity step: group a visit's observation notes into themes, and say why.

After a classroom visit the team sorts its notes into themes before it looks for patterns.
`group_notes` proposes a first sort so the team starts from something; the facilitator then
moves notes between groups (`move`) and names the themes (`rename`). Nothing here imports
Django: pages, the API and the CLI store the result with `as_dict` and read it back with
`from_dict`.

How notes are compared (docs/rounds.md, "Grouping the notes"):

1. Each note's words are folded (case and accents removed, so "Élèves" and "eleves" are one
   word), the language's common words and the note-taking prompts' own words (data in
   `data/affinity.toml`) are left out, and each word becomes its Snowball stem in the note's
   language ("groups" and "groupes" both become "group").
2. TF-IDF weighs the stems: a stem used by few notes counts more than one every note uses.
   Stems only, no character n-grams: n-grams would tie notes on fragments of words
   ("calculator", "calculatrice") that a facilitator cannot see, and every tie must be a
   word the facilitator can read in the notes.
3. Agglomerative clustering with cosine distance and average linkage: no randomness, and
   the notes are sorted by id first, so the same notes give the same groups in any order.
   Unless the number of groups is asked for, it is the one between 2 and min(8, n - 1) with
   the best silhouette (how much closer each note is to its own group than to the nearest
   other), ties going to fewer groups; every score is kept to explain the choice.

Notes in English and French fall in one group where they share words after folding and
stemming ("fractions", "questions", "discussion"); a note and its translation share few
words, so TF-IDF does not group translations of each other (sentence embeddings would;
docs/rounds.md says when they would earn their weight).

Every group is explained: its top terms (each shown as a word from the notes, not a stem,
with how many of the group's notes use it), for each note the terms that tie it to the rest
of its group, and a suggested name from the top terms, which the facilitator replaces.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import snowballstemmer

from capacity.folding import fold

DATA = Path(__file__).resolve().parent / "data" / "affinity.toml"
MAX_GROUPS = 8
TOP_TERMS = 5
TIE_TERMS = 3
NAME_TERMS = 3
NAME_MAX_CHARS = 200
FORMAT_VERSION = 1
# Letters and digits: apostrophes, hyphens and "_" separate words ("l'enseignant", "peut-être").
_WORD = re.compile(r"[^\W_]+")
_FOLDED_WORD = re.compile(r"^[a-z0-9]+$")

Choice = Literal["none", "one", "few", "asked", "silhouette"]


class AffinityDataError(ValueError):
    """data/affinity.toml is refused; the message names the file and the key."""


@dataclass(frozen=True)
class Language:
    code: str
    stemmer: str
    stop_words: frozenset[str]
    prompt_words: frozenset[str]


@dataclass(frozen=True)
class Note:
    """An observation note as the affinity step sees it: no author, no classroom."""

    id: str
    text: str
    language: str


@dataclass(frozen=True)
class Term:
    """A stem that explains a grouping, shown as `word`, a word of the notes.

    `weight` orders terms: for a group's terms, the stem's mean TF-IDF weight over the
    group's notes; for a note's ties, its weight in the note times its summed weight in
    the group's other notes (how strongly this word links the note to the rest).
    """

    word: str
    stem: str
    weight: float
    notes: int  # how many notes of the group use it


@dataclass(frozen=True)
class Group:
    """A theme: its notes, the facilitator's name for it (empty until named), and why."""

    key: str
    note_ids: tuple[str, ...]
    name: str
    suggested_name: str
    terms: tuple[Term, ...]
    ties: Mapping[str, tuple[Term, ...]] = field(compare=False)

    @property
    def title(self) -> str:
        """What to show: the facilitator's name, else the suggestion."""
        return self.name or self.suggested_name


@dataclass(frozen=True)
class Grouping:
    """Groups of notes, the notes with no word to group by, and how the count was chosen.

    `weights` keeps each note's TF-IDF weights (stem to weight) and `spellings` the word
    each note writes for each of its stems (lower case, accents kept), so that explanations
    are computed again after the facilitator's edits without the notes' texts.

    `choice` says how the number of groups was set: "none" (no note to group), "one" (one
    note, or all alike), "few" (two different notes: apart unless they share a word),
    "asked" (the caller's number), "silhouette" (the best of `scores`, a (number of
    groups, silhouette) pair per candidate).
    """

    groups: tuple[Group, ...]
    ungrouped: tuple[str, ...]
    weights: Mapping[str, Mapping[str, float]] = field(compare=False)
    spellings: Mapping[str, Mapping[str, str]] = field(compare=False)
    choice: Choice = "none"
    scores: tuple[tuple[int, float], ...] = ()

    def group_of(self, note_id: str) -> Group | None:
        """The group holding the note, or None (ungrouped or unknown)."""
        return next((g for g in self.groups if note_id in g.note_ids), None)

    def partition(self) -> list[set[str]]:
        """Which notes go together, whatever the groups' keys and order."""
        return [set(g.note_ids) for g in self.groups]


# --- data --------------------------------------------------------------------------------


def _word_list(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise AffinityDataError(f"{where}: expected a list of words")
    seen: set[str] = set()
    for word in value:
        if not isinstance(word, str) or not _FOLDED_WORD.match(word):
            raise AffinityDataError(
                f"{where}: {word!r} is not a folded word (lower case letters or digits, "
                "no accent, space or punctuation)"
            )
        if word in seen:
            raise AffinityDataError(f"{where}: {word!r} is listed twice")
        seen.add(word)
    return frozenset(seen)


def parse_languages(text: str, source: str = "affinity.toml") -> dict[str, Language]:
    """Read the word lists strictly; every refusal names `source` and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AffinityDataError(f"{source}: not valid TOML: {error}") from error
    if set(data) != {"languages"} or not isinstance(data["languages"], dict):
        raise AffinityDataError(f"{source}: expected one table, [languages.<code>]")
    if not data["languages"]:
        raise AffinityDataError(f"{source}: languages: no language")
    languages = {}
    for code, table in data["languages"].items():
        where = f"{source}: languages.{code}"
        if not isinstance(table, dict):
            raise AffinityDataError(f"{where}: expected a table")
        expected = {"stemmer", "stop_words", "prompt_words"}
        if set(table) != expected:
            unknown = sorted(set(table) - expected)
            missing = sorted(expected - set(table))
            raise AffinityDataError(f"{where}: unknown keys {unknown}, missing keys {missing}")
        stemmer = table["stemmer"]
        if stemmer not in snowballstemmer.algorithms():
            raise AffinityDataError(f"{where}.stemmer: {stemmer!r} is not a Snowball stemmer")
        languages[code] = Language(
            code=code,
            stemmer=stemmer,
            stop_words=_word_list(table["stop_words"], f"{where}.stop_words"),
            prompt_words=_word_list(table["prompt_words"], f"{where}.prompt_words"),
        )
    return languages


@cache
def languages() -> dict[str, Language]:
    """The packaged word lists, read once."""
    return parse_languages(DATA.read_text(encoding="utf-8"), source=str(DATA))


@cache
def _stemmer(name: str) -> Any:
    return snowballstemmer.stemmer(name)


def content_words(text: str, language: str) -> list[tuple[str, str]]:
    """The note's (stem, word) pairs that can tie it to others, in order.

    `word` is the word as written, in lower case (accents kept), to show; `stem` is its
    folded Snowball stem, to compare. Common words, prompt words and numbers are left out.
    """
    try:
        lang = languages()[language]
    except KeyError:
        known = ", ".join(sorted(languages()))
        raise ValueError(f"unknown note language {language!r} (known: {known})") from None
    stemmer = _stemmer(lang.stemmer)
    pairs = []
    for token in _WORD.findall(text):
        folded = fold(token)
        if folded.isdigit() or folded in lang.stop_words or folded in lang.prompt_words:
            continue
        pairs.append((stemmer.stemWord(folded), token.lower()))
    return pairs


# --- grouping ----------------------------------------------------------------------------


def group_notes(notes: Sequence[Note], *, groups: int | None = None) -> Grouping:
    """Group the notes into themes, the same groups for the same notes in any order.

    `groups` asks for a number of groups (at most as many as there are different notes);
    without it the number is chosen by silhouette. Notes with no content word (only
    common or prompt words, numbers or punctuation) are left `ungrouped` for the
    facilitator to place.

    >>> g = group_notes([
    ...     Note("1", "Students discuss fractions in small groups", "en"),
    ...     Note("2", "Les élèves discutent des fractions en groupes", "fr"),
    ...     Note("3", "The teacher asks open questions and waits", "en"),
    ...     Note("4", "L'enseignante pose des questions ouvertes", "fr"),
    ... ])
    >>> [(grp.note_ids, grp.suggested_name) for grp in g.groups]
    [(('1', '2'), 'Fractions, groups'), (('3', '4'), 'Questions')]
    """
    if groups is not None and groups < 1:
        raise ValueError("groups must be at least 1")
    ordered = sorted(notes, key=lambda n: n.id)
    ids = [n.id for n in ordered]
    duplicates = sorted(i for i, c in Counter(ids).items() if c > 1)
    if duplicates:
        raise ValueError(f"note ids appear more than once: {duplicates}")

    stems: dict[str, list[str]] = {}
    spellings: dict[str, dict[str, str]] = {}
    for note in ordered:
        pairs = content_words(note.text, note.language)
        stems[note.id] = [stem for stem, _ in pairs]
        written: dict[str, Counter[str]] = defaultdict(Counter)
        for stem, word in pairs:
            written[stem][word] += 1
        spellings[note.id] = {stem: _readable(c) for stem, c in sorted(written.items())}
    content = [i for i in ids if stems[i]]
    ungrouped = tuple(i for i in ids if not stems[i])
    spellings = {i: spellings[i] for i in content}
    if not content:
        return Grouping((), ungrouped, {}, {}, "none")

    matrix, vocabulary = _tfidf([stems[i] for i in content])
    weights = {
        note_id: {vocabulary[j]: float(row[j]) for j in np.flatnonzero(row)}
        for note_id, row in zip(content, matrix, strict=True)
    }
    labels, choice, scores = _cluster(matrix, groups)
    members: dict[int, list[str]] = defaultdict(list)
    for note_id, label in zip(content, labels, strict=True):
        members[int(label)].append(note_id)
    # Largest group first, then by first note id: keys do not depend on the clustering's labels.
    ordered_groups = sorted(members.values(), key=lambda m: (-len(m), m[0]))
    built = tuple(
        _group(f"g{n}", tuple(m), "", weights, spellings)
        for n, m in enumerate(ordered_groups, start=1)
    )
    return Grouping(built, ungrouped, weights, spellings, choice, scores)


def _readable(counts: Counter[str]) -> str:
    """The word most often written for a stem; ties go to the shorter, then alphabetical."""
    return min(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]


def _tfidf(documents: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    matrix = vectorizer.fit_transform(documents).toarray()
    return matrix, [str(s) for s in vectorizer.get_feature_names_out()]


def _identity(document: list[str]) -> list[str]:
    return document


def _cluster(
    matrix: np.ndarray, asked: int | None
) -> tuple[np.ndarray, Choice, tuple[tuple[int, float], ...]]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = matrix.shape[0]
    distinct = len(np.unique(matrix.round(9), axis=0))

    def fit(k: int) -> np.ndarray:
        if k == 1:
            return np.zeros(n, dtype=int)
        if k == n:
            return np.arange(n)
        model = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
        return np.asarray(model.fit_predict(matrix))

    if asked is not None:
        return fit(min(asked, distinct)), "asked", ()
    if distinct == 1:
        return fit(1), "one", ()
    if n == 2:
        # No silhouette for two notes: apart unless they share a word.
        together = float(matrix[0] @ matrix[1]) > 0
        return fit(1 if together else 2), "few", ()
    scores = []
    for k in range(2, min(MAX_GROUPS, n - 1, distinct) + 1):
        labels = fit(k)
        score = float(silhouette_score(matrix, labels, metric="cosine"))
        scores.append((k, round(score, 6)))
    best = max(scores, key=lambda ks: (ks[1], -ks[0]))[0]
    return fit(best), "silhouette", tuple(scores)


# --- explanations ------------------------------------------------------------------------


def _group(
    key: str,
    note_ids: tuple[str, ...],
    name: str,
    weights: Mapping[str, Mapping[str, float]],
    spellings: Mapping[str, Mapping[str, str]],
) -> Group:
    """A group with its explanations, computed from the notes' stored weights.

    A term is shown as its members write it most often ("groups" where English notes
    outnumber French ones that write "groupes"); a note's ties as that note writes them.
    """
    note_ids = tuple(sorted(note_ids))
    totals: dict[str, float] = defaultdict(float)
    users: Counter[str] = Counter()
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for note_id in note_ids:
        for stem, weight in weights.get(note_id, {}).items():
            totals[stem] += weight
            users[stem] += 1
            written[stem][spellings.get(note_id, {}).get(stem, stem)] += 1
    words = {stem: _readable(c) for stem, c in written.items()}
    ranked = sorted(totals, key=lambda s: (-totals[s], words[s]))
    terms = tuple(
        Term(words[s], s, round(totals[s] / len(note_ids), 6), users[s]) for s in ranked[:TOP_TERMS]
    )
    ties = {
        note_id: _ties(note_id, note_ids, weights, spellings.get(note_id, {}), users)
        for note_id in note_ids
    }
    shared = [t for t in terms if t.notes > 1] or list(terms)
    suggested = ", ".join(t.word for t in shared[:NAME_TERMS])
    return Group(key, note_ids, name, suggested[:1].upper() + suggested[1:], terms, ties)


def _ties(
    note_id: str,
    note_ids: tuple[str, ...],
    weights: Mapping[str, Mapping[str, float]],
    words: Mapping[str, str],
    users: Counter[str],
) -> tuple[Term, ...]:
    """The note's terms that others in its group use too, strongest first.

    A note alone in its group is tied by its own strongest terms; a note the facilitator
    placed among notes it shares no word with has no tie, which is what to show.
    """
    own = weights.get(note_id, {})
    others = [o for o in note_ids if o != note_id]
    if not others:
        scored = dict(own)
    else:
        scored = {
            stem: weight * sum(weights.get(o, {}).get(stem, 0.0) for o in others)
            for stem, weight in own.items()
            if users[stem] > 1
        }
    ranked = sorted(scored, key=lambda s: (-scored[s], words.get(s, s)))[:TIE_TERMS]
    return tuple(Term(words.get(s, s), s, round(scored[s], 6), users[s]) for s in ranked)


# --- the facilitator's edits -------------------------------------------------------------


def move(grouping: Grouping, note_id: str, to_group: str) -> Grouping:
    """The grouping with the note moved into `to_group` (a new key starts a new group).

    An ungrouped note can be placed too. A group left empty disappears; the others keep
    their keys and names, and every explanation is computed again.
    """
    if not to_group.strip():
        raise ValueError("to_group: a group key is needed")
    source = grouping.group_of(note_id)
    if source is None and note_id not in grouping.ungrouped:
        raise KeyError(f"no note {note_id!r} in this grouping")
    if source is not None and source.key == to_group:
        return grouping
    members = {g.key: [i for i in g.note_ids if i != note_id] for g in grouping.groups}
    names = {g.key: g.name for g in grouping.groups}
    members.setdefault(to_group, []).append(note_id)
    names.setdefault(to_group, "")
    rebuilt = tuple(
        _group(key, tuple(ids), names[key], grouping.weights, grouping.spellings)
        for key, ids in members.items()
        if ids
    )
    ungrouped = tuple(i for i in grouping.ungrouped if i != note_id)
    return Grouping(
        rebuilt, ungrouped, grouping.weights, grouping.spellings, grouping.choice, grouping.scores
    )


def rename(grouping: Grouping, group: str, name: str) -> Grouping:
    """The grouping with the group named; an empty name goes back to the suggestion."""
    name = " ".join(name.split())
    if len(name) > NAME_MAX_CHARS:
        raise ValueError(f"a theme's name has at most {NAME_MAX_CHARS} characters")
    if group not in {g.key for g in grouping.groups}:
        raise KeyError(f"no group {group!r} in this grouping")
    rebuilt = tuple(
        _group(g.key, g.note_ids, name, grouping.weights, grouping.spellings)
        if g.key == group
        else g
        for g in grouping.groups
    )
    return Grouping(
        rebuilt,
        grouping.ungrouped,
        grouping.weights,
        grouping.spellings,
        grouping.choice,
        grouping.scores,
    )


# --- storage -----------------------------------------------------------------------------


def as_dict(grouping: Grouping) -> dict[str, Any]:
    """What to store (JSON): each note's terms, the groups and the choice, no note text.

    A note's terms are [stem, word as the note writes it, TF-IDF weight] triples.
    Explanations are not stored: `from_dict` computes them again from the terms.
    """
    return {
        "version": FORMAT_VERSION,
        "choice": grouping.choice,
        "scores": [[k, s] for k, s in grouping.scores],
        "notes": {
            note_id: [
                [stem, grouping.spellings[note_id][stem], weight]
                for stem, weight in sorted(weights.items())
            ]
            for note_id, weights in sorted(grouping.weights.items())
        },
        "groups": [
            {"key": g.key, "name": g.name, "notes": list(g.note_ids)} for g in grouping.groups
        ],
        "ungrouped": list(grouping.ungrouped),
    }


def from_dict(data: Mapping[str, Any]) -> Grouping:
    """Read back what `as_dict` stored; anything inconsistent is refused with a reason."""
    expected = {"version", "choice", "scores", "notes", "groups", "ungrouped"}
    if not isinstance(data, Mapping) or set(data) != expected:
        raise ValueError(f"a stored grouping has the keys {sorted(expected)}")
    if data["version"] != FORMAT_VERSION:
        raise ValueError(f"unknown grouping version {data['version']!r}")
    if data["choice"] not in CHOICES:
        raise ValueError(f"unknown choice {data['choice']!r}")
    scores = tuple((int(k), float(s)) for k, s in _scores(data["scores"]))
    weights, spellings = _note_terms(data["notes"])
    placed: list[Any] = []
    groups = []
    if not isinstance(data["groups"], list):
        raise ValueError("groups: expected a list")
    for entry in data["groups"]:
        if not isinstance(entry, dict) or set(entry) != {"key", "name", "notes"}:
            raise ValueError("groups: each group has a key, a name and notes")
        key, name, note_ids = entry["key"], entry["name"], entry["notes"]
        if not isinstance(key, str) or not key or not isinstance(name, str):
            raise ValueError("groups: a key and a name are text")
        if not isinstance(note_ids, list) or not note_ids:
            raise ValueError(f"groups.{key}: a group has at least one note")
        placed.extend(note_ids)
        groups.append((key, tuple(note_ids), name))
    ungrouped = data["ungrouped"]
    if not isinstance(ungrouped, list):
        raise ValueError("ungrouped: expected a list")
    placed.extend(ungrouped)
    if not all(isinstance(i, str) for i in placed) or len(placed) != len(set(placed)):
        raise ValueError("each note is in one group, or ungrouped, once")
    if len({key for key, _, _ in groups}) != len(groups):
        raise ValueError("groups: each key once")
    if set(weights) - set(placed):
        raise ValueError("notes: a note that is in no group")
    built = tuple(_group(k, ids, name, weights, spellings) for k, ids, name in groups)
    return Grouping(built, tuple(ungrouped), weights, spellings, data["choice"], scores)


CHOICES: tuple[Choice, ...] = ("none", "one", "few", "asked", "silhouette")


def _note_terms(
    value: Any,
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, str]]]:
    if not isinstance(value, dict):
        raise ValueError("notes: expected an object")
    weights: dict[str, dict[str, float]] = {}
    spellings: dict[str, dict[str, str]] = {}
    for note_id, terms in value.items():
        if not isinstance(terms, list) or not all(
            isinstance(t, list)
            and len(t) == 3
            and isinstance(t[0], str)
            and isinstance(t[1], str)
            and _is_number(t[2])
            for t in terms
        ):
            raise ValueError(f"notes.{note_id}: expected [stem, word, weight] triples")
        weights[note_id] = {stem: float(weight) for stem, _, weight in terms}
        spellings[note_id] = {stem: word for stem, word, _ in terms}
    return weights, spellings


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _scores(value: Any) -> Iterable[tuple[Any, Any]]:
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and _is_number(p[0]) and _is_number(p[1]) for p in value
    ):
        raise ValueError("scores: expected [number of groups, silhouette] pairs")
    return [(p[0], p[1]) for p in value]
