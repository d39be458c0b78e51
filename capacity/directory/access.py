"""Who may see and change what. The one place that decides access.

A membership gives a person a role in one organisation; scope flows down the
tree from it and never up or sideways:

* a ministry officer (province) sees every board, school and network;
* a board leader or trustee sees the board and its schools, and the networks
  that include any of those schools;
* a principal, school team member or teacher sees their school, and the
  networks their school belongs to;
* a network facilitator sees the network's page (its purpose and member
  schools' names) and not the member schools' own pages.

Everything else is denied. Selectors build their querysets from `scope_for`,
and views fetch single objects with the `get_*_for_user` helpers, which return
the object and whether the person may change it.

Planning's rules (who acts for a school's or a board's team, reviews a plan,
sets a timeline, answers a support request, browses plans) are methods of the
`Scope`: pure functions of the roles in force that `scope_for` read once, so no
other module asks the database about memberships to decide a right, and a role
that has ended (or not yet begun) counts nowhere. The `can_*` functions and
`plan_rights` apply them to the person making the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, IntegerField, Q, QuerySet, Value
from django.shortcuts import get_object_or_404

from capacity.directory.models import Board, Membership, Network, Portfolio, Role, School

# Roles that may change what they can see (the others only read).
_WRITERS = {Role.MINISTRY_OFFICER, Role.BOARD_LEADER, Role.PRINCIPAL}


@dataclass(frozen=True)
class Scope:
    """What one person's memberships reach."""

    province: bool = False
    board_ids: frozenset[int] = field(default_factory=frozenset)
    school_ids: frozenset[int] = field(default_factory=frozenset)
    network_ids: frozenset[int] = field(default_factory=frozenset)
    writable_board_ids: frozenset[int] = field(default_factory=frozenset)
    writable_school_ids: frozenset[int] = field(default_factory=frozenset)
    province_writer: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)
    # Boards the person leads (board leader), and schools whose team they are on (principal or
    # school team member): the teams that own plans and ask for support.
    led_board_ids: frozenset[int] = field(default_factory=frozenset)
    team_school_ids: frozenset[int] = field(default_factory=frozenset)
    # The person's portfolio (issue 13): a superintendent's family of schools (schools of boards
    # they lead) and a ministry officer's boards. It grants nothing; it says what comes first.
    portfolio_school_ids: frozenset[int] = field(default_factory=frozenset)
    portfolio_board_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.province or self.board_ids or self.school_ids or self.network_ids)

    @property
    def ministry(self) -> bool:
        return Role.MINISTRY_OFFICER in self.roles

    # --- planning's rules, decided from the scope alone ------------------------------

    @property
    def may_browse_plans(self) -> bool:
        """Plans and support requests are listed for anyone who reads a board or a school."""
        return self.province or bool(self.board_ids) or bool(self.school_ids)

    @property
    def may_review_plans(self) -> bool:
        """The system side (ministry officers, board leaders) gets the reviewer's dashboard."""
        return self.ministry or bool(self.led_board_ids)

    def may_act_for_school(self, school_id: int) -> bool:
        """Act for a school's team: write its plan, ask for support in its name."""
        return school_id in self.team_school_ids

    def may_act_for_board(self, board_id: int) -> bool:
        """Act for a board's team: write the board's plan, ask the ministry for support."""
        return board_id in self.led_board_ids

    def may_set_timeline(self, board_id: int | None) -> bool:
        """A board's leaders set the dates for its schools' plans; ministry officers set the dates
        for every board's plan (board_id None)."""
        return self.ministry if board_id is None else board_id in self.led_board_ids

    def may_answer_support(self, *, board_id: int, to_ministry: bool) -> bool:
        """The ministry answers every request; a board's leaders answer those addressed to their board."""
        return self.ministry or (not to_ministry and board_id in self.led_board_ids)

    def may_compare_within_board(self, board_id: int) -> bool:
        return board_id in self.led_board_ids

    def rights_for_plan(self, *, board_id: int, school_id: int | None) -> PlanRights:
        """A school plan is the school team's (principal and school team members) and is reviewed by
        its board's leaders and the ministry; a board plan is the board leaders' and is reviewed by
        the ministry. Everyone whose scope covers the school (or, for a board plan, the board) reads it."""
        if self.empty:
            return PlanRights()
        if school_id is not None:
            read = self.province or board_id in self.board_ids or school_id in self.school_ids
            edit = self.may_act_for_school(school_id)
            review = self.ministry or board_id in self.led_board_ids
        else:
            read = self.province or board_id in self.board_ids
            edit = self.may_act_for_board(board_id)
            review = self.ministry
        return PlanRights(read=read, edit=read and edit, review=read and review and not edit)

    # --- instruments' rules: who runs a survey round and reads its report ------------------

    def may_run_survey(self, *, board_id: int, school_id: int | None) -> bool:
        """Open, close and read the report of a round: the ministry anywhere, a board's leaders for
        the board and its schools, a school's team (principal, school team) for the school."""
        if self.ministry or board_id in self.led_board_ids:
            return True
        return school_id is not None and school_id in self.team_school_ids

    def survey_rounds_filter(self) -> Q:
        """Rounds whose report and response rate this scope may read (as `may_run_survey`)."""
        if self.ministry:
            return Q()
        return (
            Q(board_id__in=self.led_board_ids)
            | Q(school__board_id__in=self.led_board_ids)
            | Q(school_id__in=self.team_school_ids)
        )

    # --- learning's rules: who writes, reads and reviews case studies ------------------------
    # Published items are every signed-in person's. A draft is its authors', its board's
    # (leaders and trustees) and the coordinators'; the ministry coordinates the library.

    @property
    def may_coordinate_learning(self) -> bool:
        """Review submitted case studies: comment, return or publish (ministry officers)."""
        return self.ministry

    @property
    def may_write_case(self) -> bool:
        """Start a case study: a board's leaders write their board's."""
        return bool(self.led_board_ids)

    def may_read_draft(
        self, *, board_id: int | None, author_ids: frozenset[int], user_id: int
    ) -> bool:
        if self.empty:
            return False
        return (
            self.ministry
            or user_id in author_ids
            or (board_id is not None and board_id in self.board_ids)
        )

    def may_edit_draft(
        self, *, board_id: int | None, author_ids: frozenset[int], user_id: int
    ) -> bool:
        """The leaders of its board (its authors among them) edit and submit a draft. An author who
        no longer leads the board keeps reading it but no longer changes the board's story."""
        if self.empty:
            return False
        return board_id is not None and board_id in self.led_board_ids

    def learning_drafts_filter(self, user_id: int) -> Q:
        """Items whose unpublished versions this scope may read (as `may_read_draft`)."""
        if self.ministry:
            return Q()
        return (
            Q(created_by_id=user_id)
            | Q(versions__created_by_id=user_id)
            | Q(board_id__in=self.board_ids)
        )

    def rights_for_session(
        self,
        *,
        board_id: int,
        school_id: int | None,
        facilitator_id: int,
        user_id: int,
        participant: bool,
    ) -> SessionRights:
        """A module session is read by its facilitator, its participants and those who may run
        surveys for its place (board_id: the board, or the school's board). Only the facilitator,
        while still able to run surveys there, changes it and opens its evaluation. The names of
        the participants and the evaluation's figures are for those who run it; a participant
        sees the facilitator, how many took part, and their own link to answer."""
        if self.empty:
            return SessionRights()
        runs = self.may_run_survey(board_id=board_id, school_id=school_id)
        facilitates = user_id == facilitator_id
        return SessionRights(
            read=runs or facilitates or participant,
            see_people=runs or facilitates,
            edit=facilitates and runs,
            notes=facilitates,
            answer=participant,
        )

    # --- rounds' rules: instructional rounds, lesson study, networks' work -------------------
    # Rounds are professional learning, not governance or evaluation: a school's rounds are read
    # by its staff, its board's leaders (not its trustees), the ministry, the people on a visit's
    # team or a study's team, and, for a network's visits and studies, its facilitators. No rule
    # here ever shows who wrote a note.

    def may_plan_rounds(self, *, board_id: int, school_id: int | None) -> bool:
        """Set a school's problem of practice, plan its visits and start its lesson studies: the
        school's team (principal, school team) and its board's leaders."""
        return board_id in self.led_board_ids or (
            school_id is not None and school_id in self.team_school_ids
        )

    def rounds_filter(
        self, user_id: int, *, team: str | None, network: str | None = "network_id"
    ) -> Q:
        """Rows of the rounds app this scope reads. `team`: the lookup from the row to the people
        on its team (None: none); `network`: to its network's id (None: no network)."""
        if self.ministry:
            return Q()
        q = Q(board_id__in=self.led_board_ids) | Q(school_id__in=self.school_ids)
        if network is not None and self.network_ids:
            q |= Q(**{f"{network}__in": self.network_ids})
        if team is not None and user_id:
            q |= Q(**{team: user_id})
        return q

    def rights_for_visit(
        self,
        *,
        board_id: int,
        school_id: int,
        network_id: int | None,
        facilitator_id: int,
        user_id: int,
        member: bool,
    ) -> VisitRights:
        """A visit is planned by those who plan the school's rounds (and, for a network's visit,
        the network's facilitators); its team members write notes (their own); its facilitator and
        its planners run the debrief. The plan goal its problem serves is shown only to those who
        read the school's plan, so a network facilitator never sees a member school's plan."""
        if self.empty:
            return VisitRights()
        plan = self.may_plan_rounds(board_id=board_id, school_id=school_id) or (
            network_id is not None and network_id in self.network_ids
        )
        facilitates = user_id == facilitator_id
        read = (
            self.ministry
            or plan
            or facilitates
            or member
            or school_id in self.school_ids
            or board_id in self.led_board_ids
        )
        return VisitRights(
            read=read,
            plan=plan,
            notes=member,
            debrief=facilitates or plan,
            see_goal=self.rights_for_plan(board_id=board_id, school_id=school_id).read,
        )

    def may_read_rounds_of(
        self, *, board_ids: set[int], school_ids: set[int], network_id: int | None
    ) -> bool:
        """Read the rounds' patterns of a school (its board and itself) or of a network (its
        member schools' boards and the schools, and the network): the ministry, the leaders of
        one of the boards, the staff of one of the schools, the network's facilitators. As
        `rounds_filter`, trustees read no rounds."""
        if self.empty:
            return False
        return (
            self.ministry
            or bool(self.led_board_ids & board_ids)
            or bool(self.school_ids & school_ids)
            or (network_id is not None and network_id in self.network_ids)
        )

    def may_edit_lesson_study(
        self, *, board_id: int, school_id: int, network_id: int | None, member: bool
    ) -> bool:
        """A lesson study is written by its team, the school's rounds planners, and (a network's
        study) the network's facilitators."""
        return (
            member
            or self.may_plan_rounds(board_id=board_id, school_id=school_id)
            or (network_id is not None and network_id in self.network_ids)
        )

    def may_lead_network(self, network_id: int) -> bool:
        """Record a network's agreement, cycles, actions and reflections: its facilitators and the
        ministry."""
        return self.ministry or network_id in self.network_ids

    @property
    def may_form_networks(self) -> bool:
        """Read and decide the suggestions of networks formed from evidence: ministry officers and
        network facilitators (suggestions show only published results)."""
        return self.ministry or Role.NETWORK_FACILITATOR in self.roles

    # --- partners' rules (issue 13) ---------------------------------------------------------
    # Lists of schools that beat the odds are for system leaders, never public comparison: the
    # province's for ministry officers, a board's for its leaders and trustees. An identified
    # school's partner suggestions (names, why, the partners' published results) are for its own
    # team, its board's leaders and the ministry.

    def may_compare_schools_of(self, board_id: int) -> bool:
        """Compare a board's schools with each other or with their context's prediction (similar
        schools, the schools that beat the odds, the context gap school by school): ministry
        officers and the board's leaders. Ontario withdrew public school-by-school comparisons,
        so trustees, principals and teachers see their own figures but no comparison. The one
        rule every comparison page asks (comparison_scope, the gaps and partners pages)."""
        return self.ministry or self.may_compare_within_board(board_id)

    def may_read_stable_list(self, board_id: int | None) -> bool:
        """Read the list of schools that beat the odds over several years: the province's
        (board_id None) for ministry officers, a board's for those who compare its schools."""
        if board_id is None:
            return self.ministry
        return self.may_compare_schools_of(board_id)

    def may_see_partners(self, *, board_id: int, school_id: int) -> bool:
        """See a school's partner suggestions: its team (principal, school team), its board's
        leaders, the ministry."""
        return self.ministry or board_id in self.led_board_ids or school_id in self.team_school_ids

    # --- decisions' rules (issue 13) ---------------------------------------------------------
    # Identification proposes, people decide: only ministry officers confirm or set aside a
    # school's proposed change. A board's leaders read their board's rows (pending ones too);
    # its trustees its confirmed decisions only; a school's staff their own school's decisions;
    # everyone else nothing.

    @property
    def may_decide_identification(self) -> bool:
        return self.ministry

    @property
    def may_read_identification_decisions(self) -> bool:
        return self.ministry or bool(self.board_ids) or bool(self.school_ids)

    def identification_filter(
        self,
        *,
        school: str,
        board: str,
        state: str,
        confirmed: str,
        decided: tuple[str, ...],
    ) -> Q:
        """Proposed changes or decisions this scope reads. The caller names its fields (`school`,
        `board` and `state` lookups) and the values of a confirmed and of a decided row."""
        if self.ministry:
            return Q()
        found = Q(pk__in=[])
        trustee_boards = self.board_ids - self.led_board_ids
        if self.led_board_ids:
            found |= Q(**{f"{board}__in": sorted(self.led_board_ids)})
        if trustee_boards:
            found |= Q(**{f"{board}__in": sorted(trustee_boards), state: confirmed})
        if self.school_ids:
            found |= Q(**{f"{school}__in": sorted(self.school_ids), f"{state}__in": decided})
        return found

    # --- portfolios (issue 13) ---------------------------------------------------------------
    # A portfolio focuses, it never grants: every rule above reads roles only. Pages and home
    # items use these to put the person's own schools or boards first, or to show only them.

    @property
    def has_portfolio(self) -> bool:
        return bool(self.portfolio_school_ids or self.portfolio_board_ids)

    def in_portfolio(self, *, board_id: int | None, school_id: int | None = None) -> bool:
        """Whether a school (or a board's own work, school_id None) is in the person's portfolio.
        A ministry officer's boards hold their schools; a family holds only its schools. Someone
        without a portfolio has everything they read in it."""
        if not self.has_portfolio:
            return True
        if board_id is not None and board_id in self.portfolio_board_ids:
            return True
        return school_id is not None and school_id in self.portfolio_school_ids

    def portfolio_filter(self, *, board: str = "board_id", school: str | None = "school_id") -> Q:
        """Rows in the person's portfolio (`board`, `school`: the lookups to their ids; school None
        for rows about boards). Everything when the person has no portfolio."""
        if not self.has_portfolio:
            return Q()
        q = Q(pk__in=[])
        if self.portfolio_board_ids:
            q |= Q(**{f"{board}__in": self.portfolio_board_ids})
        if self.portfolio_school_ids and school is not None:
            q |= Q(**{f"{school}__in": self.portfolio_school_ids})
        return q

    def may_edit_portfolio(self, *, board_id: int | None) -> bool:
        """A board's families of schools are set by its leaders; ministry officers' portfolios
        of boards by ministry officers."""
        return self.ministry if board_id is None else board_id in self.led_board_ids

    def may_read_portfolio(self, *, board_id: int | None) -> bool:
        """Families are read by whoever reads the board (leaders, trustees) and the ministry;
        the ministry's portfolios by ministry officers."""
        if board_id is None:
            return self.ministry
        return self.province or board_id in self.board_ids

    def portfolios_filter(self) -> Q:
        """Portfolios this scope may read (as `may_read_portfolio`)."""
        if self.ministry:
            return Q()
        if self.province:
            return Q(board__isnull=False)
        return Q(board_id__in=self.board_ids)

    # --- ledger's rules (issue 13) -------------------------------------------------------------
    # Reciprocity as a ledger of capacity given (seed 004). Reading follows the line of
    # accountability: the ministry every board, a board's leaders and trustees their board (a
    # trustee its totals, not school by school), a school's staff their school.

    def may_read_board_ledger(self, board_id: int) -> bool:
        """A board's totals of demands and capacity given."""
        return self.province or board_id in self.board_ids

    def may_read_school_ledger(self, *, board_id: int, school_id: int) -> bool:
        """A school's own line (what it was given, its requests, whether it helped): the ministry,
        the board's leaders and the school's staff; not a trustee, who reads totals."""
        return self.province or board_id in self.led_board_ids or school_id in self.school_ids

    def may_give_capacity(self, *, board_id: int, school_id: int | None) -> bool:
        """Record capacity given: a board's leaders to the board's schools; the ministry to any
        school or to a board as a whole (school_id None)."""
        return self.ministry or (school_id is not None and board_id in self.led_board_ids)

    def may_say_helped(self, *, board_id: int, school_id: int | None) -> bool:
        """Whether capacity helped is said by those who received it: the school's team (principal,
        school team), or the board's leaders for what the ministry gave the board itself."""
        if school_id is not None:
            return school_id in self.team_school_ids
        return board_id in self.led_board_ids

    def may_escalate_support(
        self, *, board_id: int, school_id: int | None, to_ministry: bool
    ) -> bool:
        """A board's leaders send a school's request addressed to their board on to the ministry."""
        return school_id is not None and not to_ministry and board_id in self.led_board_ids

    def ledger_gifts_filter(self) -> Q:
        """Capacity given a person reads entry by entry (`may_read_school_ledger`; a board's own
        entries for its leaders)."""
        if self.province:
            return Q()
        return Q(board_id__in=self.led_board_ids) | Q(school_id__in=self.school_ids)

    def school_filter(self) -> Q:
        """Schools whose own pages this scope may read."""
        if self.province:
            return Q()
        return Q(board_id__in=self.board_ids) | Q(pk__in=self.school_ids)

    def network_filter(self) -> Q:
        if self.province:
            return Q()
        return (
            Q(pk__in=self.network_ids)
            | Q(schools__board_id__in=self.board_ids)
            | Q(schools__pk__in=self.school_ids)
        )

    # --- themes' rules (issue 13) ---------------------------------------------------------------

    def may_read_theme_counts(self, board_id: int | None) -> bool:
        """Counts of the OFIP themes and lessons named in plans (and what is rising): the
        province's (board_id None) for ministry officers, a board's for them and the board's
        leaders, who notice emergent themes across their schools."""
        if board_id is None:
            return self.ministry
        return self.ministry or board_id in self.led_board_ids

    # --- implementation's rules (issue 13) ---

    def may_read_implementation(self, *, board_id: int, school_id: int) -> bool:
        """A school plan's leading indicators in detail (strategies, reviews, targets' latest
        values): the ministry, the board's leaders and the school's own staff. A trustee reads the
        board's counts only (`may_read_implementation_detail`)."""
        return self.province or board_id in self.led_board_ids or school_id in self.school_ids

    def may_read_implementation_board(self, board_id: int) -> bool:
        """A board's roll-up (each school a row): the ministry and the board's members (its
        leaders in detail, its trustees as counts)."""
        return self.province or board_id in self.board_ids

    def may_read_implementation_detail(self, board_id: int) -> bool:
        """Whether a board's roll-up links each school's indicators and shows targets' values."""
        return self.province or board_id in self.led_board_ids

    @property
    def may_read_implementation_province(self) -> bool:
        """The province's roll-up (each board a row): ministry officers."""
        return self.province

    def implementation_boards_filter(self) -> Q:
        """Boards whose roll-up this scope reads (for querysets of directory.Board)."""
        if self.province:
            return Q()
        return Q(pk__in=self.board_ids)


_NOBODY = Scope()
_CACHE_ATTR = "_capacity_scope"
_PORTFOLIO = "~portfolio"  # marks portfolio rows in the scope's one query; no role is spelt so


def scope_for(user: Any) -> Scope:
    """The person's scope, computed once per request and kept on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    province = province_writer = False
    boards: set[int] = set()
    schools: set[int] = set()
    networks: set[int] = set()
    writable_boards: set[int] = set()
    writable_schools: set[int] = set()
    led_boards: set[int] = set()
    team_schools: set[int] = set()
    roles: set[str] = set()
    # Only roles in force today count: a roster role outside its beginDate..endDate gives no scope
    # (roster imports, issue 7 section 10).
    # One query: the roles in force, and the person's portfolios marked by a role no membership
    # has ("~portfolio": a family's board, a school in it, a ministry portfolio's board).
    portfolios = (
        Portfolio.objects.filter(holder=user)
        .annotate(kind=Value(_PORTFOLIO, output_field=CharField()))
        .annotate(none=Value(None, output_field=IntegerField()))
        .order_by()
        .values_list("kind", "none", "board_id", "schools__id", "boards__id")
    )
    rows = (
        Membership.objects.in_force()
        .filter(user=user)
        .order_by()
        .values_list("role", "province_id", "board_id", "school_id", "network_id")
        .union(portfolios, all=True)
    )
    held: list[tuple[int | None, int | None, int | None]] = []
    for role, province_id, board_id, school_id, network_id in rows:
        if role == _PORTFOLIO:
            held.append((board_id, school_id, network_id))
            continue
        roles.add(role)
        writer = role in _WRITERS
        if province_id is not None:
            province = True
            province_writer = province_writer or writer
        elif board_id is not None:
            boards.add(board_id)
            if writer:
                writable_boards.add(board_id)
            if role == Role.BOARD_LEADER:
                led_boards.add(board_id)
        elif school_id is not None:
            schools.add(school_id)
            if writer:
                writable_schools.add(school_id)
            if role in (Role.PRINCIPAL, Role.SCHOOL_TEAM):
                team_schools.add(school_id)
        elif network_id is not None:
            networks.add(network_id)
    family_schools: set[int] = set()
    ministry_boards: set[int] = set()
    # A family counts only while its holder leads its board; a ministry portfolio while they
    # are a ministry officer.
    for family_board, family_school, ministry_board in held:
        if family_board is not None:
            if family_board in led_boards and family_school is not None:
                family_schools.add(family_school)
        elif Role.MINISTRY_OFFICER in roles and ministry_board is not None:
            ministry_boards.add(ministry_board)
    scope = Scope(
        province=province,
        board_ids=frozenset(boards),
        school_ids=frozenset(schools),
        network_ids=frozenset(networks),
        writable_board_ids=frozenset(writable_boards),
        writable_school_ids=frozenset(writable_schools),
        province_writer=province_writer,
        roles=frozenset(roles),
        led_board_ids=frozenset(led_boards),
        team_school_ids=frozenset(team_schools),
        portfolio_school_ids=frozenset(family_schools),
        portfolio_board_ids=frozenset(ministry_boards),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the person's memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# --- querysets -------------------------------------------------------------


def boards_for(user: Any) -> QuerySet[Board]:
    scope = scope_for(user)
    if scope.province:
        return Board.objects.all()
    return Board.objects.filter(pk__in=scope.board_ids)


def schools_for(user: Any) -> QuerySet[School]:
    scope = scope_for(user)
    if scope.empty:
        return School.objects.none()
    return School.objects.filter(scope.school_filter())


def networks_for(user: Any) -> QuerySet[Network]:
    scope = scope_for(user)
    if scope.empty:
        return Network.objects.none()
    return Network.objects.filter(scope.network_filter()).distinct()


# --- single objects: (object, may the person change it?) -------------------


def get_board_for_user(user: Any, number: str) -> tuple[Board, bool]:
    board = get_object_or_404(Board.objects.select_related("province"), number=number)
    scope = scope_for(user)
    if not (scope.province or board.pk in scope.board_ids):
        raise PermissionDenied
    return board, scope.province_writer or board.pk in scope.writable_board_ids


def get_school_for_user(user: Any, number: str) -> tuple[School, bool]:
    school = get_object_or_404(School.objects.select_related("board"), number=number)
    scope = scope_for(user)
    if not (scope.province or school.board_id in scope.board_ids or school.pk in scope.school_ids):
        raise PermissionDenied
    writable = (
        scope.province_writer
        or school.board_id in scope.writable_board_ids
        or school.pk in scope.writable_school_ids
    )
    return school, writable


def get_network_for_user(user: Any, pk: int) -> tuple[Network, bool]:
    network = get_object_or_404(Network, pk=pk)
    scope = scope_for(user)
    if scope.empty or not Network.objects.filter(scope.network_filter(), pk=network.pk).exists():
        raise PermissionDenied
    return network, scope.province_writer or network.pk in scope.network_ids


def can_view_audit_log(user: Any) -> bool:
    """The audit log is for ministry officers."""
    return Role.MINISTRY_OFFICER in scope_for(user).roles


def can_browse_boards(user: Any) -> bool:
    scope = scope_for(user)
    return scope.province or bool(scope.board_ids)


def can_browse_schools(user: Any) -> bool:
    scope = scope_for(user)
    return scope.province or bool(scope.board_ids) or bool(scope.school_ids)


# --- evidence ----------------------------------------------------------------


def can_view_province_evidence(user: Any) -> bool:
    """The province overview and the policy simulator are for ministry officers."""
    return Role.MINISTRY_OFFICER in scope_for(user).roles


def can_import_results(user: Any) -> bool:
    """Assessment results are province-wide data: ministry officers load them."""
    return Role.MINISTRY_OFFICER in scope_for(user).roles


def can_view_board_evidence(user: Any, board: Board) -> bool:
    scope = scope_for(user)
    return scope.province or board.pk in scope.board_ids


# --- partners' rules (issue 13) ---------------------------------------------------------


def can_read_stable_list(user: Any, board: Board | None) -> bool:
    """See `Scope.may_read_stable_list` (board None: the province's list)."""
    return scope_for(user).may_read_stable_list(board.pk if board is not None else None)


def can_see_partners(user: Any, school: School) -> bool:
    """See `Scope.may_see_partners`."""
    return scope_for(user).may_see_partners(board_id=school.board_id, school_id=school.pk)


# --- decisions' rules (issue 13) ---------------------------------------------------------


def can_decide_identification(user: Any) -> bool:
    """Confirm or set aside a proposed identification: ministry officers only."""
    return scope_for(user).may_decide_identification


def can_read_identification_decisions(user: Any) -> bool:
    """Open the proposals at all (which rows, `identification_filter` says)."""
    return scope_for(user).may_read_identification_decisions


def identification_filter(
    user: Any, *, school: str, board: str, state: str, confirmed: str, decided: tuple[str, ...]
) -> Q:
    """See `Scope.identification_filter`."""
    return scope_for(user).identification_filter(
        school=school, board=board, state=state, confirmed=confirmed, decided=decided
    )


PROVINCE_WIDE = "*"


def comparison_scope(user: Any, school: School) -> str | None:
    """Where a person may look for schools to compare `school` with, or None when they may not compare.

    Returns PROVINCE_WIDE, or the number of the one board to look in.

    Ontario withdrew public school-by-school comparisons, so similar schools are
    shown to system leaders only: ministry officers (across the province) and
    board leaders (within their own board). Trustees, principals and teachers
    see their own school's evidence but no comparison.
    """
    scope = scope_for(user)
    if scope.ministry:
        return PROVINCE_WIDE
    if scope.may_compare_schools_of(school.board_id):
        return school.board.number
    return None


# --- improvement plans ----------------------------------------------------------


@dataclass(frozen=True)
class PlanRights:
    """What one person may do with one plan."""

    read: bool = False
    edit: bool = False  # the plan's own team: write goals, move it through the cycle, submit it
    review: bool = False  # the system side: co-reflect, accept or return a submission

    @property
    def side(self) -> str | None:
        return "team" if self.edit else "system" if self.review else None


def plan_rights(user: Any, plan: Any) -> PlanRights:
    """What the person may do with `plan` (see `Scope.rights_for_plan`)."""
    return scope_for(user).rights_for_plan(board_id=plan.board_id, school_id=plan.school_id)


def _board_or_school_filter(user: Any) -> Q:
    """Rows that belong to a board and possibly a school (board_id, school_id) the person may read."""
    scope = scope_for(user)
    if scope.empty:
        return Q(pk__in=[])
    if scope.province:
        return Q()
    return Q(board_id__in=scope.board_ids) | Q(school_id__in=scope.school_ids)


def plans_filter(user: Any) -> Q:
    """The plans a person may read (for querysets of planning.Plan)."""
    return _board_or_school_filter(user)


def support_requests_filter(user: Any) -> Q:
    """The support requests a person may read (for querysets of planning.SupportRequest): their
    school's, their board's, or (ministry) all."""
    return _board_or_school_filter(user)


def can_browse_plans(user: Any) -> bool:
    return scope_for(user).may_browse_plans


def can_review_plans(user: Any) -> bool:
    return scope_for(user).may_review_plans


def can_act_for_school(user: Any, school: School) -> bool:
    return scope_for(user).may_act_for_school(school.pk)


def can_act_for_board(user: Any, board: Board) -> bool:
    return scope_for(user).may_act_for_board(board.pk)


def can_set_timeline(user: Any, board: Board | None) -> bool:
    """`board` None: the ministry's timeline for every board's plan."""
    return scope_for(user).may_set_timeline(board.pk if board is not None else None)


def can_answer_support_request(user: Any, request: Any) -> bool:
    return scope_for(user).may_answer_support(
        board_id=request.board_id, to_ministry=request.to_ministry
    )


def team_schools_for(user: Any) -> QuerySet[School]:
    """Schools whose team the person is on: where they may start a plan or ask for support."""
    return School.objects.filter(pk__in=scope_for(user).team_school_ids)


def led_boards_for(user: Any) -> QuerySet[Board]:
    """Boards the person leads: whose plan they write and whose schools' timelines they set."""
    return Board.objects.filter(pk__in=scope_for(user).led_board_ids)


def can_run_survey(user: Any, *, board: Board | None = None, school: School | None = None) -> bool:
    """May the person open (and close, and read the report of) a round for this board or school?"""
    if school is not None:
        return scope_for(user).may_run_survey(board_id=school.board_id, school_id=school.pk)
    if board is not None:
        return scope_for(user).may_run_survey(board_id=board.pk, school_id=None)
    return False


def can_keep_register(user: Any) -> bool:
    """A compliance register is kept by those who lead a school or a board (principals, board leaders)."""
    scope = scope_for(user)
    return Role.PRINCIPAL in scope.roles or Role.BOARD_LEADER in scope.roles


def can_coordinate_learning(user: Any) -> bool:
    return scope_for(user).may_coordinate_learning


def can_write_case(user: Any) -> bool:
    return scope_for(user).may_write_case


def learning_drafts_filter(user: Any) -> Q:
    """Library items whose drafts the person may read (Q(pk__in=[]) for nobody)."""
    scope = scope_for(user)
    if scope.empty:
        return Q(pk__in=[])
    return scope.learning_drafts_filter(user.pk)


def learning_item_rights(user: Any, item: Any, author_ids: frozenset[int]) -> tuple[bool, bool]:
    """(read its drafts, edit them) for a library item written by `author_ids` for `item.board`."""
    scope = scope_for(user)
    user_id = getattr(user, "pk", None) or 0
    return (
        scope.may_read_draft(board_id=item.board_id, author_ids=author_ids, user_id=user_id),
        scope.may_edit_draft(board_id=item.board_id, author_ids=author_ids, user_id=user_id),
    )


@dataclass(frozen=True)
class SessionRights:
    """What a person may do with a module session (see `Scope.rights_for_session`)."""

    read: bool = False
    see_people: bool = False  # the participants' names and the evaluation's figures
    edit: bool = False  # date, participants, notes; opening the evaluation
    notes: bool = False  # the facilitator's notes
    answer: bool = False  # a participant answers the module evaluation


def session_rights(user: Any, session: Any, participant: bool) -> SessionRights:
    """What the person may do with `session`; `participant`: whether they take part in it."""
    board_id = session.school.board_id if session.school_id else session.board_id
    return scope_for(user).rights_for_session(
        board_id=board_id,
        school_id=session.school_id,
        facilitator_id=session.facilitator_id,
        user_id=getattr(user, "pk", None) or 0,
        participant=participant,
    )


@dataclass(frozen=True)
class VisitRights:
    """What a person may do with a rounds visit (see `Scope.rights_for_visit`)."""

    read: bool = False
    plan: bool = False  # date, schedule, team, stage
    notes: bool = False  # write their own notes (team members)
    debrief: bool = False  # group notes, name themes, the prediction, the next level of work
    see_goal: bool = False  # the plan goal the problem of practice serves


def visit_rights(user: Any, visit: Any, member: bool) -> VisitRights:
    """What the person may do with `visit`; `member`: whether they are on its team."""
    return scope_for(user).rights_for_visit(
        board_id=visit.board_id,
        school_id=visit.school_id,
        network_id=visit.network_id,
        facilitator_id=visit.facilitator_id,
        user_id=getattr(user, "pk", None) or 0,
        member=member,
    )


def rounds_filter(user: Any, *, team: str | None, network: str | None = "network_id") -> Q:
    """Rows of the rounds app the person reads (Q(pk__in=[]) for nobody); see `Scope.rounds_filter`."""
    scope = scope_for(user)
    if scope.empty:
        return Q(pk__in=[])
    return scope.rounds_filter(getattr(user, "pk", None) or 0, team=team, network=network)


def may_take_part_in_rounds(user: Any) -> bool:
    """Whether the rounds' pages concern the person at all (the navigation's "Rounds"): everyone
    whose roles reach a school's, a board's leaders', a network's or the ministry's rounds.
    Trustees alone do not: rounds are professional learning, not governance."""
    scope = scope_for(user)
    return scope.ministry or bool(scope.led_board_ids or scope.school_ids or scope.network_ids)


def can_plan_rounds(user: Any, school: School) -> bool:
    return scope_for(user).may_plan_rounds(board_id=school.board_id, school_id=school.pk)


def rounds_schools_for(user: Any) -> QuerySet[School]:
    """Schools whose rounds the person plans (the school's team, its board's leaders)."""
    scope = scope_for(user)
    return School.objects.filter(
        Q(pk__in=scope.team_school_ids) | Q(board_id__in=scope.led_board_ids)
    )


def can_edit_lesson_study(user: Any, study: Any, member: bool) -> bool:
    return scope_for(user).may_edit_lesson_study(
        board_id=study.board_id,
        school_id=study.school_id,
        network_id=study.network_id,
        member=member,
    )


def can_lead_network(user: Any, network: Network) -> bool:
    return scope_for(user).may_lead_network(network.pk)


def can_form_networks(user: Any) -> bool:
    return scope_for(user).may_form_networks


def survey_rounds_filter(user: Any) -> Q:
    """Rounds whose report and response rate the person may read (Q(pk__in=[]) for nobody)."""
    scope = scope_for(user)
    if scope.empty:
        return Q(pk__in=[])
    return scope.survey_rounds_filter()


def survey_respondent_people(
    *, board: Board | None, school: School | None, roles: list[str]
) -> list[tuple[Any, str]]:
    """Who a round invites: active people holding one of `roles` in force in the school, or in the
    board (board leaders and trustees) and its schools (principals, school teams, teachers).
    Each person once, with the first of their roles in `roles` order."""
    rows = Membership.objects.in_force().filter(role__in=roles, user__is_active=True)
    if school is not None:
        rows = rows.filter(school=school)
    elif board is not None:
        rows = rows.filter(Q(board=board) | Q(school__board=board))
    else:
        return []
    found: dict[int, tuple[Any, str]] = {}
    order = {role: index for index, role in enumerate(roles)}
    for membership in rows.select_related("user").order_by("user_id", "id"):
        current = found.get(membership.user_id)
        if current is None or order[membership.role] < order[current[1]]:
            found[membership.user_id] = (membership.user, membership.role)
    return sorted(
        found.values(), key=lambda pair: (pair[0].last_name, pair[0].first_name, pair[0].pk)
    )


# --- ledger's rules (issue 13) ---------------------------------------------------------------


def can_read_board_ledger(user: Any, board: Board) -> bool:
    return scope_for(user).may_read_board_ledger(board.pk)


def can_read_school_ledger(user: Any, school: School) -> bool:
    return scope_for(user).may_read_school_ledger(board_id=school.board_id, school_id=school.pk)


def can_give_capacity(user: Any, *, board: Board, school: School | None = None) -> bool:
    return scope_for(user).may_give_capacity(
        board_id=board.pk, school_id=school.pk if school is not None else None
    )


def can_say_helped(user: Any, gift: Any) -> bool:
    return scope_for(user).may_say_helped(board_id=gift.board_id, school_id=gift.school_id)


def can_escalate_support(user: Any, request: Any) -> bool:
    return scope_for(user).may_escalate_support(
        board_id=request.board_id, school_id=request.school_id, to_ministry=request.to_ministry
    )


def ledger_gifts_filter(user: Any) -> Q:
    """Capacity given (planning.CapacityGift rows) the person reads entry by entry."""
    scope = scope_for(user)
    if scope.empty:
        return Q(pk__in=[])
    return scope.ledger_gifts_filter()


def ledger_boards_for(user: Any) -> QuerySet[Board]:
    """Boards whose ledger totals the person reads."""
    return boards_for(user)


# --- who is who: the people an event concerns (notifications) ----------------------------
# Not rights: the people whose roles make them act on a plan or a request, read from the roles
# in force like `scope_for`, for many places at once.


def _people(roles: tuple[str, ...], column: str = "", ids: Any = ()) -> dict[int | None, list[Any]]:
    """Active people holding one of `roles` in force, grouped by `column` (school_id or board_id)
    among `ids`; without a column, every holder under None. One query."""
    rows = Membership.objects.in_force().filter(role__in=roles, user__is_active=True)
    if column:
        rows = rows.filter(**{f"{column}__in": list(ids)})
    grouped: dict[int | None, list[Any]] = {}
    for membership in rows.select_related("user").order_by("user_id", "id"):
        people = grouped.setdefault(getattr(membership, column) if column else None, [])
        if membership.user not in people:
            people.append(membership.user)
    return grouped


def school_team_people(school_ids: Any) -> dict[int | None, list[Any]]:
    """The principals and school team members of each school: the team that owns its plan."""
    return _people((Role.PRINCIPAL, Role.SCHOOL_TEAM), "school_id", school_ids)


def principal_people(school_ids: Any) -> dict[int | None, list[Any]]:
    """Each school's principals (a network's member schools hear of its agreement through them)."""
    return _people((Role.PRINCIPAL,), "school_id", school_ids)


def network_facilitator_people(network_ids: Any) -> dict[int | None, list[Any]]:
    """Each network's facilitators."""
    return _people((Role.NETWORK_FACILITATOR,), "network_id", network_ids)


def board_leader_people(board_ids: Any) -> dict[int | None, list[Any]]:
    """Each board's leaders: they review its schools' plans, answer them, and own the board's plan."""
    return _people((Role.BOARD_LEADER,), "board_id", board_ids)


def ministry_people() -> list[Any]:
    """Every ministry officer: they review board plans and answer requests sent to the ministry."""
    return [u for people in _people((Role.MINISTRY_OFFICER,)).values() for u in people]


def plan_team_people(plan: Any) -> list[Any]:
    """The plan's own team (see `Scope.rights_for_plan`)."""
    if plan.school_id is not None:
        return school_team_people([plan.school_id]).get(plan.school_id, [])
    return board_leader_people([plan.board_id]).get(plan.board_id, [])


def looked_after_by(people: list[Any], *, board_id: int, school_id: int | None) -> list[Any]:
    """Of `people` (a board's leaders, or ministry officers), those whose portfolio holds the
    school (a family of schools) or, for a board's own work (school_id None), the board (a
    ministry officer's boards); everyone when nobody's does. They hear first: the others still
    read and act through their roles."""
    if len(people) < 2:
        return people
    held = Portfolio.objects.filter(holder_id__in=[p.pk for p in people])
    if school_id is not None:
        held = held.filter(board_id=board_id, schools=school_id)
    else:
        held = held.filter(board__isnull=True, boards=board_id)
    holders = set(held.values_list("holder_id", flat=True))
    return [p for p in people if p.pk in holders] or people


def plan_reviewer_people(plan: Any) -> list[Any]:
    """Who is told a plan was submitted: its board's leaders for a school plan, the ministry for a
    board plan; those whose portfolio holds it when someone's does."""
    if plan.school_id is not None:
        leaders = board_leader_people([plan.board_id]).get(plan.board_id, [])
        return looked_after_by(leaders, board_id=plan.board_id, school_id=plan.school_id)
    return looked_after_by(ministry_people(), board_id=plan.board_id, school_id=None)


def support_answerer_people(request: Any) -> list[Any]:
    """Who answers a support request (`Scope.may_answer_support`): the ministry for one addressed to it,
    otherwise the board's leaders (the ministry may answer those too, but is not told of each)."""
    if request.to_ministry:
        return looked_after_by(ministry_people(), board_id=request.board_id, school_id=None)
    leaders = board_leader_people([request.board_id]).get(request.board_id, [])
    return looked_after_by(
        leaders, board_id=request.board_id, school_id=getattr(request, "school_id", None)
    )


# --- implementation's rules (issue 13) ---


def can_read_implementation(user: Any, school: School) -> bool:
    return scope_for(user).may_read_implementation(board_id=school.board_id, school_id=school.pk)


def can_read_implementation_board(user: Any, board: Board) -> bool:
    return scope_for(user).may_read_implementation_board(board.pk)


def can_read_implementation_detail(user: Any, board: Board) -> bool:
    return scope_for(user).may_read_implementation_detail(board.pk)


def can_read_implementation_province(user: Any) -> bool:
    return scope_for(user).may_read_implementation_province


def implementation_boards_for(user: Any) -> QuerySet[Board]:
    """The boards whose roll-up the person reads (a board leader or trustee their board; the
    ministry every board)."""
    scope = scope_for(user)
    if scope.empty:
        return Board.objects.none()
    return Board.objects.filter(scope.implementation_boards_filter())


# --- themes' rules (issue 13) ---------------------------------------------------------------


def can_read_theme_counts(user: Any, board: Board | None) -> bool:
    """`board` None: the province's counts of themes and lessons."""
    return scope_for(user).may_read_theme_counts(board.pk if board is not None else None)


# --- yearclose's rules (issue 13) -------------------------------------------------------------
# The marker-student log and pedagogical documentation are the school team's working record of
# students (by code, and their work): read and written by the team that owns the school's plan
# (principal and school team members) and nobody else, not the board, the ministry or trustees.
# A teacher who works with the marker students is made a school team member to join in.


def portfolio_first_filter(
    user: Any, *, board: str = "board_id", school: str | None = "school_id"
) -> Q:
    """Rows in the person's portfolio, and rows nobody's portfolio holds (a school in no family of
    its board; a board in no ministry officer's portfolio), so that narrowing a list to a
    portfolio never leaves an item on nobody's list. Everything without a portfolio."""
    scope = scope_for(user)
    if not scope.has_portfolio:
        return Q()
    q = scope.portfolio_filter(board=board, school=school)
    if scope.portfolio_school_ids and school is not None:
        held = Portfolio.schools.through.objects.filter(
            portfolio__board_id__in=scope.led_board_ids
        ).values("school_id")
        q |= Q(**{f"{board}__in": scope.led_board_ids}) & ~Q(**{f"{school}__in": held})
    if scope.portfolio_board_ids:
        held_boards = Portfolio.boards.through.objects.filter(portfolio__board__isnull=True).values(
            "board_id"
        )
        q |= ~Q(**{f"{board}__in": held_boards})
    return q


def may_keep_school_records(user: Any, plan: Any) -> bool:
    """Whether the person reads and writes a school plan's marker-student log and documentation."""
    return plan.school_id is not None and scope_for(user).may_act_for_school(plan.school_id)
