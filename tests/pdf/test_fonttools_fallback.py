"""Same bytes without libharfbuzz-subset: WeasyPrint's fontTools fallback is reproducible too.

Without the system library ``libharfbuzz-subset0``, WeasyPrint subsets each embedded font with
fontTools, whose ``TTFont.save`` writes the current time into the subset font's ``head``
table. Here the real CLI builds in a fresh interpreter in which loading that library fails as
it does when the package is not installed (cffi's ``dlopen`` refuses its names, before
WeasyPrint is imported), twice, more than a second apart, without ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from briefgen.pdf import HARFBUZZ_NOTE
from tests.conftest import REPO
from tests.render.helpers import copy_fixture

# Run in the child: the harfbuzz-subset library cannot be loaded, then `briefgen ARGS`.
_WITHOUT_HARFBUZZ_SUBSET = """
import cffi

_dlopen = cffi.FFI.dlopen

def dlopen(self, name, *args, **kwargs):
    if "harfbuzz-subset" in str(name):
        raise OSError(f"cannot load library {name!r} (hidden by the test)")
    return _dlopen(self, name, *args, **kwargs)

cffi.FFI.dlopen = dlopen
from briefgen.cli import main
main()  # reads sys.argv: ["-c", "build", ...]
"""


def _build_without_harfbuzz_subset(project: Path, out: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    command = [sys.executable, "-c", _WITHOUT_HARFBUZZ_SUBSET, "build", str(project)]
    command += ["--format", "pdf", "--out", str(out)]
    result = subprocess.run(
        command,
        cwd=REPO,
        env={**env, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr


def test_pdfs_are_the_same_bytes_with_the_fonttools_fallback(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    stderr = _build_without_harfbuzz_subset(project, first)
    assert HARFBUZZ_NOTE in stderr  # the fallback was taken
    time.sleep(1.5)  # fontTools stamps whole seconds
    _build_without_harfbuzz_subset(project, second)
    pdfs = sorted(first.glob("*/briefing.pdf"))
    assert pdfs
    for pdf in pdfs:
        again = second / pdf.relative_to(first)
        assert again.read_bytes() == pdf.read_bytes(), pdf.relative_to(first)
