"""One clock: the application reads the wall clock only through ``app.clock``, and the suite
runs at a frozen instant (tests/conftest.py), so no test depends on the day it runs."""
from __future__ import annotations

import ast
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app import clock
from tests.conftest import SUITE_NOW

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "app").rglob("*.py"), ROOT / "config.py", ROOT / "wsgi.py"])
CLOCK = ROOT / "app" / "clock.py"

# Calls that read the wall clock: <owner>.<attribute>(…) with these owners.
READS_CLOCK = {
    "datetime": {"now", "utcnow", "today"},
    "date": {"today"},
    "time": {"time", "time_ns", "localtime", "gmtime", "ctime", "asctime", "strftime"},
}
# Names imported straight from those modules that read the clock when called.
CLOCK_NAMES = {("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
               ("time", "ctime"), ("time", "asctime")}


def _clock_reads(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line call`` for every wall-clock read in a source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"time"}:
            for alias in node.names:
                if (node.module, alias.name) in CLOCK_NAMES:
                    found.append(f"{path.relative_to(root)}:{node.lineno} from time import {alias.name}")
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = ast.unparse(node.func.value).split(".")[-1]
        if node.func.attr in READS_CLOCK.get(owner, ()):
            # time.strftime/localtime/gmtime with an explicit time argument read no clock.
            if owner == "time" and node.func.attr in {"strftime", "localtime", "gmtime", "ctime",
                                                       "asctime"} and node.args[1 if node.func.attr == "strftime" else 0:]:
                continue
            found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(node.func)}()")
    return found


def test_only_the_clock_module_reads_the_wall_clock():
    offenders = [read for path in SOURCES if path != CLOCK for read in _clock_reads(path)]
    assert offenders == [], "read the time through app.clock (now, today, timestamp)"


def test_the_checker_sees_each_way_of_reading_the_clock(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import time, datetime as dt\nfrom datetime import date, datetime\n"
                      "from time import time_ns\n"
                      "a = datetime.now(timezone.utc)\nb = date.today()\nc = time.time()\n"
                      "d = dt.datetime.utcnow()\ne = time.strftime('%Y')\n"
                      "f = time.strftime('%Y', t)\ng = moment.astimezone(zone)\n", encoding="utf-8")
    reads = [line.split(" ", 1)[1] for line in _clock_reads(sample, tmp_path)]
    assert reads == ["from time import time_ns", "datetime.now()", "date.today()", "time.time()",
                     "dt.datetime.utcnow()", "time.strftime()"]


def test_the_suite_runs_at_its_frozen_instant():
    assert clock.now() == SUITE_NOW
    assert clock.now().tzinfo is not None and clock.now().utcoffset() == timedelta(0)
    assert clock.today() == SUITE_NOW.astimezone(clock.JAKARTA).date()
    assert clock.timestamp() == SUITE_NOW.timestamp()


@pytest.mark.frozen_at("2027-03-10T23:30:00+00:00")
def test_a_test_may_choose_its_own_instant_and_move_it(frozen_clock):
    # 23:30 UTC is already the next morning in Jakarta: "today" is Jakarta's date.
    assert clock.now() == datetime(2027, 3, 10, 23, 30, tzinfo=timezone.utc)
    assert clock.today().isoformat() == "2027-03-11"
    frozen_clock.shift(timedelta(hours=1))
    assert clock.now() == datetime(2027, 3, 11, 0, 30, tzinfo=timezone.utc)
