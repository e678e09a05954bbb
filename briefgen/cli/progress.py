"""The progress bar and path display shared by the commands that render (build, publish)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# A progress bar only helps when there is something to wait for.
PROGRESS_THRESHOLD = 3


class ProgressBar:
    """A rich progress bar on stderr, shown only for more than a few briefings on a terminal."""

    def __init__(self, label: str, *, quiet: bool) -> None:
        self.label = label
        self.quiet = quiet
        self.bar: Any = None
        self.task: Any = None

    def start(self, total: int) -> None:
        """Show the bar for ``total`` briefings (when it is worth showing)."""
        if self.quiet or total <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(
            TextColumn(self.label),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def advance(self, briefing_id: str) -> None:
        """One more briefing done."""
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=briefing_id)

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self.bar is not None:
            self.bar.stop()


def shown_path(path: Path) -> str:
    """``path`` as a user reads it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()
