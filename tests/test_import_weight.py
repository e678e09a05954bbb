"""`briefgen validate` stays light: it must not import the PDF renderer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli

PROBE = """
import sys
from briefgen.cli import cli
from briefgen.cli.errors import run_guarded
sys.argv = ["briefgen", "validate", "-q", sys.argv[1]]
code = run_guarded(cli)
heavy = sorted(m for m in ("weasyprint", "jinja2", "markdown") if m in sys.modules)
print("HEAVY:" + ",".join(heavy))
"""


def test_validate_does_not_import_weasyprint(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "p")).returncode == 0
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "p")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "HEAVY:\n" in result.stdout, result.stdout
