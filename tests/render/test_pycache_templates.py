"""A template in a ``__pycache__`` folder is refused, never rendered stale.

Every walk of project files leaves ``__pycache__`` folders out (Python writes them on its own),
so a template included from one (``{% include "__pycache__/part.md" %}``) was in neither the
build key nor the input fingerprint: after it changed, build said its briefing was up to date
and kept the old output. Now it is a located template error. On a copy of the site fixture.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.build import BuildOptions, build
from tests.site.conftest import FIXTURE


def test_a_template_in_pycache_is_a_template_error(tmp_path: Path) -> None:
    root = Path(shutil.copytree(FIXTURE, tmp_path / "project"))
    templates = root / "templates"
    (templates / "__pycache__").mkdir(parents=True)
    (templates / "__pycache__" / "part.md").write_text("VERSION ONE\n", encoding="utf-8")
    include = 'X {% include "__pycache__/part.md" %}\n'
    for folder in (templates, templates / "reader"):
        folder.mkdir(exist_ok=True)
        (folder / "briefing.md").write_text(include, encoding="utf-8")
    result = build(root, BuildOptions(formats=("md",)))
    assert result.valid and result.failures
    for message in result.failures.values():
        assert "__pycache__/part.md: a template in a __pycache__ folder is not read" in message
    assert not list((root / "output").glob("*/briefing.md"))
