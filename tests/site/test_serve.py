"""`briefgen serve` as a user runs it: a subprocess on a free loopback port.

It serves the site, rebuilds when a content file is saved, shows errors on the page instead of
stopping, and adds its reload script to served pages only.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.site.cdp import Browser, chromium_available
from tests.site.conftest import AMBER_ID, copy_fixture

TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _interruptible() -> None:
    """Ctrl+C stops the server even when the tests run in a background job.

    A shell starts background jobs with SIGINT ignored, and Python then installs no
    KeyboardInterrupt handler: the server would ignore the SIGINT the fixture sends to stop it
    and be killed after the timeout, 30 s later.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running `briefgen serve` on a copy of the fixture: (base URL, project folder)."""
    project = copy_fixture(tmp_path)
    port = free_port()
    env = {**os.environ, "NO_COLOR": "1"}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", str(project), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        preexec_fn=_interruptible,
    )
    base = f"http://127.0.0.1:{port}/"

    def up() -> bool:
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        try:
            return fetch(base + "__briefgen/version")[0] == 200
        except OSError:
            return False

    try:
        wait_for(up, "the server to start")
        yield base, project
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)
        log.close()


def test_serve_rebuilds_on_save_and_shows_errors_on_the_page(server: tuple[str, Path]) -> None:
    base, project = server
    status, index = fetch(base)
    assert status == 200 and "Eastbay port trials a night shift" in index
    assert "__briefgen/version" in index  # the reload script, in preview only

    briefing = project / "content" / "briefings" / "night-shift-2021.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text.replace("trials a night shift", "trials a late shift"), "utf-8")
    wait_for(lambda: "Eastbay port trials a late shift" in fetch(base)[1], "the edit")

    briefing.write_text(text.replace("marking: TLP:CLEAR", "marking: TLP:WHITE"), "utf-8")
    wait_for(lambda: "The project has errors" in fetch(base + "index.html")[1], "the error")
    page = fetch(base + "actors.html")[1]
    assert "night-shift-2021.yaml" in page and "TLP:CLEAR" in page  # file:line and the hint
    log = project.parent / "serve.log"
    wait_for(lambda: "failed (" in log.read_text(encoding="utf-8"), "the terminal line")
    assert re.search(
        r"build \d+ failed \(1 error, \d+ warnings\): the preview page lists each problem",
        log.read_text(encoding="utf-8"),
    )

    briefing.write_text(text, "utf-8")
    wait_for(lambda: "Eastbay port trials a night shift" in fetch(base)[1], "the fix")


def test_serve_keeps_to_the_ceiling_and_serves_editions(server: tuple[str, Path]) -> None:
    base, _ = server
    assert fetch(base + f"briefings/{AMBER_ID}.html")[0] == 404
    assert "Zqcanary" not in fetch(base + "timeline.html")[1]
    assert fetch(base + "briefings/north-quay-2024.md")[0] == 200
    with urllib.request.urlopen(base + "briefings/north-quay-2024.pdf", timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")
    status, missing = fetch(base + "no/such/page.html")
    assert status == 404 and "Page not found" in missing


def test_published_pages_have_no_reload_script(site: Path) -> None:
    for page in site.rglob("*.html"):
        assert "__briefgen" not in page.read_text(encoding="utf-8")


@pytest.mark.skipif(not chromium_available(), reason="Chromium is not installed")
def test_the_open_page_reloads_itself_after_a_save(server: tuple[str, Path]) -> None:
    base, project = server
    briefing = project / "content" / "briefings" / "north-quay-2024.yaml"
    with Browser() as browser:
        report = browser.open(base + "index.html")
        assert not report.console_errors and not report.failed_requests
        text = briefing.read_text(encoding="utf-8")
        briefing.write_text(text.replace("Closure of the north quay", "Reopening plan"), "utf-8")

        def reloaded() -> bool:
            try:
                return "Reopening plan" in str(browser.evaluate("document.body.innerText"))
            except RuntimeError:
                return False  # asked while the page was being replaced

        wait_for(reloaded, "the page to reload")
