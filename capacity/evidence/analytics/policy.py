"""Identification policies as data: parse and validate the TOML that defines a rule.

A policy says which assessments count, the threshold (a result strictly below it
counts as "below"), how many of the assessments must be below in a year, the
window of school years and how many of them must meet the rule, whether those
years must be consecutive, an optional minimum of participating students, and
optional categories for identified schools. See policies/*.toml for examples.

Titles and descriptions come in English (`title`, `description`) and, optionally,
French (`title_fr`, `description_fr`, and `title_fr` on each category); pages show
the viewer's language and fall back to English. The words are not the rule: a
version's rule never changes, its wording may be corrected (see `same_rule`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
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
    """Parse and validate a policy's TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    rule = data.get("rule")
    if not isinstance(rule, dict):
        raise PolicyError(f"{source}: a [rule] table is required.")
    try:
        policy = Policy(
            name=str(data["name"]),
            version=int(data.get("version", 1)),
            title=str(data.get("title", data["name"])),
            description=str(data.get("description", "")).strip(),
            title_fr=str(data.get("title_fr", "")).strip(),
            description_fr=str(data.get("description_fr", "")).strip(),
            assessments=tuple(str(a) for a in rule["assessments"]),
            threshold=float(rule["threshold"]),
            min_assessments_below=int(rule["min_assessments_below"]),
            years=int(rule["years"]),
            min_years=int(rule["min_years"] if "min_years" in rule else rule["years"]),
            consecutive=bool(rule.get("consecutive", True)),
            group=str(rule.get("group", "all")),
            min_participating=int(rule.get("min_participating", 0)),
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
    _validate(policy, source)
    return policy


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
    thresholds = [c.below for c in policy.categories]
    if thresholds != sorted(thresholds):
        problems.append("categories must be listed from the lowest 'below' to the highest")
    if problems:
        raise PolicyError(f"{source}: " + "; ".join(problems) + ".")


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
