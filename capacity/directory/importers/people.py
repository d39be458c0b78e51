"""Import people and their roles from a plain CSV, one row per role.

Columns: username, email, given_name, family_name, role, organisation, and an
optional title. The organisation is read according to the role: a province
code (ON) for a ministry officer, a board number (B28010) for a board leader or
trustee, a school number (019186) for a principal, school team member or
teacher, a learning network's name for a network facilitator.

People are created without a password, so they cannot sign in until one is
set. The import only adds: it never removes a person or a role that is not in
the file.

`AccountPlan` is shared with the OneRoster importer: it works out which people
and roles are new or changed before anything is written, then writes them
through the directory services, which audit each one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from capacity.directory import services
from capacity.directory.importers.common import (
    BOARD_NUMBER_RE,
    SCHOOL_NUMBER_RE,
    Columns,
    ImportReport,
    clean_board_number,
    clean_school_number,
    clean_text,
    conclude,
    read_table,
)
from capacity.directory.models import (
    ROLE_LEVEL,
    Board,
    Membership,
    Network,
    Province,
    Role,
    School,
    User,
)

KIND = "people"
REQUIRED = ["username", "email", "given_name", "family_name", "role", "organisation"]

# How an organisation is named at each level, for problem messages.
ORGANISATION_HINTS = {
    "province": "ON",
    "board": "B28010",
    "school": "019186",
    "network": "North Shore Numeracy Network",
}

# An organisation before it is looked up or created: its level and its key there
# (province code, board number, school number or network name).
OrgRef = tuple[str, str]
Organisation = Province | Board | School | Network

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
_RANK = {UNCHANGED: 0, UPDATED: 1, CREATED: 2}


def strongest(*outcomes: str) -> str:
    """The outcome a row reports when it did several things: created beats updated beats unchanged."""
    return max(outcomes, key=_RANK.__getitem__)


@dataclass
class PersonDetails:
    """What a file says about one person. Empty values leave stored ones alone."""

    username: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    source_id: str = ""

    def values(self) -> dict[str, str]:
        return {key: value for key, value in (
            ("email", self.email), ("display_name", self.display_name), ("first_name", self.first_name),
            ("last_name", self.last_name), ("source_id", self.source_id),
        ) if value}


@dataclass
class _Grant:
    username: str
    role: str
    org: OrgRef
    title: str
    change_title: int | None = None  # the membership whose title changes


@dataclass
class AccountPlan:
    """People and roles to create or change, worked out against the database before writing."""

    existing_orgs: dict[OrgRef, Organisation]
    users: dict[str, User] = field(default_factory=dict)
    held: dict[tuple[int, str, str, int], Membership] = field(default_factory=dict)
    new_people: dict[str, PersonDetails] = field(default_factory=dict)
    changed_people: dict[str, dict[str, str]] = field(default_factory=dict)
    grants: list[_Grant] = field(default_factory=list)
    planned: set[tuple[str, str, OrgRef]] = field(default_factory=set)

    @classmethod
    def load(cls, usernames: Iterable[str], existing_orgs: dict[OrgRef, Organisation]) -> AccountPlan:
        """Read the people named and their roles, one query each."""
        plan = cls(existing_orgs=existing_orgs)
        plan.users = {user.username: user for user in User.objects.filter(username__in=set(usernames))}
        for membership in Membership.objects.filter(user__in=list(plan.users.values())):
            level = ROLE_LEVEL[membership.role]
            org_id = getattr(membership, f"{level}_id")
            plan.held[(membership.user_id, membership.role, level, org_id)] = membership
        return plan

    def person(self, details: PersonDetails) -> str:
        """Plan one person; say whether they are created, updated or unchanged."""
        if details.username in self.new_people:
            return UNCHANGED
        user = self.users.get(details.username)
        if user is None:
            self.new_people[details.username] = details
            return CREATED
        changes = {key: value for key, value in details.values().items() if getattr(user, key) != value}
        if not changes:
            return UNCHANGED
        self.changed_people.setdefault(details.username, {}).update(changes)
        return UPDATED

    def grant(self, username: str, role: str, org: OrgRef, title: str = "") -> str:
        """Plan one role; say whether it is created, updated (new title) or unchanged."""
        key = (username, role, org)
        if key in self.planned:
            return UNCHANGED
        self.planned.add(key)
        user = self.users.get(username)
        organisation = self.existing_orgs.get(org)
        held = None
        if user is not None and organisation is not None:
            held = self.held.get((user.pk, role, org[0], organisation.pk))
        if held is None:
            self.grants.append(_Grant(username, role, org, title))
            return CREATED
        if title and held.title != title:
            self.grants.append(_Grant(username, role, org, title, change_title=held.pk))
            return UPDATED
        return UNCHANGED

    def apply(self, resolve: Callable[[OrgRef], Organisation], *, actor: Any, actor_label: str) -> None:
        """Write the plan through the directory services (each audits what it does)."""
        for username, details in self.new_people.items():
            user = services.user_create(
                username=username, email=details.email, display_name=details.display_name,
                source_id=details.source_id, actor=actor, actor_label=actor_label,
            )
            if details.first_name or details.last_name:
                user.first_name, user.last_name = details.first_name, details.last_name
                user.save(update_fields=["first_name", "last_name"])
            self.users[username] = user
        for username, changes in self.changed_people.items():
            user = self.users[username]
            for key, value in changes.items():
                setattr(user, key, value)
            user.full_clean()
            user.save(update_fields=list(changes))
        for grant in self.grants:
            if grant.change_title is not None:
                Membership.objects.filter(pk=grant.change_title).update(title=grant.title)
                continue
            services.membership_grant(
                user=self.users[grant.username], role=grant.role, organisation=resolve(grant.org),
                title=grant.title, actor=actor, actor_label=actor_label,
            )


def check_username(value: str) -> str | None:
    """Why a username cannot be used, or None when it can."""
    max_length = User._meta.get_field("username").max_length or 150
    if len(value) > max_length:
        return _("A username can be at most %(max)s characters.") % {"max": max_length}
    try:
        User.username_validator(value)
    except ValidationError:
        return _("“%(value)s” cannot be a username: use letters, digits and @ . + - _ only.") % {"value": value}
    return None


def check_email(value: str) -> str | None:
    """Why an email address is not one, or None when it is fine (or empty)."""
    if not value:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return _("“%(value)s” is not an email address.") % {"value": value}
    return None


def role_from_text(text: str) -> str | None:
    """A role given by its value (board_leader) or its name (Board leader)."""
    key = clean_text(text).lower().replace(" ", "_").replace("-", "_")
    if key in Role.values:
        return key
    for value, label in Role.choices:
        if str(label).lower() == clean_text(text).lower():
            return value
    return None


def import_people(
    path: Path,
    *,
    actor: Any = None,
    actor_label: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Import people and their roles from a CSV with one row per role.

    Every row is checked first; any problem rejects the whole file and nothing
    is written. Importing the same file again changes nothing. A dry run checks
    and counts but writes nothing.
    """
    path = Path(path)
    report = ImportReport(kind=KIND, source=str(path))
    table = read_table(path, report)
    rows: list[tuple[int, PersonDetails, str, str, str]] = []
    if table is not None:
        header, numbered = table
        columns = Columns(header)
        if columns.missing(REQUIRED, report):
            report.rows = sum(1 for _row in numbered)
        else:
            rows = _read_rows(columns, numbered, report)
            if not report.rows and not report.problems:
                report.problem(None, "", _("The file has a header but no rows of people."))
    if report.problems:
        return conclude(report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run)

    orgs = _find_organisations(rows, report)
    if report.problems:
        return conclude(report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run)
    plan = AccountPlan.load((details.username for _n, details, *_rest in rows), orgs)
    for _number, details, role, org_key, title in rows:
        granted = plan.grant(details.username, role, (ROLE_LEVEL[role], org_key), title)
        outcome = strongest(plan.person(details), granted)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return conclude(
        report,
        apply=lambda: plan.apply(orgs.__getitem__, actor=actor, actor_label=actor_label),
        actor=actor,
        actor_label=actor_label,
        dry_run=dry_run,
        detail={"people_created": len(plan.new_people), "people_updated": len(plan.changed_people)},
    )


def _read_rows(
    columns: Columns, numbered: Any, report: ImportReport
) -> list[tuple[int, PersonDetails, str, str, str]]:
    rows: list[tuple[int, PersonDetails, str, str, str]] = []
    first_row: dict[str, tuple[int, PersonDetails]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    title_length = Membership._meta.get_field("title").max_length or 100
    for number, raw in numbered:
        report.rows += 1
        before = len(report.problems)

        def cell(name: str, raw: list[str] = raw) -> str:
            return clean_text(columns.get(raw, name))

        def problem(name: str, reason: str, number: int = number) -> None:
            report.problem(number, columns.label(name), reason)

        username = cell("username")
        if not username:
            problem("username", _("The username is missing."))
        elif reason := check_username(username):
            problem("username", reason)
        email = cell("email")
        if reason := check_email(email):
            problem("email", reason)
        given, family = cell("given_name"), cell("family_name")
        for name, value, limit in (("given_name", given, 150), ("family_name", family, 150)):
            if len(value) > limit:
                problem(name, _("This is longer than %(max)s characters.") % {"max": limit})
        role_text = cell("role")
        role = role_from_text(role_text)
        if role is None:
            problem("role", _("“%(value)s” is not a role. Use one of: %(roles)s.")
                    % {"value": role_text, "roles": ", ".join(Role.values)})
        organisation = cell("organisation")
        if not organisation:
            problem("organisation", _("The organisation is missing."))
        elif role is not None:
            organisation = _organisation_key(role, organisation, problem)
        title = cell("title")
        if len(title) > title_length:
            problem("title", _("A title can be at most %(max)s characters.") % {"max": title_length})
        if len(report.problems) > before or role is None:
            continue

        details = PersonDetails(
            username=username, email=email, display_name=" ".join(p for p in (given, family) if p),
            first_name=given, last_name=family,
        )
        if username in first_row:
            first, earlier = first_row[username]
            for name, mine, theirs in (("email", email, earlier.email),
                                       ("given_name", given, earlier.first_name),
                                       ("family_name", family, earlier.last_name)):
                if mine and theirs and mine != theirs:
                    problem(name, _("%(username)s has “%(theirs)s” on row %(row)s; one person must have "
                                    "the same details on every row.")
                            % {"username": username, "theirs": theirs, "row": first})
        else:
            first_row[username] = (number, details)
        key = (username, role, organisation)
        if key in seen:
            problem("role", _("This role in this organisation is already on row %(row)s.") % {"row": seen[key]})
            continue
        seen[key] = number
        rows.append((number, details, role, organisation, title))
    return rows


def _organisation_key(role: str, text: str, problem: Callable[[str, str], None]) -> str:
    """Normalise an organisation as the role's level names it, reporting one of the wrong shape."""
    level = ROLE_LEVEL[role]
    role_label = str(Role(role).label).lower()
    if level == "province":
        code = text.strip().upper()
        if len(code) != 2 or not code.isalpha():
            problem("organisation", _("The %(role)s role is held in the province: give its code, like ON, "
                                      "not “%(value)s”.") % {"role": role_label, "value": text})
        return code
    if level == "board":
        number = clean_board_number(text)
        if not BOARD_NUMBER_RE.match(number):
            problem("organisation", _("The %(role)s role is held in a board: give its number, like B28010, "
                                      "not “%(value)s”.") % {"role": role_label, "value": text})
        return number
    if level == "school":
        number = clean_school_number(text)
        if not SCHOOL_NUMBER_RE.match(number):
            problem("organisation", _("The %(role)s role is held in a school: give its number, like 019186, "
                                      "not “%(value)s”.") % {"role": role_label, "value": text})
        return number
    return text


def _find_organisations(
    rows: list[tuple[int, PersonDetails, str, str, str]], report: ImportReport
) -> dict[OrgRef, Organisation]:
    """Look up every organisation named, one query per level; report those that do not exist."""
    wanted: dict[str, set[str]] = {"province": set(), "board": set(), "school": set(), "network": set()}
    for _number, _details, role, key, _title in rows:
        wanted[ROLE_LEVEL[role]].add(key)
    found: dict[OrgRef, Organisation] = {}
    for province in Province.objects.filter(code__in=wanted["province"]):
        found[("province", province.code)] = province
    for board in Board.objects.filter(number__in=wanted["board"]):
        found[("board", board.number)] = board
    # A school stored with five digits is found by its number with or without the leading zero.
    school_numbers = wanted["school"] | {n[1:] for n in wanted["school"] if n.startswith("0")}
    for school in School.objects.filter(number__in=school_numbers):
        found[("school", clean_school_number(school.number))] = school
    networks = {network.name.casefold(): network for network in Network.objects.all()}
    for name in wanted["network"]:
        if network := networks.get(name.casefold()):
            found[("network", name)] = network
    for number, _details, role, key, _title in rows:
        level = ROLE_LEVEL[role]
        if (level, key) in found:
            continue
        reason = {
            "province": _("There is no province with the code %(key)s. Import Ontario's school "
                          "information table first."),
            "board": _("There is no board %(key)s. Import Ontario's school information table first, "
                       "or check the number."),
            "school": _("There is no school %(key)s. Import Ontario's school information table first, "
                        "or check the number."),
            "network": _("There is no learning network called “%(key)s”. Create it first, or check "
                         "the spelling."),
        }[level] % {"key": key}
        report.problem(number, "organisation", reason)
    return found
