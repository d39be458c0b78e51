"""Reads for schools that beat the odds over several years and partners for identified schools.

Everything comes from answers the evidence pages already compute and cache (each year's context
model and `beat_the_odds_table`, read through the disclosure gate; the year's standardized
context), put together by the pure `analytics/existence.py`. Who may read what is decided in
`capacity/directory/access.py` (`may_read_stable_list`, `may_see_partners`); the views check it,
and the functions taking a user here return only that person's part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.evidence import selectors
from capacity.evidence.analytics import existence, identification
from capacity.evidence.analytics.schema import CONTEXT_INDICATORS

RULE = existence.StableRule()
PARTNER_RULE = existence.PartnerRule()


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _int(value: Any) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def latest_year() -> str | None:
    """The year the lists and partners are for by default: the default policy's latest year."""
    return selectors.default_year(selectors.get_policy())


def years_for(year: str) -> tuple[str, ...]:
    """The school years with results that the stable rule looks at for `year`, newest first."""
    return existence.last_years(selectors.result_years(), year, RULE.years)


def school_records(year: str) -> dict[str, existence.SchoolRecord]:
    """Every school measured in one of `year`'s stable years, or placed by context: its published
    standings against the context model, its context and its z-scores. Cached per data version."""

    def compute() -> dict[str, existence.SchoolRecord]:
        looked = years_for(year)
        standings: dict[str, list[existence.YearStanding]] = {}
        rows: dict[str, dict[str, Any]] = {}
        for label in looked:
            model = selectors.context_fit(label)
            if model is None:
                continue
            for number, row in selectors.beat_the_odds_table(label).items():
                actual, predicted = _float(row.get("actual")), _float(row.get("predicted"))
                if actual is None or predicted is None:
                    continue
                standings.setdefault(number, []).append(
                    existence.YearStanding(
                        year=label,
                        actual=actual,
                        predicted=predicted,
                        residual_sd=model.residual_sd,
                        participating=_int(row.get("participating")),
                    )
                )
                rows.setdefault(number, row)  # the newest year's row comes first
        context_year = selectors.context_year_for(year)
        scaled = (
            selectors.standardized_context(context_year=context_year, within="*")
            if context_year
            else None
        )
        places: dict[str, dict[str, Any]] = {}
        if scaled is not None:
            places = {r["school_number"]: r for r in scaled.to_dict("records")}
        names = {
            s.number: (s.name, s.board.number, s.board.name, s.level, s.language)
            for s in School.objects.filter(number__in=set(rows) | set(places)).select_related(
                "board"
            )
        }
        records = {}
        for number in sorted(set(rows) | set(places)):
            if number not in names:
                continue
            name, board_number, board_name, level, language = names[number]
            place = places.get(number)
            row = rows.get(number, {})
            source = place or row
            records[number] = existence.SchoolRecord(
                number=number,
                name=name,
                board_number=board_number,
                board_name=board_name,
                level=level,
                language=str(place["language"]) if place and place.get("language") else language,
                context={name: _float(source.get(name)) for name in CONTEXT_INDICATORS},
                z=(
                    {name: float(place[f"_z{i}"]) for i, name in enumerate(CONTEXT_INDICATORS)}
                    if place
                    else {}
                ),
                size=_float(place["_size"]) if place else None,
                standings=tuple(standings.get(number, ())),
            )
        return records

    return selectors.cached(f"partners-records:{year}", compute)


def province_stable(year: str) -> list[existence.StableSchool]:
    """The province's schools that beat the odds stably, as of `year` (cached)."""
    return selectors.cached(
        f"partners-stable:{year}:{RULE}",
        lambda: existence.stable_beat_the_odds(
            school_records(year).values(), years=years_for(year), rule=RULE
        ),
    )


def board_stable(board: Board, year: str) -> list[existence.StableSchool]:
    return [s for s in province_stable(year) if s.school.board_number == board.number]


def stable_school(school: School, year: str) -> existence.StableSchool | None:
    """The school's record when it beats the odds stably, else None."""
    return next((s for s in province_stable(year) if s.school.number == school.number), None)


def partners_for(*, school: School, year: str) -> existence.Partners:
    """Partner suggestions for one school (whether or not it is identified; see `identified`)."""
    record = school_records(year).get(school.number)
    if record is None:
        return existence.Partners(school.number, (), existence.NO_CONTEXT)
    return existence.suggest_partners(record, province_stable(year), rule=PARTNER_RULE)


def identified(*, school: School, year: str) -> identification.SchoolStatus | None:
    """The school's status under the default policy when it is identified, else None."""
    found = selectors.province_identification(selectors.get_policy(), year).school(school.number)
    return found if found is not None and found.status == identification.IDENTIFIED else None


def province_partners(year: str) -> dict[str, existence.Partners]:
    """Partners for every school the default policy identifies in `year`, by school number."""

    def compute() -> dict[str, existence.Partners]:
        found = selectors.province_identification(selectors.get_policy(), year)
        records = school_records(year)
        stable = province_stable(year)
        answer = {}
        for status in found.identified:
            record = records.get(status.school_number)
            answer[status.school_number] = (
                existence.suggest_partners(record, stable, rule=PARTNER_RULE)
                if record is not None
                else existence.Partners(status.school_number, (), existence.NO_CONTEXT)
            )
        return answer

    return selectors.cached(f"partners-province:{year}:{PARTNER_RULE}", compute)


@dataclass(frozen=True)
class SchoolPartners:
    """What a person is shown of one identified school's partners."""

    school: School
    year: str
    status: identification.SchoolStatus
    partners: existence.Partners
    readable: frozenset[str]  # partner numbers whose evidence page the person may open


def school_partners_for_user(user: Any, school: School) -> SchoolPartners | None:
    """Partners of `school` for `user`, or None when the school is not identified under the
    default policy this year or the person may not see its partners.

    The same queries whether the school is identified or not (one cached answer per school, one
    query for the partners the person may open), so an evidence page costs the same for every
    school."""
    if not access.can_see_partners(user, school):
        return None
    year = latest_year()
    if year is None:
        return None
    status, found = selectors.cached(
        f"partners-school:{school.number}:{year}:{PARTNER_RULE}",
        lambda: _school_answer(school, year),
    )
    numbers = [p.school.number for p in found.partners] if found is not None else []
    readable = frozenset(
        access.schools_for(user)
        .filter(
            number__in=numbers or [""]
        )  # always one query: a page costs the same for any school
        .values_list("number", flat=True)
    )
    if status is None or found is None:
        return None
    return SchoolPartners(
        school=school, year=year, status=status, partners=found, readable=readable
    )


def _school_answer(
    school: School, year: str
) -> tuple[identification.SchoolStatus | None, existence.Partners | None]:
    status = identified(school=school, year=year)
    return status, (partners_for(school=school, year=year) if status is not None else None)


def board_partners_for_user(
    user: Any, board: Board, year: str
) -> list[tuple[School, existence.Partners]]:
    """Each school of `board` the default policy identifies in `year`, with its partners, for a
    person who may see them (its board's leaders, the ministry; nobody else gets any)."""
    records = school_records(year)
    numbers = [
        number
        for number in province_partners(year)
        if number in records and records[number].board_number == board.number
    ]
    if not numbers:
        return []
    found = province_partners(year)
    schools = School.objects.filter(board=board, number__in=numbers).select_related("board")
    return [
        (school, found[school.number])
        for school in sorted(schools, key=lambda s: (s.name, s.number))
        if access.can_see_partners(user, school)
    ]
