"""A synthetic, deterministic province shaped like Ontario, for trying Capacity out.

The shape follows the published facts: 72 district school boards (31 English
public, 29 English Catholic, 4 French public, 8 French Catholic), about 4,000
elementary and 870 secondary schools, board sizes that run from a few schools
to several hundred, and context indicators whose spread resembles Ontario's
published school tables (most schools with a small share of low-income
households, a long tail of schools with a large share). Nothing here describes
a real school or person. The same seed always gives the same province.

Each board is named for an area (`Area`: a place, its ministry region and its
towns), and its schools are in those towns, in its region, with coordinates and
postal codes of that region; French-language boards have French school names.

Assessment results are added by the evidence part of Capacity; `build_demo`
returns the schools so that a results generator can follow it.
"""

from __future__ import annotations

import math
import random
import re
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


@dataclass(frozen=True)
class Area:
    """Where a demo board is: the place its name carries, its ministry region and its towns.

    A board's schools are in its towns and share its region, so a board named for
    Sudbury has its schools in and around Sudbury, in the North Bay/Sudbury region.
    """

    place: str
    region: str
    cities: tuple[str, ...]


# The ministry's six regional offices, as Ontario's school information names them.
BARRIE, LONDON, NORTH, OTTAWA, THUNDER_BAY, TORONTO = REGIONS
NORTHERN_REGIONS = (NORTH, THUNDER_BAY)

# English boards: "<place> District School Board" and "<place> Catholic District School Board".
_AREAS = (
    Area("Algoma", NORTH, ("Sault Ste. Marie", "Elliot Lake", "Blind River")),
    Area("Avon Maitland", LONDON, ("Stratford", "Goderich", "Clinton")),
    Area("Bluewater", LONDON, ("Owen Sound", "Hanover", "Walkerton")),
    Area("Durham", TORONTO, ("Oshawa", "Whitby", "Ajax", "Pickering")),
    Area("Grand Erie", LONDON, ("Brantford", "Simcoe", "Caledonia")),
    Area("Greater Essex", LONDON, ("Windsor", "Leamington", "Amherstburg")),
    Area("Halton", TORONTO, ("Oakville", "Burlington", "Milton")),
    Area("Hamilton-Wentworth", LONDON, ("Hamilton", "Stoney Creek", "Dundas")),
    Area("Hastings and Prince Edward", OTTAWA, ("Belleville", "Trenton", "Picton")),
    Area("Kawartha Pine Ridge", BARRIE, ("Peterborough", "Cobourg", "Port Hope")),
    Area("Keewatin-Patricia", THUNDER_BAY, ("Kenora", "Dryden", "Sioux Lookout")),
    Area("Lakehead", THUNDER_BAY, ("Thunder Bay",)),
    Area("Lambton Kent", LONDON, ("Sarnia", "Chatham", "Wallaceburg")),
    Area("Limestone", OTTAWA, ("Kingston", "Napanee")),
    Area("Near North", NORTH, ("North Bay", "Parry Sound")),
    Area("Ottawa-Carleton", OTTAWA, ("Ottawa", "Kanata", "Orléans")),
    Area("Peel", TORONTO, ("Mississauga", "Brampton", "Caledon")),
    Area("Rainbow", NORTH, ("Sudbury", "Espanola", "Little Current")),
    Area("Rainy River", THUNDER_BAY, ("Fort Frances", "Atikokan")),
    Area("Renfrew County", OTTAWA, ("Pembroke", "Renfrew", "Arnprior")),
    Area("Simcoe County", BARRIE, ("Barrie", "Orillia", "Collingwood")),
    Area("Superior-Greenstone", THUNDER_BAY, ("Marathon", "Geraldton", "Nipigon")),
    Area("Thames Valley", LONDON, ("London", "Woodstock", "St. Thomas")),
    Area("Toronto", TORONTO, ("Toronto",)),
    Area("Trillium Lakelands", BARRIE, ("Lindsay", "Huntsville", "Bracebridge")),
    Area("Upper Canada", OTTAWA, ("Cornwall", "Brockville", "Kemptville")),
    Area("Upper Grand", BARRIE, ("Guelph", "Orangeville", "Fergus")),
    Area("Waterloo Region", BARRIE, ("Kitchener", "Waterloo", "Cambridge")),
    Area("York Region", TORONTO, ("Markham", "Vaughan", "Newmarket")),
    Area("Niagara", LONDON, ("St. Catharines", "Niagara Falls", "Welland")),
    Area("Northeastern", NORTH, ("Timmins", "New Liskeard", "Cochrane")),
    Area("Bruce-Grey", LONDON, ("Owen Sound", "Hanover", "Kincardine")),
    Area("Huron-Perth", LONDON, ("Stratford", "Goderich", "St. Marys")),
    Area("Wellington", BARRIE, ("Guelph", "Fergus")),
    Area("Dufferin-Peel", TORONTO, ("Mississauga", "Brampton", "Bolton")),
    Area("Nipissing-Parry Sound", NORTH, ("North Bay", "Parry Sound", "Sturgeon Falls")),
    Area("Sudbury", NORTH, ("Sudbury",)),
    Area("Kenora", THUNDER_BAY, ("Kenora",)),
    Area("Timmins", NORTH, ("Timmins",)),
    Area("Brant Haldimand", LONDON, ("Brantford", "Caledonia", "Hagersville")),
    Area("Eastern Ontario", OTTAWA, ("Cornwall", "Brockville", "Hawkesbury")),
    Area("Frontenac", OTTAWA, ("Kingston", "Sharbot Lake")),
    Area("Muskoka", BARRIE, ("Huntsville", "Bracebridge", "Gravenhurst")),
    Area("Manitoulin", NORTH, ("Little Current", "Gore Bay")),
    Area("Quinte", OTTAWA, ("Belleville", "Trenton")),
    Area("Georgian Bay", BARRIE, ("Midland", "Collingwood", "Penetanguishene")),
    Area("Lake Erie", LONDON, ("Port Dover", "Tillsonburg")),
    Area("St. Clair", LONDON, ("Sarnia", "Petrolia")),
)
# French boards: "Conseil scolaire public <place>" and "Conseil scolaire catholique <place>".
_FRENCH_AREAS = (
    Area("du Nord-Est", NORTH, ("Timmins", "Kapuskasing", "Hearst")),
    Area("des Grandes Rivières", NORTH, ("Timmins", "Cochrane", "Kirkland Lake")),
    Area("du Centre-Est", OTTAWA, ("Ottawa", "Orléans", "Kingston")),
    Area("de l'Est ontarien", OTTAWA, ("Hawkesbury", "Cornwall", "Casselman")),
    Area("du Grand Nord", NORTH, ("Sudbury", "Sault Ste. Marie", "Elliot Lake")),
    Area("des Aurores boréales", THUNDER_BAY, ("Thunder Bay", "Kenora", "Dryden")),
    Area("Franco-Nord", NORTH, ("North Bay", "Sturgeon Falls", "Mattawa")),
    Area("du Nouvel-Ontario", NORTH, ("Sudbury", "Chelmsford", "Espanola")),
    Area("MonAvenir", TORONTO, ("Toronto", "Mississauga", "Oshawa")),
    Area("Viamonde", TORONTO, ("Toronto", "Brampton", "Markham")),
    Area("Providence", LONDON, ("Windsor", "London", "Sarnia")),
    Area("des Rivières", OTTAWA, ("Pembroke", "Cornwall", "Brockville")),
    Area("du Sud-Ouest", LONDON, ("London", "Windsor", "Chatham")),
    Area("des Lacs", BARRIE, ("Barrie", "Penetanguishene", "Orillia")),
)
# Where each region's schools lie (latitude and longitude ranges) and its postal codes' first letter.
_REGION_BOUNDS = {
    BARRIE: ((43.4, 45.3), (-81.0, -78.2), "L"),
    LONDON: ((42.0, 44.6), (-83.0, -79.1), "N"),
    NORTH: ((46.0, 49.7), (-84.6, -79.0), "P"),
    OTTAWA: ((44.0, 45.9), (-78.0, -74.4), "K"),
    THUNDER_BAY: ((48.0, 51.0), (-95.1, -86.0), "P"),
    TORONTO: ((43.4, 44.1), (-80.0, -78.8), "L"),
}


def board_area(board: Board) -> Area | None:
    """The area a demo board's name carries (None for a board the demo did not name)."""
    match = re.fullmatch(
        r"(?:Conseil scolaire (?:public|catholique) (?P<fr>.+?)"
        r"|(?P<en>.+?) (?:Catholic )?District School Board)(?: \d+)?",
        board.name,
    )
    if match is None:
        return None
    areas, place = (_FRENCH_AREAS, match["fr"]) if match["fr"] else (_AREAS, match["en"])
    return next((a for a in areas if a.place == place), None)


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


def _board_name(
    rng: random.Random, language: str, board_type: str, used: set[str]
) -> tuple[str, Area]:
    """A board's name and the area it names, not used yet."""
    for _attempt in range(200):
        if language == Language.FRENCH:
            area = rng.choice(_FRENCH_AREAS)
            name = (
                f"Conseil scolaire catholique {area.place}"
                if board_type == Board.Type.CATHOLIC
                else f"Conseil scolaire public {area.place}"
            )
        else:
            area = rng.choice(_AREAS)
            name = (
                f"{area.place} Catholic District School Board"
                if board_type == Board.Type.CATHOLIC
                else f"{area.place} District School Board"
            )
        if name not in used:
            used.add(name)
            return name, area
    name = f"{name} {len(used) + 1}"
    used.add(name)
    return name, area


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
    areas: list[Area] = []
    for index, (language, board_type) in enumerate(mix):
        name, area = _board_name(rng, language, board_type, used_names)
        areas.append(area)
        boards.append(
            Board(
                province=province,
                number=f"B{66000 + index * 7:05d}",
                name=name,
                language=language,
                board_type=board_type,
                region=area.region,
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
    for board, area, size in zip(boards, areas, sizes, strict=True):
        urban = _clip(rng.betavariate(2, 2) + (0.3 if size > 100 else -0.1), 0, 1)
        board_need = rng.betavariate(2, 4)
        (lat_low, lat_high), (lon_low, lon_high), postal = _REGION_BOUNDS[area.region]
        for _i in range(size):
            city = rng.choice(area.cities)
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
                postal_code=f"{'M' if city == 'Toronto' else postal}{rng.randint(0, 9)}"
                f"{rng.choice('ABCEGHJ')}{rng.randint(0, 9)}{rng.choice('KLMNPR')}{rng.randint(0, 9)}",
                latitude=round(rng.uniform(lat_low, lat_high), 5),
                longitude=round(rng.uniform(lon_low, lon_high), 5),
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
    # A small demo may have no northern board: the network then draws on every elementary school.
    northern = [s for s in elementary if s.board.region in NORTHERN_REGIONS] or elementary
    count = 0
    for name, purpose in focuses:
        pool = (
            secondary
            if "Secondary" in name
            else french
            if "francophone" in name
            else northern
            if "Northern" in name
            else elementary
        )
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
