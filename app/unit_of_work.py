"""One unit of work per request and per CLI command: begun, committed or rolled back here.

Requests (as Indico's request handler does): the transaction is begun before the view runs —
as a writer (:func:`app.database.begin_write`) for every POST, PUT, PATCH and DELETE and for
the GET views marked :func:`view_writes`, as a plain reader otherwise — and ended after it:

* committed when the answer is a success (status below 400);
* rolled back when the answer is an error (400 and above), unless the view asked to keep its
  work with :func:`keep_on_error` (a refused report form keeps the files already accepted);
* rolled back when the view raised.

The outbox's e-mails are rows written in the same transaction, so they leave with the commit
or not at all. Views never commit or roll back, and never touch ``db.session``
(tests/unit/test_unit_of_work.py checks app/blueprints/).

Services declare that they write with :func:`writes`: it makes the transaction a writer (the
request is one already; a service called on its own begins one) and holds a SAVEPOINT around
the call, so a service that refuses (raises) leaves nothing of its own behind and the view can
show the page again as the database has it.

CLI commands (:func:`wrap_commands`): committed when the command returns, rolled back when
it fails. Batch jobs (the lifecycle tick, the outbox, the statistics refresh) still commit
each item in their services, so that one bad item does not undo the others.
"""
from __future__ import annotations

from functools import wraps

import click
from flask import Flask, current_app, g, request

from .database import STRICT, WRITES_DEPTH, begin_write, is_writing
from .extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_VIEW_WRITES = "terang_view_writes"
_LATE_LOCK = "terang_lock_at_first_statement"


def writes(service):
    """Declare that the service ``service`` writes: a write transaction, and a SAVEPOINT
    around the outermost such call so that an exception undoes the service's own writes."""
    @wraps(service)
    def run(*args, **kwargs):
        begin_write()
        session = db.session()
        depth = session.info.get(WRITES_DEPTH, 0)
        if depth:
            return service(*args, **kwargs)
        session.info[WRITES_DEPTH] = 1
        try:
            with session.begin_nested():
                return service(*args, **kwargs)
        finally:
            session.info.pop(WRITES_DEPTH, None)
    return run


def view_writes(view):
    """Declare a GET view that writes (an oversight read's log row, a token's last use): its
    unit of work is begun as a writer, before anything is read."""
    setattr(view, _VIEW_WRITES, True)
    return view


def lock_at_first_statement(view):
    """Declare a writing view whose write transaction begins at its first statement instead of
    before the view (``begin_write(at_first_statement=True)``): nothing is read before the lock
    either way, but what the view does before it needs the database (parsing and checking the
    form, CSRF) no longer holds the write lock, which on SQLite every writer takes in turn.

    Only for a view that creates rather than changes: its ``now`` is read before the lock, so
    two such requests may commit in the other order than their times (two new reports: a
    reference number one higher with a filing time a few milliseconds earlier). A view that
    acts on an existing row keeps the lock from its start, so that its time follows every
    change it sees."""
    setattr(view, _LATE_LOCK, True)
    return view


def _late_lock() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, _LATE_LOCK, False))


def keep_on_error() -> None:
    """Commit this request's work even though its answer is an error status."""
    g.terang_keep_on_error = True


WRITER_CHECKS = "terang_writer_checks"


def writer_when(app: Flask, check) -> None:
    """Also begin a request as a writer when ``check()`` says so (it runs before anything is
    read, e.g. app/staff_session.py: a staff session whose last visit is to be noted)."""
    app.extensions.setdefault(WRITER_CHECKS, []).append(check)


def _view_writes() -> bool:
    if request.method not in SAFE_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if getattr(view, _VIEW_WRITES, False):
        return True
    return any(check() for check in current_app.extensions.get(WRITER_CHECKS, ()))


def begin_request() -> None:
    """Begin the request's unit of work (the first thing a request does)."""
    session = db.session()
    session.info.pop(STRICT, None)
    if _view_writes():
        begin_write(at_first_statement=_late_lock())
    session.info[STRICT] = True


def end_request(response):
    """Commit a success (or an error the view chose to keep); roll back any other error."""
    session = db.session()
    session.info.pop(STRICT, None)
    if (not session.in_transaction() and not (session.new or session.dirty or session.deleted)
            and not is_writing()):
        # Nothing was begun (a page cache hit reads nothing): nothing to end. A commit would
        # begin and end an empty transaction, a fifth of a hit's time. (A writer declared but
        # not begun is still ended, which clears its flags.)
        return response
    if response.status_code < 400 or g.get("terang_keep_on_error"):
        session.commit()
    else:
        session.rollback()
    return response


def _teardown_request(exc) -> None:
    session = db.session()
    session.info.pop(STRICT, None)
    if exc is not None:
        session.rollback()


def init_app(app: Flask) -> None:
    """Install the request hooks; the unit of work begins before any other hook reads."""
    app.before_request_funcs.setdefault(None, []).insert(0, begin_request)
    app.after_request(end_request)
    app.teardown_request(_teardown_request)


def command(callback):
    """Run a CLI command as one unit of work: commit when it returns, roll back when it fails."""
    @wraps(callback)
    def run(*args, **kwargs):
        try:
            result = callback(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return result
    return run


def wrap_commands(group: click.Command) -> None:
    """Give every command of ``group`` (and of its subgroups) that this app defines its unit of
    work, once (an extension's commands, e.g. Flask-Migrate's ``db``, are left alone)."""
    if isinstance(group, click.Group):
        for sub in group.commands.values():
            wrap_commands(sub)
        return
    callback = group.callback
    if (callback is None or getattr(callback, "terang_unit_of_work", False)
            or not callback.__module__.startswith(__package__ + ".")):
        return
    group.callback = command(callback)
    group.callback.terang_unit_of_work = True
