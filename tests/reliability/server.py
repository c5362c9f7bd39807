"""A real gunicorn server on a throw-away database, for the reliability tests.

The database is a temporary SQLite file, or, when the suite runs on PostgreSQL
(``TEST_DATABASE_URL``), a separate database created next to the suite's and dropped afterwards.
The server is ``gunicorn -c gunicorn.conf.py wsgi:app`` as ``make serve`` starts it (production
settings, several sync workers) with the rate limits off. It runs in its own process group, so
that stopping it stops every worker too; its output goes to a file (a pipe nobody reads would
fill up and stall the server).
"""
from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import normalise_database_url

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET_KEY = "keandalan-" + "k" * 40
READY_TIMEOUT = 90
STOP_TIMEOUT = 20
# Raised or lowered by the environment (docs/deploy.md, Reliability).
WORKERS = int(os.environ.get("TERANG_RELIABILITY_WORKERS", "4"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the throw-away database --------------------------------------------------------------------

@dataclass
class Database:
    url: str  # SQLAlchemy URL (postgresql+psycopg://… or sqlite:///…)
    sqlite_path: Path | None = None
    admin_url: str | None = None
    name: str | None = None

    @property
    def dialect(self) -> str:
        return "sqlite" if self.sqlite_path else "postgresql"

    def engine(self):
        return create_engine(self.url, future=True)

    def drop(self) -> None:
        if self.admin_url is None:
            return
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        finally:
            admin.dispose()


def make_database(tmp_path: Path) -> Database:
    """A fresh, empty database of the kind the suite runs on."""
    suite_url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if not suite_url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        path = tmp_path / "keandalan.db"
        return Database(url=f"sqlite:///{path}", sqlite_path=path)
    suite = make_url(normalise_database_url(suite_url))
    name = f"{(suite.database or 'terang')[:30]}_keandalan_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin_url = suite.set(database="postgres").render_as_string(hide_password=False)
    database = Database(url=suite.set(database=name).render_as_string(hide_password=False),
                        admin_url=admin_url, name=name)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            _drop_abandoned(connection)
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return database


ABANDONED = re.compile(r"_keandalan_(\d+)_[0-9a-f]{6}$")


def _drop_abandoned(connection) -> None:
    """Drop the databases of earlier runs whose test process is gone (killed before its
    finalizer could drop them); the name carries the process id."""
    if not os.path.isdir("/proc/self"):
        return  # no way to tell a live run from a dead one
    for (name,) in connection.execute(text("SELECT datname FROM pg_database")):
        found = ABANDONED.search(name)
        if found and not os.path.exists(f"/proc/{found.group(1)}"):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- the server ---------------------------------------------------------------------------------

def server_environment(database: Database, tmp_path: Path, port: int) -> dict:
    # Nothing of the developer's own set-up: no real Redis or mail server, no other settings.
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "TERANG_CONFIG", "DATABASE_URL", "TEST_DATABASE_URL",
                        "FLASK_ENV", "WEB_CONCURRENCY", "REDIS_URL", "TRUST_PROXY_HOPS",
                        "PUBLIC_BASE_URL", "XDG_RUNTIME_DIR"}
           and not k.startswith(("GUNICORN_", "MAIL_", "RATELIMIT_"))}
    env.update({
        "TERANG_CONFIG": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database.url,
        "TERANG_INSTANCE_DIR": str(tmp_path), "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "PYTHONPATH": str(ROOT), "RATELIMIT_ENABLED": "false", "SESSION_COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": str(WORKERS), "GUNICORN_BIND": f"127.0.0.1:{port}",
        # A worker that cannot answer for this long is killed by the master as stuck: generous,
        # as on a busy machine; the killer of the tests is the point, not the master's timeout.
        "GUNICORN_TIMEOUT": "60", "GUNICORN_LOG_LEVEL": "info",
        "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
    })
    return env


def prepare(env: dict, races: int) -> dict:
    """Migrate the database and make the officers and races' reports (tests/reliability/prepare.py)."""
    done = subprocess.run([sys.executable, "-m", "tests.reliability.prepare", str(races)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, f"prepare failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def children_of(pid: int) -> list[int]:
    """The live child processes of ``pid`` (gunicorn's workers), read from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        # After the command: state, ppid, …; a zombie (Z) is dead already.
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log_path: Path
    workers: int
    database: Database
    data: dict = field(default_factory=dict)
    upload_folder: Path | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return children_of(self.pid)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def exchange(self, method: str, path: str, payload: bytes | None = None,
                 headers: dict | None = None, timeout: float = 60):
        """One request on a new connection (sync workers close every connection after answering).

        Returns (status, body bytes, the answer's headers as an ``http.client.HTTPMessage``);
        connection failures raise (OSError, http.client.HTTPException).
        """
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=payload, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read(), response.msg
        finally:
            connection.close()

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None,
                timeout: float = 60) -> tuple[int, dict, dict]:
        """A JSON request: (status, JSON body or {}, headers with lower-case names)."""
        payload = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json"} if payload is not None else {}
        status, raw, message = self.exchange(method, path, payload, {**sent, **(headers or {})},
                                             timeout)
        try:
            answer = json.loads(raw) if raw else {}
        except ValueError:
            answer = {"raw": raw[:500].decode(errors="replace")}
        return status, answer, {k.lower(): v for k, v in message.items()}

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Poll until the master runs all its workers and one of them answers."""
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log()[-5000:]}"
            try:
                if len(self.worker_pids()) >= self.workers:
                    status, _answer, _headers = self.request("GET", "/api/v1/openapi.json", timeout=10)
                    if status == 200:
                        return
            except (OSError, http.client.HTTPException):
                pass
            assert time.monotonic() < deadline, (
                f"gunicorn did not get ready within {timeout} s:\n{self.log()[-5000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        """TERM the whole process group, then KILL what is left."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # workers a dying master left behind
        except (ProcessLookupError, PermissionError):
            pass
        if self.process.poll() is None:
            self.process.wait(timeout=STOP_TIMEOUT)


class WorkerKiller:
    """A thread that kills one of the server's workers with SIGKILL every ``every`` seconds."""

    def __init__(self, server: Server, every: float):
        self.server, self.every = server, every
        self.kills: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._random = random.Random()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            workers = self.server.worker_pids()
            if not workers:
                continue
            victim = self._random.choice(workers)
            try:
                os.kill(victim, signal.SIGKILL)
                self.kills.append(victim)
            except ProcessLookupError:
                pass  # it ended by itself meanwhile

    def __enter__(self) -> "WorkerKiller":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        assert not self._thread.is_alive(), "the worker killer hung"


def _end_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies (even by SIGKILL), so that a
    killed test run never leaves a server behind (Linux ``PR_SET_PDEATHSIG``; elsewhere the
    fixture's finalizer alone stops it)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _launch(tmp_path: Path, env: dict, log_path: Path) -> subprocess.Popen:
    with open(log_path, "w") as log:
        # Its own control socket: the default path is shared by every gunicorn of the user.
        return subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py",
                                 "--control-socket", str(tmp_path / "gunicorn.ctl"), "wsgi:app"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=_end_with_parent)


def start(tmp_path: Path, races: int, attempts: int = 3) -> Server:
    """A migrated throw-away database and gunicorn serving it, ready for requests.

    The free port is only free when it is probed: if another process takes it before gunicorn
    binds it, gunicorn gives up and is started again on another port.
    """
    database = make_database(tmp_path)
    try:
        port = free_port()
        env = server_environment(database, tmp_path, port)
        data = prepare(env, races)
        for attempt in range(1, attempts + 1):
            server = Server(port=port, process=_launch(tmp_path, env, tmp_path / "gunicorn.log"),
                            log_path=tmp_path / "gunicorn.log", workers=WORKERS, database=database,
                            data=data, upload_folder=Path(env["UPLOAD_FOLDER"]))
            try:
                server.wait_ready()
                return server
            except AssertionError:
                server.stop()
                if attempt == attempts or "Address already in use" not in server.log():
                    raise
            port = free_port()
            env = server_environment(database, tmp_path, port)
    except BaseException:
        database.drop()
        raise
