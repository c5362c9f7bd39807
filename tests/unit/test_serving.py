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


@pytest.mark.slow
def test_gunicorn_serves_the_portal_and_logs_paths_without_queries(tmp_path):
    port = _free_port()
    database = f"sqlite:///{tmp_path / 'serve.db'}"
    env = _environment(tmp_path, SECRET_KEY="s" * 48, TERANG_CONFIG="production",
                       DATABASE_URL=database, WEB_CONCURRENCY="2",
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
