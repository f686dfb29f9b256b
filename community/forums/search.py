"""Full-text search over what the searcher may see: SQLite FTS5 or PostgreSQL tsvector + GIN.

The index holds published posts only; every query joins back to posts and applies
the visibility rule, so access changes take effect at once.
"""
import re

import sqlalchemy as sa
from markupsafe import Markup, escape

from ..extensions import db
from ..markdown import plain_text
from .models import Community, Post, Thread
from .visibility import visible_posts

START, STOP = "\x02", "\x03"
# PostgreSQL's text-search parser reads "<...>" as markup: it neither indexes the words inside
# nor keeps them in ts_headline(), so a member's literal "<b>" vanished from snippets. Stored
# text has "<" and ">" swapped for two control characters (stripped from all input by _CONTROL)
# and highlight() turns them back, escaped.
LT, GT = "\x04", "\x05"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12

SQLITE_SCHEMA = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS post_search USING fts5(title, body, tokenize='porter unicode61')",
]
POSTGRES_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS post_search (
        post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
        title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        document TSVECTOR NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS ix_post_search_document ON post_search USING GIN (document)",
]
DROP = ["DROP TABLE IF EXISTS post_search"]


def include_name(name, type_, parent_names):
    """For Alembic: the index is made by raw SQL in the migrations, not by models, so
    autogenerate and the drift check must not see it."""
    return not (type_ == "table" and name and name.startswith("post_search"))


def _dialect(bind=None):
    return (bind or db.session.get_bind()).dialect.name


def schema_statements(dialect):
    return POSTGRES_SCHEMA if dialect == "postgresql" else SQLITE_SCHEMA


def create_schema(connection):
    for stmt in schema_statements(connection.dialect.name):
        connection.exec_driver_sql(stmt)


def index(post_id, title, body_html):
    body = _CONTROL.sub(" ", plain_text(body_html))
    title = _CONTROL.sub(" ", title or "")
    if _dialect() == "postgresql":
        title = title.replace("<", LT).replace(">", GT)
        body = body.replace("<", LT).replace(">", GT)
        db.session.execute(
            sa.text(
                "INSERT INTO post_search (post_id, title, body, document) VALUES (:id, :t, :b, "
                "setweight(to_tsvector('english', :t), 'A') || to_tsvector('english', :b)) "
                "ON CONFLICT (post_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, "
                "document = EXCLUDED.document"
            ),
            {"id": post_id, "t": title, "b": body},
        )
    else:
        db.session.execute(sa.text("DELETE FROM post_search WHERE rowid = :id"), {"id": post_id})
        db.session.execute(
            sa.text("INSERT INTO post_search (rowid, title, body) VALUES (:id, :t, :b)"),
            {"id": post_id, "t": title, "b": body},
        )


def remove(post_id):
    key = "post_id" if _dialect() == "postgresql" else "rowid"
    db.session.execute(sa.text(f"DELETE FROM post_search WHERE {key} = :id"), {"id": post_id})


def terms(query):
    return _WORD.findall(query or "")[:MAX_TERMS]


def highlight(snippet):
    """Escape the stored text, then turn the match markers into <mark>."""
    html = str(escape(snippet)).replace(START, "<mark>").replace(STOP, "</mark>")
    return Markup(html.replace(LT, "&lt;").replace(GT, "&gt;"))


def search(viewer, query, limit=20, offset=0):
    """[(post, thread, community, snippet_html)] best match first; [] for an empty query."""
    words = terms(query)
    if not words:
        return []
    if _dialect() == "postgresql":
        ts_query = sa.func.plainto_tsquery("english", " ".join(words))
        doc = sa.column("document")
        ps = sa.table("post_search", sa.column("post_id"), sa.column("body"), doc)
        snippet = sa.func.ts_headline(
            "english", ps.c.body, ts_query,
            f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, ShortWord=2",
        )
        rank = sa.func.ts_rank(doc, ts_query)
        stmt = (
            sa.select(Post, Thread, Community, snippet.label("snippet"))
            .select_from(ps).join(Post, Post.id == ps.c.post_id)
            .where(doc.op("@@")(ts_query))
        )
    else:
        match = " ".join('"{}"'.format(w.replace('"', "")) for w in words)
        ps = sa.table("post_search", sa.column("rowid"), sa.column("rank"))
        snippet = sa.func.snippet(sa.literal_column("post_search"), 1, START, STOP, "…", 24)
        rank = -ps.c.rank
        stmt = (
            sa.select(Post, Thread, Community, snippet.label("snippet"))
            .select_from(ps).join(Post, Post.id == ps.c.rowid)
            .where(sa.literal_column("post_search").op("MATCH")(match))
        )
    stmt = (
        stmt.join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == Thread.community_id)
        .where(Post.state == "published", visible_posts(viewer))
        .order_by(rank.desc(), Post.id.desc()).limit(limit).offset(offset)
    )
    return [(p, t, c, highlight(s or "")) for p, t, c, s in db.session.execute(stmt)]
