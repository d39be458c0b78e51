"""School identifiers: the one scheme every reader of a school number follows, and its checks.

Ontario numbers its schools with six digits (019186) and spreadsheets drop the
leading zero (19186), so the default scheme accepts five or six digits and pads
to six. Another jurisdiction sets its own scheme through three settings
(capacity/settings.py, README's Configuration table):

* CAPACITY_SCHOOL_NUMBER_PATTERN: a regular expression the whole identifier
  must match (anchors are added). It is run by Python here, by Arrow and DuckDB
  (RE2) on whole columns and by Spark (Java), so it must keep to the syntax the
  three share: no lookaround, back-references, named, atomic or possessive
  groups, and flags only inside a group, like `(?i:[a-z]{2}\\d{6})`;
* CAPACITY_SCHOOL_NUMBER_PAD: a digits-only identifier that the pattern accepts
  but that is shorter than this is given leading zeros up to this length
  (Ontario: 6; 0 never pads). Only identifiers the pattern accepts are padded,
  so a scheme of twelve digits refuses "12345" rather than reading it as
  "000000012345";
* CAPACITY_SCHOOL_NUMBER_EXAMPLE: an identifier in its stored form, named in
  messages ("like 019186").

Plain Python with no Django import: the settings check the scheme as they
load (`SchoolNumberScheme.problems`), and `capacity.imports.patterns` gives the
configured scheme to every importer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# The longest identifier a School can hold (its column's max_length; the APIs' limit too).
MAX_LENGTH = 20

ONTARIO_PATTERN = r"\d{5,6}"
ONTARIO_PAD = 6
ONTARIO_EXAMPLE = "019186"

# What Python's regular expressions have and RE2 (Arrow, DuckDB) or Java (Spark) have not.
_UNPORTABLE_OPS = {
    sre.ASSERT: "lookahead or lookbehind",
    sre.ASSERT_NOT: "negative lookahead or lookbehind",
    sre.GROUPREF: "a back-reference",
    sre.GROUPREF_EXISTS: "a conditional group",
    sre.ATOMIC_GROUP: "an atomic group",
    sre.POSSESSIVE_REPEAT: "a possessive repeat",
}
# The flags all three understand, set inside a group: (?i:...), (?s:...), (?m:...).
_PORTABLE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL
_UNPORTABLE_ESCAPES = re.compile(r"\\[uUN]|\\Z")
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


@dataclass(frozen=True)
class SchoolNumberScheme:
    """How a jurisdiction writes its school identifiers (Ontario's by default)."""

    pattern: str = ONTARIO_PATTERN
    pad: int = ONTARIO_PAD
    example: str = ONTARIO_EXAMPLE

    @property
    def anchored(self) -> str:
        """The pattern matching a whole value, for Arrow, DuckDB (RE2) and Spark (Java) alike."""
        return f"^(?:{self.pattern})$"

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        r"""The pattern for Python, matching the whole value (`\Z`: `$` would allow a final newline).

        ASCII, so `\d` and `\w` mean what they mean to RE2 and Java (Python's
        would also take other scripts' digits, which the engines then refuse).
        """
        return re.compile(rf"\A(?:{self.pattern})\Z", re.ASCII)

    def matches(self, value: str) -> bool:
        return self.compiled.match(value) is not None

    def clean(self, value: str) -> str:
        """The identifier as stored: spaces trimmed and, where the scheme pads, leading zeros put back."""
        value = value.strip()
        if self._pads(value):
            return value.zfill(self.pad)
        return value

    def _pads(self, value: str) -> bool:
        return (
            0 < len(value) < self.pad
            and value.isascii()
            and value.isdigit()
            and self.matches(value)
        )

    def forms(self, number: str) -> set[str]:
        """The ways `number` may have been stored: itself and, where the scheme pads, without leading zeros it accepts.

        >>> sorted(SchoolNumberScheme().forms("019186"))
        ['019186', '19186']
        """
        found = {number}
        if self.pad and number.isascii() and number.isdigit():
            shorter = number
            while shorter.startswith("0") and self.matches(shorter[1:]):
                shorter = shorter[1:]
                found.add(shorter)
        return found

    @cached_property
    def digits(self) -> tuple[int, int] | None:
        r"""(fewest, most) digits when the pattern is only a run of digits (`\d{5,6}`, `[0-9]{12}`), else None.

        Messages then say "12 digits" rather than only showing the example.
        """
        try:
            tree = sre_parse.parse(self.pattern, re.ASCII)
        except re.error:
            return None
        items = [item for item in tree.data if item[0] is not sre.AT]
        if len(items) != 1 or items[0][0] is not sre.MAX_REPEAT:
            return None
        low, high, body = items[0][1]
        if high is sre.MAXREPEAT or len(body.data) != 1:
            return None
        op, argument = body.data[0]
        if op is sre.IN and argument in (
            [(sre.CATEGORY, sre.CATEGORY_DIGIT)],
            [(sre.RANGE, (48, 57))],
        ):
            return int(low), int(high)
        return None

    def problems(self) -> list[str]:
        """What is wrong with the scheme, each naming the setting at fault; empty when it can be used."""
        pattern = self.pattern
        if not pattern.strip():
            return ["CAPACITY_SCHOOL_NUMBER_PATTERN is empty; Ontario's is \\d{5,6}."]
        if _GLOBAL_FLAGS.match(pattern):
            return [
                f"CAPACITY_SCHOOL_NUMBER_PATTERN='{pattern}' starts with flags; put them in a group "
                "around the pattern, like (?i:[a-z]{2}\\d{6})."
            ]
        try:
            self.compiled  # noqa: B018 (compiling is the check)
            tree = sre_parse.parse(pattern, re.ASCII)
        except re.error as exc:
            return [
                f"CAPACITY_SCHOOL_NUMBER_PATTERN='{pattern}' is not a regular expression: {exc}."
            ]
        unportable = sorted(_unportable(tree.data))
        if _UNPORTABLE_ESCAPES.search(pattern):
            unportable.append("a Python-only escape (\\u, \\U, \\N or \\Z)")
        if tree.state.groupdict:
            unportable.append("a named group")
        if tree.state.flags & (re.VERBOSE | re.LOCALE):
            unportable.append("the verbose or locale flag")
        if unportable:
            return [
                f"CAPACITY_SCHOOL_NUMBER_PATTERN='{pattern}' uses {', '.join(unportable)}, which "
                "Arrow, DuckDB (RE2) or Spark (Java) cannot run; keep to the syntax they share."
            ]
        problems: list[str] = []
        fewest, most = tree.getwidth()
        if fewest == 0:
            problems.append(
                f"CAPACITY_SCHOOL_NUMBER_PATTERN='{pattern}' accepts an empty school number."
            )
        if most > MAX_LENGTH:
            problems.append(
                f"CAPACITY_SCHOOL_NUMBER_PATTERN='{pattern}' accepts school numbers longer than "
                f"{MAX_LENGTH} characters, the most a school's number may have; bound its "
                "repeats, like [A-Z0-9]{1,20}."
            )
        if self.pad > MAX_LENGTH:
            problems.append(
                f"CAPACITY_SCHOOL_NUMBER_PAD={self.pad} is longer than a school number may be "
                f"({MAX_LENGTH})."
            )
        if not self.matches(self.example):
            problems.append(
                f"CAPACITY_SCHOOL_NUMBER_EXAMPLE='{self.example}' does not match "
                f"CAPACITY_SCHOOL_NUMBER_PATTERN='{pattern}'; give an example of the pattern "
                "(both are set together)."
            )
        elif self.clean(self.example) != self.example:
            problems.append(
                f"CAPACITY_SCHOOL_NUMBER_EXAMPLE='{self.example}' is stored as "
                f"'{self.clean(self.example)}'; give the example as it is stored."
            )
        for length in range(1, min(self.pad, MAX_LENGTH + 1)):
            for digit in "19":
                short = digit * length
                if self.matches(short) and not self.matches(short.zfill(self.pad)):
                    problems.append(
                        f"CAPACITY_SCHOOL_NUMBER_PAD={self.pad} pads {short} to "
                        f"{short.zfill(self.pad)}, which CAPACITY_SCHOOL_NUMBER_PATTERN='{pattern}' "
                        "refuses; lower the padding or widen the pattern."
                    )
                    return problems
        return problems


def _unportable(items: Any) -> set[str]:
    """The Python-only constructs in a parsed pattern, by name (searching every group and branch)."""
    found: set[str] = set()
    for op, argument in items:
        if op in _UNPORTABLE_OPS:
            found.add(_UNPORTABLE_OPS[op])
        if op is sre.SUBPATTERN and (argument[1] | argument[2]) & ~_PORTABLE_FLAGS:
            found.add("a flag other than i, m or s")
        for part in argument if isinstance(argument, (list, tuple)) else (argument,):
            if isinstance(part, sre_parse.SubPattern):
                found |= _unportable(part.data)
            elif isinstance(part, list):
                for branch in part:
                    if isinstance(branch, sre_parse.SubPattern):
                        found |= _unportable(branch.data)
    return found
