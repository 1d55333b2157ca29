"""Architecture rules of DESIGN.md §§1–2, 6: engines never import streamlit, pages other
than the benchmark open without torch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["calculator", "bench"])
def test_engine_packages_never_import_streamlit(package):
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / package).rglob("*.py")
        if "streamlit" in imported_modules(p)
    ]
    assert offenders == []


def test_app_routes_every_page_file():
    app_source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert [p for p in PAGES if f'"{p}"' not in app_source] == []


PROBE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=60)
at.run()
at.switch_page({page!r})
at.run()
assert not at.exception, [e.value for e in at.exception]
print("TORCH" if "torch" in sys.modules else "NO-TORCH")
print("ST" if "sentence_transformers" in sys.modules else "NO-ST")
"""


@pytest.mark.parametrize("page", [p for p in PAGES if p != "pages/benchmark.py"])
def test_pages_open_without_importing_torch(page):
    code = PROBE.format(app=str(ROOT / "app.py"), page=page)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=180
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["NO-TORCH", "NO-ST"]


# Widgets whose state Streamlit 1.67 can keep across page switches with persist_state.
PERSISTABLE = {
    "radio",
    "segmented_control",
    "pills",
    "slider",
    "select_slider",
    "color_picker",
    "number_input",
    "selectbox",
    "feedback",
    "text_input",
    "text_area",
    "multiselect",
    "checkbox",
    "toggle",
    "date_input",
    "time_input",
}


def widget_calls_without_persist_state(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        target = node.func
        if not (
            isinstance(target.value, ast.Name)
            and target.value.id == "st"
            and target.attr in PERSISTABLE
        ):
            continue
        keywords = {k.arg for k in node.keywords}
        if "persist_state" not in keywords and None not in keywords:  # None: **PERSIST
            missing.append(f"{path.relative_to(ROOT)}:{node.lineno} st.{target.attr}")
    return missing


def test_every_input_widget_survives_page_switches():
    """A user's answers on one page must still be there after visiting another
    (Streamlit drops widget state of unrendered pages unless persist_state="session")."""
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "ui").glob("*.py"))
    assert [m for f in files for m in widget_calls_without_persist_state(f)] == []


@pytest.mark.parametrize("page", [p for p in PAGES if p != "pages/methodology.py"])
def test_dollar_amounts_are_not_rendered_as_latex(app_test, page):
    """Streamlit's Markdown reads text between two ``$`` as LaTeX, which garbles sentences
    like "$4K × 50^1.5 ≈ $1.41M"; every shown text escapes its dollar signs (ui.widgets.dollars).
    The methodology page is excluded: it uses ``$…$`` for real formulas."""
    at = app_test(page)
    texts = [
        e.value
        for kind in ("caption", "markdown", "info", "warning", "success", "error")
        for e in getattr(at, kind)
    ]
    unescaped = [t[:120] for t in texts if t.count("$") - t.count("\\$") - 2 * t.count("$$") >= 2]
    assert unescaped == []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_imports(path: Path, known: set[str]) -> set[str]:
    """Project modules ``path`` imports at any level (``from calculator import risk`` counts
    ``calculator.risk``), lazy imports inside functions included."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in known else node.module)
    return {m for m in out if m in known}


def test_no_import_cycles_in_the_engine_packages():
    """Issue 13: modules form a layered graph (risk above mitigation, never both ways)."""
    files = [p for pkg in ("calculator", "bench", "ui") for p in (ROOT / pkg).rglob("*.py")]
    known = {_module_name(p) for p in files}
    graph = {_module_name(p): _project_imports(p, known) - {_module_name(p)} for p in files}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            # a package's __init__ importing its own submodules is not a cycle of layers
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_users_never_see_tracebacks_with_server_paths():
    # issue 15: "full tracebacks with server paths are shown in the browser by default"
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
