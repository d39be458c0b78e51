"""Import organisations, staff and their roles from a OneRoster CSV folder.

Reads orgs.csv and users.csv, and roles.csv when present (OneRoster 1.2). An
older OneRoster 1.1 folder without roles.csv is read from the `role` and
`orgSourcedIds` columns of users.csv instead.

Organisations: a state (or national) org is the province, a district a board
(its identifier is the board number, like B28010) and a school a school (its
identifier is the school number). Boards and schools that already exist are
left as they are: Ontario's school information table is the authority on their
names, types and languages. Missing ones are created with what the roster says.

People: staff become accounts without a password (they cannot sign in until
one is set). Students, parents, guardians and relatives never become
accounts; they are counted as skipped. The import only adds people and roles;
it never removes any.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory.importers.common import (
    BOARD_NUMBER_RE,
    SCHOOL_NUMBER_RE,
    Columns,
    ImportReport,
    RowProblem,
    clean_board_number,
    clean_school_number,
    clean_text,
    conclude,
    read_table,
)
from capacity.directory.importers.people import (
    UNCHANGED,
    AccountPlan,
    Organisation,
    OrgRef,
    PersonDetails,
    check_email,
    check_username,
    strongest,
)
from capacity.directory.models import Board, Language, Province, Role, School

KIND = "oneroster"
ORGS, USERS, ROLES = "orgs.csv", "users.csv", "roles.csv"
PROVINCE_CODE = "ON"

ORG_REQUIRED = ["sourcedId", "name", "type"]
USER_REQUIRED = ["sourcedId", "username", "givenName", "familyName"]
ROLE_REQUIRED = ["sourcedId", "userSourcedId", "role", "orgSourcedId"]

ORG_LEVELS = {"state": "province", "national": "province", "district": "board", "school": "school"}
# Org types Capacity has no place for: their rows are skipped, not refused.
ORG_TYPES_SKIPPED = {"local", "department"}

# OneRoster role -> the Capacity role it gives at each level. A role held at a
# level it has no entry for is a problem.
ROLE_MAP: dict[str, dict[str, str]] = {
    "districtadministrator": {"board": Role.BOARD_LEADER},
    "principal": {"school": Role.PRINCIPAL},
    "siteadministrator": {"school": Role.SCHOOL_TEAM},
    "counselor": {"school": Role.SCHOOL_TEAM},
    "aide": {"school": Role.SCHOOL_TEAM},
    "teacher": {"school": Role.TEACHER},
    "systemadministrator": {"province": Role.MINISTRY_OFFICER},
    # OneRoster 1.1 has one administrator role for every level. At a school it
    # gives the read-only school team role: a principal must be named as such.
    "administrator": {"province": Role.MINISTRY_OFFICER, "board": Role.BOARD_LEADER,
                      "school": Role.SCHOOL_TEAM},
}
NOT_ACCOUNTS = {"student", "parent", "guardian", "relative"}
NO_EQUIVALENT = {"proctor"}
KNOWN_ROLES = sorted({*ROLE_MAP, *NOT_ACCOUNTS, *NO_EQUIVALENT})
ROLE_NAMES = {  # OneRoster's spelling, for messages
    "districtadministrator": "districtAdministrator", "siteadministrator": "siteAdministrator",
    "systemadministrator": "systemAdministrator",
}
LEVEL_NAMES = {"province": "state", "board": "district", "school": "school"}
SECONDARY_WORDS = ("secondary", "high", "secondaire", "collegiate")


@dataclass
class _Org:
    row: int
    sourced_id: str
    type: str
    level: str  # province, board, school, or "" when skipped
    name: str
    key: str  # province code, board number or school number
    parent: str


@dataclass
class _User:
    row: int
    sourced_id: str
    details: PersonDetails
    skipped: str = ""  # why the person is not imported


@dataclass
class _RoleRow:
    file: str
    row: int
    user: str  # the user's sourcedId
    role: str  # the Capacity role
    org: OrgRef


@dataclass
class _Reader:
    """Everything read from the folder, and what the import will do."""

    report: ImportReport
    orgs: dict[str, _Org] = field(default_factory=dict)
    users: dict[str, _User] = field(default_factory=dict)
    grants: list[_RoleRow] = field(default_factory=list)
    # What was skipped, by reason, for the notes.
    skipped: Counter[str] = field(default_factory=Counter)

    def problem(self, file: str, row: int | None, column: str, reason: str) -> None:
        self.report.problems.append(RowProblem(row, f"{file}: {column}" if column else file, reason))

    def skip(self, reason: str) -> None:
        self.report.skipped += 1
        self.skipped[reason] += 1


def import_oneroster(
    folder: Path,
    *,
    actor: Any = None,
    actor_label: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Import organisations, staff and roles from a OneRoster 1.2 (or 1.1) CSV folder.

    Every row of every file is checked first; any problem rejects the whole
    folder and nothing is written. Importing the same folder again changes
    nothing. A dry run checks and counts but writes nothing.
    """
    folder = Path(folder)
    report = ImportReport(kind=KIND, source=str(folder))
    reader = _Reader(report)
    tables = _read_tables(folder, reader)
    if tables is not None:
        orgs, users, roles = tables
        _read_orgs(*orgs, reader)
        _read_users(*users, reader, role_columns=roles is None)
        if roles is not None:
            _read_roles(*roles, reader)
        if not report.rows and not report.problems:
            report.problem(None, "", _("The files have headers but no rows."))
    if report.problems:
        return conclude(report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run)

    existing = _existing_organisations(reader)
    _check_schools_stay_in_their_boards(reader, existing)
    if report.problems:
        return conclude(report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run)
    plan, new_orgs = _plan(reader, existing)
    for reason, count in sorted(reader.skipped.items()):
        report.notes.append(_("%(reason)s (%(count)s).") % {"reason": reason, "count": count})
    return conclude(
        report,
        apply=lambda: _apply(plan, new_orgs, existing, actor=actor, actor_label=actor_label),
        actor=actor,
        actor_label=actor_label,
        dry_run=dry_run,
        detail={"people_created": len(plan.new_people), "organisations_created": len(new_orgs)},
    )


# --- Reading the files --------------------------------------------------------

Table = tuple[Columns, list[tuple[int, list[str]]]]


def _read_table(path: Path, reader: _Reader, required: list[str]) -> Table | None:
    # Each file is read into its own report so every problem can be labelled with the file's name.
    own = ImportReport(kind=KIND, source=str(path))
    table = read_table(path, own)
    rows: list[tuple[int, list[str]]] = []
    columns = None
    if table is not None:
        header, numbered = table
        columns = Columns(header)
        columns.missing(required, own)
        rows = list(numbered)
    for problem in own.problems:
        reader.problem(path.name, problem.row, problem.column, problem.reason)
    reader.report.notes.extend(f"{path.name}: {note}" for note in own.notes)
    if own.problems or columns is None:
        return None
    return columns, rows


def _read_tables(folder: Path, reader: _Reader) -> tuple[Table, Table, Table | None] | None:
    if not folder.is_dir():
        reader.problem(folder.name, None, "", _("This is not a folder. Give the folder that holds "
                                                "orgs.csv and users.csv."))
        return None
    for name in (ORGS, USERS):
        if not (folder / name).is_file():
            reader.problem(name, None, "", _("The folder has no %(file)s; OneRoster needs it.")
                           % {"file": name})
    if reader.report.problems:
        return None
    orgs = _read_table(folder / ORGS, reader, ORG_REQUIRED)
    users = _read_table(folder / USERS, reader, USER_REQUIRED)
    has_roles = (folder / ROLES).is_file()
    roles = _read_table(folder / ROLES, reader, ROLE_REQUIRED) if has_roles else None
    if orgs is None or users is None or (has_roles and roles is None):
        return None
    if not has_roles:
        if not (users[0].has("role") and users[0].has("orgSourcedIds")):
            reader.problem(USERS, 1, "role",
                           _("There is no roles.csv, so users.csv needs the OneRoster 1.1 columns role "
                             "and orgSourcedIds to say who does what where."))
            return None
        reader.report.notes.append(_("No roles.csv: roles were read from users.csv (OneRoster 1.1)."))
    return orgs, users, roles


def _status(reader: _Reader, file: str, row: int, columns: Columns, raw: list[str]) -> str | None:
    """The row's status: "active", "tobedeleted", or None when it is not one of them."""
    status = columns.get(raw, "status").lower()
    if status in {"", "active"}:
        return "active"
    if status == "tobedeleted":
        return status
    reader.problem(file, row, columns.label("status"),
                   _("“%(value)s” is not a status: use active or tobedeleted.") % {"value": status})
    return None


def _unique(reader: _Reader, file: str, seen: dict[str, int], row: int, sourced_id: str) -> bool:
    if not sourced_id:
        reader.problem(file, row, "sourcedId", _("The sourcedId is missing."))
        return False
    if sourced_id in seen:
        reader.problem(file, row, "sourcedId", _("The sourcedId %(id)s is already on row %(row)s.")
                       % {"id": sourced_id, "row": seen[sourced_id]})
        return False
    seen[sourced_id] = row
    return True


def _read_orgs(columns: Columns, rows: list[tuple[int, list[str]]], reader: _Reader) -> None:
    seen: dict[str, int] = {}
    keys: dict[tuple[str, str], int] = {}
    for number, raw in rows:
        reader.report.rows += 1
        sourced_id = columns.get(raw, "sourcedId")
        status = _status(reader, ORGS, number, columns, raw)
        if not _unique(reader, ORGS, seen, number, sourced_id) or status is None:
            continue
        org_type = columns.get(raw, "type").lower()
        name = clean_text(columns.get(raw, "name"))
        identifier = columns.get(raw, "identifier")
        org = _Org(number, sourced_id, org_type, "", name, "", columns.get(raw, "parentSourcedId"))
        reader.orgs[sourced_id] = org
        if status == "tobedeleted":
            reader.skip(_("Organisations marked tobedeleted were skipped"))
            continue
        if org_type in ORG_TYPES_SKIPPED:
            reader.skip(_("Organisations of type local or department were skipped: Capacity has no "
                          "place for them"))
            continue
        level = ORG_LEVELS.get(org_type)
        if level is None:
            reader.problem(ORGS, number, "type", _("“%(value)s” is not an organisation type: use state, "
                                                   "district or school.") % {"value": org_type})
            continue
        if not name:
            reader.problem(ORGS, number, "name", _("The name is missing."))
        elif len(name) > 200:
            reader.problem(ORGS, number, "name", _("A name can be at most 200 characters."))
        if level == "province":
            key = PROVINCE_CODE
            if identifier and identifier.upper() != PROVINCE_CODE:
                reader.report.notes.append(
                    _("The state org %(id)s (identifier %(identifier)s) was taken to be Ontario.")
                    % {"id": sourced_id, "identifier": identifier}
                )
        elif level == "board":
            key = clean_board_number(identifier)
            if not BOARD_NUMBER_RE.match(key):
                reader.problem(ORGS, number, "identifier",
                               _("A district's identifier must be its board number, like B28010, not "
                                 "“%(value)s”.") % {"value": identifier})
        else:
            key = clean_school_number(identifier)
            if not SCHOOL_NUMBER_RE.match(key):
                reader.problem(ORGS, number, "identifier",
                               _("A school's identifier must be its school number (five or six digits, "
                                 "like 019186), not “%(value)s”.") % {"value": identifier})
        if level != "province" and (level, key) in keys:
            reader.problem(ORGS, number, "identifier",
                           _("The identifier %(key)s is already used by row %(row)s.")
                           % {"key": key, "row": keys[(level, key)]})
        keys.setdefault((level, key), number)
        org.level, org.key = level, key
    for org in reader.orgs.values():
        if not org.level:
            continue
        if org.parent and org.parent not in reader.orgs and not (
            org.level == "school" and BOARD_NUMBER_RE.match(clean_board_number(org.parent))
        ):
            reader.problem(ORGS, org.row, "parentSourcedId",
                           _("No organisation in orgs.csv has the sourcedId %(id)s.") % {"id": org.parent})
        elif org.level == "school" and not org.parent:
            reader.problem(ORGS, org.row, "parentSourcedId",
                           _("A school needs its district as parentSourcedId."))
        elif org.level == "school" and org.parent in reader.orgs:
            parent = reader.orgs[org.parent]
            if parent.type != "district":
                reader.problem(ORGS, org.row, "parentSourcedId",
                               _("A school's parent must be a district, but %(id)s is a %(type)s.")
                               % {"id": org.parent, "type": parent.type})
            elif not parent.level:
                reader.problem(ORGS, org.row, "parentSourcedId",
                               _("The school's district %(id)s is skipped (tobedeleted), so the school "
                                 "cannot be placed.") % {"id": org.parent})


def _details(columns: Columns, raw: list[str], sourced_id: str) -> PersonDetails:
    given = clean_text(columns.get(raw, "givenName"))
    family = clean_text(columns.get(raw, "familyName"))
    shown_given = clean_text(columns.get(raw, "preferredGivenName")) or given
    shown_family = clean_text(columns.get(raw, "preferredFamilyName")) or family
    username = columns.get(raw, "username") or columns.get(raw, "email") or sourced_id
    return PersonDetails(
        username=username,
        email=columns.get(raw, "email"),
        display_name=" ".join(part for part in (shown_given, shown_family) if part),
        first_name=given,
        last_name=family,
        source_id=sourced_id,
    )


def _read_users(
    columns: Columns, rows: list[tuple[int, list[str]]], reader: _Reader, *, role_columns: bool
) -> None:
    seen: dict[str, int] = {}
    usernames: dict[str, int] = {}
    for number, raw in rows:
        reader.report.rows += 1
        sourced_id = columns.get(raw, "sourcedId")
        status = _status(reader, USERS, number, columns, raw)
        if not _unique(reader, USERS, seen, number, sourced_id) or status is None:
            continue
        details = _details(columns, raw, sourced_id)
        user = _User(number, sourced_id, details)
        reader.users[sourced_id] = user
        if status == "tobedeleted":
            user.skipped = _("People marked tobedeleted were skipped")
        elif columns.get(raw, "enabledUser").lower() in {"false", "0", "no"}:
            user.skipped = _("People with enabledUser false were skipped")
        column = "username" if columns.get(raw, "username") else "email" if details.email else "sourcedId"
        if reason := check_username(details.username):
            reader.problem(USERS, number, column, reason)
        elif details.username in usernames:
            reader.problem(USERS, number, column, _("The username %(name)s is already on row %(row)s.")
                           % {"name": details.username, "row": usernames[details.username]})
        usernames.setdefault(details.username, number)
        if reason := check_email(details.email):
            reader.problem(USERS, number, "email", reason)
        for name, value in (("givenName", details.first_name), ("familyName", details.last_name)):
            if len(value) > 150:
                reader.problem(USERS, number, name, _("This is longer than 150 characters."))
        if role_columns and not user.skipped:
            role_text = columns.get(raw, "role")
            org_ids = [part.strip() for part in columns.get(raw, "orgSourcedIds").split(",") if part.strip()]
            if role_text.strip().lower() in NOT_ACCOUNTS | NO_EQUIVALENT:
                _add_role(reader, USERS, number, sourced_id, role_text, "", "orgSourcedIds")
            elif not org_ids:
                reader.problem(USERS, number, "orgSourcedIds",
                               _("Give the sourcedId of the organisation the role is held in."))
            else:
                for org_id in org_ids:
                    _add_role(reader, USERS, number, sourced_id, role_text, org_id, "orgSourcedIds")


def _read_date(reader: _Reader, row: int, column: str, text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        reader.problem(ROLES, row, column, _("“%(value)s” is not a date like 2024-09-01.") % {"value": text})
        return None


def _read_roles(columns: Columns, rows: list[tuple[int, list[str]]], reader: _Reader) -> None:
    seen: dict[str, int] = {}
    today = timezone.localdate()
    for number, raw in rows:
        reader.report.rows += 1
        status = _status(reader, ROLES, number, columns, raw)
        if not _unique(reader, ROLES, seen, number, columns.get(raw, "sourcedId")) or status is None:
            continue
        user_id = columns.get(raw, "userSourcedId")
        if user_id not in reader.users:
            reader.problem(ROLES, number, "userSourcedId",
                           _("No person in users.csv has the sourcedId %(id)s.") % {"id": user_id})
            continue
        ends = _read_date(reader, number, "endDate", columns.get(raw, "endDate"))
        _read_date(reader, number, "beginDate", columns.get(raw, "beginDate"))
        if status == "tobedeleted":
            reader.skip(_("Roles marked tobedeleted were skipped"))
            continue
        if reader.users[user_id].skipped:
            reader.skip(_("Roles of people who were skipped were skipped too"))
            continue
        if ends is not None and ends < today:
            reader.skip(_("Roles that have ended (endDate in the past) were skipped"))
            continue
        before = len(reader.grants)
        counted = _add_role(reader, ROLES, number, user_id, columns.get(raw, "role"),
                            columns.get(raw, "orgSourcedId"), "orgSourcedId")
        if len(reader.grants) == before and not counted:
            reader.report.skipped += 1


def _add_role(
    reader: _Reader, file: str, row: int, user_id: str, role_text: str, org_id: str, org_column: str
) -> bool:
    """Turn one OneRoster role into a Capacity role. False when it gives no role and was not counted."""
    role_key = role_text.strip().lower()
    if role_key in NOT_ACCOUNTS:
        reader.skipped[_("Student, parent, guardian and relative roles were skipped: they are never "
                         "accounts in Capacity")] += 1
        return False
    if role_key in NO_EQUIVALENT:
        reader.skipped[_("Proctor roles were skipped: Capacity has no such role")] += 1
        return False
    if role_key not in ROLE_MAP:
        reader.problem(file, row, "role", _("“%(value)s” is not a OneRoster role. Use one of: %(roles)s.")
                       % {"value": role_text, "roles": ", ".join(ROLE_NAMES.get(r, r) for r in KNOWN_ROLES)})
        return True
    org = reader.orgs.get(org_id)
    if org is not None and not org.level:
        reader.skipped[_("Roles in organisations that were skipped were skipped too")] += 1
        return False
    if org is None:
        # A role may name an organisation already in Capacity by its board or school number.
        board, school = clean_board_number(org_id), clean_school_number(org_id)
        if BOARD_NUMBER_RE.match(board) and Board.objects.filter(number=board).exists():
            level, key = "board", board
        elif SCHOOL_NUMBER_RE.match(school) and School.objects.filter(number=school).exists():
            level, key = "school", school
        else:
            reader.problem(file, row, org_column,
                           _("No organisation in orgs.csv has the sourcedId %(id)s.") % {"id": org_id})
            return True
    else:
        level, key = org.level, org.key
    role = ROLE_MAP[role_key].get(level)
    if role is None:
        held_at = " or ".join(LEVEL_NAMES[at] for at in ROLE_MAP[role_key])
        reader.problem(file, row, "role",
                       _("The %(role)s role is held at a %(right)s, but %(id)s is a %(wrong)s.")
                       % {"role": ROLE_NAMES.get(role_key, role_key), "right": held_at, "id": org_id,
                          "wrong": LEVEL_NAMES[level]})
        return True
    reader.grants.append(_RoleRow(file, row, user_id, role, (level, key)))
    return True


# --- Planning and writing -----------------------------------------------------


def _existing_organisations(reader: _Reader) -> dict[OrgRef, Organisation]:
    found: dict[OrgRef, Organisation] = {}
    numbers: dict[str, set[str]] = {"province": set(), "board": set(), "school": set()}
    for org in reader.orgs.values():
        if org.level in numbers:
            numbers[org.level].add(org.key)
        if org.level == "school":
            numbers["board"].add(_board_number_of(org, reader))
    for grant in reader.grants:
        numbers[grant.org[0]].add(grant.org[1])
    for province in Province.objects.filter(code=PROVINCE_CODE):
        found[("province", province.code)] = province
    for board in Board.objects.filter(number__in=numbers["board"]):
        found[("board", board.number)] = board
    for school in School.objects.filter(number__in=numbers["school"]).select_related("board"):
        found[("school", school.number)] = school
    return found


def _board_number_of(org: _Org, reader: _Reader) -> str:
    parent = reader.orgs.get(org.parent)
    return parent.key if parent is not None else clean_board_number(org.parent)


def _check_schools_stay_in_their_boards(reader: _Reader, existing: dict[OrgRef, Organisation]) -> None:
    for org in reader.orgs.values():
        if org.level != "school":
            continue
        board_number = _board_number_of(org, reader)
        school = existing.get(("school", org.key))
        if isinstance(school, School) and school.board.number != board_number:
            reader.problem(ORGS, org.row, "parentSourcedId",
                           _("School %(number)s belongs to board %(board)s in Capacity, but this file puts "
                             "it in %(other)s.")
                           % {"number": org.key, "board": school.board.number, "other": board_number})
        elif school is None and org.parent not in reader.orgs and ("board", board_number) not in existing:
            reader.problem(ORGS, org.row, "parentSourcedId",
                           _("No district in orgs.csv and no board in Capacity has the number %(id)s.")
                           % {"id": org.parent})


@dataclass
class _NewOrg:
    level: str
    key: str
    name: str
    board: str = ""  # a new school's board number
    level_guessed: str = ""


def _plan(reader: _Reader, existing: dict[OrgRef, Organisation]) -> tuple[AccountPlan, list[_NewOrg]]:
    report = reader.report
    new_orgs: list[_NewOrg] = []
    new_boards: list[str] = []
    renamed = 0
    for org in reader.orgs.values():
        if not org.level:
            continue
        ref = (org.level, org.key)
        if ref in existing or any((o.level, o.key) == ref for o in new_orgs):
            report.unchanged += 1
            current = existing.get(ref)
            if isinstance(current, Board | School) and current.name != org.name:
                renamed += 1
            continue
        report.created += 1
        if org.level == "school":
            lowered = org.name.lower()
            level = (School.Level.SECONDARY if any(word in lowered for word in SECONDARY_WORDS)
                     else School.Level.ELEMENTARY)
            new_orgs.append(_NewOrg("school", org.key, org.name, _board_number_of(org, reader), level))
        else:
            new_orgs.append(_NewOrg(org.level, org.key, org.name))
            if org.level == "board":
                new_boards.append(org.key)
    if new_boards:
        report.notes.append(
            _("New boards %(numbers)s were created as English-language public boards: the roster does not "
              "say their language or type. Import Ontario's school information table to correct them.")
            % {"numbers": ", ".join(new_boards)}
        )
    if any(org.level == "school" for org in new_orgs):
        report.notes.append(_("The level of each new school was guessed from its name (secondary when it "
                              "says Secondary, High, Secondaire or Collegiate, else elementary)."))
    if renamed:
        report.notes.append(ngettext(
            "%(count)s board or school already in Capacity has another name in the roster; its name was "
            "left as it is.",
            "%(count)s boards or schools already in Capacity have other names in the roster; their names "
            "were left as they are.",
            renamed,
        ) % {"count": renamed})

    grants_by_user: dict[str, list[_RoleRow]] = {}
    for grant in reader.grants:
        grants_by_user.setdefault(grant.user, []).append(grant)
    accounts = [
        user for user in reader.users.values() if not user.skipped and user.sourced_id in grants_by_user
    ]
    plan = AccountPlan.load((user.details.username for user in accounts), existing)
    role_outcomes: dict[tuple[str, int], str] = {}
    for grant in reader.grants:
        username = reader.users[grant.user].details.username
        role_outcomes[(grant.file, grant.row)] = strongest(
            role_outcomes.get((grant.file, grant.row), UNCHANGED), plan.grant(username, grant.role, grant.org)
        )
    for user in reader.users.values():
        if user.skipped:
            reader.skip(user.skipped)
            continue
        if user.sourced_id not in grants_by_user:
            reader.skip(_("People with no staff role were skipped (students, parents and the like)"))
            continue
        outcome = plan.person(user.details)
        # Without roles.csv a user's row also carries their roles.
        outcome = strongest(outcome, role_outcomes.pop((USERS, user.row), UNCHANGED))
        setattr(report, outcome, getattr(report, outcome) + 1)
    for outcome in role_outcomes.values():
        setattr(report, outcome, getattr(report, outcome) + 1)
    return plan, new_orgs


def _apply(
    plan: AccountPlan, new_orgs: list[_NewOrg], existing: dict[OrgRef, Organisation], *, actor: Any,
    actor_label: str,
) -> None:
    orgs = dict(existing)
    boards = {key: org for (_level, key), org in existing.items() if isinstance(org, Board)}
    needs_province = any(org.level in {"province", "board"} for org in new_orgs) or any(
        grant.org[0] == "province" for grant in plan.grants
    )
    province = None
    if needs_province:
        province, _created = Province.objects.get_or_create(code=PROVINCE_CODE, defaults={"name": "Ontario"})
        orgs[("province", PROVINCE_CODE)] = province
    for org in new_orgs:
        if org.level == "board":
            assert province is not None
            boards[org.key] = orgs[("board", org.key)] = Board.objects.create(
                province=province, number=org.key, name=org.name,
                language=Language.ENGLISH, board_type=Board.Type.PUBLIC,
            )
    for org in new_orgs:
        if org.level == "school":
            board = boards.get(org.board) or Board.objects.get(number=org.board)
            orgs[("school", org.key)] = School.objects.create(
                board=board, number=org.key, name=org.name, level=org.level_guessed, language=board.language,
            )
    plan.apply(orgs.__getitem__, actor=actor, actor_label=actor_label)
