"""What the library's reading pages, PDFs and API show of an item: one version, one language.

The pages (views.py), the printable case study and module handout (exports.py) and the
API (api.py) all go through here, so a reader gets the same words and labels whichever
way they come in. Codes (characteristics, contexts of use, board types) are turned into
their labels from the models' TextChoices; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from capacity.learning.models import BoardType, Context, Item, Kind, Language, State, Text, Version
from capacity.planning.models import Characteristic

# Where a module's handout finds its parts: the body's five sections in order
# (docs/learning.md, "A module").
GUIDING_QUESTIONS, SYNOPSIS = 3, 4

# The user guide's sentence for each of seed 002's contexts of use (our own words).
CONTEXT_USES: dict[str, Promise] = {
    Context.MENTORING: _(
        "A mentor and a newer superintendent read a case study together and talk through "
        "what they would have done at each turning point."
    ),
    Context.NETWORKS: _(
        "Leaders from several boards each bring a case close to their own situation and "
        "compare how the boards decided what to change first."
    ),
    Context.STUDY_GROUPS: _(
        "A small group works through one module over a few meetings, using its guiding "
        "questions to connect the cases to their own schools."
    ),
    Context.SUCCESSION: _(
        "Aspiring leaders read how other boards grew their leaders and prepare to explain "
        "how they would sustain the work they would inherit."
    ),
    Context.BOARD_IMPROVEMENT: _(
        "The team writing the board improvement plan picks the module on its weakest "
        "characteristic and uses the cases to test its strategies before committing to them."
    ),
    Context.LEADERSHIP_TEAMS: _(
        "The board's leadership development team uses the modules to set its own learning "
        "goals and writes its board's story as a new case study."
    ),
}


def characteristic_labels(codes: Iterable[str]) -> list[str]:
    """The characteristics' names in the reader's language, in the order given."""
    names = dict(Characteristic.choices)
    return [str(names.get(code, code)) for code in codes]


def context_labels(codes: Iterable[str]) -> list[str]:
    names = dict(Context.choices)
    return [str(names.get(code, code)) for code in codes]


def board_type_label(code: str) -> str:
    return str(dict(BoardType.choices).get(code, code)) if code else ""


def language_label(code: str) -> str:
    return str(dict(Language.choices).get(code, code))


def state_label(code: str) -> str:
    return str(dict(State.choices).get(code, code))


def pick_text(version: Version, reader: str, requested: str | None = None) -> Text | None:
    """The text to show: the requested language if the version has it, else the reader's,
    else the other one (None for a version without any text)."""
    texts = {text.language: text for text in version.texts.all()}
    for language in (requested, reader):
        if language and language in texts:
            return texts[language]
    return next(iter(texts.values()), None)


@dataclass
class AgendaRow:
    minutes: int
    title: str
    notes: str


@dataclass
class Reading:
    """One version of an item as a reader sees it in one language."""

    item: Item
    version: Version
    text: Text
    languages: list[str]  # the languages this version is written in, English first
    reader: str  # the reader's interface language
    characteristics: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    board: str = ""
    board_type: str = ""
    year: int | None = None
    agenda: list[AgendaRow] = field(default_factory=list)

    @property
    def is_module(self) -> bool:
        return self.item.kind == Kind.MODULE

    @property
    def language(self) -> str:
        return self.text.language

    @property
    def in_other_language(self) -> bool:
        """True when the version is not written in the reader's language (the page says so)."""
        return self.reader not in self.languages

    @property
    def other_languages(self) -> list[tuple[str, str]]:
        """(code, label) of the version's languages other than the one shown."""
        return [(code, language_label(code)) for code in self.languages if code != self.language]

    @property
    def total_minutes(self) -> int:
        return sum(row.minutes for row in self.agenda)

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [(heading, body) for heading, body in self.text.sections]

    def section(self, index: int) -> tuple[str, str]:
        sections = self.sections
        return sections[index] if index < len(sections) else ("", "")

    @property
    def guiding_questions(self) -> tuple[str, str]:
        return self.section(GUIDING_QUESTIONS)

    @property
    def synopsis(self) -> tuple[str, str]:
        return self.section(SYNOPSIS)


def read(version: Version, *, reader: str, requested: str | None = None) -> Reading | None:
    """`version` of its item in the language to show (see `pick_text`), with its labels."""
    text = pick_text(version, reader, requested)
    if text is None:
        return None
    facts: dict[str, Any] = version.facts or {}
    return Reading(
        item=version.item,
        version=version,
        text=text,
        languages=sorted(t.language for t in version.texts.all()),
        reader=reader,
        characteristics=characteristic_labels(facts.get("characteristics", [])),
        contexts=context_labels(facts.get("contexts", [])),
        board=str(facts.get("board", "")),
        board_type=board_type_label(str(facts.get("board_type", ""))),
        year=facts.get("year"),
        agenda=[
            AgendaRow(
                minutes=int(row.get("minutes", 0)),
                title=str(row.get("title", "")),
                notes=str(row.get("notes", "")),
            )
            for row in text.agenda
        ],
    )


def cards(items: Iterable[Item], reader: str) -> tuple[list[Reading], list[Reading]]:
    """The published items as (modules, case studies), each read in the reader's language.

    Uses the texts already fetched with the items (selectors.library): no query per item.
    """
    modules: list[Reading] = []
    cases: list[Reading] = []
    for item in items:
        if item.published is None:
            continue
        item.published.item = item  # the version's item is this one: no query to fetch it
        reading = read(item.published, reader=reader)
        if reading is None:
            continue
        (modules if item.kind == Kind.MODULE else cases).append(reading)
    return modules, cases
