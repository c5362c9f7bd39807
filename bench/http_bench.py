"""``make bench``: the board's pages under the production server, measured with wrk.

Builds (or reuses) a demo database of ``BENCH_REPORTS`` reports under ``bench/.data/`` (SQLite;
``DATABASE_URL`` chooses PostgreSQL instead, seeded when it has no report), refreshes its
rollups, starts gunicorn with the production configuration and two workers (rate limits off:
``RATELIMIT_ENABLED=false``, since two workers without Redis would not share them), measures a
hello-world Flask app under the same settings as the baseline, then each page, and prints a
markdown table (requests/s, share of the baseline, p50/p99 latency, memory per worker) with the
machine it ran on. See bench/README.md.
"""
from __future__ import annotations

import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
BIN = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
SECRET = "bench-secret-key-not-for-production-0123456789abcdef"
DEEP_PAGE = 500  # the deep page of the report list, reached by its "next" links


def run(args, env, **kw):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kw)


def database(reports: int) -> tuple[str, dict]:
    """The database URL and the environment of the Flask commands; seed it when it is new."""
    url = os.environ.get("DATABASE_URL")
    path = None
    if not url:
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"terang-{reports}.db"
        url = f"sqlite:///{path}"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, TERANG_CONFIG="development",
               FLASK_APP="wsgi")
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    if path is not None and path.exists():
        print(f"Reusing {path}")
        return url, env
    if path is None and os.environ.get("BENCH_REUSE"):
        # A database seeded and refreshed elsewhere (its rollups built): measured as it is.
        print("Reusing the database as it is (BENCH_REUSE)")
        return url, env
    started = time.perf_counter()
    run(flask + ["db", "upgrade"], env)
    run(flask + ["reference", "load"], env)
    run(flask + ["demo", "seed", "--if-empty", "--complaints", str(reports)], env)
    seeded = time.perf_counter()
    run(flask + ["stats", "refresh", "--everything"], env)
    print(f"Seed {seeded - started:.0f} s, rollups {time.perf_counter() - seeded:.0f} s", flush=True)
    return url, env


def query(env, sql: str) -> list:
    code = ("import sys\nfrom wsgi import app\nfrom app.extensions import db\nfrom sqlalchemy import text\n"
            "with app.app_context():\n"
            f"    print('\\n'.join('|'.join(str(v) for v in r) for r in db.session.execute(text({sql!r})).all()))")
    out = subprocess.run([str(BIN / "python"), "-c", code], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [line.split("|") for line in out.strip().splitlines()]


def start(app: str, env) -> subprocess.Popen:
    # On a shared machine another bench may hold the port: its server would answer for ours.
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"port {PORT} is taken by another server: set BENCH_PORT")
    args = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}",
            "--workers", "2", "--access-logfile", "/dev/null", app]
    server = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=2)
            return server
        except Exception:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def stop(server: subprocess.Popen) -> None:
    # A worker still laying out a PDF that wrk gave up on finishes it first (graceful timeout);
    # past a minute the group is killed.
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def worker_memory(server: subprocess.Popen) -> str:
    """Resident memory of each worker (the master's children), from /proc."""
    sizes = []
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) // 1024)
    return " / ".join(f"{s} MB" for s in sizes) or "?"


def wrk(url: str, script: str | None = None, connections: str = CONNECTIONS) -> dict:
    # A PDF takes seconds: fewer connections, and a timeout that lets it finish.
    args = ["wrk", "-t2", f"-c{connections}", f"-d{DURATION}", "--timeout", "30s", "--latency", url]
    if script:
        args[1:1] = ["-s", script]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    done = re.search(r"(\d+) requests in", out)
    return {"requests": int(done.group(1)) if done else 0, "rps": float(rps.group(1)) if rps else 0.0, "p50": p50.group(1) if p50 else "?",
            "p99": p99.group(1) if p99 else "?", "errors": (int(non2xx.group(1)) if non2xx else 0) + (int(timeouts.group(1)) if timeouts else 0)}


FILING_FORM = {
    "report_type": "pengaduan",
    "title": "Lampu penerangan jalan padam di depan pasar",
    "body": "Sudah dua minggu lampu penerangan jalan di depan pasar padam sehingga jalan gelap "
            "pada malam hari dan rawan kecelakaan. Mohon segera diperbaiki.",
    "province": "13", "region": "13.71",
}


def post_script(base: str) -> str:
    """A wrk script that files reports (``POST /lapor``) as a browser does: one session's cookie
    and CSRF token, and each request a new filling of the form, with its own ``submission_id``
    (so the idempotency record is written too, as for every real filing)."""
    import http.cookiejar
    import secrets
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/lapor", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    body = urllib.parse.urlencode(dict(FILING_FORM, csrf_token=token,
                                       incident_date=time.strftime("%Y-%m-%d")))
    prefix = secrets.token_hex(6)  # ids unique across runs on one database
    path = DATA / "post_lapor.lua"
    DATA.mkdir(parents=True, exist_ok=True)
    # Each wrk thread numbers its own requests; the thread id keeps two threads' ids apart.
    path.write_text(f"""wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
local body = "{body}"
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local n = 0
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, body .. "&submission_id={prefix}t" .. id .. "n" .. string.format("%010d", n))
end
""")
    return str(path)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 // 1024
    return f"{os.cpu_count()} cores ({cpu}), {mem} GB RAM, Python {platform.python_version()}"


def measure(base: str, pages: list, *, warm: bool) -> list:
    """wrk on each page; ``warm``: one request first, so that the page cache holds it."""
    results = []
    for name, path in pages:
        if warm:
            try:
                urllib.request.urlopen(base + path, timeout=60).read()
            except Exception:
                pass
        pdf = path.endswith(".pdf")
        if pdf and not warm:
            # A PDF laid out each time takes seconds: three in a row, timed one by one (wrk
            # would finish none in its 10 s on a loaded machine).
            times = []
            for _ in range(3):
                started = time.perf_counter()
                urllib.request.urlopen(base + path, timeout=120).read()
                times.append(time.perf_counter() - started)
            times.sort()
            results.append({"rps": 1 / times[1], "p50": f"{times[1]:.2f}s",
                            "p99": f"{times[-1]:.2f}s (max of 3)", "errors": 0, "requests": 3})
        else:
            results.append(wrk(base + path, connections="2" if pdf else CONNECTIONS))
        r = results[-1]
        print(f"  {'cached' if warm else 'uncached'} {path}: {r['rps']:.1f}/s p50 {r['p50']} "
              f"p99 {r['p99']} errors {r['errors']}", flush=True)
    return results


def main() -> None:
    reports = int(os.environ.get("BENCH_REPORTS", "1000000"))
    url, env = database(reports)
    server_env = dict(env, TERANG_CONFIG="production", RATELIMIT_ENABLED="false",
                      WEB_CONCURRENCY="2", SESSION_COOKIE_SECURE="false")
    # The shared page cache as production runs it: Redis when REDIS_URL is set (one copy for
    # both workers), else each worker's SimpleCache. The second run turns the server's cache off
    # (PAGE_CACHE_TYPE=none: every request renders), which is what a page costs when its data
    # version has just changed.
    cached_env = dict(server_env, PAGE_CACHE_ENABLED="true", PAGE_CACHE_TYPE="auto")
    uncached_env = dict(server_env, PAGE_CACHE_ENABLED="true", PAGE_CACHE_TYPE="none")
    cache_kind = "Redis" if (os.environ.get("PAGE_CACHE_REDIS_URL") or os.environ.get("REDIS_URL")) \
        else "SimpleCache per worker"
    # The pages' parameters, read from the database.
    busiest = query(env, "SELECT a.slug FROM reports r JOIN agencies a ON a.id = r.agency_id "
                         "GROUP BY a.slug ORDER BY count(*) DESC LIMIT 1")[0][0]
    public = query(env, "SELECT reference FROM reports WHERE public_body IS NOT NULL AND "
                        "is_confidential = false AND agency_id IS NOT NULL AND status <> 'submitted' "
                        "ORDER BY id DESC LIMIT 1")[0][0]
    base = f"http://127.0.0.1:{PORT}"
    # What the database holds (a reused one need not hold BENCH_REPORTS), before any filing.
    reports = int(query(env, "SELECT count(*) FROM reports")[0][0])
    loads = [Path("/proc/loadavg").read_text().split()[0]]

    hello = start("bench.hello:app", dict(server_env))
    try:
        baseline = wrk(base + "/")
        baseline_memory = worker_memory(hello)
    finally:
        stop(hello)

    server = start("wsgi:app", cached_env)
    try:
        # Page 500 of the list, as a reader reaches it: following "next" 499 times.
        deep = "/transparansi/laporan"
        for _ in range(DEEP_PAGE - 1):
            page = urllib.request.urlopen(base + deep, timeout=30).read().decode()
            found = re.search(r'href="(/transparansi/laporan\?[^"]*cursor=[^"]+)"', page)
            if not found:
                break
            deep = found.group(1).replace("&amp;", "&")
        pages = [
            ("board home", "/transparansi/"),
            ("agency table", "/transparansi/instansi"),
            ("busiest agency", f"/transparansi/instansi/{busiest}"),
            ("report list, page 1", "/transparansi/laporan"),
            (f"report list, page {DEEP_PAGE} (cursor)", deep),
            ("search ?q=jalan", "/transparansi/laporan?q=jalan"),
            ("search ?q=zqxwv (no match)", "/transparansi/laporan?q=zqxwv"),
            ("one report", f"/transparansi/laporan/{public}"),
            ("agency figures CSV", f"/transparansi/instansi/{busiest}.csv"),
            ("national figures JSON", "/transparansi/ringkasan.json"),
            ("API statistics", "/api/v1/statistics"),
            ("API complaints", "/api/v1/complaints"),
            ("GET /lapor", "/lapor"),
            ("agency PDF", f"/transparansi/instansi/{busiest}.pdf"),
            ("national PDF", "/transparansi/ringkasan.pdf"),
        ]
        cached = measure(base, pages, warm=True)
        loads.append(Path("/proc/loadavg").read_text().split()[0])
        # Sustained filing: every request writes a report (303 to the receipt when accepted).
        before = int(query(env, "SELECT count(*) FROM reports")[0][0])
        filing = wrk(base + "/lapor", script=post_script(base))
        filed = int(query(env, "SELECT count(*) FROM reports")[0][0]) - before
        cached_memory = worker_memory(server)
    finally:
        stop(server)

    # BENCH_RUNS=cached: the cached run (and the filings) only, a quick check of a change.
    if "uncached" in os.environ.get("BENCH_RUNS", "cached,uncached").split(","):
        server = start("wsgi:app", uncached_env)
        try:
            uncached = measure(base, pages, warm=False)
            uncached_memory = worker_memory(server)
        finally:
            stop(server)
    else:
        skipped = {"rps": 0.0, "p50": "—", "p99": "—", "errors": "—"}
        uncached, uncached_memory = [skipped] * len(pages), "not run"
    loads.append(Path("/proc/loadavg").read_text().split()[0])

    share = baseline["rps"] or 1.0
    print()
    print(f"Machine: {machine()}; load average (1 min) at start, mid-run, end: {', '.join(loads)}; "
          f"{reports} reports ({'PostgreSQL' if 'postgresql' in url else 'SQLite'}); "
          f"gunicorn 2 sync workers, production config, RATELIMIT_ENABLED=false; "
          f"wrk -t2 -c{CONNECTIONS} -d{DURATION} (PDFs -c2); cached: {cache_kind}; "
          f"uncached: PAGE_CACHE_TYPE=none")
    print()
    print(f"Baseline (hello world, `/`): {baseline['rps']:.0f} requests/s, p50 {baseline['p50']}, "
          f"p99 {baseline['p99']}")
    print()
    print("| page | path | cached req/s | share | p50 | p99 | uncached req/s | share | p50 | p99 "
          "| non-2xx or timeouts |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, path), c, u in zip(pages, cached, uncached):
        print(f"| {name} | `{path[:60]}` | {c['rps']:.0f} | {100 * c['rps'] / share:.1f}% | "
              f"{c['p50']} | {c['p99']} | {u['rps']:.1f} | {100 * u['rps'] / share:.1f}% | "
              f"{u['p50']} | {u['p99']} | {c['errors']} / {u['errors']} |")
    print()
    print(f"POST /lapor (files a report, -c{CONNECTIONS}): {filing['rps']:.0f} requests/s "
          f"({100 * filing['rps'] / share:.1f}%), p50 {filing['p50']}, p99 {filing['p99']}, "
          f"non-2xx {filing['errors']}; reports filed {filed}, answers counted by wrk "
          f"{filing.get('requests', '?')}")
    print()
    print(f"Memory per worker after the run (VmRSS): baseline {baseline_memory}; Terang cached run "
          f"{cached_memory}, uncached run {uncached_memory}")


if __name__ == "__main__":
    sys.exit(main())
