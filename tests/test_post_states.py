"""Post and thread states are one Enum, and the database refuses any other value (SQLite and
PostgreSQL, through the models' schema and through the migrations)."""
import pytest
import sqlalchemy as sa

from community.extensions import db
from community.forums.models import POST_STATES, PostState, Thread
from tests.helpers import create_community, create_user, start_thread
from tests.test_platform import empty_app  # noqa: F401 (fixture: a database with no schema yet)


def _refuses(statement):
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()


def _check(post_id, thread_id):
    from community.forums.models import Post

    _refuses(sa.update(Post).where(Post.id == post_id).values(state="publihsed"))
    _refuses(sa.update(Thread).where(Thread.id == thread_id).values(state="gone"))
    db.session.execute(sa.update(Thread).where(Thread.id == thread_id).values(state="merged"))
    db.session.commit()
    assert db.session.get(Thread, thread_id).state == "merged"


def test_the_enum_is_designs_list_and_compares_with_plain_names():
    assert POST_STATES == ("pending", "published", "held", "rejected", "hidden", "deleted")
    assert PostState.PUBLISHED == "published" and PostState("held") is PostState.HELD


def test_the_models_schema_refuses_an_unknown_state(ctx):
    thread, post = start_thread(create_user("alex"), create_community())
    _check(post.id, thread.id)


def test_the_migrated_schema_refuses_an_unknown_state(empty_app):  # noqa: F811
    from flask_migrate import upgrade

    with empty_app.app_context():
        upgrade()
        thread, post = start_thread(create_user("alex"), create_community())
        _check(post.id, thread.id)
