"""The site's HTML lives in its templates, so a project's ``templates/`` can change every tag.

Python under ``briefgen/site/`` hands the templates data; the tags are in
``templates/site/`` (the shared pieces in ``site/macros.html``), which a project
replaces file by file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import briefgen.site
from briefgen.render.environment import builtin_templates_dir
from tests.conftest import run_cli
from tests.site.conftest import copy_fixture, html_pages

SITE_PACKAGE = Path(briefgen.site.__file__).resolve().parent
# The start of a tag or closing tag in a string: "<span", "</p>".
TAG = re.compile(r"<[a-zA-Z/]")
# Strings that may hold HTML, by module and top-level name, each for a reason:
ALLOWED = {
    # The preview's error page renders when the project's templates are what is broken, so it
    # cannot come from a template; its live-reload script, and the "</body>" it is inserted
    # before, exist only in pages served by `briefgen serve`, never in a published site.
    ("serve.py", "error_page"),
    ("serve.py", "RELOAD_SCRIPT"),
    ("serve.py", "with_reload"),
}
CUSTOM_BADGE = '<b class="house-marking" data-tlp="{{ marking.css_class }}">{{ marking.value }}</b>'


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes of a module, its classes and its functions (prose, not HTML)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _top_level_name(statement: ast.stmt) -> str:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return statement.name
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    if isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    return next((t.id for t in targets if isinstance(t, ast.Name)), "")


def html_literals(path: Path) -> list[tuple[str, int, str]]:
    """(top-level name, line, text) of every string or bytes literal in ``path`` with a tag."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = _docstrings(tree)
    found = []
    for statement in tree.body:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Constant) or id(node) in docstrings:
                continue
            value = node.value
            text = value.decode("latin-1") if isinstance(value, bytes) else value
            if isinstance(text, str) and TAG.search(text):
                found.append((_top_level_name(statement), node.lineno, text))
    return found


def test_no_module_of_the_site_package_holds_html_in_a_string() -> None:
    modules = sorted(SITE_PACKAGE.glob("*.py"))
    assert {m.name for m in modules} >= {"views.py", "pages.py", "collect.py", "feed.py"}
    offending = [
        f"{module.name}:{line} in {name or 'module'}: {text[:60]!r}"
        for module in modules
        for name, line, text in html_literals(module)
        if (module.name, name) not in ALLOWED
    ]
    assert offending == []


def test_the_allow_list_names_only_strings_that_exist() -> None:
    # An entry left over after its code moved would hide the next string put there.
    present = {
        (module.name, name)
        for module in SITE_PACKAGE.glob("*.py")
        for name, _, _ in html_literals(module)
    }
    assert present >= ALLOWED


def _override_badge(project: Path) -> None:
    """The built-in site macros with one change: the TLP badge is a <b> of the house style."""
    builtin = (builtin_templates_dir() / "site" / "macros.html").read_text(encoding="utf-8")
    badge = re.compile(r"(\{% macro tlp_badge\(marking\) %\}).*?(\{% endmacro %\})")
    changed, count = badge.subn(lambda m: m.group(1) + CUSTOM_BADGE + m.group(2), builtin)
    assert count == 1
    (project / "templates" / "site").mkdir(parents=True)
    (project / "templates" / "site" / "macros.html").write_text(changed, encoding="utf-8")


def test_a_project_macros_file_changes_the_marking_badge_on_every_page(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    _override_badge(project)
    result = run_cli("publish", "--no-pdf", "--quiet", str(project))
    assert result.returncode == 0, result.stderr + result.stdout

    site = project / "output" / "site"
    pages = html_pages(site)
    assert len(pages) > 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        # The header and footer label of every page (the macro tlp_label calls tlp_badge).
        label = '<p class="marking"><b class="house-marking" data-tlp="clear">TLP:CLEAR</b></p>'
        assert text.count(label) == 2, page
        assert 'class="site-tlp' not in text, page
    index = (site / "index.html").read_text(encoding="utf-8")
    timeline = (site / "timeline.html").read_text(encoding="utf-8")
    # Each briefing card, and the "From <briefing>" line of each fact (the fact macro).
    assert index.count('class="house-marking"') == 2 + 2
    assert timeline.count('class="house-marking"') == 2 + timeline.count('class="fact__from"')
