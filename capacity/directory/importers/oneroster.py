"""Import organisations, staff and their roles from a OneRoster CSV folder.

Reads manifest.csv when present, orgs.csv and users.csv, and roles.csv when
present (OneRoster 1.2). An older OneRoster 1.1 folder without roles.csv is read
from the `role` and `orgSourcedIds` columns of users.csv instead.

The manifest says, per file, whether it is `bulk` (the whole truth: roles it no
longer lists in the organisations it covers are removed), `delta` (changes
only) or `absent`. Without a manifest the files are read as changes only and
nothing is removed.

Organisations: a state (or national) org is the province, a district a board
(its identifier is the board number, like B28010) and a school a school (its
identifier is the school number). A department stands for the school (or
district) above it, so its staff keep their roles. A configured identifier
rule can key organisations whose identifier is not an Ontario number. Boards
and schools that already exist are left as they are: Ontario's school
information table is the authority on their names, types and languages.

People: staff become accounts without a password (they cannot sign in until
one is set). They are matched by sourcedId, and by username only when nothing
contradicts it; a row that would take over another person's account is
refused. Students, parents, guardians and relatives never become accounts.
`tobedeleted` people are deactivated and lose their roster roles,
`enabledUser=false` people are deactivated, `tobedeleted` roles are removed
(each audited); roles keep their beginDate and endDate and give scope only
between them. Which Capacity role a OneRoster role gives is configurable
(`RosterConfig`); by default the least: an administrator at the province gets
no role until the configuration says so.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory.importers.people import (
    CREATED,
    UNCHANGED,
    UPDATED,
    AccountPlan,
    Organisation,
    OrgRef,
    PersonDetails,
    check_email,
    check_username,
    strongest,
)
from capacity.directory.models import (
    ROLE_LEVEL,
    Board,
    Language,
    Membership,
    Province,
    Role,
    School,
    User,
)
from capacity.imports import (
    BOARD_NUMBER_RE,
    Columns,
    ImportReport,
    RowProblem,
    clean_board_number,
    clean_school_number,
    clean_text,
    conclude,
    read_table,
    school_number_form,
    school_number_re,
)

KIND = "oneroster"
MANIFEST, ORGS, USERS, ROLES = "manifest.csv", "orgs.csv", "users.csv", "roles.csv"
PROVINCE_CODE = "ON"
BULK, DELTA, ABSENT = "bulk", "delta", "absent"
ONEROSTER_VERSIONS = {"1.0", "1.1", "1.2"}

ORG_REQUIRED = ["sourcedId", "name", "type"]
USER_REQUIRED = ["sourcedId", "username", "givenName", "familyName"]
ROLE_REQUIRED = ["sourcedId", "userSourcedId", "role", "orgSourcedId"]

ORG_LEVELS = {"state": "province", "national": "province", "district": "board", "school": "school"}
# Org types Capacity has no place for: their rows are skipped, not refused. (A
# department is not skipped: it stands for the school or district above it.)
ORG_TYPES_SKIPPED = {"local"}
DEPARTMENT = "department"

# OneRoster role -> the Capacity role it gives at each level ("" gives none, and
# the report says so). A role held at a level it has no entry for is a problem.
# The least privilege that fits: nobody becomes a ministry officer (who sees and
# changes everything) unless the roster configuration says so.
DEFAULT_ROLE_MAP: dict[str, dict[str, str]] = {
    "districtadministrator": {"board": Role.BOARD_LEADER},
    "principal": {"school": Role.PRINCIPAL},
    "siteadministrator": {"school": Role.SCHOOL_TEAM},
    "counselor": {"school": Role.SCHOOL_TEAM},
    "aide": {"school": Role.SCHOOL_TEAM},
    "teacher": {"school": Role.TEACHER},
    "systemadministrator": {"province": ""},
    # OneRoster 1.1 has one administrator role for every level. At a school it
    # gives the read-only school team role: a principal must be named as such.
    "administrator": {"province": "", "board": Role.BOARD_LEADER, "school": Role.SCHOOL_TEAM},
}
NOT_ACCOUNTS = {"student", "parent", "guardian", "relative"}
NO_EQUIVALENT = {"proctor"}
KNOWN_ROLES = sorted({*DEFAULT_ROLE_MAP, *NOT_ACCOUNTS, *NO_EQUIVALENT})
ROLE_NAMES = {  # OneRoster's spelling, for messages
    "districtadministrator": "districtAdministrator",
    "siteadministrator": "siteAdministrator",
    "systemadministrator": "systemAdministrator",
}
LEVEL_NAMES = {"province": "state", "board": "district", "school": "school"}
LEVELS_BY_NAME = {
    "state": "province",
    "national": "province",
    "district": "board",
    "school": "school",
}
SECONDARY_WORDS = ("secondary", "high", "secondaire", "collegiate")


@dataclass
class OrgKeyRule:
    """How to find the Ontario number of a district or school in orgs.csv: which column, and a
    regular expression whose first group (or whole match) is the number."""

    column: str = "identifier"
    pattern: re.Pattern[str] | None = None

    def key(self, columns: Columns, raw: list[str]) -> str:
        value = columns.get(raw, self.column)
        if self.pattern is None:
            return value
        match = self.pattern.search(value)
        if match is None:
            return ""
        return match.group(1) if match.groups() else match.group(0)


@dataclass
class RosterConfig:
    """What a roster's roles mean in Capacity and how its organisations are keyed.

    Read from a TOML file (`load_roster_config`); the defaults give the least
    privilege that fits and key organisations by their `identifier`.
    """

    roles: dict[str, dict[str, str]] = field(
        default_factory=lambda: {role: dict(levels) for role, levels in DEFAULT_ROLE_MAP.items()}
    )
    org_keys: dict[str, OrgKeyRule] = field(
        default_factory=lambda: {"board": OrgKeyRule(), "school": OrgKeyRule()}
    )
    # Explicit numbers by sourcedId; they win over the rules.
    org_numbers: dict[str, str] = field(default_factory=dict)
    source: str = ""


def load_roster_config(path: Path) -> tuple[RosterConfig, list[str]]:
    """Read a roster configuration file; returns the configuration and what is wrong with the file.

    ```toml
    [roles]                       # OneRoster role = { org type = Capacity role or "none" }
    systemAdministrator = { state = "ministry_officer" }
    administrator = { district = "trustee" }

    [organisations.school]        # where a school's Ontario number is
    column = "identifier"
    pattern = "^SCH-(\\d{6})$"

    [organisations.numbers]       # or name it outright, by sourcedId
    "org-district-7" = "B28010"
    ```
    """
    config = RosterConfig(source=str(path))
    faults: list[str] = []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return config, [
            _("The roster configuration cannot be read: %(reason)s") % {"reason": exc.strerror}
        ]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return config, [
            _("The roster configuration is not valid TOML: %(reason)s") % {"reason": exc}
        ]
    unknown = set(data) - {"roles", "organisations"}
    if unknown:
        faults.append(
            _("Unknown sections: %(names)s. Use roles and organisations.")
            % {"names": ", ".join(sorted(unknown))}
        )
    roles = data.get("roles", {})
    for name, levels in roles.items() if isinstance(roles, dict) else ():
        role_key = name.lower()
        if role_key not in DEFAULT_ROLE_MAP:
            faults.append(_("roles: “%(value)s” is not a OneRoster staff role.") % {"value": name})
            continue
        if not isinstance(levels, dict):
            faults.append(
                _("roles: give %(role)s as a table of organisation type = Capacity role.")
                % {"role": name}
            )
            continue
        for level_name, value in levels.items():
            level = LEVELS_BY_NAME.get(str(level_name).lower())
            capacity_role = "" if str(value).lower() == "none" else str(value)
            if level is None:
                faults.append(
                    _(
                        "roles: %(role)s: “%(value)s” is not an organisation type: use state, "
                        "district or school."
                    )
                    % {"role": name, "value": level_name}
                )
            elif capacity_role and ROLE_LEVEL.get(capacity_role) != level:
                faults.append(
                    _(
                        "roles: %(role)s at a %(level)s cannot give “%(value)s”: use none or one of "
                        "%(roles)s."
                    )
                    % {
                        "role": name,
                        "level": level_name,
                        "value": value,
                        "roles": ", ".join(role for role, at in ROLE_LEVEL.items() if at == level),
                    }
                )
            else:
                config.roles[role_key][level] = capacity_role
    organisations = data.get("organisations", {})
    for name, rule in organisations.items() if isinstance(organisations, dict) else ():
        if name == "numbers" and isinstance(rule, dict):
            config.org_numbers = {str(key): str(value).strip() for key, value in rule.items()}
        elif name in {"district", "school"} and isinstance(rule, dict):
            try:
                pattern = re.compile(rule["pattern"]) if rule.get("pattern") else None
            except re.error as exc:
                faults.append(
                    _("organisations.%(name)s: the pattern is not a regular expression: %(reason)s")
                    % {"name": name, "reason": exc}
                )
                continue
            config.org_keys[LEVELS_BY_NAME[name]] = OrgKeyRule(
                str(rule.get("column", "identifier")), pattern
            )
        else:
            faults.append(
                _("organisations: “%(value)s” is not district, school or numbers.")
                % {"value": name}
            )
    return config, faults


@dataclass
class _Org:
    row: int
    sourced_id: str
    type: str
    level: str  # province, board, school, or "" when skipped
    name: str
    key: str  # province code, board number or school number
    parent: str
    stands_for: str = ""  # a department: the sourcedId of the school or district it belongs to


@dataclass
class _User:
    row: int
    sourced_id: str
    details: PersonDetails
    skipped: str = ""  # why the person is not imported
    removal: str = ""  # "tobedeleted" or "disabled": the person is to be deactivated
    stored: bool = False  # not in users.csv (a delta): known to Capacity by sourcedId


@dataclass
class _RoleRow:
    file: str
    row: int
    user: str  # the user's sourcedId
    role: str  # the Capacity role
    org: OrgRef
    source_id: str = ""
    begins: datetime.date | None = None
    ends: datetime.date | None = None


@dataclass
class _RoleRemoval:
    row: int
    source_id: str
    user: str
    role_text: str
    org_id: str


@dataclass
class _Reader:
    """Everything read from the folder, and what the import will do."""

    report: ImportReport
    config: RosterConfig = field(default_factory=RosterConfig)
    modes: dict[str, str] = field(
        default_factory=dict
    )  # file -> bulk, delta or absent; empty: no manifest
    orgs: dict[str, _Org] = field(default_factory=dict)
    users: dict[str, _User] = field(default_factory=dict)
    grants: list[_RoleRow] = field(default_factory=list)
    role_removals: list[_RoleRemoval] = field(default_factory=list)
    # People whose roles in this roster are only student, parent and the like.
    not_accounts: set[str] = field(default_factory=set)
    # What was skipped, by reason, for the notes.
    skipped: Counter[str] = field(default_factory=Counter)
    # (OneRoster role, level, Capacity role or "") -> how many roles it was applied to.
    mapped: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def problem(self, file: str, row: int | None, column: str, reason: str) -> None:
        self.report.problems.append(
            RowProblem(row, f"{file}: {column}" if column else file, reason)
        )

    def skip(self, reason: str) -> None:
        self.report.skipped += 1
        self.skipped[reason] += 1

    def bulk(self, file: str) -> bool:
        return self.modes.get(file) == BULK


def import_oneroster(
    folder: Path,
    *,
    config: Path | RosterConfig | None = None,
    actor: Any = None,
    actor_label: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Import organisations, staff and roles from a OneRoster 1.2 (or 1.1) CSV folder.

    Every row of every file is checked first; any problem rejects the whole
    folder and nothing is written. Importing the same folder again changes
    nothing. A dry run checks and counts but writes nothing. `config` is a
    roster configuration file (see `load_roster_config`) or one already read.
    """
    folder = Path(folder)
    report = ImportReport(kind=KIND, source=str(folder))
    reader = _Reader(report)
    if isinstance(config, RosterConfig):
        reader.config = config
    elif config is not None:
        reader.config, faults = load_roster_config(Path(config))
        for fault in faults:
            reader.problem(Path(config).name, None, "", fault)
    tables = _read_tables(folder, reader) if not report.problems else None
    if tables is not None:
        orgs, users, roles = tables
        _read_orgs(*orgs, reader)
        _read_users(*users, reader, role_columns=roles is None and _roles_in_users(users[0]))
        if roles is not None:
            _read_roles(*roles, reader)
        if not report.rows and not report.problems:
            report.problem(None, "", _("The files have headers but no rows."))
    if report.problems:
        return conclude(
            report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run
        )

    existing = _existing_organisations(reader)
    _check_schools_stay_in_their_boards(reader, existing)
    if report.problems:
        return conclude(
            report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run
        )
    plan, new_orgs = _plan(reader, existing)
    if report.problems:  # a row would take over another person's account
        return conclude(
            report, apply=lambda: None, actor=actor, actor_label=actor_label, dry_run=dry_run
        )
    for reason, count in sorted(reader.skipped.items()):
        report.notes.append(_("%(reason)s (%(count)s).") % {"reason": reason, "count": count})
    return conclude(
        report,
        apply=lambda: _apply(plan, new_orgs, existing, actor=actor, actor_label=actor_label),
        actor=actor,
        actor_label=actor_label,
        dry_run=dry_run,
        detail={
            "people_created": len(plan.new_people),
            "people_updated": len(plan.changed_people),
            "people_deactivated": len(plan.deactivations),
            "roles_removed": len(plan.revocations),
            "roles_ended": plan.ended_roles,
            "organisations_created": len(new_orgs),
        },
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


def _read_manifest(folder: Path, reader: _Reader) -> None:
    """Read manifest.csv (propertyName,value): the OneRoster version and each file's mode."""
    path = folder / MANIFEST
    if not path.is_file():
        reader.report.notes.append(
            _(
                "No manifest.csv: the files were read as changes only (as a delta), "
                "so nothing was removed."
            )
        )
        return
    table = _read_table(path, reader, ["propertyName", "value"])
    if table is None:
        return
    columns, rows = table
    properties: dict[str, tuple[int, str]] = {}
    for number, raw in rows:
        properties[columns.get(raw, "propertyName")] = (number, columns.get(raw, "value"))
    row, version = properties.get("oneroster.version", (None, ""))
    if version not in ONEROSTER_VERSIONS:
        reader.problem(
            MANIFEST,
            row,
            "oneroster.version",
            _("“%(value)s” is not a OneRoster version this import reads: use 1.1 or 1.2.")
            % {"value": version},
        )
    for name in (ORGS, USERS, ROLES):
        row, mode = properties.get(f"file.{name.removesuffix('.csv')}", (None, ABSENT))
        mode = mode.lower() or ABSENT
        if mode not in {BULK, DELTA, ABSENT}:
            reader.problem(
                MANIFEST,
                row,
                f"file.{name.removesuffix('.csv')}",
                _("“%(value)s” is not a file mode: use bulk, delta or absent.") % {"value": mode},
            )
            continue
        reader.modes[name] = mode
        if mode != ABSENT and not (folder / name).is_file():
            reader.problem(
                name,
                None,
                "",
                _("The manifest lists %(file)s as %(mode)s, but the folder has no such file.")
                % {"file": name, "mode": mode},
            )
        elif mode == ABSENT and (folder / name).is_file():
            reader.report.notes.append(
                _("%(file)s was not read: the manifest says it is absent.") % {"file": name}
            )
    if not reader.report.problems:
        reader.report.notes.append(
            _("manifest.csv: OneRoster %(version)s; %(modes)s.")
            % {
                "version": version,
                "modes": ", ".join(f"{name} {reader.modes[name]}" for name in (ORGS, USERS, ROLES)),
            }
        )


def _read_tables(folder: Path, reader: _Reader) -> tuple[Table, Table, Table | None] | None:
    if not folder.is_dir():
        reader.problem(
            folder.name,
            None,
            "",
            _("This is not a folder. Give the folder that holds orgs.csv and users.csv."),
        )
        return None
    _read_manifest(folder, reader)
    if reader.report.problems:
        return None
    for name in (ORGS, USERS):
        if not reader.modes and not (folder / name).is_file():
            reader.problem(
                name,
                None,
                "",
                _("The folder has no %(file)s; OneRoster needs it.") % {"file": name},
            )
    if reader.report.problems:
        return None
    empty: Table = (Columns([]), [])
    # A file the manifest says is absent is read as empty: a delta may change only some files.
    orgs = (
        _read_table(folder / ORGS, reader, ORG_REQUIRED)
        if reader.modes.get(ORGS) != ABSENT
        else empty
    )
    users = (
        _read_table(folder / USERS, reader, USER_REQUIRED)
        if reader.modes.get(USERS) != ABSENT
        else empty
    )
    has_roles = (folder / ROLES).is_file() and reader.modes.get(ROLES) != ABSENT
    roles = _read_table(folder / ROLES, reader, ROLE_REQUIRED) if has_roles else None
    if orgs is None or users is None or (has_roles and roles is None):
        return None
    if not has_roles and users is not empty:
        if _roles_in_users(users[0]):
            reader.report.notes.append(
                _("No roles.csv: roles were read from users.csv (OneRoster 1.1).")
            )
            if reader.bulk(USERS):
                reader.modes[ROLES] = BULK  # the users' rows are all the roles there are
        elif reader.modes.get(ROLES) != ABSENT:
            reader.problem(
                USERS,
                1,
                "role",
                _(
                    "There is no roles.csv, so users.csv needs the OneRoster 1.1 columns role "
                    "and orgSourcedIds to say who does what where."
                ),
            )
            return None
    return orgs, users, roles


def _roles_in_users(columns: Columns) -> bool:
    """OneRoster 1.1 keeps each person's role and organisations in users.csv."""
    return columns.has("role") and columns.has("orgSourcedIds")


def _status(reader: _Reader, file: str, row: int, columns: Columns, raw: list[str]) -> str | None:
    """The row's status: "active", "tobedeleted", or None when it is not one of them."""
    status = columns.get(raw, "status").lower()
    if status in {"", "active"}:
        return "active"
    if status == "tobedeleted":
        return status
    reader.problem(
        file,
        row,
        columns.label("status"),
        _("“%(value)s” is not a status: use active or tobedeleted.") % {"value": status},
    )
    return None


def _unique(reader: _Reader, file: str, seen: dict[str, int], row: int, sourced_id: str) -> bool:
    if not sourced_id:
        reader.problem(file, row, "sourcedId", _("The sourcedId is missing."))
        return False
    if sourced_id in seen:
        reader.problem(
            file,
            row,
            "sourcedId",
            _("The sourcedId %(id)s is already on row %(row)s.")
            % {"id": sourced_id, "row": seen[sourced_id]},
        )
        return False
    seen[sourced_id] = row
    return True


def _org_number(
    reader: _Reader, level: str, columns: Columns, raw: list[str], sourced_id: str
) -> str:
    """The Ontario number of a district or school: named outright in the configuration, or found by its rule."""
    if sourced_id in reader.config.org_numbers:
        return reader.config.org_numbers[sourced_id]
    return reader.config.org_keys[level].key(columns, raw)


def _configured(reader: _Reader, level: str, sourced_id: str) -> bool:
    rule = reader.config.org_keys[level]
    return (
        sourced_id in reader.config.org_numbers
        or rule.column != "identifier"
        or rule.pattern is not None
    )


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
            reader.skip(
                _("Organisations of type local were skipped: Capacity has no place for them")
            )
            continue
        if org_type == DEPARTMENT:
            continue  # placed below, once the school or district above it is known
        level = ORG_LEVELS.get(org_type)
        if level is None:
            reader.problem(
                ORGS,
                number,
                "type",
                _(
                    "“%(value)s” is not an organisation type: use state, "
                    "district, school or department."
                )
                % {"value": org_type},
            )
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
            key = clean_board_number(_org_number(reader, level, columns, raw, sourced_id))
            if not BOARD_NUMBER_RE.match(key):
                reader.problem(
                    ORGS,
                    number,
                    "identifier",
                    _org_key_problem(reader, level, sourced_id, identifier),
                )
        else:
            key = clean_school_number(_org_number(reader, level, columns, raw, sourced_id))
            if not school_number_re().match(key):
                reader.problem(
                    ORGS,
                    number,
                    "identifier",
                    _org_key_problem(reader, level, sourced_id, identifier),
                )
        if level != "province" and (level, key) in keys:
            reader.problem(
                ORGS,
                number,
                "identifier",
                _("The identifier %(key)s is already used by row %(row)s.")
                % {"key": key, "row": keys[(level, key)]},
            )
        keys.setdefault((level, key), number)
        org.level, org.key = level, key
    _place_departments(reader)
    for org in reader.orgs.values():
        if not org.level or org.stands_for:
            continue
        if (
            org.parent
            and org.parent not in reader.orgs
            and not (
                org.level == "school" and BOARD_NUMBER_RE.match(clean_board_number(org.parent))
            )
        ):
            reader.problem(
                ORGS,
                org.row,
                "parentSourcedId",
                _("No organisation in orgs.csv has the sourcedId %(id)s.") % {"id": org.parent},
            )
        elif org.level == "school" and not org.parent:
            reader.problem(
                ORGS,
                org.row,
                "parentSourcedId",
                _("A school needs its district as parentSourcedId."),
            )
        elif org.level == "school" and org.parent in reader.orgs:
            parent = reader.orgs[org.parent]
            if parent.type != "district":
                reader.problem(
                    ORGS,
                    org.row,
                    "parentSourcedId",
                    _("A school's parent must be a district, but %(id)s is a %(type)s.")
                    % {"id": org.parent, "type": parent.type},
                )
            elif not parent.level:
                reader.problem(
                    ORGS,
                    org.row,
                    "parentSourcedId",
                    _(
                        "The school's district %(id)s is skipped (tobedeleted), so the school "
                        "cannot be placed."
                    )
                    % {"id": org.parent},
                )


def _org_key_problem(reader: _Reader, level: str, sourced_id: str, identifier: str) -> str:
    if _configured(reader, level, sourced_id):
        return _(
            "The roster configuration gives no Ontario number for %(id)s (identifier “%(value)s”)."
        ) % {"id": sourced_id, "value": identifier}
    if level == "board":
        return _(
            "A district's identifier must be its board number, like B28010, not “%(value)s”."
        ) % {"value": identifier}
    return _("A school's identifier must be its school number (%(form)s), not “%(value)s”.") % {
        "form": school_number_form(),
        "value": identifier,
    }


def _place_departments(reader: _Reader) -> None:
    """A department stands for the nearest school (or district) above it, so its staff keep their roles."""
    for org in reader.orgs.values():
        if org.type != DEPARTMENT or org.level:
            continue
        above, visited = reader.orgs.get(org.parent), {org.sourced_id}
        while above is not None and above.type == DEPARTMENT and above.sourced_id not in visited:
            visited.add(above.sourced_id)
            above = reader.orgs.get(above.parent)
        if above is None or above.level not in {"board", "school"}:
            reader.problem(
                ORGS,
                org.row,
                "parentSourcedId",
                _(
                    "A department must belong to a school or district in orgs.csv, but %(id)s "
                    "does not lead to one."
                )
                % {"id": org.parent or "—"},
            )
            continue
        org.level, org.key, org.stands_for = above.level, above.key, above.sourced_id
        reader.skip(_("Departments were read as the school or district they belong to"))


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
            user.removal = "tobedeleted"
        elif columns.get(raw, "enabledUser").lower() in {"false", "0", "no"}:
            user.removal = "disabled"
        column = (
            "username"
            if columns.get(raw, "username")
            else "email"
            if details.email
            else "sourcedId"
        )
        if reason := check_username(details.username):
            reader.problem(USERS, number, column, reason)
        elif details.username in usernames:
            reader.problem(
                USERS,
                number,
                column,
                _("The username %(name)s is already on row %(row)s.")
                % {"name": details.username, "row": usernames[details.username]},
            )
        usernames.setdefault(details.username, number)
        if reason := check_email(details.email):
            reader.problem(USERS, number, "email", reason)
        for name, value in (("givenName", details.first_name), ("familyName", details.last_name)):
            if len(value) > 150:
                reader.problem(USERS, number, name, _("This is longer than 150 characters."))
        if role_columns and not user.removal:
            role_text = columns.get(raw, "role")
            org_ids = [
                part.strip()
                for part in columns.get(raw, "orgSourcedIds").split(",")
                if part.strip()
            ]
            if role_text.strip().lower() in NOT_ACCOUNTS | NO_EQUIVALENT:
                _add_role(reader, USERS, number, sourced_id, role_text, "", "orgSourcedIds")
            elif not org_ids:
                reader.problem(
                    USERS,
                    number,
                    "orgSourcedIds",
                    _("Give the sourcedId of the organisation the role is held in."),
                )
            else:
                for org_id in org_ids:
                    _add_role(
                        reader,
                        USERS,
                        number,
                        sourced_id,
                        role_text,
                        org_id,
                        "orgSourcedIds",
                        source_id=f"{sourced_id}/{org_id}",
                    )


def _read_date(reader: _Reader, row: int, column: str, text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        reader.problem(
            ROLES, row, column, _("“%(value)s” is not a date like 2024-09-01.") % {"value": text}
        )
        return None


def _stored_person(reader: _Reader, sourced_id: str) -> _User | None:
    """In a delta, a role may name a person users.csv leaves out: one Capacity has by that sourcedId."""
    if not reader.modes or reader.bulk(USERS):
        return None
    found = list(User.objects.filter(source_id=sourced_id)[:2])
    if len(found) != 1:
        return None
    person = found[0]
    details = PersonDetails(username=person.username, source_id=sourced_id)
    reader.users[sourced_id] = _User(0, sourced_id, details, stored=True)
    return reader.users[sourced_id]


def _read_roles(columns: Columns, rows: list[tuple[int, list[str]]], reader: _Reader) -> None:
    seen: dict[str, int] = {}
    for number, raw in rows:
        reader.report.rows += 1
        status = _status(reader, ROLES, number, columns, raw)
        source_id = columns.get(raw, "sourcedId")
        if not _unique(reader, ROLES, seen, number, source_id) or status is None:
            continue
        user_id = columns.get(raw, "userSourcedId")
        if user_id not in reader.users and _stored_person(reader, user_id) is None:
            reader.problem(
                ROLES,
                number,
                "userSourcedId",
                _("No person in users.csv has the sourcedId %(id)s.") % {"id": user_id},
            )
            continue
        begins = _read_date(reader, number, "beginDate", columns.get(raw, "beginDate"))
        ends = _read_date(reader, number, "endDate", columns.get(raw, "endDate"))
        if begins and ends and ends < begins:
            reader.problem(
                ROLES,
                number,
                "endDate",
                _("The role ends (%(ends)s) before it begins (%(begins)s).")
                % {"ends": ends, "begins": begins},
            )
            continue
        if status == "tobedeleted":
            reader.role_removals.append(
                _RoleRemoval(
                    number,
                    source_id,
                    user_id,
                    columns.get(raw, "role"),
                    columns.get(raw, "orgSourcedId"),
                )
            )
            continue
        if reader.users[user_id].removal:
            reader.skip(_("Roles of people being deactivated were skipped"))
            continue
        before = len(reader.grants)
        counted = _add_role(
            reader,
            ROLES,
            number,
            user_id,
            columns.get(raw, "role"),
            columns.get(raw, "orgSourcedId"),
            "orgSourcedId",
            source_id=source_id,
            begins=begins,
            ends=ends,
        )
        if len(reader.grants) == before and not counted:
            reader.report.skipped += 1


def _add_role(
    reader: _Reader,
    file: str,
    row: int,
    user_id: str,
    role_text: str,
    org_id: str,
    org_column: str,
    *,
    source_id: str = "",
    begins: datetime.date | None = None,
    ends: datetime.date | None = None,
) -> bool:
    """Turn one OneRoster role into a Capacity role. False when it gives no role and was not counted."""
    role_key = role_text.strip().lower()
    if role_key in NOT_ACCOUNTS:
        reader.not_accounts.add(user_id)
        reader.skipped[
            _(
                "Student, parent, guardian and relative roles were skipped: they are never "
                "accounts in Capacity"
            )
        ] += 1
        return False
    if role_key in NO_EQUIVALENT:
        reader.skipped[_("Proctor roles were skipped: Capacity has no such role")] += 1
        return False
    if role_key not in reader.config.roles:
        reader.problem(
            file,
            row,
            "role",
            _("“%(value)s” is not a OneRoster role. Use one of: %(roles)s.")
            % {"value": role_text, "roles": ", ".join(ROLE_NAMES.get(r, r) for r in KNOWN_ROLES)},
        )
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
        elif school_number_re().match(school) and School.objects.filter(number=school).exists():
            level, key = "school", school
        else:
            reader.problem(
                file,
                row,
                org_column,
                _("No organisation in orgs.csv has the sourcedId %(id)s.") % {"id": org_id},
            )
            return True
    else:
        level, key = org.level, org.key
    mapping = reader.config.roles[role_key]
    if level not in mapping:
        if org is not None and org.stands_for:
            reader.skipped[
                _(
                    "Roles in departments that have no Capacity equivalent where the department "
                    "belongs were skipped"
                )
            ] += 1
            return False
        held_at = " or ".join(LEVEL_NAMES[at] for at in mapping)
        reader.problem(
            file,
            row,
            "role",
            _("The %(role)s role is held at a %(right)s, but %(id)s is a %(wrong)s.")
            % {
                "role": ROLE_NAMES.get(role_key, role_key),
                "right": held_at,
                "id": org_id,
                "wrong": LEVEL_NAMES[level],
            },
        )
        return True
    role = mapping[level]
    reader.mapped[(role_key, level, role)] += 1
    if not role:
        reader.skipped[_("Roles the role mapping gives no Capacity role were skipped")] += 1
        return False
    reader.grants.append(_RoleRow(file, row, user_id, role, (level, key), source_id, begins, ends))
    return True


# --- Planning and writing -----------------------------------------------------


def _existing_organisations(reader: _Reader) -> dict[OrgRef, Organisation]:
    found: dict[OrgRef, Organisation] = {}
    numbers: dict[str, set[str]] = {"province": set(), "board": set(), "school": set()}
    for org in reader.orgs.values():
        if org.level in numbers:
            numbers[org.level].add(org.key)
        if org.level == "school" and not org.stands_for:
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


def _check_schools_stay_in_their_boards(
    reader: _Reader, existing: dict[OrgRef, Organisation]
) -> None:
    for org in reader.orgs.values():
        if org.level != "school" or org.stands_for:
            continue
        board_number = _board_number_of(org, reader)
        school = existing.get(("school", org.key))
        if isinstance(school, School) and school.board.number != board_number:
            reader.problem(
                ORGS,
                org.row,
                "parentSourcedId",
                _(
                    "School %(number)s belongs to board %(board)s in Capacity, but this file puts "
                    "it in %(other)s."
                )
                % {"number": org.key, "board": school.board.number, "other": board_number},
            )
        elif (
            school is None
            and org.parent not in reader.orgs
            and ("board", board_number) not in existing
        ):
            reader.problem(
                ORGS,
                org.row,
                "parentSourcedId",
                _("No district in orgs.csv and no board in Capacity has the number %(id)s.")
                % {"id": org.parent},
            )


@dataclass
class _NewOrg:
    level: str
    key: str
    name: str
    board: str = ""  # a new school's board number
    level_guessed: str = ""


def _plan_organisations(reader: _Reader, existing: dict[OrgRef, Organisation]) -> list[_NewOrg]:
    report = reader.report
    new_orgs: list[_NewOrg] = []
    new_boards: list[str] = []
    renamed = 0
    for org in reader.orgs.values():
        if not org.level or org.stands_for:
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
            level = (
                School.Level.SECONDARY
                if any(word in lowered for word in SECONDARY_WORDS)
                else School.Level.ELEMENTARY
            )
            new_orgs.append(
                _NewOrg("school", org.key, org.name, _board_number_of(org, reader), level)
            )
        else:
            new_orgs.append(_NewOrg(org.level, org.key, org.name))
            if org.level == "board":
                new_boards.append(org.key)
    if new_boards:
        report.notes.append(
            _(
                "New boards %(numbers)s were created as English-language public boards: the roster does not "
                "say their language or type. Import Ontario's school information table to correct them."
            )
            % {"numbers": ", ".join(new_boards)}
        )
    if any(org.level == "school" for org in new_orgs):
        report.notes.append(
            _(
                "The level of each new school was guessed from its name (secondary when it "
                "says Secondary, High, Secondaire or Collegiate, else elementary)."
            )
        )
    if renamed:
        report.notes.append(
            ngettext(
                "%(count)s board or school already in Capacity has another name in the roster; its name was "
                "left as it is.",
                "%(count)s boards or schools already in Capacity have other names in the roster; their names "
                "were left as they are.",
                renamed,
            )
            % {"count": renamed}
        )
    return new_orgs


def _plan(
    reader: _Reader, existing: dict[OrgRef, Organisation]
) -> tuple[AccountPlan, list[_NewOrg]]:
    report = reader.report
    grants_by_user: dict[str, list[_RoleRow]] = {}
    for grant in reader.grants:
        grants_by_user.setdefault(grant.user, []).append(grant)
    staff = [
        user
        for user in reader.users.values()
        if not user.removal and (user.stored or user.sourced_id in grants_by_user)
    ]
    plan = AccountPlan.load(
        (user.details.username for user in staff),
        existing,
        source_ids=(user.sourced_id for user in reader.users.values()),
    )
    # People with no staff role here, known to Capacity by their sourcedId, still get the roster's changes.
    known = [
        user
        for user in reader.users.values()
        if not user.removal
        and user.sourced_id not in grants_by_user
        and not user.stored
        and user.sourced_id not in reader.not_accounts
        and len(plan.by_source.get(user.sourced_id, [])) == 1
    ]
    staff_ids = {user.sourced_id for user in [*staff, *known]}
    # First who each row is about: a row that would take over someone else's account stops the import.
    for user in [*staff, *known]:
        if reason := plan.refusal(user.details):
            file = USERS if not user.stored else ROLES
            reader.problem(
                file,
                user.row or None,
                "username" if file == USERS else "userSourcedId",
                _("Refused: %(reason)s Nothing was applied.") % {"reason": reason},
            )
    if report.problems:
        return plan, []

    new_orgs = _plan_organisations(reader, existing)
    today = timezone.localdate()
    role_outcomes: dict[tuple[str, int], str] = {}
    granted = Counter[str]()
    for grant in reader.grants:
        username = reader.users[grant.user].details.username
        ended = grant.ends is not None and grant.ends < today
        if ended and plan.held_role(username, grant.role, grant.org) is None:
            reader.skip(_("Roles that have ended (endDate in the past) were skipped"))
            continue
        outcome = plan.grant(
            username,
            grant.role,
            grant.org,
            source_id=grant.source_id,
            begins=grant.begins,
            ends=grant.ends,
        )
        if ended and outcome == UPDATED:
            plan.ended_roles += 1
        granted[outcome] += 1
        role_outcomes[(grant.file, grant.row)] = strongest(
            role_outcomes.get((grant.file, grant.row), UNCHANGED), outcome
        )
    people = Counter[str]()
    inactive = 0
    for user in reader.users.values():
        if user.stored:
            continue
        if user.removal:
            removal = _plan_removal(reader, plan, user)
            if removal is None:
                continue
            outcome = removal
        elif user.sourced_id in staff_ids:
            outcome = plan.person(user.details)
            people[outcome] += 1
            matched = plan.users.get(user.details.username)
            inactive += matched is not None and not matched.is_active
        else:
            reader.skip(
                _("People with no staff role were skipped (students, parents and the like)")
            )
            continue
        # Without roles.csv a user's row also carries their roles.
        outcome = strongest(outcome, role_outcomes.pop((USERS, user.row), UNCHANGED))
        setattr(report, outcome, getattr(report, outcome) + 1)
    for outcome in role_outcomes.values():
        setattr(report, outcome, getattr(report, outcome) + 1)
    _plan_role_removals(reader, plan)
    _plan_bulk(reader, plan, existing)
    _note_what_was_done(reader, plan, people, granted, inactive)
    return plan, new_orgs


def _plan_removal(reader: _Reader, plan: AccountPlan, user: _User) -> str | None:
    """A person marked tobedeleted loses their roster roles and is deactivated; one disabled is deactivated."""
    found = plan.by_source.get(user.sourced_id, [])
    if len(found) != 1:
        reader.skip(
            _(
                "People marked tobedeleted or enabledUser false whom Capacity does not have were "
                "skipped"
            )
        )
        return None
    person = found[0]
    reason = (
        _("tobedeleted in the roster")
        if user.removal == "tobedeleted"
        else _("enabledUser false in the roster")
    )
    changed = plan.deactivate(person, reason)
    if user.removal == "tobedeleted":
        for membership in plan.held_by(person):
            if membership.source_id:
                plan.revoke(membership, reason)
                changed = True
    return UPDATED if changed else UNCHANGED


def _plan_role_removals(reader: _Reader, plan: AccountPlan) -> None:
    """Roles marked tobedeleted are removed: found by their sourcedId, else by person, role and organisation."""
    if not reader.role_removals:
        return
    by_source = {
        membership.source_id: membership
        for membership in Membership.objects.filter(
            source_id__in=[removal.source_id for removal in reader.role_removals]
        ).select_related("user")
    }
    for removal in reader.role_removals:
        membership = by_source.get(removal.source_id) or _held_for_removal(reader, plan, removal)
        if membership is None or membership.pk in plan.revocations:
            reader.skip(_("Roles marked tobedeleted that Capacity does not have were skipped"))
            continue
        plan.revoke(membership, _("tobedeleted in roles.csv"))
        reader.report.updated += 1


def _held_for_removal(
    reader: _Reader, plan: AccountPlan, removal: _RoleRemoval
) -> Membership | None:
    people = plan.by_source.get(removal.user, [])
    org = reader.orgs.get(removal.org_id)
    if len(people) != 1 or org is None or not org.level:
        return None
    role = reader.config.roles.get(removal.role_text.strip().lower(), {}).get(org.level)
    organisation = plan.existing_orgs.get((org.level, org.key))
    if not role or organisation is None:
        return None
    return plan.held.get((people[0].pk, role, org.level, organisation.pk))


def _plan_bulk(reader: _Reader, plan: AccountPlan, existing: dict[OrgRef, Organisation]) -> None:
    """A bulk roles.csv is every roster role in the boards and schools of orgs.csv: others there end.

    Only roles that came from a roster (they have a source identifier) are
    removed; roles granted in Capacity stay. With a bulk users.csv too, a
    roster person left with no role at all, and not in users.csv, is deactivated.
    """
    if not reader.bulk(ROLES):
        return
    boards = [
        existing[(org.level, org.key)].pk
        for org in reader.orgs.values()
        if org.level == "board" and not org.stands_for and (org.level, org.key) in existing
    ]
    schools = [
        existing[(org.level, org.key)].pk
        for org in reader.orgs.values()
        if org.level == "school" and not org.stands_for and (org.level, org.key) in existing
    ]
    kept = {
        held.pk
        for grant in reader.grants
        if (
            held := plan.held_role(reader.users[grant.user].details.username, grant.role, grant.org)
        )
        is not None
    }
    left_out = (
        Membership.objects.exclude(source_id="")
        .exclude(pk__in=kept)
        .filter(Q(board_id__in=boards) | Q(school_id__in=schools))
        .select_related("user")
    )
    reason = _("not in the bulk roles.csv")
    people: dict[int, User] = {}
    for membership in left_out:
        if membership.pk not in plan.revocations:
            plan.revoke(membership, reason)
            people[membership.user_id] = membership.user
    if not reader.bulk(USERS) or not people:
        return
    still_held = set(
        Membership.objects.filter(user_id__in=list(people))
        .exclude(pk__in=list(plan.revocations))
        .values_list("user_id", flat=True)
    )
    for user_id, person in people.items():
        if person.source_id and person.source_id not in reader.users and user_id not in still_held:
            plan.deactivate(person, _("not in the bulk users.csv"))


def _note_what_was_done(
    reader: _Reader, plan: AccountPlan, people: Counter[str], granted: Counter[str], inactive: int
) -> None:
    """Say plainly what the import does to people and roles, and how roles were mapped."""
    notes = reader.report.notes
    notes.append(
        _(
            "People: %(created)s created, %(updated)s updated, %(deactivated)s deactivated, "
            "%(unchanged)s unchanged."
        )
        % {
            "created": people[CREATED],
            "updated": people[UPDATED],
            "deactivated": len(plan.deactivations),
            "unchanged": people[UNCHANGED],
        }
    )
    notes.append(
        _(
            "Roles: %(created)s granted, %(updated)s changed (of which %(ended)s ended by their "
            "endDate), %(removed)s removed, %(unchanged)s unchanged."
        )
        % {
            "created": granted[CREATED],
            "updated": granted[UPDATED],
            "ended": plan.ended_roles,
            "removed": len(plan.revocations),
            "unchanged": granted[UNCHANGED],
        }
    )
    for (role_key, level, role), count in sorted(reader.mapped.items()):
        names = {
            "role": ROLE_NAMES.get(role_key, role_key),
            "level": LEVEL_NAMES[level],
            "count": count,
        }
        if role:
            notes.append(
                _("Role mapping: %(role)s at a %(level)s gives %(capacity)s (%(count)s).")
                % {**names, "capacity": Role(role).label}
            )
        else:
            notes.append(
                _(
                    "Role mapping: %(role)s at a %(level)s gives no role in Capacity (%(count)s); a "
                    "roster configuration can map it (see docs/data-formats.md)."
                )
                % names
            )
    if inactive:
        notes.append(
            ngettext(
                "%(count)s person is active in the roster but deactivated in Capacity; they stay deactivated "
                "until someone reactivates them.",
                "%(count)s people are active in the roster but deactivated in Capacity; they stay deactivated "
                "until someone reactivates them.",
                inactive,
            )
            % {"count": inactive}
        )


def _apply(
    plan: AccountPlan,
    new_orgs: list[_NewOrg],
    existing: dict[OrgRef, Organisation],
    *,
    actor: Any,
    actor_label: str,
) -> None:
    orgs = dict(existing)
    boards = {key: org for (_level, key), org in existing.items() if isinstance(org, Board)}
    needs_province = any(org.level in {"province", "board"} for org in new_orgs) or any(
        grant.org[0] == "province" for grant in plan.grants
    )
    province = None
    if needs_province:
        province, _created = Province.objects.get_or_create(
            code=PROVINCE_CODE, defaults={"name": "Ontario"}
        )
        orgs[("province", PROVINCE_CODE)] = province
    for org in new_orgs:
        if org.level == "board":
            assert province is not None
            boards[org.key] = orgs[("board", org.key)] = Board.objects.create(
                province=province,
                number=org.key,
                name=org.name,
                language=Language.ENGLISH,
                board_type=Board.Type.PUBLIC,
            )
    for org in new_orgs:
        if org.level == "school":
            board = boards.get(org.board) or Board.objects.get(number=org.board)
            orgs[("school", org.key)] = School.objects.create(
                board=board,
                number=org.key,
                name=org.name,
                level=org.level_guessed,
                language=board.language,
            )
    plan.apply(orgs.__getitem__, actor=actor, actor_label=actor_label)
