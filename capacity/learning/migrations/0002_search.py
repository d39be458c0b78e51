"""The library's search index: one row per language of each published item, searched with
SQLite's FTS5 (a virtual table kept in step by triggers) or PostgreSQL's full text (a tsvector
column with a GIN index, accents removed by the unaccent extension). Each database gets only
its own part; see capacity/learning/search.py."""

import django.db.models.deletion
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models

# The FTS5 table reads its words from learning_searchentry's *_terms columns (an "external
# content" table: the words are stored once); the triggers are SQLite's documented way of
# keeping such a table in step, so a row deleted by a cascade leaves the index too.
SQLITE_FORWARDS = [
    """CREATE VIRTUAL TABLE learning_search_fts USING fts5(
        title_terms, summary_terms, body_terms,
        content='learning_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER learning_search_fts_insert AFTER INSERT ON learning_searchentry BEGIN
        INSERT INTO learning_search_fts(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
    """CREATE TRIGGER learning_search_fts_delete AFTER DELETE ON learning_searchentry BEGIN
        INSERT INTO learning_search_fts(learning_search_fts, rowid, title_terms, summary_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.summary_terms, old.body_terms);
    END""",
    """CREATE TRIGGER learning_search_fts_update AFTER UPDATE ON learning_searchentry BEGIN
        INSERT INTO learning_search_fts(learning_search_fts, rowid, title_terms, summary_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.summary_terms, old.body_terms);
        INSERT INTO learning_search_fts(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS learning_search_fts_update",
    "DROP TRIGGER IF EXISTS learning_search_fts_delete",
    "DROP TRIGGER IF EXISTS learning_search_fts_insert",
    "DROP TABLE IF EXISTS learning_search_fts",
]
POSTGRES_FORWARDS = [
    "ALTER TABLE learning_searchentry ADD COLUMN document tsvector",
    "CREATE INDEX learning_search_document ON learning_searchentry USING gin (document)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS learning_search_document",
    "ALTER TABLE learning_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
    ]

    operations = [
        UnaccentExtension(),  # does nothing on SQLite
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(choices=[("en", "English"), ("fr", "French")], max_length=2),
                ),
                ("board_type", models.CharField(blank=True, max_length=20)),
                ("title", models.CharField(max_length=300)),
                ("summary", models.TextField(blank=True)),
                ("themes", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("title_terms", models.TextField(blank=True)),
                ("summary_terms", models.TextField(blank=True)),
                ("body_terms", models.TextField(blank=True)),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_entries",
                        to="learning.item",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("item", "language"), name="learning_search_once"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRES_FORWARDS}),
            _run({"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRES_BACKWARDS}),
        ),
    ]
