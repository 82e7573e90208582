"""The core names no family (issue 6 §1).

Families (communication, outreach, disclosure, supervision) plug into the core through governance/families.py; the
core never says which families there are. In the core's Python a family's name may appear only where Django needs
it: as an element of INSTALLED_APPS and on the root URLconf's include() lines. Its templates name no family at all.
Imports are checked by import-linter in `make lint`; this test also catches what an import check cannot see: app
labels, URL names, template tags and model paths written as strings.

In Python, identifiers and string literals count; comments and docstrings are prose and may give a family as an
example. Chinese text is not looked at (督查督办 is no identifier).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "governance"
FAMILIES = ("communication", "outreach", "disclosure", "supervision")
# ASCII word boundaries: "communication.talk" and "如 communication、" are hits, "communications" is not.
FAMILY_NAME = re.compile(r"\b(?:" + "|".join(FAMILIES) + r")\b", re.ASCII)


def _docstring_starts(tree: ast.AST) -> set[tuple[int, int]]:
    starts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                starts.add((first.lineno, first.col_offset))
    return starts


def _installed_apps_lines(tree: ast.AST) -> set[int]:
    """Lines of the plain string elements of INSTALLED_APPS (assigned or extended), following the lists it is
    made of (`INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS`)."""
    assigned: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AugAssign):
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                assigned.setdefault(target.id, []).append(value)

    lines: set[int] = set()
    seen: set[str] = set()

    def collect(expr: ast.expr) -> None:
        if isinstance(expr, ast.List | ast.Tuple):
            for element in expr.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    lines.add(element.lineno)
        elif isinstance(expr, ast.BinOp):
            collect(expr.left)
            collect(expr.right)
        elif isinstance(expr, ast.Name) and expr.id not in seen:
            seen.add(expr.id)
            for value in assigned.get(expr.id, []):
                collect(value)

    collect(ast.Name(id="INSTALLED_APPS"))
    return lines


def _include_lines(tree: ast.AST) -> set[int]:
    """Lines of the URL patterns that include() another URLconf."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(
            isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "include"
            for arg in node.args
        ):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def family_names_in_python(
    source: str, *, allowed_lines: frozenset[int] | set[int] = frozenset()
) -> list[str]:
    """`line: token` for each identifier or string literal that names a family, outside comments, docstrings
    and `allowed_lines`."""
    docstrings = _docstring_starts(ast.parse(source))
    hits = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (tokenize.NAME, tokenize.STRING) or token.start in docstrings:
            continue
        if token.start[0] in allowed_lines:
            continue
        if FAMILY_NAME.search(token.string):
            hits.append(f"{token.start[0]}: {token.string}")
    return hits


def _core_python_files() -> list[Path]:
    return sorted(
        path
        for path in CORE.rglob("*.py")
        if not {"migrations", "tests", "__pycache__"} & set(path.relative_to(CORE).parts)
    )


def _allowed_lines(path: Path, source: str) -> set[int]:
    relative = path.relative_to(ROOT).as_posix()
    if relative.startswith("governance/settings/"):
        return _installed_apps_lines(ast.parse(source))
    if relative == "governance/urls.py":
        return _include_lines(ast.parse(source))
    return set()


def test_a_family_name_in_code_is_found_and_one_in_prose_is_not():
    source = '''"""The communication family's docstring is prose."""
import communication.models  # a comment about outreach is prose too

SOURCES = ("supervision.task", "督查督办")
label = "communications"


def f():
    """So is a function's docstring naming disclosure."""
    return disclosure
'''
    assert family_names_in_python(source) == [
        "2: communication",
        '4: "supervision.task"',
        "10: disclosure",
    ]


def test_only_installed_apps_elements_and_root_urlconf_includes_may_name_a_family():
    settings = (
        'DJANGO_APPS = ["django.contrib.admin"]\n'
        'LOCAL_APPS = [\n    "outreach",\n]\n'
        "INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS\n"
        'INSTALLED_APPS += ["disclosure"]\n'
        'OTHER = ["supervision"]\n'
    )
    assert _installed_apps_lines(ast.parse(settings)) == {1, 3, 6}
    hits = family_names_in_python(settings, allowed_lines=_installed_apps_lines(ast.parse(settings)))
    assert hits == ['7: "supervision"']

    urls = (
        "urlpatterns = [\n"
        '    path("outreach/", include("outreach.urls")),\n'
        '    path("x/", views.x, name="outreach"),\n'
        "]\n"
    )
    hits = family_names_in_python(urls, allowed_lines=_include_lines(ast.parse(urls)))
    assert hits == ['3: "outreach"']


def test_the_core_python_names_no_family_outside_installed_apps_and_the_root_urlconf():
    files = _core_python_files()
    assert CORE / "urls.py" in files
    assert CORE / "settings" / "base.py" in files
    hits = []
    for path in files:
        source = path.read_text(encoding="utf-8")
        for hit in family_names_in_python(source, allowed_lines=_allowed_lines(path, source)):
            hits.append(f"{path.relative_to(ROOT)}:{hit}")
    assert hits == [], "The core names a family:\n" + "\n".join(hits)


def test_the_core_templates_name_no_family():
    templates = sorted(
        path
        for folder in (CORE / "templates", ROOT / "templates")
        for path in folder.rglob("*")
        if path.is_file()
    )
    assert templates, "no templates found: the test looks in the wrong place"
    hits = []
    for path in templates:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FAMILY_NAME.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hits == [], "A core template names a family:\n" + "\n".join(hits)


# The directions a family may know another (issue 6 §1, the import-linter contracts in pyproject.toml): a supervised
# task's source meeting or agenda item; an issue escalated to an agenda item or turned into a supervised task.
MAY_NAME = {"supervision": {"communication"}, "outreach": {"communication", "supervision"}}


def test_a_familys_templates_name_no_other_family_against_the_allowed_directions():
    """A family's pages link to a family it may not know only through what that family adds (`Family.page_actions`,
    e.g. supervision's 转为督办事项 on a meeting's page): import-linter does not read templates, this does."""
    hits = []
    for family in FAMILIES:
        folder = ROOT / family / "templates"
        unknown = [f for f in FAMILIES if f != family and f not in MAY_NAME.get(family, set())]
        others = re.compile(r"\b(?:" + "|".join(unknown) + r")\b", re.ASCII)
        for path in sorted(folder.rglob("*.html")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if others.search(line):
                    hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hits == [], "A family's template names another family:\n" + "\n".join(hits)
