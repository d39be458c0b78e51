"""The learning library's content files: Markdown with YAML front matter, one file per language.

The format is docs/learning.md's. `load_dir(root)` reads every `<slug>.<language>.md`
under `modules/` and `cases/`, checks each file (front matter keys and values, the body's
`##` sections in order for its language) and the whole (an item's language files agree;
a module's case studies exist), and returns the items, or raises ContentError listing
every problem with its file, line and field. Nothing here touches the database: the
loader stores what this returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from capacity.instruments.definition import Problem, read_yaml
from capacity.planning.models import Characteristic

SHIPPED = Path(__file__).resolve().parent / "content"
LANGUAGES = ("en", "fr")
# Planning's tags for the nine characteristics: content names them by the same codes.
CHARACTERISTICS: tuple[str, ...] = tuple(Characteristic.values)
BOARD_TYPES = ("english-public", "english-catholic", "french-public", "french-catholic")
CONTEXTS = (
    "mentoring",
    "networks",
    "study-groups",
    "succession-planning",
    "board-improvement",
    "leadership-development-teams",
)
MODULE_SECTIONS = {
    "en": ("Description", "Research summary", "Overview", "Guiding questions", "Synopsis"),
    "fr": (
        "Description",
        "Synthèse de la recherche",
        "Aperçu",
        "Questions d'orientation",
        "Synopsis",
    ),
}
CASE_SECTIONS = {
    "en": (
        "Which characteristics this case addresses",
        "How we decided it needed attention",
        "Where we started",
        "What we did, who took part, and how we handled surprises",
        "Turning points",
        "Where we are now, and our evidence",
        "Advice to others",
    ),
    "fr": (
        "Les caractéristiques visées",
        "Comment nous avons décidé d'y consacrer des efforts",
        "Notre point de départ",
        "Ce que nous avons fait, avec qui, et comment nous avons géré les imprévus",
        "Les moments décisifs",
        "Où nous en sommes, et nos données probantes",
        "Conseils aux autres",
    ),
}
# Front matter keys that describe the item (the same in every language) and text keys.
SHARED = {
    "module": (
        "kind",
        "slug",
        "number",
        "characteristics",
        "case_studies",
        "self_assessment",
        "evaluation",
    ),
    "case": (
        "kind",
        "slug",
        "board",
        "board_type",
        "year",
        "characteristics",
        "contexts",
    ),
}
# Optional front matter that describes the item (the same in every language when given): a
# case study's board size, which "what to read next" uses to prefer boards like the reader's.
OPTIONAL = {"module": (), "case": ("schools",)}
# Themes are words people search by, so each language file has its own.
TEXT = {"module": ("title", "summary", "agenda"), "case": ("title", "summary", "themes")}
_FILE = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]{0,79})\.(?P<language>[a-z]{2})\.md$")


class ContentError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Version:
    """One language's file of an item."""

    language: str
    front: dict[str, Any]
    sections: tuple[tuple[str, str], ...]  # (heading, Markdown text), in order
    path: str

    @property
    def title(self) -> str:
        return str(self.front["title"])


@dataclass
class Item:
    kind: str
    slug: str
    versions: dict[str, Version] = field(default_factory=dict)

    def shared(self, key: str) -> Any:
        return next(iter(self.versions.values())).front.get(key)


def _split(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, the body's first line) or None without front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def _sections(
    body: str, first_line: int
) -> tuple[list[tuple[str, str, int]], list[tuple[int, str]]]:
    """The body's `##` sections (heading, text, line) and any text before the first one."""
    found: list[tuple[str, str, int]] = []
    before: list[tuple[int, str]] = []
    heading: str | None = None
    start = 0
    text: list[str] = []
    for offset, line in enumerate(body.splitlines()):
        if line.startswith("## "):
            if heading is not None:
                found.append((heading, "\n".join(text).strip(), start))
            heading, start, text = line[3:].strip(), first_line + offset, []
        elif line.startswith("# "):
            before.append(
                (first_line + offset, "a top-level heading: the title is in the front matter")
            )
        elif heading is None:
            if line.strip():
                before.append((first_line + offset, "text before the first ## section"))
        else:
            text.append(line)
    if heading is not None:
        found.append((heading, "\n".join(text).strip(), start))
    return found, before


def parse_file(path: Path) -> tuple[Version | None, list[Problem]]:
    """One content file, checked on its own."""
    name = path.name
    problems: list[Problem] = []
    matched = _FILE.match(name)
    if matched is None:
        return None, [Problem(name, None, "", "name a content file <slug>.<en|fr>.md")]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return None, [
            Problem(name, line, "", f"byte {error.start + 1} is not UTF-8: save the file as UTF-8")
        ]
    split = _split(text)
    if split is None:
        return None, [
            Problem(name, 1, "", "a content file starts with front matter between two --- lines")
        ]
    front_text, body, body_line = split
    data, problems, lines = read_yaml(front_text, name, first_line=2)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(name, 2, "", "the front matter is a mapping of keys to values")]

    def refuse(key: str, message: str) -> None:
        problems.append(Problem(name, lines.get(key, 2), key, message))

    kind = data.get("kind")
    if kind not in ("module", "case"):
        refuse(
            "kind",
            "missing (module or case)" if kind is None else f"{kind!r} is not module or case",
        )
        return None, problems
    allowed = {"language", *SHARED[kind], *OPTIONAL[kind], *TEXT[kind]}
    for key in data:
        if key not in allowed:
            refuse(key, f"unknown key (expected one of: {', '.join(sorted(allowed))})")
    for key in ("slug", "language", "title", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            refuse(key, "missing" if key not in data else "must be text")
    if data.get("slug") != matched["slug"]:
        refuse("slug", f"must be {matched['slug']!r}, the file's name")
    if data.get("language") != matched["language"] or matched["language"] not in LANGUAGES:
        refuse("language", f"must be the file name's language, one of {', '.join(LANGUAGES)}")
    characteristics = data.get("characteristics")
    if not isinstance(characteristics, list) or not characteristics:
        refuse("characteristics", "list one or more characteristic codes")
    else:
        for index, code in enumerate(characteristics):
            if code not in CHARACTERISTICS:
                problems.append(
                    Problem(
                        name,
                        lines.get(f"characteristics[{index}]"),
                        f"characteristics[{index}]",
                        f"{code!r} is not a characteristic ({', '.join(CHARACTERISTICS)})",
                    )  # fmt: skip
                )
    if kind == "module":
        number = data.get("number")
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 8:
            refuse("number", "must be a module number from 1 to 8")
        if (
            not isinstance(data.get("case_studies"), list)
            or not 2 <= len(data["case_studies"]) <= 3
        ):
            refuse("case_studies", "list the two or three case studies the module uses")
        for key in ("self_assessment", "evaluation"):
            if not isinstance(data.get(key), str):
                refuse(key, "name an instrument code (capacity instruments list)")
        agenda = data.get("agenda")
        if not isinstance(agenda, list) or not agenda:
            refuse("agenda", "list the agenda's timed segments")
        else:
            for index, segment in enumerate(agenda):
                where = f"agenda[{index}]"
                if not isinstance(segment, dict) or set(segment) != {"minutes", "title", "notes"}:
                    problems.append(
                        Problem(
                            name, lines.get(where), where, "a segment has minutes, title and notes"
                        )
                    )
                    continue
                minutes = segment["minutes"]
                if (
                    isinstance(minutes, bool)
                    or not isinstance(minutes, int)
                    or not 1 <= minutes <= 240
                ):
                    problems.append(
                        Problem(
                            name,
                            lines.get(f"{where}.minutes"),
                            f"{where}.minutes",
                            "whole minutes, 1 to 240",
                        )
                    )
        expected: tuple[str, ...] = MODULE_SECTIONS.get(matched["language"], ())
    else:
        if data.get("board_type") not in BOARD_TYPES:
            refuse("board_type", f"one of {', '.join(BOARD_TYPES)}")
        year = data.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
            refuse("year", "the year the work began, like 2016")
        if isinstance(characteristics, list) and not 1 <= len(characteristics) <= 2:
            refuse("characteristics", "a case study addresses one or two characteristics")
        contexts = data.get("contexts")
        if (
            not isinstance(contexts, list)
            or not contexts
            or any(c not in CONTEXTS for c in contexts)
        ):
            refuse("contexts", f"list contexts of use among {', '.join(CONTEXTS)}")
        if not isinstance(data.get("board"), str):
            refuse("board", "name the (fictional) board")
        schools = data.get("schools")
        if "schools" in data and (
            isinstance(schools, bool) or not isinstance(schools, int) or not 1 <= schools <= 2000
        ):
            refuse("schools", "the board's number of schools, a whole number from 1 to 2000")
        if not isinstance(data.get("themes"), list):
            refuse("themes", "list the themes, as words")
        expected = CASE_SECTIONS.get(matched["language"], ())
    sections, before = _sections(body, body_line)
    for line, message in before:
        problems.append(Problem(name, line, "body", message))
    headings = [heading for heading, _text, _line in sections]
    if headings != list(expected):
        at = next(
            (
                i
                for i, pair in enumerate(zip(headings, expected, strict=False))
                if pair[0] != pair[1]
            ),
            None,
        )
        line = sections[at][2] if at is not None and at < len(sections) else body_line
        problems.append(
            Problem(name, line, "body", "the ## sections must be, in order: " + "; ".join(expected))
        )
    for heading, section_text, line in sections:
        if not section_text:
            problems.append(Problem(name, line, "body", f"the section {heading!r} is empty"))
    if problems:
        return None, problems
    return (
        Version(matched["language"], data, tuple((h, t) for h, t, _line in sections), str(path)),
        [],
    )


def load_dir(root: Path = SHIPPED) -> list[Item]:
    """Every item under `root` (modules/ and cases/), checked one by one and as a whole."""
    problems: list[Problem] = []
    items: dict[tuple[str, str], Item] = {}
    for folder, kind in (("modules", "module"), ("cases", "case")):
        for path in sorted((root / folder).glob("*")):
            version, found = parse_file(path)
            problems += found
            if version is None:
                continue
            if version.front["kind"] != kind:
                problems.append(Problem(path.name, 2, "kind", f"a file in {folder}/ is a {kind}"))
                continue
            item = items.setdefault(
                (kind, version.front["slug"]), Item(kind, version.front["slug"])
            )
            item.versions[version.language] = version
    for item in items.values():
        first = next(iter(item.versions.values()))
        for other in list(item.versions.values())[1:]:
            for key in (*SHARED[item.kind], *OPTIONAL[item.kind]):
                if first.front.get(key) != other.front.get(key):
                    problems.append(
                        Problem(
                            Path(other.path).name,
                            None,
                            key,
                            f"differs from {Path(first.path).name}",
                        )
                    )
    cases = {slug for kind, slug in items if kind == "case"}
    numbers: dict[int, str] = {}
    for (kind, slug), item in items.items():
        if kind != "module":
            continue
        for case in item.shared("case_studies"):
            if case not in cases:
                problems.append(
                    Problem(f"{slug}.*.md", None, "case_studies", f"no case study {case!r}")
                )
        number = item.shared("number")
        if number in numbers:
            problems.append(
                Problem(
                    f"{slug}.*.md", None, "number", f"module {number} is also {numbers[number]!r}"
                )
            )
        numbers[number] = slug
    if problems:
        raise ContentError(problems)
    return sorted(
        items.values(), key=lambda item: (item.kind, item.shared("number") or 0, item.slug)
    )
