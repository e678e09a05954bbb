"""Loaded by every Python process of a hostile-corpus run (PYTHONPATH): an strace-like record.

A Python audit hook sees every ``open``, socket, process start, rename and deletion made from
Python code (WeasyPrint's fetchers included). It writes one line per forbidden act to the file
named by ``BRIEFGEN_AUDIT_LOG``:

- any read or write of a path under ``BRIEFGEN_AUDIT_CANARY`` (the folder outside the project);
- any write, rename, deletion or new folder outside ``BRIEFGEN_AUDIT_PROJECT``;
- any Internet socket, connection or name lookup; any new process.

Nothing happens when the variable is unset, so the file is inert elsewhere.
"""

from __future__ import annotations

import os
import sys

_LOG_PATH = os.environ.get("BRIEFGEN_AUDIT_LOG")

_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
    }
)
_PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile"}
)
_CHANGE_EVENTS = frozenset(
    {
        "os.remove",
        "os.rmdir",
        "os.mkdir",
        "os.rename",
        "os.symlink",
        "os.link",
        "os.chmod",
        "os.chown",
        "os.truncate",
        "os.utime",
        "shutil.rmtree",
        "shutil.move",
        "shutil.copyfile",
    }
)
# Where each change event carries the folder descriptor its path is relative to.
_DIR_FD_ARGUMENT = {
    "os.remove": (1,),
    "os.rmdir": (1,),
    "os.mkdir": (2,),
    "os.rename": (2, 3),
    "os.symlink": (2, 2),
    "os.link": (2, 3),
    "os.chmod": (2,),
    "os.chown": (3,),
    "shutil.rmtree": (1,),
}
# ctypes.util.find_library, run while WeasyPrint loads Pango at import, starts ldconfig (and
# gcc) and makes temporary files in the system's temporary folder to find shared libraries.
# It runs before any project file is read and nothing in a project can change what it does.
_LIBRARY_LOOKUP = os.path.join("ctypes", "util.py")
_LINK_ITSELF = frozenset(
    {"os.remove", "os.rmdir", "os.rename", "os.symlink", "os.link", "shutil.rmtree", "os.mkdir"}
)
_WATCHED = (
    _NETWORK_EVENTS
    | _PROCESS_EVENTS
    | _CHANGE_EVENTS
    | {"os.listdir", "os.scandir", "socket.__new__"}
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _install(log_path: str) -> None:
    project = os.path.realpath(os.environ["BRIEFGEN_AUDIT_PROJECT"])
    canary = os.path.realpath(os.environ["BRIEFGEN_AUDIT_CANARY"])
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (kept open)
    busy = [False]

    def real(path: object, dir_fd: object = None, *, follow: bool = True) -> str | None:
        if isinstance(path, int) or path is None:
            return None
        try:
            text = os.fsdecode(path)  # type: ignore[arg-type]
            if isinstance(dir_fd, int) and dir_fd >= 0 and not os.path.isabs(text):
                text = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), text)
            if follow:
                return os.path.realpath(text)
            head, tail = os.path.split(os.path.abspath(text))
            return os.path.join(os.path.realpath(head), tail)
        except (TypeError, ValueError, OSError):
            return None

    def under(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder + os.sep)

    def record(kind: str, detail: object) -> None:
        log.write(f"{kind}\t{detail!r}\n")

    def check_paths(event: str, args: tuple[object, ...]) -> None:
        positions = _DIR_FD_ARGUMENT.get(event, ())
        for index, arg in enumerate(args[:2]):
            fd_at = positions[index] if index < len(positions) else None
            dir_fd = args[fd_at] if fd_at is not None and fd_at < len(args) else None
            # Renames, deletions and new links act on the link itself, never on its target.
            path = real(arg, dir_fd, follow=event not in _LINK_ITSELF)
            if path is None:
                continue
            if under(path, canary):
                record("canary-touched", (event, path))
            elif not under(path, project):
                record("changed-outside", (event, path))

    def check_open(args: tuple[object, ...]) -> None:
        flags = args[2] if isinstance(args[2], int) else 0
        # O_NOFOLLOW: a link at the last step is refused by the system, not followed.
        path = real(args[0], follow=not flags & os.O_NOFOLLOW)
        if path is None:
            return
        mode = args[1] if isinstance(args[1], str) else ""
        writing = any(c in mode for c in "wax+") or bool(flags & _WRITE_FLAGS)
        if under(path, canary):
            record("canary-opened", (path, mode, flags))
        elif writing and not under(path, project) and path != os.devnull:
            record("written-outside", (path, mode, flags))

    def library_lookup() -> bool:
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename.endswith(_LIBRARY_LOOKUP):
                return True
            frame = frame.f_back  # type: ignore[assignment]
        return False

    def hook(event: str, args: tuple[object, ...]) -> None:
        if busy[0] or not (event == "open" or event in _WATCHED):
            return
        if library_lookup():
            return
        busy[0] = True
        try:
            if event == "open":
                check_open(args)
            elif event in ("os.listdir", "os.scandir") and args:
                path = real(args[0])
                if path is not None and under(path, canary):
                    record("canary-listed", path)
            elif event == "socket.__new__" and len(args) > 1 and args[1] in (2, 10):
                record("internet-socket", args[1:])
            elif event == "urllib.Request" and str(args[0]).lower().startswith("data:"):
                pass  # urllib decodes data: URLs itself; nothing leaves the process
            elif event in _NETWORK_EVENTS:
                record("network", (event, args[:2]))
            elif event in _PROCESS_EVENTS:
                record("process", (event, str(args[:2])[:200]))
            elif event in _CHANGE_EVENTS:
                check_paths(event, args)
        finally:
            busy[0] = False

    sys.addaudithook(hook)


if _LOG_PATH:
    _install(_LOG_PATH)
