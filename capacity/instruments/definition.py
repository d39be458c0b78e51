"""Instrument definitions: read a YAML file strictly, check it, and return plain data.

The format is documented in docs/instruments.md. Reading goes through PyYAML's node
tree rather than `safe_load`, so that every value keeps its line: a problem names
the file, the line and the field (`dimensions[2].items[1].text.fr`). Scalars are
typed by this module, not by YAML's guesses: a value YAML could read two ways
(`yes`/`no`/`on`/`off` as booleans, `010`, `1_000` or `1:20` as numbers) is refused.

Nothing here touches the database: `parse()` is a pure function of the text, and
the loader (services.instrument_load) stores what it returns.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

import yaml

LANGUAGES = ("en", "fr")
KINDS = ("rating", "rubric", "checklist", "profile", "register", "reference")
SCALE_KINDS = ("agreement", "frequency", "implementation", "levels", "yes_no")
SCORINGS = ("sum", "mean")
RATERS = ("self", "others")
# Reporting thresholds: aggregates never show fewer respondents than this.
FLOOR = 3
DEFAULT_MIN = 5

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
_ITEM_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
_INT = re.compile(r"^-?[0-9]+$")
_FLOAT = re.compile(r"^-?[0-9]+\.[0-9]+$")
_TRUE_FALSE = {"true": True, "false": False}
_AMBIGUOUS = {"yes", "no", "on", "off", "y", "n"}


class DefinitionError(ValueError):
    """The file is refused: every problem found, each with its line and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.field or 'the file'}: {self.message}"


@dataclass(frozen=True)
class Text:
    """A text in English and French."""

    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language.startswith("fr") else self.en


@dataclass(frozen=True)
class Label:
    value: int
    text: Text


@dataclass(frozen=True)
class Scale:
    kind: str
    min: int
    max: int
    labels: tuple[Label, ...]

    @property
    def points(self) -> tuple[int, ...]:
        return tuple(range(self.min, self.max + 1))

    def label(self, value: int) -> Text | None:
        return next((label.text for label in self.labels if label.value == value), None)


@dataclass(frozen=True)
class Item:
    code: str
    text: Text
    reverse: bool = False


@dataclass(frozen=True)
class Named:
    """A named part with an optional description (capabilities, register fields, categories)."""

    code: str
    name: Text
    description: Text | None = None


@dataclass(frozen=True)
class Dimension:
    code: str
    name: Text
    items: tuple[Item, ...] = ()
    descriptors: tuple[Text, ...] = ()  # rubric: one per scale point, lowest first
    description: Text | None = None
    effect_size: float | None = None  # reference models


@dataclass(frozen=True)
class Quadrant:
    code: str
    x: str  # "low" or "high"
    y: str
    name: Text
    description: Text | None = None


@dataclass(frozen=True)
class Profile:
    x: Named
    y: Named
    quadrants: tuple[Quadrant, ...]


@dataclass(frozen=True)
class Definition:
    code: str
    version: int
    name: Text
    description: Text
    source: str
    kind: str
    respondents: tuple[str, ...]
    raters: tuple[str, ...]
    evidence: bool
    scoring: str | None
    min_respondents: int
    min_text_respondents: int
    scale: Scale | None
    dimensions: tuple[Dimension, ...]
    reflection: tuple[Text, ...] = ()
    notes: tuple[Text, ...] = ()
    profile: Profile | None = None
    categories: tuple[Named, ...] = ()
    fields: tuple[Named, ...] = ()
    capabilities: tuple[Named, ...] = ()

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for dimension in self.dimensions for item in dimension.items)

    @property
    def reverse_count(self) -> int:
        return sum(item.reverse for item in self.items)

    def as_json(self) -> dict[str, Any]:
        """The definition as JSON-ready data (stored with the instrument and each round)."""
        return asdict(self)

    def structure(self) -> dict[str, Any]:
        """What results depend on: codes, kinds, scale points, reverse flags, scoring; no wording."""
        return {
            "code": self.code,
            "kind": self.kind,
            "scoring": self.scoring,
            "raters": list(self.raters),
            "scale": None
            if self.scale is None
            else [self.scale.kind, self.scale.min, self.scale.max],
            "dimensions": [
                [d.code, [[i.code, i.reverse] for i in d.items], len(d.descriptors)]
                for d in self.dimensions
            ],
            "quadrants": [] if self.profile is None else [q.code for q in self.profile.quadrants],
            "categories": [c.code for c in self.categories],
            "fields": [f.code for f in self.fields],
        }

    def structure_digest(self) -> str:
        return _digest(self.structure())

    def content_digest(self) -> str:
        return _digest(self.as_json())


def _digest(data: Any) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def from_json(data: dict[str, Any]) -> Definition:
    """A stored definition (Definition.as_json) back as a Definition."""

    def text(value: Any) -> Text | None:
        return None if value is None else Text(value["en"], value["fr"])

    def named(value: dict[str, Any]) -> Named:
        return Named(value["code"], Text(**value["name"]), text(value.get("description")))

    scale = data.get("scale")
    profile = data.get("profile")
    return Definition(
        code=data["code"],
        version=data["version"],
        name=Text(**data["name"]),
        description=Text(**data["description"]),
        source=data["source"],
        kind=data["kind"],
        respondents=tuple(data["respondents"]),
        raters=tuple(data["raters"]),
        evidence=data["evidence"],
        scoring=data["scoring"],
        min_respondents=data["min_respondents"],
        min_text_respondents=data["min_text_respondents"],
        scale=None
        if scale is None
        else Scale(
            scale["kind"],
            scale["min"],
            scale["max"],
            tuple(Label(label["value"], Text(**label["text"])) for label in scale["labels"]),
        ),
        dimensions=tuple(
            Dimension(
                code=d["code"],
                name=Text(**d["name"]),
                items=tuple(Item(i["code"], Text(**i["text"]), i["reverse"]) for i in d["items"]),
                descriptors=tuple(Text(**t) for t in d["descriptors"]),
                description=text(d.get("description")),
                effect_size=d.get("effect_size"),
            )
            for d in data["dimensions"]
        ),
        reflection=tuple(Text(**t) for t in data.get("reflection", ())),
        notes=tuple(Text(**t) for t in data.get("notes", ())),
        profile=None
        if profile is None
        else Profile(
            named(profile["x"]),
            named(profile["y"]),
            tuple(
                Quadrant(q["code"], q["x"], q["y"], Text(**q["name"]), text(q.get("description")))
                for q in profile["quadrants"]
            ),
        ),
        categories=tuple(named(c) for c in data.get("categories", ())),
        fields=tuple(named(f) for f in data.get("fields", ())),
        capabilities=tuple(named(c) for c in data.get("capabilities", ())),
    )


# --- reading YAML with lines --------------------------------------------------------


class _Reader:
    """Turns a YAML node tree into plain values, remembering each value's line by its path."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []

    def refuse(self, path: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, line or self.line_of(path), path, message))

    def line_of(self, path: str) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path)
        return self.lines.get("")

    def value(self, node: yaml.Node, path: str) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str) or not key:
                    self.refuse(path, "a key must be plain text", key_node.start_mark.line + 1)
                    continue
                child = f"{path}.{key}" if path else key
                if key in out:
                    self.refuse(child, "this key appears twice", key_node.start_mark.line + 1)
                    continue
                out[key] = self.value(value_node, child)
                self.lines[child] = key_node.start_mark.line + 1  # a key's line, not its block's
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.value(child, f"{path}[{i}]") for i, child in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: str) -> Any:
        raw = node.value
        if not isinstance(node, yaml.ScalarNode):
            self.refuse(path, "YAML anchors, aliases and tags are not used in definitions")
            return None
        if node.style in ("'", '"', "|", ">"):
            return raw  # quoted or block text: always text
        if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
                            "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                            "tag:yaml.org,2002:null"):  # fmt: skip
            self.refuse(path, "YAML anchors, aliases and tags are not used in definitions")
            return None
        lowered = raw.lower()
        if lowered in _TRUE_FALSE:
            return _TRUE_FALSE[lowered]
        if lowered in _AMBIGUOUS:
            self.refuse(
                path,
                f"{raw!r} could be read as text or as true/false: write true, false or a quoted text",
            )
            return None
        if lowered in ("", "~", "null"):
            return None
        if _INT.match(raw):
            if len(raw.lstrip("-")) > 1 and raw.lstrip("-").startswith("0"):
                self.refuse(
                    path,
                    f"{raw!r} could be read as a number or as text: quote it or drop the leading zero",
                )
                return None
            return int(raw)
        if _FLOAT.match(raw):
            return float(raw)
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            self.refuse(path, f"{raw!r} could be read as a number or as text: quote it")
            return None
        return raw


def read_yaml(
    text: str, file: str, *, first_line: int = 1
) -> tuple[Any, list[Problem], dict[str, int]]:
    """Read YAML strictly (see the module docstring): the data, its problems, and each value's line
    by path. `first_line` is the file line the text starts on (front matter starts on line 2)."""
    reader = _Reader(file)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        return None, [Problem(file, line, "", f"not valid YAML: {problem}")], {}
    if root is None:
        return None, [], {}
    data = reader.value(root, "")
    lines = {path: line + first_line - 1 for path, line in reader.lines.items()}
    problems = [
        Problem(p.file, p.line + first_line - 1 if p.line else p.line, p.field, p.message)
        for p in reader.problems
    ]
    return data, problems, lines


def parse(text: str, file: str = "definition") -> Definition:
    """The definition in `text` (YAML), or DefinitionError listing every problem found."""
    reader = _Reader(file)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise DefinitionError([Problem(file, line, "", f"not valid YAML: {problem}")]) from None
    if root is None:
        raise DefinitionError([Problem(file, None, "", "the file is empty")])
    data = reader.value(root, "")
    if reader.problems:
        raise DefinitionError(reader.problems)
    if not isinstance(data, dict):
        raise DefinitionError([Problem(file, 1, "", "a definition is a mapping of keys to values")])
    definition = _Checker(reader).definition(data)
    if reader.problems or definition is None:
        raise DefinitionError(reader.problems)
    return definition


# --- checking --------------------------------------------------------------------------

_TOP = {
    "code", "version", "name", "description", "source", "kind", "respondents", "raters",
    "evidence", "scoring", "reporting", "scale", "dimensions", "reflection", "notes",
    "profile", "categories", "fields", "capabilities", "audience",
}  # fmt: skip
AUDIENCES = ("staff", "students", "parents")
# Open text from students and parents is shown only from this many respondents.
YOUNG_OR_FAMILY_TEXT_MIN = 10


class _Checker:
    def __init__(self, reader: _Reader) -> None:
        self.r = reader

    def refuse(self, path: str, message: str) -> None:
        self.r.refuse(path, message)

    def keys(self, data: dict[str, Any], path: str, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                child = f"{path}.{key}" if path else key
                self.refuse(child, f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def mapping(self, data: dict[str, Any], key: str, path: str) -> dict[str, Any] | None:
        value = data.get(key)
        child = f"{path}.{key}" if path else key
        if not isinstance(value, dict):
            self.refuse(
                child, "missing" if value is None else "must be a mapping of keys to values"
            )
            return None
        return value

    def text(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> Text | None:
        child = f"{path}.{key}" if path else key
        value = data.get(key)
        if value is None:
            if required:
                self.refuse(child, "missing")
            return None
        return self.bilingual(value, child)

    def bilingual(self, value: Any, path: str) -> Text | None:
        if not isinstance(value, dict):
            self.refuse(path, 'must give the text in English and French: {en: "…", fr: "…"}')
            return None
        self.keys(value, path, set(LANGUAGES))
        found = {}
        for language in LANGUAGES:
            words = value.get(language)
            if not isinstance(words, str) or not words.strip():
                self.refuse(f"{path}.{language}", "missing" if words is None else "must be text")
            else:
                found[language] = words.strip()
        return Text(**found) if len(found) == len(LANGUAGES) else None

    def string(
        self, data: dict[str, Any], key: str, path: str, pattern: re.Pattern[str] | None = None
    ) -> str | None:
        child = f"{path}.{key}" if path else key
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.refuse(child, "missing" if value is None else "must be text (quote it)")
            return None
        if pattern is not None and not pattern.match(value):
            self.refuse(
                child, f"{value!r} is not a valid code (up to 40 letters, digits, '-', '.' and '_')"
            )
            return None
        return value

    def integer(
        self, data: dict[str, Any], key: str, path: str, default: int | None = None
    ) -> int | None:
        child = f"{path}.{key}" if path else key
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.refuse(child, "missing" if value is None else "must be a whole number")
            return None
        return value

    def boolean(self, data: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.refuse(f"{path}.{key}" if path else key, "must be true or false")
            return default
        return value

    def choice(
        self, data: dict[str, Any], key: str, path: str, choices: tuple[str, ...]
    ) -> str | None:
        value = data.get(key)
        if value not in choices:
            where = f"{path}.{key}" if path else key
            options = ", ".join(choices)
            if value is None:
                self.refuse(where, f"missing (one of {options})")
            else:
                self.refuse(where, f"{value!r} is not one of {options}")
            return None
        return str(value)

    def listed(self, data: dict[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key, [])
        if value is None:
            value = []
        if not isinstance(value, list):
            self.refuse(f"{path}.{key}" if path else key, "must be a list")
            return []
        return value

    def named_list(self, data: dict[str, Any], key: str, path: str) -> tuple[Named, ...]:
        out = []
        seen: set[str] = set()
        for i, entry in enumerate(self.listed(data, key, path)):
            where = f"{key}[{i}]" if not path else f"{path}.{key}[{i}]"
            if not isinstance(entry, dict):
                self.refuse(where, "must be a mapping with code and name")
                continue
            self.keys(entry, where, {"code", "name", "description"})
            code = self.string(entry, "code", where, _ITEM_CODE)
            if code in seen:
                self.refuse(f"{where}.code", f"the code {code!r} is used twice")
            name = self.text(entry, "name", where)
            description = self.text(entry, "description", where, required=False)
            if code and name:
                seen.add(code)
                out.append(Named(code, name, description))
        return tuple(out)

    # The whole definition ------------------------------------------------------

    def definition(self, data: dict[str, Any]) -> Definition | None:
        from capacity.directory.models import Role

        self.keys(data, "", _TOP)
        code = self.string(data, "code", "", _CODE)
        version = self.integer(data, "version", "")
        if version is not None and version < 1:
            self.refuse("version", "must be 1 or more")
        name = self.text(data, "name", "")
        description = self.text(data, "description", "")
        source = self.string(data, "source", "")
        kind = self.choice(data, "kind", "", KINDS)

        respondents = []
        for i, role in enumerate(self.listed(data, "respondents", "")):
            if role not in Role.values:
                self.refuse(
                    f"respondents[{i}]", f"{role!r} is not a role ({', '.join(Role.values)})"
                )
            else:
                respondents.append(role)
        if kind not in ("reference", None) and not respondents:
            self.refuse("respondents", "name at least one role that responds")
        if kind == "reference" and respondents:
            self.refuse("respondents", "a reference model has no respondents")

        raters = []
        for i, rater in enumerate(self.listed(data, "raters", "") or ["self"]):
            if rater not in RATERS:
                self.refuse(f"raters[{i}]", f"{rater!r} is not one of {', '.join(RATERS)}")
            else:
                raters.append(rater)
        evidence = self.boolean(data, "evidence", "")

        scored = kind in ("rating", "rubric", "checklist", "profile")
        scoring = None
        if scored:
            scoring = self.choice(data, "scoring", "", SCORINGS)
        elif "scoring" in data:
            self.refuse("scoring", f"a {kind} is not scored")

        reporting = data.get("reporting") or {}
        if not isinstance(reporting, dict):
            self.refuse("reporting", "must be a mapping")
            reporting = {}
        self.keys(reporting, "reporting", {"min_respondents", "min_text_respondents"})
        minimum = (
            self.integer(reporting, "min_respondents", "reporting", DEFAULT_MIN) or DEFAULT_MIN
        )
        if minimum < FLOOR:
            self.refuse("reporting.min_respondents", f"must be at least {FLOOR}")
        audience = str(data.get("audience", "staff"))
        if audience not in AUDIENCES:
            self.refuse("audience", f"{audience!r} is not one of {', '.join(AUDIENCES)}")
        text_floor = YOUNG_OR_FAMILY_TEXT_MIN if audience in ("students", "parents") else 0
        text_minimum = (
            self.integer(
                reporting,
                "min_text_respondents",
                "reporting",
                max(minimum, DEFAULT_MIN, text_floor),
            )
            or minimum
        )
        if text_minimum < minimum:
            self.refuse("reporting.min_text_respondents", "must be at least min_respondents")
        if text_minimum < text_floor:
            self.refuse(
                "reporting.min_text_respondents",
                f"open text from {audience} is shown only from {text_floor} respondents",
            )

        scale = None
        if scored:
            scale = self.scale(data, kind)
        elif "scale" in data:
            self.refuse("scale", f"a {kind} has no scale")

        dimensions = self.dimensions(data, kind, scale)
        reflection = self.texts(data, "reflection")
        notes = self.texts(data, "notes")

        profile = None
        if kind == "profile":
            profile = self.profile(data)
        elif "profile" in data:
            self.refuse("profile", "only a profile instrument has a profile")
        categories = self.named_list(data, "categories", "")
        fields = self.named_list(data, "fields", "")
        if kind == "register":
            if len(categories) < 2:
                self.refuse("categories", "a register names at least two categories")
            if not fields:
                self.refuse("fields", "a register names the fields it keeps per entry")
        else:
            for key in ("categories", "fields"):
                if key in data:
                    self.refuse(key, "only a register has categories and fields")
        capabilities = self.named_list(data, "capabilities", "")
        if "capabilities" in data and kind != "reference":
            self.refuse("capabilities", "only a reference model has capabilities")

        if self.r.problems:
            return None
        assert code and version and name and description and source and kind  # noqa: PT018
        return Definition(
            code=code,
            version=version,
            name=name,
            description=description,
            source=source,
            kind=kind,
            respondents=tuple(respondents),
            raters=tuple(raters),
            evidence=evidence,
            scoring=scoring,
            min_respondents=minimum,
            min_text_respondents=text_minimum,
            scale=scale,
            dimensions=dimensions,
            reflection=reflection,
            notes=notes,
            profile=profile,
            categories=categories,
            fields=fields,
            capabilities=capabilities,
        )

    def texts(self, data: dict[str, Any], key: str) -> tuple[Text, ...]:
        out = []
        for i, value in enumerate(self.listed(data, key, "")):
            text = self.bilingual(value, f"{key}[{i}]")
            if text is not None:
                out.append(text)
        return tuple(out)

    def scale(self, data: dict[str, Any], kind: str | None) -> Scale | None:
        found = self.mapping(data, "scale", "")
        if found is None:
            return None
        self.keys(found, "scale", {"kind", "min", "max", "labels"})
        scale_kind = self.choice(found, "kind", "scale", SCALE_KINDS)
        low = self.integer(found, "min", "scale")
        high = self.integer(found, "max", "scale")
        if low is None or high is None or scale_kind is None:
            return None
        if high <= low:
            self.refuse("scale.max", "must be more than min")
            return None
        if high - low > 20:
            self.refuse("scale.max", "a scale has at most 21 points")
            return None
        if kind == "checklist" and (scale_kind, low, high) != ("yes_no", 0, 1):
            self.refuse("scale", "a checklist's scale is yes_no, from 0 (no) to 1 (yes)")
        if scale_kind == "yes_no" and (low, high) != (0, 1):
            self.refuse("scale", "a yes_no scale goes from 0 (no) to 1 (yes)")
        labels: list[Label] = []
        for i, entry in enumerate(self.listed(found, "labels", "scale")):
            where = f"scale.labels[{i}]"
            if not isinstance(entry, dict):
                self.refuse(where, 'must be {value: …, en: "…", fr: "…"}')
                continue
            self.keys(entry, where, {"value", *LANGUAGES})
            value = self.integer(entry, "value", where)
            text = self.bilingual({k: v for k, v in entry.items() if k in LANGUAGES}, where)
            if value is None or text is None:
                continue
            if not low <= value <= high:
                self.refuse(f"{where}.value", f"{value} is outside the scale ({low} to {high})")
            elif any(label.value == value for label in labels):
                self.refuse(f"{where}.value", f"the point {value} is labelled twice")
            else:
                labels.append(Label(value, text))
        values = {label.value for label in labels}
        if scale_kind == "frequency":
            if not {low, high} <= values:
                self.refuse("scale.labels", "label at least both ends of the scale")
        elif values != set(range(low, high + 1)):
            missing = sorted(set(range(low, high + 1)) - values)
            self.refuse(
                "scale.labels",
                f"every point needs a label; missing: {', '.join(map(str, missing))}",
            )
        return Scale(scale_kind, low, high, tuple(sorted(labels, key=lambda label: label.value)))

    def dimensions(
        self, data: dict[str, Any], kind: str | None, scale: Scale | None
    ) -> tuple[Dimension, ...]:
        found = self.listed(data, "dimensions", "")
        if not found:
            self.refuse("dimensions", "missing: a definition has at least one dimension")
        out = []
        dimension_codes: set[str] = set()
        item_codes: set[str] = set()
        for i, entry in enumerate(found):
            where = f"dimensions[{i}]"
            if not isinstance(entry, dict):
                self.refuse(where, "must be a mapping with code, name and items")
                continue
            self.keys(
                entry, where, {"code", "name", "description", "items", "descriptors", "effect_size"}
            )
            code = self.string(entry, "code", where, _ITEM_CODE)
            if code in dimension_codes:
                self.refuse(f"{where}.code", f"the dimension code {code!r} is used twice")
            name = self.text(entry, "name", where)
            description = self.text(entry, "description", where, required=False)
            items = []
            for j, item in enumerate(self.listed(entry, "items", where)):
                at = f"{where}.items[{j}]"
                if not isinstance(item, dict):
                    self.refuse(at, "must be a mapping with code and text")
                    continue
                self.keys(item, at, {"code", "text", "reverse"})
                item_code = self.string(item, "code", at, _ITEM_CODE)
                if item_code in item_codes:
                    self.refuse(f"{at}.code", f"the item code {item_code!r} is used twice")
                text = self.text(item, "text", at)
                reverse = self.boolean(item, "reverse", at)
                if reverse and (scale is None or scale.kind == "yes_no"):
                    self.refuse(
                        f"{at}.reverse", "only items on a numeric scale can be reverse-scored"
                    )
                if item_code and text:
                    item_codes.add(item_code)
                    items.append(Item(item_code, text, reverse))
            descriptors = []
            for j, value in enumerate(self.listed(entry, "descriptors", where)):
                text = self.bilingual(value, f"{where}.descriptors[{j}]")
                if text is not None:
                    descriptors.append(text)
            if kind == "rubric":
                if scale is not None and len(descriptors) != len(scale.points):
                    self.refuse(
                        f"{where}.descriptors",
                        f"a rubric dimension needs one descriptor per level "
                        f"({len(scale.points)}), found {len(descriptors)}",
                    )
            elif "descriptors" in entry:
                self.refuse(f"{where}.descriptors", "only a rubric's dimensions have descriptors")
            if kind in ("rating", "checklist", "profile") and not items and "items" in entry:
                self.refuse(f"{where}.items", "a dimension needs at least one item")
            elif kind in ("rating", "checklist", "profile") and "items" not in entry:
                self.refuse(f"{where}.items", "missing")
            effect = entry.get("effect_size")
            if effect is not None:
                if kind != "reference":
                    self.refuse(f"{where}.effect_size", "only a reference model has effect sizes")
                elif isinstance(effect, bool) or not isinstance(effect, int | float):
                    self.refuse(f"{where}.effect_size", "must be a number")
                    effect = None
            if code and name:
                dimension_codes.add(code)
                out.append(
                    Dimension(
                        code=code,
                        name=name,
                        items=tuple(items),
                        descriptors=tuple(descriptors),
                        description=description,
                        effect_size=float(effect) if effect is not None else None,
                    )
                )
        return tuple(out)

    def profile(self, data: dict[str, Any]) -> Profile | None:
        found = self.mapping(data, "profile", "")
        if found is None:
            return None
        self.keys(found, "profile", {"x", "y", "quadrants"})
        axes = []
        for axis in ("x", "y"):
            value = self.mapping(found, axis, "profile")
            if value is None:
                continue
            where = f"profile.{axis}"
            self.keys(value, where, {"code", "name", "description"})
            code = self.string(value, "code", where, _ITEM_CODE)
            name = self.text(value, "name", where)
            if code and name:
                axes.append(
                    Named(code, name, self.text(value, "description", where, required=False))
                )
        quadrants = []
        corners = set()
        for i, entry in enumerate(self.listed(found, "quadrants", "profile")):
            where = f"profile.quadrants[{i}]"
            if not isinstance(entry, dict):
                self.refuse(where, "must be a mapping")
                continue
            self.keys(entry, where, {"code", "x", "y", "name", "description"})
            code = self.string(entry, "code", where, _ITEM_CODE)
            x = self.choice(entry, "x", where, ("low", "high"))
            y = self.choice(entry, "y", where, ("low", "high"))
            name = self.text(entry, "name", where)
            if (x, y) in corners:
                self.refuse(where, f"another quadrant is already at x {x}, y {y}")
            if code and x and y and name:
                corners.add((x, y))
                quadrants.append(
                    Quadrant(
                        code, x, y, name, self.text(entry, "description", where, required=False)
                    )
                )
        if len(corners) != 4 and not self.r.problems:
            self.refuse("profile.quadrants", "a profile has exactly four quadrants, one per corner")
        if len(axes) != 2:
            return None
        return Profile(axes[0], axes[1], tuple(quadrants))
