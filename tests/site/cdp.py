"""A small Chrome DevTools Protocol client: real headless Chromium, driven over a websocket.

Only what the site tests need: open a page, wait for it to load, collect console errors and
failed requests, and evaluate JavaScript in the page (waiting for a promise, as axe-core's
``axe.run`` gives, when asked).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM", "/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


@dataclass
class PageReport:
    """What happened while one page loaded."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


class Browser:
    """Headless Chromium with one page target, closed by :meth:`close` (or ``with``)."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="briefgen-chromium-")
        # Chromium's log goes to a file: a pipe nobody drains would fill up and stall it.
        self.log = Path(self.profile) / "stderr.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}/profile", "about:blank"],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        browser_url = self._wait_for_devtools()
        port = re.search(r":(\d+)/", browser_url)
        assert port, browser_url
        connection = connect(self._page_socket(int(port[1])), max_size=None, open_timeout=timeout)
        self.ws = connection.__enter__()
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")

    def _wait_for_devtools(self) -> str:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            found = _LISTENING.search(self.log.read_text(errors="replace"))
            if found:
                return found[1]
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.close()
        raise RuntimeError("Chromium did not start its DevTools endpoint")

    def _page_socket(self, port: int) -> str:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                targets = json.loads(r.read())
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return str(pages[0]["webSocketDebuggerUrl"])
            time.sleep(0.1)
        raise RuntimeError("Chromium has no page target")

    def _receive(self, timeout: float) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self.ws.recv(timeout=timeout))
        return message

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a CDP method and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        call_id = self._next_id
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._receive(max(0.1, deadline - time.monotonic()))
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def _wait_event(self, method: str) -> None:
        if any(e.get("method") == method for e in self.events):
            return
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = self._receive(max(0.1, deadline - time.monotonic()))
            self.events.append(message)
            if message.get("method") == method:
                return
        raise TimeoutError(f"no {method} within {self.timeout}s")

    def _drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.events.append(self._receive(left))
            except TimeoutError:
                return

    def open(self, url: str, width: int = 1280) -> PageReport:
        """Load ``url`` at a viewport ``width`` px wide and report errors seen while loading."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.events.clear()
        self.send("Page.navigate", url=url)
        self._wait_event("Page.loadEventFired")
        self._drain(0.2)  # late console messages and failed requests
        return self._report(url)

    def _report(self, url: str) -> PageReport:
        report = PageReport(url)
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                report.console_errors.append(str(params["exceptionDetails"].get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                report.console_errors.append(json.dumps(params.get("args")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                report.console_errors.append(str(params["entry"].get("text")))
            elif method == "Network.loadingFailed":
                report.failed_requests.append(str(params.get("errorText")))
            elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
                response = params["response"]
                report.failed_requests.append(f"{response['status']} {response['url']}")
        return report

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        """The JSON value of a JavaScript expression evaluated in the page.

        With ``await_promise`` an expression that gives a promise is waited for, and the value
        it settles to is returned (a rejected promise raises, as an exception does).
        """
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=await_promise,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def close(self) -> None:
        """Close the connection, stop Chromium, remove its profile."""
        ws: ClientConnection | None = getattr(self, "ws", None)
        if ws is not None:
            ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def chromium_available() -> bool:
    """True when the Chromium binary is installed."""
    return Path(CHROMIUM).exists()
