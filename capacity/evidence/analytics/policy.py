"""Identification policies as data: parse and validate the TOML that defines a rule.

A policy says which assessments count, the threshold (a result strictly below it
counts as "below"), how many of the assessments must be below in a year, the
window of school years and how many of them must meet the rule, whether those
years must be consecutive, an optional minimum of participating students, and
optional categories for identified schools. See policies/*.toml for examples.

Options added for issue 13 (each off unless the file sets it, so older policies
identify exactly as before): counting the assessments below as a share of those the
school has (`count = "share"`, `min_share_below`, `min_usable`), an exit rule with a
margin and a period and a "sustaining" status for schools that left (`[exit]`), and
static schools (`[static]`: no improvement over some years, below a ceiling).

Titles and descriptions come in English (`title`, `description`) and, optionally,
French (`title_fr`, `description_fr`, and `title_fr` on each category); pages show
the viewer's language and fall back to English. The words are not the rule: a
version's rule never changes, its wording may be corrected (see `same_rule`).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"


class PolicyError(ValueError):
    """A policy definition that cannot be used, with the reason."""


@dataclass(frozen=True)
class Category:
    name: str
    title: str
    below: float  # the lowest policy result in the latest year is under this
    title_fr: str = ""

    def title_in(self, language: str) -> str:
        """The category's title in `language` ("fr", "en"), English when there is no French."""
        return _in(language, self.title, self.title_fr)


def _in(language: str, english: str, french: str) -> str:
    return french if language.startswith("fr") and french else english


@dataclass(frozen=True)
class ExitRule:
    """An identified school leaves only when, for `years` consecutive evaluated years, it does
    not meet the per-year rule with the threshold raised by `margin` points; it is then
    "sustaining" for `sustaining_years` school years (0: it is simply not identified)."""

    margin: float
    years: int
    sustaining_years: int = 0


@dataclass(frozen=True)
class StaticRule:
    """A school is static when the mean of its usable policy results in the judged year has
    risen by no more than `min_gain` points since the first year with data in the `years`
    school years ending there, and that mean is under `below`."""

    years: int
    min_gain: float
    below: float


COUNTS = ("number", "share")
_TOP_KEYS = frozenset(
    {"name", "version", "title", "title_fr", "description", "description_fr"}
    | {"rule", "categories", "exit", "static"}
)
_RULE_KEYS = frozenset(
    {"assessments", "group", "threshold", "min_assessments_below", "years", "min_years"}
    | {"consecutive", "min_participating", "count", "min_share_below", "min_usable"}
)
_EXIT_KEYS = frozenset({"margin", "years", "sustaining_years"})
_NEW_RULE_KEYS = ("count", "min_share_below", "min_usable")


def _near_new_option(key: str) -> bool:
    """A [rule] key that looks like a misspelt new option (min_useable, min_share, counting)."""
    return any(key[:5] == option[:5] for option in _NEW_RULE_KEYS)


_STATIC_KEYS = frozenset({"years", "min_gain", "below"})


@dataclass(frozen=True)
class Policy:
    name: str
    version: int
    title: str
    assessments: tuple[str, ...]
    threshold: float
    min_assessments_below: int
    years: int
    min_years: int
    consecutive: bool
    group: str = "all"
    min_participating: int = 0
    description: str = ""
    categories: tuple[Category, ...] = field(default_factory=tuple)
    title_fr: str = ""
    description_fr: str = ""
    count: str = "number"  # "number": min_assessments_below; "share": also min_share_below
    min_share_below: Fraction | None = None  # share of the usable results that must be below
    min_usable: int = 0  # a year with fewer usable policy results does not meet the rule
    exit: ExitRule | None = None
    static: StaticRule | None = None

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"

    def title_in(self, language: str) -> str:
        """The title in `language` ("fr", "en"), English when the file gives no French."""
        return _in(language, self.title, self.title_fr)

    def description_in(self, language: str) -> str:
        """The description in `language`, English when the file gives no French."""
        return _in(language, self.description, self.description_fr)

    def category_title(self, name: str | None, language: str) -> str:
        """The title of the category called `name`, in `language` (the name itself if unknown)."""
        for category in self.categories:
            if category.name == name:
                return category.title_in(language)
        return name or ""

    def same_rule(self, other: Policy) -> bool:
        """Whether `other` identifies exactly as this policy does: everything but the words agrees.

        >>> a = shipped_policies()["ofip-2016"]
        >>> a.same_rule(replace(a, title_fr="Autre titre")), a.same_rule(a.with_threshold(40))
        (True, False)
        """
        return _without_words(self) == _without_words(other)

    @property
    def has_history(self) -> bool:
        """Whether a school's status depends on earlier years than the window (exit, static)."""
        return self.exit is not None or self.static is not None

    @property
    def exit_threshold(self) -> float | None:
        """The threshold an identified school must clear to leave (None without an exit rule)."""
        return None if self.exit is None else self.threshold + self.exit.margin

    def options(self) -> list[tuple[str, str]]:
        """Every option of the rule as (key, sentence in English), for the CLI and API.

        >>> [k for k, _ in shipped_policies()["ofip-2016"].options()]
        ['count', 'window', 'min_participating']
        """
        return explain(self)

    def with_threshold(self, threshold: float) -> Policy:
        """The same rule with another threshold (for simulations)."""
        return replace(self, threshold=float(threshold))


def _without_words(policy: Policy) -> Policy:
    return replace(
        policy,
        title="",
        title_fr="",
        description="",
        description_fr="",
        categories=tuple(replace(c, title="", title_fr="") for c in policy.categories),
    )


def parse_policy(text: str, *, source: str = "policy") -> Policy:
    """Parse and validate a policy's TOML text.

    A Policy is immutable, so the same text gives back the same object: pages name
    every stored policy's title on each request, and parsing its TOML each time
    cost more than the rest of the policy form.
    """
    return _parse_policy(text, source)


@functools.lru_cache(maxsize=64)
def _parse_policy(text: str, source: str) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    rule = data.get("rule")
    if not isinstance(rule, dict):
        raise PolicyError(f"{source}: a [rule] table is required.")
    exit_data, static_data = data.get("exit"), data.get("static")
    for key, table in (("exit", exit_data), ("static", static_data)):
        if table is not None and not isinstance(table, dict):
            raise PolicyError(f"{source}: [{key}] must be a table.")
    if str(rule.get("count", "number")) not in COUNTS:
        raise PolicyError(f'{source}: count must be "number" or "share".')
    try:
        count = str(rule.get("count", "number"))
        policy = Policy(
            name=str(data["name"]),
            version=int(data.get("version", 1)),
            title=str(data.get("title", data["name"])),
            description=str(data.get("description", "")).strip(),
            title_fr=str(data.get("title_fr", "")).strip(),
            description_fr=str(data.get("description_fr", "")).strip(),
            assessments=tuple(str(a) for a in rule["assessments"]),
            threshold=float(rule["threshold"]),
            min_assessments_below=int(
                rule["min_assessments_below"]
                if count != "share" or "min_assessments_below" in rule
                else 1
            ),
            years=int(rule["years"]),
            min_years=int(rule["min_years"] if "min_years" in rule else rule["years"]),
            consecutive=bool(rule.get("consecutive", True)),
            group=str(rule.get("group", "all")),
            min_participating=int(rule.get("min_participating", 0)),
            count=count,
            min_share_below=(
                _share(rule["min_share_below"]) if "min_share_below" in rule else None
            ),
            min_usable=int(rule.get("min_usable", 0)),
            exit=None
            if exit_data is None
            else ExitRule(
                margin=float(exit_data["margin"]),
                years=int(exit_data["years"]),
                sustaining_years=int(exit_data.get("sustaining_years", 0)),
            ),
            static=None
            if static_data is None
            else StaticRule(
                years=int(static_data["years"]),
                min_gain=float(static_data.get("min_gain", 0.0)),
                below=float(static_data["below"]),
            ),
            categories=tuple(
                Category(
                    name=str(c["name"]),
                    title=str(c.get("title", c["name"])),
                    below=float(c["below"]),
                    title_fr=str(c.get("title_fr", "")).strip(),
                )
                for c in data.get("categories", [])
            ),
        )
    except KeyError as exc:
        raise PolicyError(f"{source}: the setting {exc.args[0]!r} is required.") from exc
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"{source}: {exc}") from exc
    # A misspelt option would silently be off: name it. Unknown plain keys at the top and in
    # [rule] are let through, as before issue 13, so a stored version that carries one (an old
    # note, a word) still reads; a table the engine does not know, or a key in the new tables, is not.
    unknown = [
        *(f"{k!r}" for k, v in data.items() if isinstance(v, dict) and k not in _TOP_KEYS),
        *(f"[rule] {k!r}" for k in rule if k not in _RULE_KEYS and _near_new_option(k)),
        *(f"[exit] {k!r}" for k in exit_data or {} if k not in _EXIT_KEYS),
        *(f"[static] {k!r}" for k in static_data or {} if k not in _STATIC_KEYS),
    ]
    if unknown:
        raise PolicyError(f"{source}: unknown setting {', '.join(unknown)} (misspelt?).")
    _validate(policy, source)
    return policy


def _share(value: object) -> Fraction:
    """A share written as a fraction ("2/3") or a number (0.5), exactly."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError('min_share_below must be a fraction like "2/3" or a number like 0.5')
    try:
        share = Fraction(str(value).strip()).limit_denominator(1000)
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f'min_share_below must be a fraction like "2/3" or a number like 0.5, not {value!r}'
        ) from None
    return share


def _validate(policy: Policy, source: str) -> None:
    problems = []
    if not policy.assessments:
        problems.append("name at least one assessment")
    if len(set(policy.assessments)) != len(policy.assessments):
        problems.append("an assessment is listed twice")
    if not 0 < policy.threshold <= 100:
        problems.append("threshold must be a percentage above 0 and at most 100")
    if not 1 <= policy.min_assessments_below <= len(policy.assessments):
        problems.append("min_assessments_below must be between 1 and the number of assessments")
    if policy.years < 1:
        problems.append("years must be at least 1")
    if not 1 <= policy.min_years <= policy.years:
        problems.append("min_years must be between 1 and years")
    if policy.consecutive and policy.min_years != policy.years:
        problems.append("a consecutive rule needs every year of its window (min_years = years)")
    if policy.min_participating < 0:
        problems.append("min_participating cannot be negative")
    if policy.count not in COUNTS:
        problems.append('count must be "number" or "share"')
    if policy.count == "share" and policy.min_share_below is None:
        problems.append('a rule with count = "share" needs min_share_below (e.g. "2/3")')
    if policy.count != "share" and policy.min_share_below is not None:
        problems.append('min_share_below only applies with count = "share"')
    if policy.min_share_below is not None and not 0 < policy.min_share_below <= 1:
        problems.append("min_share_below must be above 0 and at most 1")
    if not 0 <= policy.min_usable <= len(policy.assessments):
        problems.append("min_usable must be between 0 and the number of assessments")
    if policy.exit is not None:
        if not (policy.exit.margin >= 0 and policy.threshold + policy.exit.margin <= 100):
            problems.append(
                "the exit margin must be 0 or more, and the threshold plus it at most 100"
            )
        if policy.exit.years < 1:
            problems.append("the exit rule's years must be at least 1")
        if policy.exit.sustaining_years < 0:
            problems.append("sustaining_years cannot be negative")
    if policy.static is not None:
        if policy.static.years < 2:
            problems.append("the static rule's years must be at least 2 (a trend needs two years)")
        if not 0 < policy.static.below <= 100:
            problems.append("the static rule's below must be a percentage above 0 and at most 100")
        if policy.static.min_gain < 0:
            problems.append("the static rule's min_gain cannot be negative")
    thresholds = [c.below for c in policy.categories]
    if thresholds != sorted(thresholds):
        problems.append("categories must be listed from the lowest 'below' to the highest")
    if problems:
        raise PolicyError(f"{source}: " + "; ".join(problems) + ".")


def _number(value: float) -> str:
    return f"{value:g}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def explain(policy: Policy) -> list[tuple[str, str]]:
    """Each option of the rule as (key, English sentence); the pages say the same in both languages.

    >>> options = explain(shipped_policies()["ofip-2016"])
    >>> [key for key, _ in options]
    ['count', 'window', 'min_participating']
    >>> options[0][1]
    'A year meets the rule when at least 4 of the 6 assessments are under 50%.'
    """
    n = len(policy.assessments)
    threshold = _number(policy.threshold)
    options: list[tuple[str, str]] = []
    if policy.count == "share" and policy.min_share_below is not None:
        share = policy.min_share_below
        floor = (
            f" A year with fewer than {_plural(policy.min_usable, 'usable result', 'usable results')}"
            " does not meet it."
            if policy.min_usable
            else ""
        )
        least = (
            f", and at least {policy.min_assessments_below},"
            if policy.min_assessments_below > 1
            else ""
        )
        options.append(
            (
                "count",
                f"A year meets the rule when at least {share.numerator}/{share.denominator} of the "
                f"school's usable results on the {n} assessments{least} are under {threshold}%, "
                "so a school that tests one grade only is judged on the assessments it has."
                + floor,
            )
        )
    else:
        floor = (
            f" A year with fewer than {_plural(policy.min_usable, 'usable result', 'usable results')}"
            " does not meet it."
            if policy.min_usable
            else ""
        )
        options.append(
            (
                "count",
                f"A year meets the rule when at least {policy.min_assessments_below} of the {n} "
                f"assessments are under {threshold}%." + floor,
            )
        )
    if policy.min_years == policy.years:
        window = (
            f"A school is identified when every one of the {policy.years} school years ending at "
            "the year judged meets the rule; a year without results is never bridged."
            if policy.years > 1
            else "A school is identified when the year judged meets the rule."
        )
    else:
        window = (
            f"A school is identified when at least {policy.min_years} of the {policy.years} school "
            "years ending at the year judged meet the rule; a year without results is never counted as meeting it."
        )
    options.append(("window", window))
    options.append(
        (
            "min_participating",
            f"Results with fewer than {policy.min_participating} participating students, or an unknown "
            "number, are not counted: small groups swing too much from year to year."
            if policy.min_participating
            else "Every reported result counts, whatever the number of students.",
        )
    )
    if policy.exit is not None:
        raised = _number(policy.threshold + policy.exit.margin)
        options.append(
            (
                "exit",
                f"An identified school leaves only when it no longer meets the rule with the threshold "
                f"raised to {raised}% ({_number(policy.exit.margin)} points above) for "
                f"{_plural(policy.exit.years, 'year', 'consecutive years with results')}; "
                "until then it stays identified.",
            )
        )
        if policy.exit.sustaining_years:
            options.append(
                (
                    "sustaining",
                    "A school that left is sustaining for "
                    f"{_plural(policy.exit.sustaining_years, 'year', 'years')} with results: it has no "
                    "focused-intervention plan, and its results are watched so the gains hold.",
                )
            )
    if policy.static is not None:
        options.append(
            (
                "static",
                f"A school not identified is static when the mean of its results on these assessments "
                f"has risen by no more than {_number(policy.static.min_gain)} points from the first to "
                f"the last year with results in the {policy.static.years} school years ending at the "
                f"year judged, and is under {_number(policy.static.below)}%.",
            )
        )
    if policy.categories:
        bands = "; ".join(
            f"{c.title}: lowest result under {_number(c.below)}%" for c in policy.categories
        )
        options.append(
            (
                "categories",
                "Identified schools are placed by their lowest result in the year judged, the lowest "
                f"getting the most support: {bands}.",
            )
        )
    return options


def shipped_policies() -> dict[str, Policy]:
    """The policies that come with Capacity, by name."""
    return {
        policy.name: policy
        for policy in (
            parse_policy(p.read_text(encoding="utf-8"), source=p.name)
            for p in sorted(POLICY_DIR.glob("*.toml"))
        )
    }


def load_policy(name_or_path: str) -> Policy:
    """A shipped policy by name (e.g. "ofip-2016"), or a TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        return parse_policy(path.read_text(encoding="utf-8"), source=str(path))
    shipped = shipped_policies()
    if name_or_path in shipped:
        return shipped[name_or_path]
    raise PolicyError(
        f"No policy named {name_or_path!r} and no such .toml file. Shipped policies: {', '.join(sorted(shipped))}."
    )


DEFAULT_POLICY = "ofip-2016"
