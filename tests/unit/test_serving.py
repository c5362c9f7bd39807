"""The production server: gunicorn with gunicorn.conf.py, as ``make serve`` starts it."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "TERANG_CONFIG", "DATABASE_URL", "TEST_DATABASE_URL"}}
    env.update({"TERANG_INSTANCE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), **extra})
    return env


def test_the_server_refuses_to_start_without_a_secret_key(tmp_path):
    done = subprocess.run([str(GUNICORN), "-c", "gunicorn.conf.py", "--check-config", "wsgi:app"],
                          cwd=ROOT, env=_environment(tmp_path), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_the_access_log_holds_no_personal_data(tmp_path):
    read = "import json, runpy; s = runpy.run_path('gunicorn.conf.py'); " \
           "print(json.dumps({k: s[k] for k in ('access_log_format', 'bind', 'workers')}))"
    done = subprocess.run([sys.executable, "-c", read], cwd=ROOT, capture_output=True, text=True,
                          env=_environment(tmp_path, SECRET_KEY="s" * 48), timeout=60, check=True)
    settings = json.loads(done.stdout)
    log_format = settings["access_log_format"]
    # No client address, request line (it carries the query), referrer, user agent or headers.
    for field in ("%(h)s", "%(r)s", "%(q)s", "%(f)s", "%(a)s", "%(u)s", "{"):
        assert field not in log_format
    assert "%(U)s" in log_format and "%(s)s" in log_format
    assert settings["bind"] == "127.0.0.1:8000"


@pytest.mark.parametrize("environment, timeout, budget", [
    ({}, 30, 20),
    ({"GUNICORN_TIMEOUT": "45", "VIDEO_CLEAN_SECONDS": "120"}, 45, 35),
    ({"GUNICORN_TIMEOUT": "25"}, 25, 15),
])
def test_the_video_budget_and_gunicorn_read_the_same_timeout(tmp_path, environment, timeout, budget):
    """GUNICORN_TIMEOUT is read once (config.gunicorn_timeout): the worker's timeout in
    gunicorn.conf.py and the video cleaning budget, 10 s below it, always agree."""
    read = "import json, runpy, config; s = runpy.run_path('gunicorn.conf.py'); " \
           "print(json.dumps([s['timeout'], config.Config.VIDEO_CLEAN_SECONDS]))"
    env = _environment(tmp_path, SECRET_KEY="s" * 48, **environment)
    for name in ("GUNICORN_TIMEOUT", "VIDEO_CLEAN_SECONDS"):
        if name not in environment:
            env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", read], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert json.loads(done.stdout) == [timeout, budget]


@pytest.mark.slow
def test_gunicorn_serves_the_portal_and_logs_paths_without_queries(tmp_path):
    port = _free_port()
    database = f"sqlite:///{tmp_path / 'serve.db'}"
    env = _environment(tmp_path, SECRET_KEY="s" * 48, TERANG_CONFIG="production",
                       DATABASE_URL=database, WEB_CONCURRENCY="1",
                       GUNICORN_BIND=f"127.0.0.1:{port}", SESSION_COOKIE_SECURE="false")
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env=env, check=True, capture_output=True, timeout=120)
    server = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/transparansi/laporan?q=Rudi+Hartono", timeout=5) as answer:
                    assert answer.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within a minute"
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    assert "Booting worker" in output
    assert "templates compiled before the workers fork" in output  # app/warmup.py
    logged = [line for line in output.splitlines() if "/transparansi/laporan" in line]
    assert logged and all("Rudi" not in line and "?" not in line and "127.0.0.1" not in line
                          for line in logged)


def test_make_run_on_another_port_prints_and_mails_links_to_that_port():
    """`make run PORT=8080` serves on 8080; the demo logins it prints and the links it mails
    must say 8080 too, not the default 5000."""
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    dry = subprocess.run(["make", "-n", "run", "PORT=8080"], cwd=root, capture_output=True,
                         text=True, check=True).stdout
    lines = [line for line in dry.splitlines() if "demo logins" in line or " run --host" in line]
    assert len(lines) == 2
    assert all("PUBLIC_BASE_URL=http://127.0.0.1:8080" in line for line in lines), lines


def _production(tmp_path, **extra) -> dict:
    return _environment(tmp_path, SECRET_KEY="s" * 48, TERANG_CONFIG="production",
                        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}", **extra)


@pytest.mark.parametrize("command, extra", [
    # gunicorn.conf.py with WEB_CONCURRENCY, as make serve starts it
    (["-c", "gunicorn.conf.py", "wsgi:app"], {"WEB_CONCURRENCY": "4"}),
    # without the config file, -w on the command line: the app factory still refuses
    (["-w", "3", "--bind", "127.0.0.1:0", "wsgi:app"], {}),
    # the config file says one worker, the command line says more
    (["-c", "gunicorn.conf.py", "-w", "2", "wsgi:app"], {"WEB_CONCURRENCY": "1"}),
])
def test_production_refuses_several_workers_with_limits_in_memory(tmp_path, command, extra):
    env = _production(tmp_path, GUNICORN_BIND=f"127.0.0.1:{_free_port()}", **extra)
    env.pop("REDIS_URL", None)
    env.pop("GUNICORN_CMD_ARGS", None)
    done = subprocess.run([str(GUNICORN), *command], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0
    assert "rate limits kept in each worker's memory" in done.stderr
    assert "Set REDIS_URL" in done.stderr and "WEB_CONCURRENCY=1" in done.stderr
    assert "Booting worker" not in done.stderr


def test_one_worker_or_shared_limits_pass_the_check(tmp_path):
    for extra in ({"WEB_CONCURRENCY": "1"},
                  {"WEB_CONCURRENCY": "4", "REDIS_URL": "redis://127.0.0.1:6379/0"}):
        done = subprocess.run([str(GUNICORN), "-c", "gunicorn.conf.py", "--check-config", "wsgi:app"],
                              cwd=ROOT, env=_production(tmp_path, **extra), capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr


def _start_redis(tmp_path):
    """A throw-away redis-server on a free port (no persistence), or a skip when there is none.
    CI installs it (.ci/run), so there a missing redis-server is a failure, not a skip."""
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; .ci/run installs the Debian package")
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return process, port
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("redis-server did not answer within 20 seconds")
        time.sleep(0.1)


class _Browser:
    """One client of the portal behind a proxy that says it is ``address`` (cookies kept)."""

    def __init__(self, base: str, address: str):
        import http.cookiejar

        self.base, self.address = base, address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        import urllib.error
        import urllib.parse

        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,
                                         headers={"X-Forwarded-For": self.address})
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode("utf-8", "replace")

    def csrf(self) -> str:
        import re

        status, page = self.open("/lacak")
        assert status == 200
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.mark.slow
def test_four_gunicorn_workers_share_the_limits_in_redis(tmp_path):
    """Production as deployed: gunicorn with 4 workers and REDIS_URL. 60 wrong tracking codes
    from one client meet the 30-per-minute limit whichever worker answers; so do 60 guesses at
    the receipt PDF. (Counted in each worker's memory, 4 workers would let all 60 through.)"""
    redis_server, redis_port = _start_redis(tmp_path)
    port = _free_port()
    env = _production(tmp_path, WEB_CONCURRENCY="4", GUNICORN_BIND=f"127.0.0.1:{port}",
                      REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", TRUST_PROXY_HOPS="1",
                      SESSION_COOKIE_SECURE="false", RATELIMIT_TRACKING="30 per minute",
                      GUNICORN_ACCESS_LOG="/dev/null")
    env.pop("GUNICORN_CMD_ARGS", None)
    server = None
    try:
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                       env=env, check=True, capture_output=True, timeout=120)
        server = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/lacak", timeout=5) as answer:
                    assert answer.status == 200
                break
            except OSError:
                assert server.poll() is None, server.communicate(timeout=30)[0]
                assert time.monotonic() < deadline, "gunicorn did not answer within a minute"
                time.sleep(0.2)

        guesser = _Browser(base, "203.0.113.7")
        token = guesser.csrf()
        started = time.monotonic()
        codes = [guesser.open("/lacak", {"tracking_code": f"AAAA-BBBB-CCCC-{n:04d}",
                                         "csrf_token": token})[0] for n in range(60)]
        assert 429 in codes
        if time.monotonic() - started < 55:  # one window: exactly the limit got through
            assert codes.count(422) == 30 and codes[30:] == [429] * 30, codes

        pdf_guesser = _Browser(base, "203.0.113.8")
        token = pdf_guesser.csrf()
        started = time.monotonic()
        pdfs = [pdf_guesser.open("/lapor/tanda-terima.pdf", {
            "tracking_code": f"EEEE-FFFF-GGGG-{n:04d}", "reference": "LPR-2026-0000001",
            "csrf_token": token})[0] for n in range(60)]
        assert 429 in pdfs
        if time.monotonic() - started < 55:
            assert pdfs.count(404) == 30 and pdfs[30:] == [429] * 30, pdfs
        # another client is not affected
        other = _Browser(base, "198.51.100.9")
        assert other.open("/lacak", {"tracking_code": "AAAA-BBBB-CCCC-DDDD",
                                     "csrf_token": other.csrf()})[0] == 422
    finally:
        if server is not None:
            server.terminate()
            output = server.communicate(timeout=60)[0]
            assert "Booting worker" in output and output.count("Booting worker") >= 4, output
        redis_server.terminate()
        redis_server.wait(timeout=30)


def test_the_master_compiles_every_template_before_it_forks(app):
    """``warmup.warm`` (gunicorn's ``when_ready``): every template is compiled and kept, so a
    worker forked from the master, or forked again after ``max_requests``, compiles none on its
    first requests; the heap it inherits is left out of the garbage collector's walks."""
    import gc

    from app.warmup import warm

    app.jinja_env.cache.clear()
    try:
        compiled = warm(app)
        names = app.jinja_env.list_templates(extensions=("html", "txt"))
        assert compiled == len(names) > 50
        cached = {key[1] for key in app.jinja_env.cache.keys()}
        assert set(names) <= cached
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_master_loads_the_pdf_fonts_before_it_forks(app, monkeypatch):
    """``pdf.warm_up`` (called by ``warmup.warm``): WeasyPrint is imported and a document laid
    out in the master, and every PDF after it, in this process or in a child forked from it,
    lays out with the same font configuration, its fonts already loaded."""
    import os
    import sys

    from app.services import pdf

    threads = set(os.listdir("/proc/self/task"))  # the threads of this process, C ones too
    with app.app_context():
        size = pdf.warm_up()
        fonts = pdf.font_configuration()
    assert size > 1000 and "weasyprint" in sys.modules
    assert set(os.listdir("/proc/self/task")) <= threads  # none left running that a fork would lose
    from weasyprint import HTML

    seen = []
    original = HTML.write_pdf

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("font_config"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", spy)
    monkeypatch.setattr(pdf, "render_template", lambda *args, **kwargs: pdf._WARM_UP_HTML)
    for in_child in (False, True):
        monkeypatch.setitem(app.config, "PDF_RENDER_IN_CHILD", in_child)
        with app.test_request_context():
            assert pdf.render_pdf("any.html", "id").startswith(b"%PDF")
    assert seen[:1] == [fonts]  # the child's spy reported in the child: its PDF came back whole
