"""A synthetic, deterministic province shaped like Ontario, for trying Capacity out.

The shape follows the published facts: 72 district school boards (31 English
public, 29 English Catholic, 4 French public, 8 French Catholic), about 4,000
elementary and 870 secondary schools, board sizes that run from a few schools
to several hundred, and context indicators whose spread resembles Ontario's
published school tables (most schools with a small share of low-income
households, a long tail of schools with a large share). Nothing here describes
a real school or person. The same seed always gives the same province.

Assessment results are added by the evidence part of Capacity; `build_demo`
returns the schools so that a results generator can follow it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory.models import (
    Board,
    Language,
    Membership,
    Network,
    Province,
    Role,
    School,
    SchoolContext,
    User,
)

# Ontario's 72 boards by language and type (Ministry of Education, 2016-17 onward).
ONTARIO_BOARD_MIX = (
    (Language.ENGLISH, Board.Type.PUBLIC, 31),
    (Language.ENGLISH, Board.Type.CATHOLIC, 29),
    (Language.FRENCH, Board.Type.PUBLIC, 4),
    (Language.FRENCH, Board.Type.CATHOLIC, 8),
)
ONTARIO_SCHOOLS = 4870  # about 4,000 elementary and 870 secondary
SECONDARY_SHARE = 870 / 4870
REGIONS = ("Barrie", "London", "North Bay/Sudbury", "Ottawa", "Thunder Bay", "Toronto and Area")
DEMO_PASSWORD = "capacity-demo"
LATEST_YEAR = 2023  # the demo's latest school year is 2023-24

_PLACES = (
    "Algoma",
    "Avon Maitland",
    "Bluewater",
    "Durham",
    "Grand Erie",
    "Greater Essex",
    "Halton",
    "Hamilton-Wentworth",
    "Hastings and Prince Edward",
    "Kawartha Pine Ridge",
    "Keewatin-Patricia",
    "Lakehead",
    "Lambton Kent",
    "Limestone",
    "Near North",
    "Ottawa-Carleton",
    "Peel",
    "Rainbow",
    "Rainy River",
    "Renfrew County",
    "Simcoe County",
    "Superior-Greenstone",
    "Thames Valley",
    "Toronto",
    "Trillium Lakelands",
    "Upper Canada",
    "Upper Grand",
    "Waterloo Region",
    "York Region",
    "Niagara",
    "Northeastern",
    "Bruce-Grey",
    "Huron-Perth",
    "Wellington",
    "Dufferin-Peel",
    "Nipissing-Parry Sound",
    "Sudbury",
    "Kenora",
    "Timmins",
    "Brant Haldimand",
    "Eastern Ontario",
    "Frontenac",
    "Muskoka",
    "Manitoulin",
    "Quinte",
    "Georgian Bay",
    "Lake Erie",
    "St. Clair",
)
_FRENCH_PLACES = (
    "du Nord-Est",
    "des Grandes Rivières",
    "du Centre-Est",
    "de l'Est ontarien",
    "du Grand Nord",
    "des Aurores boréales",
    "Franco-Nord",
    "du Nouvel-Ontario",
    "MonAvenir",
    "Viamonde",
    "Providence",
    "des Rivières",
    "du Sud-Ouest",
    "des Lacs",
)
_STREETS = (
    "Maple",
    "King",
    "Queen",
    "Elm",
    "Pine",
    "Lakeshore",
    "Church",
    "Main",
    "Park",
    "Victoria",
    "Erie",
    "Huron",
    "Oak",
    "Birch",
    "Cedar",
    "River",
    "Hill",
    "Mill",
    "Bay",
    "Front",
)
_NAMES = (
    "Aspen",
    "Brock",
    "Cartier",
    "Champlain",
    "Laurier",
    "Macdonald",
    "Pearson",
    "Tecumseh",
    "Simcoe",
    "Banting",
    "Brant",
    "Carleton",
    "Dundas",
    "Elgin",
    "Frontenac",
    "Grenville",
    "Hillcrest",
    "Lakeview",
    "Meadowvale",
    "Northwood",
    "Oakridge",
    "Parkview",
    "Riverside",
    "Sunnyside",
    "Westdale",
    "Woodland",
    "Glen Park",
    "Valley View",
    "Forest Hill",
    "Greenbriar",
    "Lynnwood",
    "Stoney Creek",
    "Bayview",
    "Cedarbrae",
    "Eastview",
    "Fairview",
    "Maplewood",
    "Pinecrest",
    "Queensway",
    "Rosedale",
    "Silverthorn",
    "Thornhill",
    "Westmount",
    "Wilson",
    "Agnes Macphail",
    "Emily Carr",
    "Terry Fox",
    "Roberta Bondar",
    "Lincoln Alexander",
    "Nellie McClung",
    "Chief Dan George",
    "Jean Vanier",
    "Viola Desmond",
    "Tom Longboat",
)
_SAINTS = (
    "St. Anne",
    "St. Joseph",
    "St. Mary",
    "St. Patrick",
    "St. Michael",
    "Holy Family",
    "Our Lady of Peace",
    "St. Bernadette",
    "St. Francis",
    "St. Teresa",
    "St. John Paul II",
    "St. Kateri Tekakwitha",
    "Sacred Heart",
    "St. Monica",
    "St. Brigid",
    "Holy Cross",
    "St. Gabriel",
    "St. Thomas Aquinas",
    "St. Marguerite d'Youville",
    "Notre Dame",
)
_FRENCH_NAMES = (
    "Jeanne-Lajoie",
    "Saint-Joseph",
    "Sainte-Marie",
    "Laure-Rièse",
    "Pavillon-Lamoureux",
    "des Pionniers",
    "Félix-Leclerc",
    "Gabrielle-Roy",
    "Louis-Riel",
    "Marie-Curie",
    "Sainte-Anne",
    "du Sommet",
    "l'Horizon",
    "Roger-Saint-Denis",
    "des Explorateurs",
    "Antonine-Maillet",
    "Georges-P.-Vanier",
    "Mgr-Rémi-Gaulin",
    "Saint-Michel",
    "La Source",
)
_FRENCH_LAY_NAMES = tuple(n for n in _FRENCH_NAMES if "Saint" not in n and "Mgr" not in n)
_CITIES = (
    "Toronto",
    "Ottawa",
    "Mississauga",
    "Brampton",
    "Hamilton",
    "London",
    "Markham",
    "Vaughan",
    "Kitchener",
    "Windsor",
    "Oakville",
    "Burlington",
    "Sudbury",
    "Oshawa",
    "Barrie",
    "St. Catharines",
    "Guelph",
    "Kingston",
    "Thunder Bay",
    "Waterloo",
    "Peterborough",
    "Sault Ste. Marie",
    "Timmins",
    "North Bay",
    "Cornwall",
    "Belleville",
    "Sarnia",
    "Kenora",
    "Hearst",
    "Kapuskasing",
)
_GIVEN = (
    "Avery",
    "Jordan",
    "Priya",
    "Marc",
    "Élise",
    "Samir",
    "Grace",
    "Nathalie",
    "Owen",
    "Mei",
    "Daniel",
    "Fatima",
    "Luc",
    "Hannah",
    "Kwame",
    "Isabelle",
    "Raj",
    "Chloé",
    "Tyler",
    "Amara",
)
_FAMILY = (
    "Tremblay",
    "Singh",
    "MacDonald",
    "Nguyen",
    "Gagnon",
    "Okafor",
    "Roy",
    "Campbell",
    "Chen",
    "Bouchard",
    "Wilson",
    "Ahmed",
    "Lavoie",
    "Martin",
    "Thompson",
    "Côté",
)


@dataclass
class DemoOptions:
    seed: int = 2016
    boards: int = 72
    schools: int = ONTARIO_SCHOOLS
    years: int = 10


@dataclass
class DemoAccount:
    username: str
    role: str
    where: str


@dataclass
class DemoResult:
    boards: int = 0
    schools: int = 0
    contexts: int = 0
    networks: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)


def school_years(latest: int, count: int) -> list[str]:
    """School years like 2023-24, newest last."""
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(latest - count + 1, latest + 1)]


def _board_mix(total: int) -> list[tuple[str, str]]:
    """Board languages and types in Ontario's proportions, at least one of each kind when room allows."""
    counts = [max(1 if total >= 4 else 0, round(n * total / 72)) for _, _, n in ONTARIO_BOARD_MIX]
    while sum(counts) > total:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < total:
        counts[0] += 1
    mix: list[tuple[str, str]] = []
    for (language, board_type, _), count in zip(ONTARIO_BOARD_MIX, counts, strict=True):
        mix += [(language, board_type)] * count
    return mix


def _board_name(rng: random.Random, language: str, board_type: str, used: set[str]) -> str:
    for _attempt in range(200):
        if language == Language.FRENCH:
            place = rng.choice(_FRENCH_PLACES)
            name = (
                f"Conseil scolaire catholique {place}"
                if board_type == Board.Type.CATHOLIC
                else f"Conseil scolaire public {place}"
            )
        else:
            place = rng.choice(_PLACES)
            name = (
                f"{place} Catholic District School Board"
                if board_type == Board.Type.CATHOLIC
                else f"{place} District School Board"
            )
        if name not in used:
            used.add(name)
            return name
    name = f"{name} {len(used) + 1}"
    used.add(name)
    return name


def _school_name(rng: random.Random, board: Board, level: str, city: str, used: set[str]) -> str:
    for attempt in range(50):
        if board.language == Language.FRENCH:
            names = _FRENCH_NAMES if board.board_type == Board.Type.CATHOLIC else _FRENCH_LAY_NAMES
            base = rng.choice(names)
            kind = "École secondaire" if level == School.Level.SECONDARY else "École élémentaire"
            if board.board_type == Board.Type.CATHOLIC:
                kind += " catholique"
            name = f"{kind} {base}"
        else:
            base = rng.choice(_SAINTS if board.board_type == Board.Type.CATHOLIC else _NAMES)
            if level == School.Level.SECONDARY:
                kind = (
                    "Catholic Secondary School"
                    if board.board_type == Board.Type.CATHOLIC
                    else "Secondary School"
                )
            else:
                kind = (
                    "Catholic Elementary School"
                    if board.board_type == Board.Type.CATHOLIC
                    else "Public School"
                )
            name = f"{base} {kind}"
        if attempt > 5:
            name = f"{name} ({city})"
        if name not in used:
            used.add(name)
            return name
    name = f"{name} {len(used)}"
    used.add(name)
    return name


def _board_sizes(rng: random.Random, boards: int, schools: int) -> list[int]:
    """Skewed board sizes (a few very large urban boards, many small ones), summing to `schools`."""
    weights = [rng.lognormvariate(0, 1.0) for _ in range(boards)]
    total = sum(weights)
    sizes = [max(1, int(schools * w / total)) for w in weights]
    i = 0
    while sum(sizes) < schools:
        sizes[i % boards] += 1
        i += 1
    while sum(sizes) > schools:
        j = sizes.index(max(sizes))
        sizes[j] -= 1
    return sizes


def _clip(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def _round5(value: float) -> float:
    """Ontario publishes most context shares rounded to the nearest 5."""
    return float(int(5 * round(value / 5)))


def _context_values(
    rng: random.Random, need: float, urban: float, language: str
) -> dict[str, float]:
    """Context shares for one school driven by a latent need (0..1) and urbanness (0..1)."""
    low_income = _clip(3 + 45 * need**1.6 + rng.gauss(0, 3))
    ell = (
        _clip(urban * (5 + 55 * need) + rng.gauss(0, 4))
        if language == Language.ENGLISH
        else _clip(20 + 40 * urban + rng.gauss(0, 8))
    )
    return {
        "pct_low_income": _round5(low_income),
        "pct_language_learners": _round5(ell),
        "pct_special_education": _round5(_clip(10 + 15 * need + rng.gauss(0, 4), 0, 60)),
        "pct_parents_no_degree": _round5(_clip(2 + 20 * need * (1.2 - urban) + rng.gauss(0, 2))),
        "pct_gifted": float(max(0, round(rng.gauss(1 + 2 * (1 - need), 1)))),
        "pct_new_to_canada": _round5(_clip(urban * (1 + 20 * need) + rng.gauss(0, 2))),
    }


@transaction.atomic
def build_demo(
    options: DemoOptions, *, progress: Callable[[str, int, int], None] | None = None
) -> DemoResult:
    """Build the demo province into an empty database. Deterministic for a given seed."""
    if Board.objects.exists():
        raise ValueError(
            "The database already holds boards; the demo loads only into an empty one."
        )
    rng = random.Random(options.seed)
    say = progress or (lambda step, done, total: None)
    result = DemoResult()
    province, _ = Province.objects.get_or_create(code="ON", defaults={"name": "Ontario"})

    mix = _board_mix(options.boards)
    used_names: set[str] = set()
    boards = []
    for index, (language, board_type) in enumerate(mix):
        boards.append(
            Board(
                province=province,
                number=f"B{66000 + index * 7:05d}",
                name=_board_name(rng, language, board_type, used_names),
                language=language,
                board_type=board_type,
                region=REGIONS[index % len(REGIONS)],
            )
        )
    Board.objects.bulk_create(boards)
    result.boards = len(boards)
    say("boards", len(boards), len(boards))

    sizes = _board_sizes(rng, len(boards), options.schools)
    schools: list[School] = []
    latent: dict[str, tuple[float, float]] = {}
    number = 100000
    school_names: set[str] = set()
    for board, size in zip(boards, sizes, strict=True):
        urban = _clip(rng.betavariate(2, 2) + (0.3 if size > 100 else -0.1), 0, 1)
        board_need = rng.betavariate(2, 4)
        cities = rng.sample(_CITIES, 3)
        for _i in range(size):
            city = rng.choice(cities)
            number += rng.randint(1, 40)
            level = (
                School.Level.SECONDARY
                if rng.random() < SECONDARY_SHARE
                else School.Level.ELEMENTARY
            )
            need = _clip(
                0.6 * board_need + 0.4 * rng.betavariate(1.5, 3) + rng.gauss(0, 0.05), 0, 1
            )
            enrolment = (
                int(_clip(rng.gauss(950, 350), 80, 2400))
                if level == School.Level.SECONDARY
                else int(_clip(rng.gauss(380, 150), 25, 1100))
            )
            school = School(
                board=board,
                number=f"{number:06d}",
                name=_school_name(rng, board, level, city, school_names),
                level=level,
                language=board.language,
                grade_range="9-12"
                if level == School.Level.SECONDARY
                else rng.choice(("JK-8", "JK-8", "JK-6", "7-8")),
                street=f"{rng.randint(10, 2999)} {rng.choice(_STREETS)} St",
                city=city,
                postal_code=f"{rng.choice('KLMNP')}{rng.randint(0, 9)}{rng.choice('ABCEGHJ')}"
                f"{rng.randint(0, 9)}{rng.choice('KLMNPR')}{rng.randint(0, 9)}",
                latitude=round(43 + rng.random() * 6, 5),
                longitude=round(-95 + rng.random() * 20, 5),
                enrolment=enrolment,
            )
            schools.append(school)
            latent[school.number] = (need, urban)
    School.objects.bulk_create(schools, batch_size=1000)
    result.schools = len(schools)
    say("schools", len(schools), len(schools))

    years = school_years(LATEST_YEAR, options.years)
    contexts: list[SchoolContext] = []
    for done, school in enumerate(schools, start=1):
        need, urban = latent[school.number]
        small = (school.enrolment or 0) < 60
        for offset, year in enumerate(years):
            drift = 0.01 * (offset - len(years) + 1)
            values = _context_values(rng, _clip(need + drift, 0, 1), urban, school.language)
            statuses = {}
            if small:  # the publisher suppresses the shares of very small schools
                for key in ("pct_language_learners", "pct_new_to_canada", "pct_gifted"):
                    values[key] = None  # type: ignore[assignment]
                    statuses[key] = SchoolContext.Status.SUPPRESSED.value
            english = school.language == Language.ENGLISH
            contexts.append(
                SchoolContext(
                    school=school,
                    school_year=year,
                    enrolment=max(
                        10, int((school.enrolment or 0) * (1 + 0.02 * (offset - len(years) + 1)))
                    ),
                    pct_first_language_not_english=values["pct_language_learners"]
                    if english
                    else None,
                    pct_first_language_not_french=None
                    if english
                    else values["pct_language_learners"],
                    statuses=statuses
                    | {
                        "pct_first_language_not_french"
                        if english
                        else "pct_first_language_not_english": "na"
                    },
                    source="demo",
                    **values,
                )
            )
        if done % 500 == 0:
            say("context", done, len(schools))
    SchoolContext.objects.bulk_create(contexts, batch_size=2000)
    result.contexts = len(contexts)

    result.networks = _build_networks(rng, schools)
    result.accounts = _build_people(rng, province, boards, schools)
    audit_record(
        action=Action.DEMO_LOADED,
        actor_label="capacity demo",
        target="Ontario (demo)",
        detail={"seed": options.seed, "boards": result.boards, "schools": result.schools},
    )
    return result


def _build_networks(rng: random.Random, schools: list[School]) -> int:
    """Learning networks formed around shared needs, some crossing board lines."""
    focuses = (
        (
            "Junior Mathematics Network",
            "Moving junior students from level 2 to level 3 in mathematics.",
        ),
        (
            "Primary Literacy Network",
            "Early reading: Grade 3 students reading at the provincial standard.",
        ),
        (
            "Writing Across the Curriculum",
            "Improving Grade 6 writing through shared success criteria.",
        ),
        (
            "Réseau de littératie francophone",
            "Améliorer la lecture en 3e année dans les écoles de langue française.",
        ),
        (
            "Northern Schools Network",
            "Small northern schools sharing practice across long distances.",
        ),
        (
            "English Language Learners Network",
            "Supporting students learning English in every classroom.",
        ),
        ("Student Well-Being Network", "Belonging and engagement as conditions for learning."),
        ("Secondary Pathways Network", "Credit accumulation and pathways in Grades 9 and 10."),
    )
    elementary = [s for s in schools if s.level == School.Level.ELEMENTARY]
    secondary = [s for s in schools if s.level == School.Level.SECONDARY]
    french = [s for s in schools if s.language == Language.FRENCH]
    count = 0
    for name, purpose in focuses:
        pool = secondary if "Secondary" in name else french if "francophone" in name else elementary
        if not pool:
            continue
        network = Network.objects.create(name=name, purpose=purpose)
        network.schools.add(*rng.sample(pool, min(len(pool), rng.randint(6, 14))))
        count += 1
    return count


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(_GIVEN), rng.choice(_FAMILY)


def _build_people(
    rng: random.Random, province: Province, boards: list[Board], schools: list[School]
) -> list[DemoAccount]:
    """Named demo sign-ins for every role, plus a director for every board (who cannot sign in)."""
    password = make_password(DEMO_PASSWORD)
    first_board = boards[0]
    by_board: dict[int, list[School]] = {}
    for school in schools:
        by_board.setdefault(school.board_id, []).append(school)
    home_schools = sorted(by_board.get(first_board.pk, []), key=lambda s: s.number)
    home_school = next(
        (s for s in home_schools if s.level == School.Level.ELEMENTARY), home_schools[0]
    )
    other_board = next((b for b in boards[1:] if by_board.get(b.pk)), first_board)
    other_school = sorted(by_board[other_board.pk], key=lambda s: s.number)[0]
    network = Network.objects.order_by("name").first()

    plan: list[tuple[str, str, str, dict[str, object], str]] = [
        ("ministry", Role.MINISTRY_OFFICER, "", {"province": province}, province.name),
        (
            "director",
            Role.BOARD_LEADER,
            "Director of Education",
            {"board": first_board},
            first_board.name,
        ),
        (
            "superintendent",
            Role.BOARD_LEADER,
            "Superintendent of Education",
            {"board": first_board},
            first_board.name,
        ),
        ("trustee", Role.TRUSTEE, "", {"board": first_board}, first_board.name),
        ("principal", Role.PRINCIPAL, "", {"school": home_school}, home_school.name),
        ("team", Role.SCHOOL_TEAM, "Literacy lead", {"school": home_school}, home_school.name),
        ("teacher", Role.TEACHER, "", {"school": home_school}, home_school.name),
        ("principal.other", Role.PRINCIPAL, "", {"school": other_school}, other_school.name),
    ]
    if network is not None:
        network.schools.add(home_school)
        plan.append(
            ("facilitator", Role.NETWORK_FACILITATOR, "", {"network": network}, network.name)
        )

    accounts = []
    for username, role, title, org, where in plan:
        given, family = _person(rng)
        user = User.objects.create(
            username=username,
            email=f"{username}@demo.capacity.invalid",
            first_name=given,
            last_name=family,
            display_name=f"{given} {family}",
            password=password,
            is_staff=username == "ministry",
            is_superuser=username == "ministry",
        )
        Membership.objects.create(user=user, role=role, title=title, **org)
        accounts.append(DemoAccount(username=username, role=str(Role(role).label), where=where))

    # Every board has a director on record; they have no password until one is set.
    directors = []
    for board in boards[1:]:
        given, family = _person(rng)
        directors.append(
            User(
                username=f"director.{board.number.lower()}",
                first_name=given,
                last_name=family,
                display_name=f"{given} {family}",
                password=make_password(None),
            )
        )
    User.objects.bulk_create(directors)
    created = {u.username: u for u in User.objects.filter(username__startswith="director.b")}
    Membership.objects.bulk_create(
        [
            Membership(
                user=created[f"director.{b.number.lower()}"],
                role=Role.BOARD_LEADER,
                title="Director of Education",
                board=b,
            )
            for b in boards[1:]
        ]
    )
    return accounts


def demo_scale_note(options: DemoOptions) -> str:
    per_board = options.schools / max(1, options.boards)
    return (
        f"{options.boards} boards, {options.schools} schools"
        f" (~{math.ceil(per_board)} per board), {options.years} years"
    )
