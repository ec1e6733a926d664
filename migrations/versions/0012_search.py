"""search: one forgiving full-text index of communities and initiatives

SQLite: the table `search_documents` and an FTS5 table `search_fts` (tokenizer `unicode61
remove_diacritics 2`) kept in step by triggers. PostgreSQL: a `tsvector` column with a GIN
index and the text search configuration `terreau_fr` (`french`, after `unaccent` when the
extension can be created; otherwise plain `french`, said in the log). Existing communities
and initiatives are indexed here; see community/core/search.py.

Revision ID: 0012
Revises: 0016
Create Date: 2026-12-01 21:00:00

"""

import logging
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0016"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column(
            "tsv", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "ref_id", name=op.f("uq_search_documents_kind_ref_id")),
    )
    op.create_index(
        "ix_search_documents_tsv", "search_documents", ["tsv"], postgresql_using="gin"
    )
    from community.core import search

    connection = op.get_bind()
    search.create_structure(connection)
    if connection.dialect.name == "postgresql" and not search.unaccent_in_use(connection):
        log.warning(
            "search: the unaccent extension could not be created; 'terreau_fr' is plain "
            "'french' (accents are removed in Python, results are the same)"
        )
    _index_existing(connection, search)


def _index_existing(connection, search):
    """Index what exists already, with the words the domains' search sources give."""
    from community.territory.search import theme_text

    themes = {
        row.id: SimpleNamespace(name=row.name)
        for row in connection.execute(sa.text("SELECT id, name FROM themes"))
    }
    rows = [
        (row.id, " ".join([row.name, row.description or "", theme_text(themes.get(row.theme_id))]))
        for row in connection.execute(
            sa.text("SELECT id, name, description, theme_id FROM communities")
        )
    ]
    search._store(connection, "community", rows)
    by_initiative: dict[int, list[int]] = {}
    for row in connection.execute(sa.text("SELECT initiative_id, theme_id FROM initiative_themes")):
        by_initiative.setdefault(row.initiative_id, []).append(row.theme_id)
    rows = [
        (
            row.id,
            " ".join(
                [
                    row.title,
                    row.summary or "",
                    row.description or "",
                    *(theme_text(themes.get(t)) for t in by_initiative.get(row.id, [])),
                ]
            ),
        )
        for row in connection.execute(
            sa.text("SELECT id, title, summary, description FROM initiatives")
        )
    ]
    search._store(connection, "initiative", rows)


def downgrade():
    from community.core import search

    search.drop_structure(op.get_bind())
    op.drop_index("ix_search_documents_tsv", table_name="search_documents")
    op.drop_table("search_documents")
