"""How a request's transaction ends: a read is committed (plans kept), a write never is."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select, text, update

from neighborly.accounts.models import User
from neighborly.extensions import db
from neighborly.transactions import commit_if_only_read
from tests.factories.accounts import UserFactory


@pytest.fixture()
def commits(app):
    """How many times the engine committed while the test ran."""
    seen: list[str] = []
    listener = lambda connection: seen.append("commit")  # noqa: E731
    event.listen(db.engine, "commit", listener)
    yield seen
    event.remove(db.engine, "commit", listener)


def stored_first_name(user_id: int) -> str:
    """What the database holds, read on a connection of its own."""
    with db.engine.connect() as connection:
        return connection.execute(
            text("SELECT first_name FROM users WHERE id = :id"), {"id": user_id}
        ).scalar_one()


def test_a_transaction_that_only_read_is_committed_at_the_end(app, commits):
    UserFactory()
    db.session.commit()
    commits.clear()
    db.session.scalars(select(User)).all()

    commit_if_only_read()

    assert commits == ["commit"]
    assert not db.session().in_transaction()


def test_a_write_a_service_did_not_commit_is_never_saved_by_the_end_of_the_request(app, commits):
    user = UserFactory(first_name="Ada")
    db.session.commit()
    commits.clear()
    db.session.execute(
        update(User).where(User.id == user.id).values(first_name="Mallory")
        .execution_options(synchronize_session=False)
    )  # fmt: skip

    commit_if_only_read()
    db.session.rollback()  # what removing the session does next

    assert commits == []
    assert stored_first_name(user.id) == "Ada"


def test_a_pending_change_is_not_saved_by_the_end_of_the_request(app, commits):
    user = UserFactory(first_name="Ada")
    db.session.commit()
    commits.clear()
    user.first_name = "Mallory"

    commit_if_only_read()
    db.session.rollback()

    assert commits == []
    assert stored_first_name(user.id) == "Ada"


def test_a_request_that_failed_is_not_committed_even_if_it_only_read(app, commits):
    db.session.scalars(select(User)).all()

    commit_if_only_read(RuntimeError("the view failed"))

    assert commits == []
    assert db.session().in_transaction()


def test_a_page_served_on_its_own_ends_its_read_with_a_commit(session_app, app, commits):
    """Through the whole stack, in a thread of its own (no app context of the test's)."""
    statuses: list[int] = []
    visit = lambda: statuses.append(session_app.test_client().get("/resources?q=food").status_code)  # noqa: E731
    worker = threading.Thread(target=visit)
    commits.clear()
    worker.start()
    worker.join()

    assert statuses == [200]
    assert commits, "the page's read-only transaction ended in ROLLBACK"


def test_on_postgresql_repeated_statements_stay_prepared_across_requests(app, is_postgres):
    if not is_postgres:
        pytest.skip("prepared statements are psycopg's, on PostgreSQL")
    UserFactory()
    db.session.commit()
    query = select(User.id).where(User.first_name != "nobody")
    for _ in range(8):  # more than psycopg's prepare threshold, one "request" each
        db.session.scalars(query).all()
        commit_if_only_read()
    prepared = db.session.scalar(
        text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%first_name%'")
    )
    assert prepared >= 1


def test_the_prepare_threshold_is_a_setting_that_can_turn_preparing_off():
    from config import engine_options

    url = "postgresql+psycopg://u@h/db"
    default = engine_options(url, {}, 3, 0, prepare_threshold="5")["connect_args"]
    off = engine_options(url, {}, 3, 0, prepare_threshold="off")["connect_args"]

    assert default["prepare_threshold"] == 5
    assert off["prepare_threshold"] is None  # PgBouncer before 1.21, in transaction mode
    assert "prepare_threshold" not in engine_options("sqlite:///x.db", {}, 3, 0, "1.1", "5")
