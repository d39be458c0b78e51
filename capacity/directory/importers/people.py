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

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from capacity.directory import services
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
from capacity.imports import (
    BOARD_NUMBER_RE,
    Columns,
    ImportReport,
    clean_board_number,
    clean_school_number,
    clean_text,
    conclude,
    read_table,
    school_number_forms,
    school_number_re,
)
from capacity.imports.patterns import school_number_scheme

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
        return {
            key: value
            for key, value in (
                ("email", self.email),
                ("display_name", self.display_name),
                ("first_name", self.first_name),
                ("last_name", self.last_name),
                ("source_id", self.source_id),
            )
            if value
        }


@dataclass
class _Grant:
    username: str
    role: str
    org: OrgRef
    title: str
    change_title: int | None = None  # the membership whose title or dates change
    source_id: str = ""
    begins: datetime.date | None = None
    ends: datetime.date | None = None


@dataclass
class AccountPlan:
    """People and roles to create, change or end, worked out against the database before writing.

    People are matched by their source identifier (OneRoster's sourcedId) first,
    and by username only when nothing contradicts it: a username whose person
    came from a roster under another sourcedId, or has another email address,
    is someone else, and the row is refused rather than allowed to take over
    their account (`refusal`).
    """

    existing_orgs: dict[OrgRef, Organisation]
    # Each person named, keyed by the username the file gives them (once matched or created).
    users: dict[str, User] = field(default_factory=dict)
    by_username: dict[str, User] = field(default_factory=dict)
    by_source: dict[str, list[User]] = field(default_factory=dict)
    held: dict[tuple[int, str, str, int], Membership] = field(default_factory=dict)
    new_people: dict[str, PersonDetails] = field(default_factory=dict)
    changed_people: dict[str, dict[str, str]] = field(default_factory=dict)
    grants: list[_Grant] = field(default_factory=list)
    planned: set[tuple[str, str, OrgRef]] = field(default_factory=set)
    # People to deactivate and roles to remove, each with the reason the audit entry records.
    deactivations: dict[int, tuple[User, str]] = field(default_factory=dict)
    revocations: dict[int, tuple[Membership, str]] = field(default_factory=dict)
    ended_roles: int = 0  # roles whose end date this import sets in the past
    _refusals: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        usernames: Iterable[str],
        existing_orgs: dict[OrgRef, Organisation],
        source_ids: Iterable[str] = (),
    ) -> AccountPlan:
        """Read the people named (by username or source identifier) and their roles, one query each."""
        plan = cls(existing_orgs=existing_orgs)
        sources = {source for source in source_ids if source}
        people = User.objects.filter(Q(username__in=set(usernames)) | Q(source_id__in=sources))
        for user in people:
            plan.by_username[user.username] = user
            if user.source_id:
                plan.by_source.setdefault(user.source_id, []).append(user)
        for membership in Membership.objects.filter(user__in=list(plan.by_username.values())):
            level = ROLE_LEVEL[membership.role]
            org_id = getattr(membership, f"{level}_id")
            plan.held[(membership.user_id, membership.role, level, org_id)] = membership
        return plan

    def refusal(self, details: PersonDetails) -> str | None:
        """Why this row may not be applied to the person it would reach, or None when it may.

        Also records who the row is about, for `person` and `grant`.
        """
        if details.username in self._refusals:
            return self._refusals[details.username]
        user, reason = self._match(details)
        self._refusals[details.username] = reason
        if user is not None and reason is None:
            self.users[details.username] = user
        return reason

    def _match(self, details: PersonDetails) -> tuple[User | None, str | None]:
        named = self.by_username.get(details.username)
        if details.source_id:
            same = self.by_source.get(details.source_id, [])
            if len(same) > 1:
                return None, _(
                    "%(count)s people in Capacity have the sourcedId %(id)s (%(names)s), so this row "
                    "cannot be matched to one of them."
                ) % {
                    "count": len(same),
                    "id": details.source_id,
                    "names": ", ".join(sorted(user.username for user in same)),
                }
            if same:
                user = same[0]
                if named is not None and named.pk != user.pk:
                    return None, _(
                        "The username %(name)s belongs to another person in Capacity; this row's "
                        "sourcedId %(id)s is %(user)s's, who cannot take it."
                    ) % {"name": details.username, "id": details.source_id, "user": user.username}
                return user, None
        if named is None:
            return None, None
        if details.source_id and named.source_id and named.source_id != details.source_id:
            return None, _(
                "The username %(name)s belongs to another person in Capacity (sourcedId %(theirs)s); "
                "this row has the sourcedId %(id)s and would take over their account."
            ) % {"name": details.username, "theirs": named.source_id, "id": details.source_id}
        if (
            details.source_id
            and not named.source_id
            and named.email
            and details.email
            and named.email.casefold() != details.email.casefold()
        ):
            return None, _(
                "The username %(name)s belongs to a person in Capacity with another email address "
                "(%(theirs)s); this row, with %(email)s, would take over their account."
            ) % {"name": details.username, "theirs": named.email, "email": details.email}
        return named, None

    def person(self, details: PersonDetails) -> str:
        """Plan one person; say whether they are created, updated or unchanged. Call `refusal` first."""
        if details.username in self.new_people:
            return UNCHANGED
        self.refusal(details)
        user = self.users.get(details.username)
        if user is None:
            self.new_people[details.username] = details
            return CREATED
        values = details.values()
        if user.username != details.username:
            values["username"] = details.username  # matched by sourcedId: the roster renamed them
        changes = {key: value for key, value in values.items() if getattr(user, key) != value}
        if not changes:
            return UNCHANGED
        self.changed_people.setdefault(details.username, {}).update(changes)
        return UPDATED

    def grant(
        self,
        username: str,
        role: str,
        org: OrgRef,
        title: str = "",
        *,
        source_id: str = "",
        begins: datetime.date | None = None,
        ends: datetime.date | None = None,
    ) -> str:
        """Plan one role; say whether it is created, updated (new title or dates) or unchanged."""
        key = (username, role, org)
        if key in self.planned:
            return UNCHANGED
        self.planned.add(key)
        held = self.held_role(username, role, org)
        grant = _Grant(username, role, org, title, source_id=source_id, begins=begins, ends=ends)
        if held is None:
            self.grants.append(grant)
            return CREATED
        changed = (
            (title and held.title != title)
            or (source_id and held.source_id != source_id)
            or (source_id and (held.begins, held.ends) != (begins, ends))
        )
        if not changed:
            return UNCHANGED
        grant.change_title = held.pk
        grant.title = title or held.title
        if not source_id:  # a plain CSV says nothing about dates: keep them
            grant.source_id, grant.begins, grant.ends = held.source_id, held.begins, held.ends
        self.grants.append(grant)
        return UPDATED

    def held_role(self, username: str, role: str, org: OrgRef) -> Membership | None:
        """The membership the person already holds for this role, or None."""
        user = self.users.get(username)
        organisation = self.existing_orgs.get(org)
        if user is None or organisation is None:
            return None
        return self.held.get((user.pk, role, org[0], organisation.pk))

    def held_by(self, user: User) -> list[Membership]:
        return [
            membership for (user_id, *_rest), membership in self.held.items() if user_id == user.pk
        ]

    def revoke(self, membership: Membership, reason: str) -> None:
        """Plan the removal of a role (audited when applied)."""
        self.revocations.setdefault(membership.pk, (membership, reason))

    def deactivate(self, user: User, reason: str) -> bool:
        """Plan a person's deactivation (audited when applied). False when they are already inactive."""
        if not user.is_active:
            return False
        self.deactivations.setdefault(user.pk, (user, reason))
        return True

    def apply(
        self, resolve: Callable[[OrgRef], Organisation], *, actor: Any, actor_label: str
    ) -> None:
        """Write the plan through the directory services (each audits what it does)."""
        for username, details in self.new_people.items():
            user = services.user_create(
                username=username,
                email=details.email,
                display_name=details.display_name,
                source_id=details.source_id,
                actor=actor,
                actor_label=actor_label,
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
                Membership.objects.filter(pk=grant.change_title).update(
                    title=grant.title,
                    source_id=grant.source_id,
                    begins=grant.begins,
                    ends=grant.ends,
                )
                continue
            membership, _created = services.membership_grant(
                user=self.users[grant.username],
                role=grant.role,
                organisation=resolve(grant.org),
                title=grant.title,
                actor=actor,
                actor_label=actor_label,
            )
            if grant.source_id or grant.begins or grant.ends:
                membership.source_id, membership.begins, membership.ends = (
                    grant.source_id,
                    grant.begins,
                    grant.ends,
                )
                membership.full_clean()
                membership.save(update_fields=["source_id", "begins", "ends"])
        for membership, reason in self.revocations.values():
            services.membership_revoke(
                membership=membership, actor=actor, actor_label=actor_label, reason=reason
            )
        for user, reason in self.deactivations.values():
            services.user_deactivate(user=user, reason=reason, actor=actor, actor_label=actor_label)


def check_username(value: str) -> str | None:
    """Why a username cannot be used, or None when it can."""
    max_length = User._meta.get_field("username").max_length or 150
    if len(value) > max_length:
        return _("A username can be at most %(max)s characters.") % {"max": max_length}
    try:
        User.username_validator(value)
    except ValidationError:
        return _("“%(value)s” cannot be a username: use letters, digits and @ . + - _ only.") % {
            "value": value
        }
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
        return conclude(
            report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run
        )

    orgs = _find_organisations(rows, report)
    if report.problems:
        return conclude(
            report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run
        )
    plan = AccountPlan.load((details.username for _n, details, *_rest in rows), orgs)
    for _number, details, role, org_key, title in rows:
        person = plan.person(details)
        granted = plan.grant(details.username, role, (ROLE_LEVEL[role], org_key), title)
        outcome = strongest(person, granted)
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
            problem(
                "role",
                _("“%(value)s” is not a role. Use one of: %(roles)s.")
                % {"value": role_text, "roles": ", ".join(Role.values)},
            )
        organisation = cell("organisation")
        if not organisation:
            problem("organisation", _("The organisation is missing."))
        elif role is not None:
            organisation = _organisation_key(role, organisation, problem)
        title = cell("title")
        if len(title) > title_length:
            problem(
                "title", _("A title can be at most %(max)s characters.") % {"max": title_length}
            )
        if len(report.problems) > before or role is None:
            continue

        details = PersonDetails(
            username=username,
            email=email,
            display_name=" ".join(p for p in (given, family) if p),
            first_name=given,
            last_name=family,
        )
        if username in first_row:
            first, earlier = first_row[username]
            for name, mine, theirs in (
                ("email", email, earlier.email),
                ("given_name", given, earlier.first_name),
                ("family_name", family, earlier.last_name),
            ):
                if mine and theirs and mine != theirs:
                    problem(
                        name,
                        _(
                            "%(username)s has “%(theirs)s” on row %(row)s; one person must have "
                            "the same details on every row."
                        )
                        % {"username": username, "theirs": theirs, "row": first},
                    )
        else:
            first_row[username] = (number, details)
        key = (username, role, organisation)
        if key in seen:
            problem(
                "role",
                _("This role in this organisation is already on row %(row)s.") % {"row": seen[key]},
            )
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
            problem(
                "organisation",
                _(
                    "The %(role)s role is held in the province: give its code, like ON, "
                    "not “%(value)s”."
                )
                % {"role": role_label, "value": text},
            )
        return code
    if level == "board":
        number = clean_board_number(text)
        if not BOARD_NUMBER_RE.match(number):
            problem(
                "organisation",
                _(
                    "The %(role)s role is held in a board: give its number, like B28010, "
                    "not “%(value)s”."
                )
                % {"role": role_label, "value": text},
            )
        return number
    if level == "school":
        number = clean_school_number(text)
        if not school_number_re().match(number):
            problem(
                "organisation",
                _(
                    "The %(role)s role is held in a school: give its number, like %(example)s, "
                    "not “%(value)s”."
                )
                % {"role": role_label, "value": text, "example": school_number_scheme().example},
            )
        return number
    return text


def _find_organisations(
    rows: list[tuple[int, PersonDetails, str, str, str]], report: ImportReport
) -> dict[OrgRef, Organisation]:
    """Look up every organisation named, one query per level; report those that do not exist."""
    wanted: dict[str, set[str]] = {
        "province": set(),
        "board": set(),
        "school": set(),
        "network": set(),
    }
    for _number, _details, role, key, _title in rows:
        wanted[ROLE_LEVEL[role]].add(key)
    found: dict[OrgRef, Organisation] = {}
    for province in Province.objects.filter(code__in=wanted["province"]):
        found[("province", province.code)] = province
    for board in Board.objects.filter(number__in=wanted["board"]):
        found[("board", board.number)] = board
    # A school stored without its leading zeros is found by its number with or without them.
    school_numbers = {form for n in wanted["school"] for form in school_number_forms(n)}
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
            "province": _(
                "There is no province with the code %(key)s. Import Ontario's school "
                "information table first."
            ),
            "board": _(
                "There is no board %(key)s. Import Ontario's school information table first, "
                "or check the number."
            ),
            "school": _(
                "There is no school %(key)s. Import Ontario's school information table first, "
                "or check the number."
            ),
            "network": _(
                "There is no learning network called “%(key)s”. Create it first, or check "
                "the spelling."
            ),
        }[level] % {"key": key}
        report.problem(number, "organisation", reason)
    return found
