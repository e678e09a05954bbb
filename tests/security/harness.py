"""Run one hostile project through the real CLI and check every promise of docs/security.md.

Each case starts from a copy of the site fixture with previously built outputs, is changed by
its own files, links and FIFOs, then runs one command in a fresh interpreter that carries an
audit hook (``audit/sitecustomize.py``). Afterwards, whatever the case:

- the exit code is 0, 1 or 2 (and the one the case expects), with no traceback;
- a failure is reported with a location (``path:line``) and the case's own message;
- nothing under the canary folder outside the project was opened, listed or changed, and its
  secret appears in no file of the project and in no output;
- nothing outside the project was written, renamed or deleted; no Internet socket, name lookup
  or new process; the loopback listener received no connection;
- outputs that existed before are whole (unchanged, or replaced by complete new files);
- no temporary file of briefgen's naming is left anywhere in the project.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO

AUDIT_DIR = Path(__file__).resolve().parent / "audit"
SECRET = "zq-outside-secret-7d41"
SEALED = b"zqcanary"  # in every text of the site fixture's briefing above the ceiling
CANARY_LISTENER = "@@LISTENER@@"  # replaced by 127.0.0.1:PORT of the case's listener
CANARY_DIR = "@@CANARY@@"  # replaced by the absolute path of the canary folder
# A message names where: a file with its line (and column), or a path of the project.
LOCATED = re.compile(
    r"(\S+:\d+(?::\d+)?:? )|((?<![\w/])(?:output|content|templates)(?:/\S*)?\b)|briefgen\.yaml"
)
STRAY = re.compile(r"(^\..*\.tmp$)|(^\.site\.(new|old)-)|(^\.[^/]*\.(new|old)-)")
TIMEOUT = 240


@dataclass(frozen=True)
class Case:
    """One hostile project: what is changed, which command runs, what must come out."""

    name: str
    command: tuple[str, ...]
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    links: Mapping[str, str] = field(default_factory=dict)  # path -> target (placeholders)
    fifos: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    exit: int | None = 1  # None: 0 or 1 are both acceptable outcomes
    message: str = ""  # a regular expression the output must match
    setup: Callable[[Path, Path], None] | None = None  # (project, canary) for odd shapes


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        """Stop accepting and release the port."""
        self._stop.set()
        self._thread.join(timeout=2)
        self.server.close()


def make_canary(folder: Path) -> None:
    """A folder outside the project full of things a hostile project would like to reach."""
    folder.mkdir()
    (folder / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (folder / "secret.css").write_text(f"body::after {{ content: '{SECRET}'; }}\n")
    briefing = (REPO / "tests/site/fixture/content/briefings/north-quay-2024.yaml").read_text()
    (folder / "briefing.yaml").write_text(briefing.replace("north quay", SECRET, 1))
    (folder / "sub").mkdir()
    (folder / "sub" / "secret.txt").write_text(SECRET)
    # What a build would write through a linked output folder.
    (folder / "briefing.html").write_text(f"<p>{SECRET}</p>")
    (folder / "index.html").write_text(f"<p>{SECRET}</p>")
    (folder / "assets").mkdir()
    (folder / "assets" / "site.css").write_text(SECRET)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every entry under ``folder`` (not following links): digest or link target, and mtime."""
    state: dict[str, tuple[str, int]] = {}
    if not folder.is_dir() or folder.is_symlink():
        return state
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if path.is_symlink():
            what = "link:" + os.readlink(path)
        elif path.is_file():
            what = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            what = "folder"
        state[path.relative_to(folder).as_posix()] = (what, info.st_mtime_ns)
    return state


def fill(text: str | bytes, canary: Path, listener: Listener) -> str | bytes:
    """The case text with its placeholders replaced."""
    if isinstance(text, bytes):
        return text
    return text.replace(CANARY_DIR, str(canary)).replace(CANARY_LISTENER, listener.address)


def prepare(case: Case, project: Path, canary: Path, listener: Listener) -> None:
    """Apply the case's changes to a fresh project."""
    for relative in case.remove:
        target = project / relative
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    for relative, text in case.files.items():
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = fill(text, canary, listener)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    for relative, link_target in case.links.items():
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        target.symlink_to(str(fill(link_target, canary, listener)))
    for relative in case.fifos:
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(target)
    if case.setup:
        case.setup(project, canary)


@dataclass
class Outcome:
    """What one run did."""

    returncode: int
    output: str
    audit: list[str]


def run(case: Case, project: Path, canary: Path, listener: Listener, log: Path) -> Outcome:
    """The case's command in a fresh interpreter with the audit hook and a trapped proxy."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join([str(AUDIT_DIR), str(REPO)]),
        "BRIEFGEN_AUDIT_LOG": str(log),
        "BRIEFGEN_AUDIT_PROJECT": str(project),
        "BRIEFGEN_AUDIT_CANARY": str(canary),
        # Anything that still tried HTTP through the environment's proxy would reach the trap.
        "http_proxy": f"http://{listener.address}",
        "https_proxy": f"http://{listener.address}",
        "HTTP_PROXY": f"http://{listener.address}",
        "HTTPS_PROXY": f"http://{listener.address}",
        "ALL_PROXY": f"http://{listener.address}",
    }
    command = [fill(part, canary, listener) for part in case.command]
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", *map(str, command), str(project)],
        # Inside the project: an open() relative to a folder descriptor (the audit event does
        # not carry it) then resolves inside too, never as a false alarm outside.
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    audit = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return Outcome(proc.returncode, proc.stdout + proc.stderr, audit)


def stray_temporaries(project: Path) -> list[str]:
    """Temporary files and folders of briefgen's naming left anywhere in the project."""
    return [
        p.relative_to(project).as_posix()
        for p in project.rglob(".*")
        if STRAY.search(p.name) and not p.is_symlink()
    ]


def secret_holders(project: Path) -> list[str]:
    """Files of the project (links not followed) whose bytes contain the canary secret."""
    found = []
    for path in project.rglob("*"):
        if path.is_file() and not path.is_symlink() and SECRET.encode() in path.read_bytes():
            found.append(path.relative_to(project).as_posix())
    return found


def sealed_holders(site: Path) -> list[str]:
    """Files of a published site that hold anything of the fixture's briefing above the ceiling.

    The fixture marks every text of its TLP:AMBER briefing with "zqcanary"; the site must not.
    """
    if not site.is_dir() or site.is_symlink():
        return []
    return [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if (p.is_file() and not p.is_symlink() and SEALED in p.read_bytes().lower())
        or SEALED.decode() in p.name.lower()
    ]


def snapshot_digest(path: Path) -> str:
    """The digest :func:`snapshot` records for a regular file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
