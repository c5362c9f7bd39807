"""The repository as a whole: it explains itself, and its services import in one direction.

- No tracked file points to notes outside the repository: the domain and the architecture are
  described in ``docs/`` (``docs/domain.md``, ``docs/architecture.md``).
- Every relative link in README.md and docs/*.md leads to a file that exists, and every
  service function and path the architecture and domain notes name exists.
- No import cycle among ``app/services`` modules, counting imports inside functions too: a
  late import that only hides a cycle is still a cycle.
"""
from __future__ import annotations

import ast
import importlib
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "app" / "services"

# Spelled in pieces so that this file does not match its own search.
OUTSIDE_NOTES = ("DOMAIN" + ".md", "DESIGN" + ".md", "../" + "shared")


def tracked_files() -> list[Path]:
    """The files git tracks, or every file outside .git/.venv when git is not at hand."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                check=True).stdout.decode("utf-8").split("\0")
        return [ROOT / name for name in listed if name and (ROOT / name).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skipped = {".git", ".venv", "instance", "__pycache__", "node_modules"}
        return [p for p in ROOT.rglob("*")
                if p.is_file() and not skipped.intersection(p.relative_to(ROOT).parts)]


def test_no_file_points_to_notes_outside_the_repository():
    offending = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files (fonts, images) hold no references
        for number, line in enumerate(text.splitlines(), start=1):
            if any(needle in line for needle in OUTSIDE_NOTES):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offending, "files pointing outside the repository:\n" + "\n".join(offending)


# [text](target) and [text](<target>), but not images' remote URLs or in-page anchors.
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_SOURCE = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def relative_links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    # Code blocks and inline code show commands and paths, not links.
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"`[^`\n]*`", "", text)
    targets = MARKDOWN_LINK.findall(text) + HTML_SOURCE.findall(text)
    return [t for t in targets
            if not urlsplit(t).scheme and not t.startswith(("#", "//", "mailto:"))]


def test_the_documentation_exists():
    assert (ROOT / "docs" / "domain.md").is_file()
    assert (ROOT / "docs" / "architecture.md").is_file()


@pytest.mark.parametrize("document", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(document):
    broken = []
    for target in relative_links(document):
        target_path = unquote(urlsplit(target).path)
        if not target_path:
            continue
        if not (document.parent / target_path).exists():
            broken.append(target)
    assert not broken, f"{document.relative_to(ROOT)} links to missing files: {broken}"


def heading_anchors(path: Path) -> set[str]:
    """The anchors GitHub makes of a Markdown file's headings (lower case, punctuation dropped,
    spaces to hyphens)."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    anchors = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.MULTILINE):
        plain = re.sub(r"[`*_]", "", heading).strip().lower()
        anchors.add(re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", plain)))
    return anchors


@pytest.mark.parametrize("document", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_anchor_names_a_heading(document):
    broken = []
    for target in relative_links(document) + re.findall(r"\]\((#[^)\s]+)\)", document.read_text(
            encoding="utf-8")):
        parts = urlsplit(target)
        if not parts.fragment:
            continue
        linked = (document.parent / unquote(parts.path)) if parts.path else document
        if linked.suffix == ".md" and linked.exists() and parts.fragment not in heading_anchors(linked):
            broken.append(target)
    assert not broken, f"{document.relative_to(ROOT)} links to missing headings: {broken}"


# Code comments name a section: (docs/domain.md, "Privacy flags").
SECTION_REFERENCE = re.compile(r"(docs/[\w-]+\.md)`*,?\s*\"([^\"]+)\"")


def test_every_section_a_source_names_exists():
    broken = []
    for path in tracked_files():
        if path.suffix not in {".py", ".html", ".txt"}:
            continue
        for doc, section in SECTION_REFERENCE.findall(path.read_text(encoding="utf-8")):
            target = ROOT / doc
            slug = re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", section.strip().lower()))
            if not target.exists() or slug not in heading_anchors(target):
                broken.append(f"{path.relative_to(ROOT)}: {doc}, \"{section}\"")
    assert not broken, "sections named in the code that the docs do not have:\n" + "\n".join(broken)


# `module.name` in the notes, where module is one of app/services (the statistics package too).
NAMED_SYMBOL = re.compile(r"`([a-z_]+)\.([A-Za-z_]\w*)")
# `app/…`, `tests/…`, `docs/…` … named in the notes.
NAMED_PATH = re.compile(r"`((?:app|tests|docs|migrations|bench)/[\w./-]*[\w/])")
FILE_SUFFIXES = {"py", "csv", "json", "md", "html", "txt"}


def _services_modules() -> dict:
    found = {}
    for path in SERVICES.iterdir():
        name = path.stem if path.suffix == ".py" else path.name
        if name.startswith("_") or not (path.suffix == ".py" or (path / "__init__.py").exists()):
            continue
        found[name] = importlib.import_module(f"app.services.{name}")
    return found


@pytest.mark.parametrize("document", ["architecture.md", "domain.md"])
def test_every_function_and_file_the_notes_name_exists(document):
    """The notes stay true to the code: a service's function, class or constant named as
    `module.name`, and a file or folder named by its path, exist."""
    modules = _services_modules()
    text = (ROOT / "docs" / document).read_text(encoding="utf-8")
    missing = [f"{module}.{name}" for module, name in NAMED_SYMBOL.findall(text)
               if module in modules and name not in FILE_SUFFIXES
               and not hasattr(modules[module], name)]
    missing += [path for path in NAMED_PATH.findall(text)
                if not (ROOT / path.split(":")[0]).exists()]
    assert not missing, f"{document} names what the code does not have: {sorted(set(missing))}"


def test_the_link_check_sees_links():
    """The link test above would pass on any text if the pattern found nothing."""
    assert relative_links(ROOT / "README.md"), "README.md should link to docs/"


# --- imports among services -----------------------------------------------------------------------

def service_modules() -> set[str]:
    """The services modules, a package (``statistics/``) counting as one module."""
    return ({p.stem for p in SERVICES.glob("*.py") if p.stem != "__init__"}
            | {p.parent.name for p in SERVICES.glob("*/__init__.py")})


def imported_services(path: Path, modules: set[str], package: str = "app.services",
                      own: str | None = None) -> dict[str, int]:
    """The services modules ``path`` imports (anywhere in it, functions included) → line.

    ``package`` is the dotted package the file sits in (``app.services.statistics`` for a file
    of that package, whose imports of its own modules are not counted: ``own``)."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:  # from . import x / from ..services import x: relative to the file's package
                anchor = package.split(".")
                if node.level - 1 >= len(anchor):
                    continue
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor) + ("." + node.module if node.module else "")
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["app", "services"] and len(parts) > 2 and parts[2] in modules:
                found.setdefault(parts[2], node.lineno)
    found.pop(own or path.stem, None)
    return found


def import_graph() -> dict[str, dict[str, int]]:
    modules = service_modules()
    graph: dict[str, dict[str, int]] = {}
    for name in sorted(modules):
        if (SERVICES / name).is_dir():  # a package: the imports of all its files
            graph[name] = {}
            for path in sorted((SERVICES / name).glob("*.py")):
                for imported, line in imported_services(path, modules, f"app.services.{name}",
                                                        own=name).items():
                    graph[name].setdefault(imported, line)
        else:
            graph[name] = imported_services(SERVICES / f"{name}.py", modules)
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str] | None:
    """One import cycle as a path ``a → b → … → a``, or None."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        trail.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return trail[trail.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        trail.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_every_services_module_imports():
    for name in sorted(service_modules()):
        importlib.import_module(f"app.services.{name}")


def test_the_graph_sees_every_form_of_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "from . import sla, errors as e\n"
        "from .workflow import apply\n"
        "from ..services import intake\n"
        "import app.services.reporter\n"
        "from app.services.board import is_public\n"
        "from ..models import Report\n"
        "def late():\n"
        "    from . import statistics\n", encoding="utf-8")
    assert set(imported_services(module, service_modules())) == {
        "sla", "errors", "workflow", "intake", "reporter", "board", "statistics"}


def test_services_modules_import_each_other_in_one_direction():
    graph = import_graph()
    cycle = find_cycle(graph)
    if cycle:
        steps = [f"{a} → {b} (line {graph[a][b]} of {a}.py)" for a, b in zip(cycle, cycle[1:])]
        pytest.fail("import cycle among app/services modules:\n" + "\n".join(steps))


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}, "c": {"a": 1}}) is None
