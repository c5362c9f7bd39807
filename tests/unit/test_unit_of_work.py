"""One unit of work per request and per CLI command (app/unit_of_work.py).

Views never touch the session: the request's unit of work begins, commits and rolls back, and
services declare that they write (``@unit_of_work.writes``).
"""
from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest
from flask import Response
from sqlalchemy import select

from app import unit_of_work
from app.database import ReadBeforeWrite, begin_write, is_writing
from app.extensions import db
from app.models import User
from tests import factories

BLUEPRINTS = Path(__file__).resolve().parents[2] / "app" / "blueprints"


def session_uses(source: str, filename: str = "<source>"):
    """(line, what) of every use of the database session in ``source``.

    ``db.session`` in any form (an attribute, ``from … import db`` then ``db.session``), the
    session's transaction calls on anything (``.commit()``, ``.rollback()``, ``begin_write``)
    and importing ``db`` or ``begin_write`` at all.
    """
    tree = ast.parse(source, filename=filename)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr == "session"
                and isinstance(node.value, ast.Name) and node.value.id == "db"):
            yield node.lineno, "db.session"
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in ("commit", "rollback", "begin_write", "begin_nested"):
                yield node.lineno, f"{name}()"
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in ("db", "begin_write"):
                    yield node.lineno, f"import {alias.name}"


def test_no_view_touches_the_database_session():
    offenders = []
    for path in sorted(BLUEPRINTS.rglob("*.py")):
        for lineno, what in session_uses(path.read_text(encoding="utf-8"), str(path)):
            offenders.append(f"{path.relative_to(BLUEPRINTS.parent.parent)}:{lineno} {what}")
    assert offenders == []


@pytest.mark.parametrize("source", [
    "from ...extensions import db\n",
    "x = db.session.scalar(q)\n",
    "db.session.commit()\n",
    "session = db.session\n",
    "get_session().rollback()\n",
    "from ...database import begin_write\n",
])
def test_the_check_finds_a_session_in_a_view(source):
    assert list(session_uses(source))


QUERY_METHODS = ("where", "filter", "filter_by", "order_by", "options", "with_only_columns",
                 "scalars", "scalar", "execute")


def query_uses(source: str, filename: str = "<source>"):
    """(line, what) of every query built or run in ``source``: importing SQLAlchemy, calling
    ``select(…)``, or a query method (``.where(…)``, ``.order_by(…)``, ``.scalars(…)`` …)."""
    tree = ast.parse(source, filename=filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    yield node.lineno, f"import {alias.name}"
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            yield node.lineno, f"from {node.module} import …"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "select":
                yield node.lineno, "select()"
            if isinstance(func, ast.Attribute) and func.attr in QUERY_METHODS:
                yield node.lineno, f".{func.attr}()"


def test_no_view_builds_a_query():
    """Views load through services: no query is built or run in app/blueprints/."""
    offenders = []
    for path in sorted(BLUEPRINTS.rglob("*.py")):
        for lineno, what in query_uses(path.read_text(encoding="utf-8"), str(path)):
            offenders.append(f"{path.relative_to(BLUEPRINTS.parent.parent)}:{lineno} {what}")
    assert offenders == []


@pytest.mark.parametrize("source", [
    "from sqlalchemy import select\n",
    "import sqlalchemy as sa\n",
    "q = select(Report)\n",
    "q = board.public_reports_query().where(Report.reference == ref)\n",
    "rows = session.scalars(q)\n",
])
def test_the_check_finds_a_query_in_a_view(source):
    assert list(query_uses(source))


# --- services declare that they write --------------------------------------------------------

@unit_of_work.writes
def _add_user_then_refuse(email):
    factories.make_user("officer", "dinkes-kota-padang", email=email)
    raise ValueError("refused")


def test_a_refusing_service_leaves_nothing_behind(db_session):
    kept = factories.make_user("officer", "dinkes-kota-padang", email="tetap@uow.terang.test")
    with pytest.raises(ValueError):
        _add_user_then_refuse("batal@uow.terang.test")
    assert db.session.scalar(select(User).where(User.email == "batal@uow.terang.test")) is None
    # What the unit of work held before the service stays.
    assert db.session.scalar(select(User).where(User.email == kept.email)) is kept
    assert is_writing()


def test_a_service_that_writes_makes_the_transaction_a_writer(db_session):
    db.session.commit()
    assert not is_writing()
    unit_of_work.writes(lambda: None)()
    assert is_writing()


# --- requests ----------------------------------------------------------------------------------

def test_a_get_request_that_read_cannot_start_writing(app, db_session):
    db.session.commit()
    with app.test_request_context("/transparansi/", method="GET"):
        unit_of_work.begin_request()
        db.session.scalar(select(User).limit(1))  # a read
        with pytest.raises(ReadBeforeWrite):
            begin_write()
        unit_of_work.end_request(Response(status=200))


def test_a_post_request_begins_as_a_writer(app, db_session):
    db.session.commit()
    with app.test_request_context("/lapor", method="POST"):
        unit_of_work.begin_request()
        assert is_writing()
        db.session.scalar(select(User).limit(1))
        begin_write()  # already a writer: nothing to do
        unit_of_work.end_request(Response(status=303))
    assert not is_writing()


def _another_writer_can_begin(path: str) -> bool:
    import sqlite3

    other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.parametrize("path, late", [("/lapor", True), ("/bahasa", False)])
def test_when_a_post_request_takes_the_write_lock(app, path, late):
    """Filing (``lock_at_first_statement``) takes the lock at its first statement, so that the
    form's own work does not hold other writers up (on SQLite they take turns); any other
    writing request takes it before the view. Nothing is read before the lock either way."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite" or db.engine.url.database in (None, "", ":memory:"):
            pytest.skip("the write lock of a SQLite file")
        database = db.engine.url.database
        with app.test_request_context(path, method="POST"):
            unit_of_work.begin_request()
            assert is_writing()
            assert _another_writer_can_begin(database) == late  # declared; begun unless late
            db.session.scalar(select(User).limit(1))  # the first statement
            assert not _another_writer_can_begin(database)
            begin_write()  # already a writer: nothing to do
            unit_of_work.end_request(Response(status=303))
        assert _another_writer_can_begin(database)
        assert not is_writing()
        db.session.remove()


def _request_adding_a_user(app, email, status, keep=False):
    with app.test_request_context("/lapor", method="POST"):
        unit_of_work.begin_request()
        factories.make_user("officer", "dinkes-kota-padang", email=email)
        if keep:
            unit_of_work.keep_on_error()
        unit_of_work.end_request(Response(status=status))


@pytest.mark.parametrize("status, keep, kept", [
    (200, False, True), (303, False, True), (422, False, False), (500, False, False),
    (422, True, True),
])
def test_a_request_commits_a_success_and_rolls_back_an_error(app, db_session, status, keep, kept):
    db.session.commit()
    email = f"permintaan-{status}-{keep}@uow.terang.test"
    _request_adding_a_user(app, email, status, keep)
    found = db.session.scalar(select(User).where(User.email == email))
    assert (found is not None) == kept


# --- CLI commands ------------------------------------------------------------------------------

def test_a_cli_command_commits_when_it_returns_and_rolls_back_when_it_fails(app, db_session):
    db.session.commit()

    @unit_of_work.command
    def adds(email, fail):
        factories.make_user("officer", "dinkes-kota-padang", email=email)
        if fail:
            raise click.ClickException("gagal")

    adds("cli-ok@uow.terang.test", False)
    with pytest.raises(click.ClickException):
        adds("cli-gagal@uow.terang.test", True)
    emails = set(db.session.scalars(select(User.email).where(User.email.like("cli-%@uow.terang.test"))))
    assert emails == {"cli-ok@uow.terang.test"}


def test_every_command_of_the_app_has_its_unit_of_work(app):
    ours = [c for group in app.cli.commands.values() if group.name != "db"
            for c in getattr(group, "commands", {group.name: group}).values()]
    assert ours
    assert all(getattr(c.callback, "terang_unit_of_work", False) for c in ours)
