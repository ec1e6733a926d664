"""One search service for every domain: forgiving full-text search over what domains register.

A domain registers a *source* (``register(Source(...))`` in its ``search.py``, which the
factory imports): the model it indexes, a function giving the words of one object (name,
description, theme names and their synonyms…), and the models whose change means reindexing
(a theme renamed). Core imports no domain: it only keeps, for every registered object, one row
of ``search_documents`` that a session hook refreshes on each flush.

Words are made forgiving on both sides, in Python, the same way on every database: case folded,
cut to their French stem (Snowball, the stemmer PostgreSQL's ``french`` configuration uses), then
stripped of accents — "Déchets", "dechets" and "déchet" are one word, and so are "Zéro" and
"zero". The last word of a query is also a prefix ("compo" finds "compost").

- SQLite (the default): an FTS5 table ``search_fts`` over the stemmed words, tokenizer
  ``unicode61 remove_diacritics 2``, kept in step with ``search_documents`` by triggers.
- PostgreSQL (production): a ``tsvector`` column with a GIN index, built with the text search
  configuration ``terreau_fr`` — a copy of ``french`` that runs ``unaccent`` first when the
  extension can be created (migration 0012 says so in its log otherwise and keeps plain
  ``french``; the Python side has already removed accents, so results are the same).

Queries never reach the full-text syntax: only letters and digits are kept, each word quoted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import snowballstemmer
from sqlalchemy import (
    ColumnElement,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    event,
    func,
    inspect,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from community.extensions import db

MAX_QUERY = 200  # characters of a query that are read
MAX_WORDS = 8  # words of a query that are used
CONFIG = "terreau_fr"
FTS_TABLE = "search_fts"
# Words too common to help a search (they would match everything).
_STOP = (
    "a au aux avec c ce ces d dans de des du en et il la le les l leur mon ma mes ne ou par pas "
)
_STOP += "pour qu que qui sa se ses son sur ta te tes ton un une vos votre nos notre y"
STOP_WORDS = frozenset(_STOP.split())
WORD = re.compile(r"\w+", re.UNICODE)


class SearchDocument(db.Model):  # type: ignore[name-defined]
    """The searchable words of one object of a registered kind ("community", "initiative")."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id"),
        Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    ref_id: Mapped[int] = mapped_column(Integer)
    # The stemmed, accent-free words, space-separated (what FTS5 indexes on SQLite).
    terms: Mapped[str] = mapped_column(Text, default="")
    # PostgreSQL: to_tsvector('terreau_fr', terms). SQLite: unused (NULL).
    tsv: Mapped[Any] = mapped_column(
        Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
    )


# --- the forgiving words ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("french")


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=20_000)
def _forgiving(raw: str) -> str:
    """One folded word's stem without accents ("" for a stop word). Words repeat across texts
    (and Snowball costs more than the rest of indexing): kept per process."""
    raw = raw.replace("_", "")
    if not raw or raw in STOP_WORDS:
        return ""
    # A plural first ("potagers" → "potager": Snowball alone gives "potager" and "potag"),
    # then Snowball on the accented word, then the accents ("déchets" → "dechet").
    if len(raw) > 3 and raw[-1] in "sx" and raw[-2] not in "su":
        raw = raw[:-1]
    stem = strip_accents(_stemmer().stemWord(raw))
    return "".join(c for c in stem if c.isalnum())


def words(text: str) -> list[str]:
    """The forgiving form of the words of `text`: folded, stemmed, without accents, in order."""
    text = (text or "").replace("\x00", " ")
    result = []
    for raw in WORD.findall(text.casefold()):
        # Only words of a usual length are kept (a long run of letters would fill the memory).
        stem = _forgiving(raw) if len(raw) <= 40 else _forgiving.__wrapped__(raw)
        if stem:
            result.append(stem)
    return result


def query_words(query: str) -> list[str]:
    """The words of a search, at most `MAX_WORDS`, each made of letters and digits only."""
    return words((query or "")[:MAX_QUERY])[:MAX_WORDS]


# --- sources ------------------------------------------------------------------------------


@dataclass
class Source:
    """What a domain makes searchable.

    `text_of(obj)` gives the text to index (the hook runs it after a flush; it may read the
    object's relationships). A change to an object of one of `depends_on` (a theme renamed)
    reindexes every object of this kind.
    """

    kind: str
    model: type[Any]
    text_of: Callable[[Any], str]
    # The attributes `text_of` reads: an object changed elsewhere (a count) is left as it is.
    fields: tuple[str, ...]
    depends_on: tuple[type, ...] = field(default_factory=tuple)

    def changed(self, obj: Any) -> bool:
        state = inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in self.fields)


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.kind] = source
    return source


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


# --- the index ----------------------------------------------------------------------------


def _store(connection: Connection, kind: str, rows: Iterable[tuple[int, str]]) -> None:
    """Upsert the documents of `kind` given as (ref_id, text)."""
    table = SearchDocument.__table__
    for ref_id, body in rows:
        terms = " ".join(words(body))
        connection.execute(delete(table).where(table.c.kind == kind, table.c.ref_id == ref_id))
        values: dict[str, Any] = {"kind": kind, "ref_id": ref_id, "terms": terms}
        if connection.dialect.name == "postgresql":
            values["tsv"] = func.to_tsvector(literal_column(f"'{CONFIG}'::regconfig"), terms)
        connection.execute(table.insert().values(**values))


def _remove(connection: Connection, kind: str, ref_ids: Iterable[int]) -> None:
    ids = list(ref_ids)
    if ids:
        table = SearchDocument.__table__
        connection.execute(delete(table).where(table.c.kind == kind, table.c.ref_id.in_(ids)))


def rebuild(session: Session | None = None, kinds: Iterable[str] | None = None) -> int:
    """Reindex every object of `kinds` (all registered kinds by default); the count indexed."""
    session = session or db.session()
    count = 0
    for kind in list(kinds or _SOURCES):
        source = _SOURCES[kind]
        connection = session.connection()
        connection.execute(
            delete(SearchDocument.__table__).where(SearchDocument.__table__.c.kind == kind)
        )
        objects = list(session.execute(select(source.model)).scalars())
        _store(connection, kind, ((obj.id, source.text_of(obj)) for obj in objects))
        count += len(objects)
    return count


@event.listens_for(Session, "after_flush")
def _reindex_after_flush(session: Session, flush_context: Any) -> None:
    """Keep the index in step with what this flush wrote. Runs at every flush: the session's
    sets are read once (each is a walk of the identity map) and it leaves at once when no
    searchable object, nor one they depend on, was written."""
    if not _SOURCES:
        return
    new, dirty, deleted = list(session.new), list(session.dirty), list(session.deleted)
    if not (new or dirty or deleted):
        return
    for source in _SOURCES.values():
        watched = (source.model, *source.depends_on)
        if not any(isinstance(o, watched) for group in (new, dirty, deleted) for o in group):
            continue
        connection = session.connection()
        _remove(connection, source.kind, [o.id for o in deleted if isinstance(o, source.model)])
        if source.depends_on and any(
            isinstance(o, source.depends_on) and session.is_modified(o) for o in dirty
        ):
            with session.no_autoflush:
                objects = list(session.execute(select(source.model)).scalars())
        else:
            objects = [o for o in new if isinstance(o, source.model)]
            objects += [o for o in dirty if isinstance(o, source.model) and source.changed(o)]
        if objects:
            with session.no_autoflush:
                _store(connection, source.kind, ((o.id, source.text_of(o)) for o in objects))


# --- searching ----------------------------------------------------------------------------


def matching_ids(kind: str, query: str) -> Select[Any] | None:
    """The ids of the objects of `kind` matching every word of `query` (the last one also as a
    prefix), as a select to put in an ``IN``; None when the query has no usable word."""
    terms = query_words(query)
    if not terms:
        return None
    table = SearchDocument.__table__
    dialect = db.session.get_bind().dialect.name
    base = select(table.c.ref_id).where(table.c.kind == kind)
    if dialect == "postgresql":
        expression = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
        tsquery = func.to_tsquery(literal_column(f"'{CONFIG}'::regconfig"), expression)
        return base.where(table.c.tsv.op("@@")(tsquery))
    if dialect == "sqlite":
        expression = " ".join([*(f'"{t}"' for t in terms[:-1]), f'"{terms[-1]}"*'])
        fts = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :expression")
        return base.where(table.c.id.in_(fts.bindparams(bindparam("expression", expression))))
    # Any other database: every word must start a word of the document.
    clauses: list[ColumnElement[bool]] = [(" " + table.c.terms).like(f"% {t}%") for t in terms]
    return base.where(*clauses)


# --- the structure: FTS5 on SQLite, a text search configuration on PostgreSQL ------------

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(terms, content='search_documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS search_documents_ai",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TABLE IF EXISTS search_fts",
)
# `unaccent` needs the right to create an extension: without it, plain `french` is copied
# (accents are removed in Python before, so searching works the same).
POSTGRES_DDL = (
    "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS unaccent; "
    "EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'unaccent unavailable'; END $$",
    "DO $$ BEGIN "
    # Looked up on the search path, as `to_tsvector('terreau_fr', …)` will be: a copy in
    # another schema of the same database (another deployment, a test schema) does not count.
    "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'terreau_fr' "
    "AND cfgnamespace::regnamespace::text = ANY (current_schemas(true))) THEN "
    "CREATE TEXT SEARCH CONFIGURATION terreau_fr (COPY = french); "
    "IF EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent' "
    "AND dictnamespace::regnamespace::text = ANY (current_schemas(true))) THEN "
    "ALTER TEXT SEARCH CONFIGURATION terreau_fr ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, french_stem; END IF; END IF; END $$",
)
POSTGRES_DROP = ("DROP TEXT SEARCH CONFIGURATION IF EXISTS terreau_fr",)


def is_search_internal(name: str | None) -> bool:
    """The FTS5 table and its shadow tables (not in the models' metadata; the migration test and
    autogenerate leave them alone)."""
    return bool(name) and (name == FTS_TABLE or str(name).startswith(FTS_TABLE + "_"))


def create_structure(connection: Connection) -> None:
    """What the models cannot say: the FTS5 table and triggers, or the text search config."""
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DDL:
            connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        for statement in POSTGRES_DDL:
            connection.exec_driver_sql(statement)


def drop_structure(connection: Connection) -> None:
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(
        connection.dialect.name, ()
    )
    for statement in statements:
        connection.exec_driver_sql(statement)


def unaccent_in_use(connection: Connection) -> bool:
    """Whether the PostgreSQL configuration strips accents itself (False elsewhere)."""
    if connection.dialect.name != "postgresql":
        return False
    row = connection.execute(
        text(
            "SELECT 1 FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg "
            "JOIN pg_ts_dict d ON d.oid = m.mapdict WHERE c.cfgname = :config "
            "AND d.dictname = 'unaccent'"
        ),
        {"config": CONFIG},
    ).first()
    return row is not None


# With `db.create_all()` (the tests) the structure follows the table; the migration does the
# same through `create_structure`.
@event.listens_for(SearchDocument.__table__, "after_create")
def _after_create(target: Any, connection: Connection, **kw: Any) -> None:
    create_structure(connection)


@event.listens_for(SearchDocument.__table__, "before_drop")
def _before_drop(target: Any, connection: Connection, **kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.exec_driver_sql(statement)
