"""Full-text search of the library's published items, in English and French.

Each language of an item's published version is one `SearchEntry` row: its title, summary,
themes and body (the sections' and a module's agenda's plain text). `index_item` rebuilds an
item's rows whenever its published version changes (apps.py registers it with
`hooks.on_publish`), so a draft is never found and a new version replaces the old words.

Two databases, one behaviour:

- **SQLite** (the embedded default): FTS5's own stemmer (porter) knows English only, so the
  words are folded (accents and case removed) and stemmed here, with each row's language's
  Snowball stemmer, both in what is indexed (`*_terms` columns, which the FTS5 table
  `learning_search_fts` reads, migration 0002) and in the query. Folding comes before
  stemming, so "evaluation" and "évaluation" become the same stem whatever the stemmer makes
  of accents. The query's words are quoted one by one, so nothing a person types is read as
  FTS5 syntax (AND, OR, NEAR, quotes, `*`, `:`); common words of the language are dropped,
  as PostgreSQL's dictionaries drop them.
- **PostgreSQL**: a `document` tsvector column (english or french configuration per row,
  after `unaccent`) with a GIN index, matched by `plainto_tsquery` over `unaccent(query)`
  (which reads no operators) and ranked with `ts_rank`.

Both weigh the title above the summary and themes, and those above the body. Filters
(characteristic, context of use, board type, language) are the library list's
(`forms.LibraryFilterForm`); characteristics and contexts come from the `Tag` rows, the
board type from the published facts, copied onto the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from capacity.folding import fold
from capacity.learning import reading
from capacity.learning.markdown import plain
from capacity.learning.models import Item, Kind, Language, SearchEntry, Tag, Version

STEMMERS = {Language.EN: "english", Language.FR: "french"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The stop words of PostgreSQL's (Snowball's) english and french dictionaries, folded.
STOP_WORDS = {
    Language.EN: _words(
        "a about above after again against all am an and any are as at be because been before "
        "being below between both but by can did do does doing don down during each few for "
        "from further had has have having he her here hers herself him himself his how i if in "
        "into is it its itself just me more most my myself no nor not now of off on once only "
        "or other our ours ourselves out over own s same she should so some such t than that "
        "the their theirs them themselves then there these they this those through to too "
        "under until up very was we were what when where which while who whom why will with "
        "you your yours yourself yourselves"
    ),
    Language.FR: _words(
        "a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez "
        "aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant "
        "ayante ayantes ayants ayez ayons c ce ces d dans de des du elle en es est et etaient "
        "etais etait etant etante etantes etants ete etee etees etes etiez etions eu eue eues "
        "eumes eurent eus eusse eussent eusses eussiez eussions eut eutes eux fumes furent fus "
        "fusse fussent fusses fussiez fussions fut futes il j je l la le leur lui m ma mais me "
        "meme mes moi mon n ne nos notre nous on ont ou par pas pour qu que qui s sa se sera "
        "serai seraient serais serait seras serez seriez serions serons seront ses soient sois "
        "soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre "
        "vous y"
    ),
}
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 16
EXCERPT_CHARS = 240
# Letters and digits: "_" separates words, as in FTS5's and PostgreSQL's parsers.
WORD = re.compile(r"[^\W_]+")
# Weights of title, summary and themes, body (FTS5's bm25 takes one per column).
BM25_WEIGHTS = (10.0, 4.0, 1.0)
_PG_CONFIG = "(CASE language WHEN 'fr' THEN 'french' ELSE 'english' END)::regconfig"


@dataclass(frozen=True)
class Hit:
    """One published item found, in the reader's language whenever that text matched."""

    item: Item
    language: str
    rank: float
    title: str
    excerpt: str
    board: str
    board_type: str
    characteristics: tuple[str, ...]
    wanted: frozenset[str] = frozenset()  # the query's stems in `language`, to mark

    @property
    def title_marked(self) -> SafeString:
        return mark(self.title, self.wanted, self.language)

    @property
    def excerpt_marked(self) -> SafeString:
        return mark(self.excerpt, self.wanted, self.language)

    @property
    def characteristic_labels(self) -> list[str]:
        return reading.characteristic_labels(self.characteristics)

    @property
    def board_type_label(self) -> str:
        return reading.board_type_label(self.board_type)


# --- words ---------------------------------------------------------------------------------


def stems(text: str, language: str, *, drop_stop_words: bool = False) -> list[str]:
    """The text's words folded, then stemmed with `language`'s Snowball stemmer."""
    words = WORD.findall(fold(text))
    if drop_stop_words:
        words = [w for w in words if w not in STOP_WORDS[Language(language)]]
    # A stemmer keeps state between words, so each call has its own (threads share nothing).
    return snowballstemmer.stemmer(STEMMERS[Language(language)]).stemWords(words)


def clean_query(query: str) -> str:
    """What a person typed, without control characters (PostgreSQL refuses NUL), capped."""
    printable = "".join(c if c.isprintable() else " " for c in query or "")
    return " ".join(printable.split())[:MAX_QUERY_CHARS]


def _query_stems(query: str, language: str) -> list[str]:
    unique = dict.fromkeys(stems(query, language, drop_stop_words=True))
    return list(unique)[:MAX_QUERY_WORDS]


def fts5_query(query: str, language: str) -> str:
    """The FTS5 query for `language`'s rows: every stem quoted, all required ('' if none)."""
    return " ".join('"' + s.replace('"', '""') + '"' for s in _query_stems(query, language))


# --- indexing ------------------------------------------------------------------------------


def _body(text_sections: Iterable[list[str]], agenda: Iterable[dict[str, object]]) -> str:
    parts: list[str] = []
    for segment in agenda:
        parts += [str(segment.get("title", "")), plain(str(segment.get("notes", "")))]
    for heading, markdown in text_sections:
        parts += [str(heading), plain(str(markdown))]
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _entries(item: Item, version: Version) -> list[SearchEntry]:
    sqlite = connection.vendor == "sqlite"
    entries = []
    for text in version.texts.all():
        themes = ", ".join(str(t) for t in text.themes)
        body = _body(text.sections, text.agenda)
        entry = SearchEntry(
            item=item,
            language=text.language,
            board_type=str(version.facts.get("board_type", "")),
            title=text.title,
            summary=text.summary,
            themes=themes,
            body=body,
        )
        if sqlite:
            entry.title_terms = " ".join(stems(text.title, text.language))
            entry.summary_terms = " ".join(stems(f"{text.summary}\n{themes}", text.language))
            entry.body_terms = " ".join(stems(body, text.language))
        entries.append(entry)
    return entries


def _pg_update_documents(where: str, params: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE learning_searchentry SET document =
                setweight(to_tsvector({_PG_CONFIG}, unaccent(title)), 'A')
                || setweight(to_tsvector({_PG_CONFIG}, unaccent(summary || ' ' || themes)), 'B')
                || setweight(to_tsvector({_PG_CONFIG}, unaccent(body)), 'C')
                WHERE {where}""",  # noqa: S608 - fixed SQL; values are parameters
            params,
        )


def index_item(item: Item) -> None:
    """(Re)index the item's published version, one row per language; none if unpublished."""
    SearchEntry.objects.filter(item_id=item.pk).delete()
    if item.published_id is None:
        return
    version = Version.objects.prefetch_related("texts").get(pk=item.published_id)
    SearchEntry.objects.bulk_create(_entries(item, version))
    if connection.vendor == "postgresql":
        _pg_update_documents("item_id = %s", [item.pk])


@transaction.atomic
def rebuild() -> int:
    """Reindex every published item (after a restore); returns how many were indexed."""
    if connection.vendor == "sqlite":
        # First make the FTS5 table match the rows, whatever a restore left in it: the delete
        # triggers below must remove exactly the words that are indexed.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO learning_search_fts(learning_search_fts) VALUES ('rebuild')"
            )
    SearchEntry.objects.all().delete()
    items = list(
        Item.objects.filter(published__isnull=False)
        .select_related("published")
        .prefetch_related("published__texts")
    )
    entries = [e for item in items if item.published for e in _entries(item, item.published)]
    SearchEntry.objects.bulk_create(entries)
    if connection.vendor == "postgresql":
        _pg_update_documents("TRUE", [])
    return len(items)


# --- searching -----------------------------------------------------------------------------


def _ranks_sqlite(query: str) -> dict[int, float]:
    selects: list[str] = []
    params: list[float | str] = []
    for language in Language.values:
        match = fts5_query(query, language)
        if match:
            selects.append(
                "SELECT e.id, -bm25(learning_search_fts, %s, %s, %s) FROM learning_search_fts "
                "JOIN learning_searchentry e ON e.id = learning_search_fts.rowid "
                "WHERE learning_search_fts MATCH %s AND e.language = %s"
            )
            params += [*BM25_WEIGHTS, match, language]
    if not selects:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        return {int(pk): float(rank) for pk, rank in cursor.fetchall()}


def _ranks_postgresql(query: str) -> dict[int, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT id, ts_rank(document, q) FROM learning_searchentry,
                LATERAL (SELECT CASE WHEN language = 'fr'
                    THEN plainto_tsquery('french', unaccent(%s))
                    ELSE plainto_tsquery('english', unaccent(%s)) END AS q) AS query
                WHERE document @@ q""",
            [query, query],
        )
        return {int(pk): float(rank) for pk, rank in cursor.fetchall()}


def _filtered(
    entries: QuerySet[SearchEntry],
    *,
    characteristic: str,
    context: str,
    board_type: str,
    language: str,
) -> QuerySet[SearchEntry]:
    entries = entries.filter(item__published__isnull=False)
    for vocabulary, code in (
        (Tag.Vocabulary.CHARACTERISTIC, characteristic),
        (Tag.Vocabulary.CONTEXT, context),
    ):
        if code:
            entries = entries.filter(
                Exists(Tag.objects.filter(item=OuterRef("item"), vocabulary=vocabulary, code=code))
            )
    if board_type:
        entries = entries.filter(board_type=board_type)
    if language:
        entries = entries.filter(language=language)
    return entries


class _Stemmer:
    """One language's Snowball stemmer over folded words, remembering the words it has seen
    (an item's body repeats its words; stemming each anew was most of a search's time)."""

    def __init__(self, language: str) -> None:
        self._stemmer = snowballstemmer.stemmer(STEMMERS[Language(language)])
        self._seen: dict[str, str] = {}

    def stem(self, word: str) -> str:
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = self._stemmer.stemWord(fold(word))
        return found


def excerpt(entry: SearchEntry, query: str, stemmer: _Stemmer | None = None) -> str:
    """The first passage of the body with one of the query's words, shortened; else the summary
    (at once when there are no words: a filtered list shows each item's summary)."""
    wanted = set(_query_stems(query, entry.language)) if query else set()
    if not wanted:
        return entry.summary
    stemmer = stemmer or _Stemmer(entry.language)
    for passage in entry.body.split("\n"):
        for match in WORD.finditer(passage):
            if stemmer.stem(match.group()) not in wanted:
                continue
            if len(passage) <= EXCERPT_CHARS:
                return passage
            start = passage.rfind(" ", 0, max(0, match.start() - EXCERPT_CHARS // 3)) + 1
            end = passage.rfind(" ", start, start + EXCERPT_CHARS)
            end = end if end > match.end() else start + EXCERPT_CHARS
            return ("… " if start else "") + passage[start:end].strip() + " …"
    return entry.summary


def mark(text: str, wanted: frozenset[str] | set[str], language: str) -> SafeString:
    """The text, escaped, with each word whose stem is wanted in <mark>: what is shown is
    escaped first and only the marks are HTML, so nothing typed or written is read as HTML."""
    if not wanted:
        return escape(text)
    stemmer = _Stemmer(language)
    out: list[str] = []
    last = 0
    for match in WORD.finditer(text):
        if stemmer.stem(match.group()) in wanted:
            out += [escape(text[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def search(
    query: str,
    *,
    characteristic: str = "",
    context: str = "",
    board_type: str = "",
    language: str = "",
    reader_language: str = Language.EN,
    limit: int = 100,
) -> list[Hit]:
    """Published items matching `query` and the filters, best first, one hit per item.

    Items are ranked by their best match in either language, and each is shown in the
    reader's language whenever that text matches at all (the other language only when the
    reader's does not match, or the item is not written in it). An empty query lists the
    filtered items in the library's order, in the reader's language where the item has it;
    an empty query without filters finds nothing.
    """
    query = clean_query(query)
    filters = {
        "characteristic": characteristic,
        "context": context,
        "board_type": board_type,
        "language": language,
    }
    entries = SearchEntry.objects.select_related("item", "item__published")
    if query:
        ranks = (
            _ranks_postgresql(query) if connection.vendor == "postgresql" else _ranks_sqlite(query)
        )
        if not ranks:
            return []
        entries = entries.filter(pk__in=list(ranks))
    elif not any(filters.values()):
        return []
    else:
        ranks = {}
    found = list(_filtered(entries, **filters))

    best: dict[int, float] = {}
    shown: dict[int, SearchEntry] = {}
    for entry in found:
        rank = ranks.get(entry.pk, 0.0)
        best[entry.item_id] = max(best.get(entry.item_id, rank), rank)
        other = shown.get(entry.item_id)
        if (
            other is None
            or (entry.language == reader_language) > (other.language == reader_language)
            or (
                (entry.language == reader_language) == (other.language == reader_language)
                and rank > ranks.get(other.pk, 0.0)
            )
        ):
            shown[entry.item_id] = entry

    def order(entry: SearchEntry) -> tuple[object, ...]:
        item = entry.item
        return (-best[entry.item_id], item.kind != Kind.MODULE, item.number or 0, item.slug)

    stemmers = {code: _Stemmer(code) for code in Language.values}
    hits = []
    for entry in sorted(shown.values(), key=order)[:limit]:
        facts = entry.item.published.facts if entry.item.published else {}
        hits.append(
            Hit(
                item=entry.item,
                language=entry.language,
                rank=ranks.get(entry.pk, 0.0),
                title=entry.title,
                excerpt=excerpt(entry, query, stemmers[entry.language]),
                board=str(facts.get("board", "")),
                board_type=str(facts.get("board_type", "")),
                characteristics=tuple(facts.get("characteristics", [])),
                wanted=frozenset(_query_stems(query, entry.language)) if query else frozenset(),
            )
        )
    return hits
