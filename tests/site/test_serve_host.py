"""`briefgen serve` answers only requests addressed to itself, and only from its memory.

A web page the analyst visits can point its own host name at 127.0.0.1 (DNS rebinding) and then
read the preview as same-origin content, `--all-markings` briefings included. What tells such a
request apart is its `Host` header (the attacker's name) and, for scripted requests, its
`Origin`. These tests send raw HTTP over a socket to a real server on a free loopback port, so
every header is exactly what a hostile page or tool could send.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.site.serve import Preview, allowed_hosts, allowed_origins, make_server
from tests.conftest import run_cli
from tests.site.conftest import copy_fixture

PAGE_TEXT = b"Eastbay port trials a night shift"  # on index.html of the fixture
PDF_PATH = "/briefings/north-quay-2024.pdf"
CANARY = b"zq-disk-canary-5c1e"


@dataclass
class Reply:
    """A parsed HTTP response."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Running:
    """A preview server on loopback: its port and its project folder."""

    port: int
    project: Path


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The fixture project served by a real preview server on 127.0.0.1, port 0."""
    project = copy_fixture(tmp_path_factory.mktemp("serve-host"))
    # A file on disk inside the project that is not part of the site: it must never be served.
    (project / "secret.txt").write_bytes(CANARY)
    preview = Preview(project)
    assert not preview.rebuild().errors
    server = make_server(preview, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield Running(int(server.server_address[1]), project)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)


def send(port: int, raw: bytes) -> Reply:
    """Send ``raw`` bytes as one request and read the response until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as conn:
        conn.sendall(raw)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Reply(int(lines[0].split(" ")[1]), headers, body)


def request(
    port: int,
    target: str = "/",
    headers: list[tuple[str, str]] | None = None,
    *,
    method: str = "GET",
    version: str = "HTTP/1.1",
    host: str | None = None,
    no_host: bool = False,
) -> Reply:
    """One request, with the preview's own Host unless ``host`` or ``no_host`` say otherwise."""
    lines = [f"{method} {target} {version}"]
    if not no_host:
        lines.append(f"Host: {f'127.0.0.1:{port}' if host is None else host}")
    lines += [f"{name}: {value}" for name, value in headers or []]
    lines.append("Connection: close")
    return send(port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def foreign_hosts(port: int) -> list[str]:
    """Host values that name something other than the preview."""
    return [
        "evil.example",
        f"evil.example:{port}",
        f"127.0.0.1.evil.example:{port}",
        f"localhost.evil.example:{port}",
        "localhost.",
        f"localhost.:{port}",
        f"127.0.0.1:{port + 1}",
        f"localhost:{port}0",
        "127.0.0.1",  # a browser always sends the port unless it is 80
        "localhost",
        f"127.0.0.1:{port}.evil.example",
        f"evil.example@127.0.0.1:{port}",
        f"127.0.0.2:{port}",
        f"0.0.0.0:{port}",
        "",
    ]


TARGETS = ["/", "/index.html", "/__briefgen/version", PDF_PATH, "/no/such/page.html"]


def assert_refused(reply: Reply, port: int, status: int) -> None:
    """A refusal: the status, a short plain-text reason naming the address to use."""
    assert reply.status == status, reply
    assert reply.headers["content-type"].startswith("text/plain")
    assert f"http://127.0.0.1:{port}/".encode() in reply.body
    assert PAGE_TEXT not in reply.body and not reply.body.startswith(b"%PDF")


@pytest.mark.parametrize("target", TARGETS)
def test_a_foreign_host_is_refused(running: Running, target: str) -> None:
    port = running.port
    for host in foreign_hosts(port):
        reply = request(port, target, host=host)
        assert reply.status == 421, (host, reply)
        assert_refused(reply, port, 421)
        assert b"Misdirected" in reply.body or b"addressed" in reply.body


@pytest.mark.parametrize("target", TARGETS)
def test_a_missing_or_repeated_host_is_refused(running: Running, target: str) -> None:
    port = running.port
    ours = f"127.0.0.1:{port}"
    assert_refused(request(port, target, no_host=True), port, 400)
    assert_refused(request(port, target, no_host=True, version="HTTP/1.0"), port, 400)
    for extra in ["evil.example", ours, ""]:
        assert_refused(request(port, target, [("Host", extra)]), port, 400)
        assert_refused(request(port, target, [("Host", ours)], host=extra), port, 400)


@pytest.mark.parametrize("method", ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW"])
def test_every_method_is_refused_for_a_foreign_host(running: Running, method: str) -> None:
    port = running.port
    for target in ["/", "/__briefgen/version", PDF_PATH]:
        reply = request(port, target, [("Content-Length", "0")], method=method, host="evil.example")
        assert reply.status == 421, (method, target, reply)
        assert PAGE_TEXT not in reply.body
        if method == "HEAD":
            assert reply.body == b""


def test_an_absolute_target_naming_another_host_is_refused(running: Running) -> None:
    port = running.port
    for target in ["http://evil.example/", f"http://evil.example:{port}/__briefgen/version"]:
        assert_refused(request(port, target), port, 421)
    ours = request(port, f"http://127.0.0.1:{port}/index.html")
    assert ours.status == 200 and PAGE_TEXT in ours.body
    for target in ["*", f"127.0.0.1:{port}", "index.html", f"ftp://127.0.0.1:{port}/"]:
        assert request(port, target).status == 400, target


def foreign_origins(port: int) -> list[str]:
    """Origin values of pages other than the preview."""
    return [
        "http://evil.example",
        f"http://evil.example:{port}",
        f"http://127.0.0.1.evil.example:{port}",
        f"http://127.0.0.1:{port + 1}",
        "http://127.0.0.1",
        f"https://127.0.0.1:{port}",
        f"http://localhost.:{port}",
        "null",
        "",
    ]


@pytest.mark.parametrize("target", ["/__briefgen/version", "/index.html", PDF_PATH])
def test_a_foreign_origin_is_refused(running: Running, target: str) -> None:
    port = running.port
    for origin in foreign_origins(port):
        assert_refused(request(port, target, [("Origin", origin)]), port, 403)
    two = [("Origin", f"http://127.0.0.1:{port}"), ("Origin", "http://evil.example")]
    assert_refused(request(port, target, two), port, 403)


def test_the_reload_channel_refuses_cross_site_fetches(running: Running) -> None:
    port = running.port
    for site in ["cross-site", "same-site", "bogus"]:
        reply = request(port, "/__briefgen/version", [("Sec-Fetch-Site", site)])
        assert_refused(reply, port, 403)
    for site in ["same-origin", "none"]:  # the page's own poll; the address typed by hand
        reply = request(port, "/__briefgen/version", [("Sec-Fetch-Site", site)])
        assert reply.status == 200 and reply.body.isdigit()


def test_the_right_host_and_origin_still_work(running: Running) -> None:
    port = running.port
    for host in [f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LocalHost:{port}"]:
        page = request(port, "/", host=host)
        assert page.status == 200 and PAGE_TEXT in page.body, host
        origin = "http://" + host.lower()
        version = request(port, "/__briefgen/version", [("Origin", origin)], host=host)
        assert version.status == 200 and version.body.isdigit(), host
    same = [("Origin", f"http://localhost:{port}"), ("Sec-Fetch-Site", "same-origin")]
    assert request(port, "/__briefgen/version", same).status == 200
    old = request(port, "/index.html", version="HTTP/1.0")
    assert old.status == 200 and PAGE_TEXT in old.body
    pdf = request(port, PDF_PATH, [("Origin", f"http://127.0.0.1:{port}")])
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"


PATH_TRICKS = [
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "//etc/passwd",
    "///etc/passwd",
    "/etc/passwd",
    "/%2fetc%2fpasswd",
    "/briefings/../../../../etc/passwd",
    "/briefings/..%2f..%2f..%2f..%2fetc%2fpasswd.pdf",
    "/briefings/%2e%2e/%2e%2e/secret.txt",
    "/index.html%00",
    "/index.html\x00",
    "/briefings/north-quay-2024\x00.pdf",
    "/%00../../etc/passwd",
    "/secret.txt",
    "/../secret.txt",
    "/briefgen.yaml",
    "/content/briefings/north-quay-2024.yaml",
    "/project/secret.txt",
    "/\\..\\..\\etc\\passwd",
    "/" + "a/" * 20000,
]


@pytest.mark.parametrize("target", PATH_TRICKS, ids=lambda t: t[:40])
def test_paths_never_reach_the_disk(running: Running, target: str) -> None:
    reply = request(running.port, target)
    assert reply.status == 404, reply.status
    assert b"root:" not in reply.body and CANARY not in reply.body
    assert b"Page not found" in reply.body


def test_a_request_line_beyond_the_limit_is_refused(running: Running) -> None:
    with socket.create_connection(("127.0.0.1", running.port), timeout=60) as conn:
        conn.sendall(b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n")
        try:
            answer = conn.recv(65536)
        except ConnectionResetError:
            answer = b""  # the server may close before this side reads: still no page
    assert PAGE_TEXT not in answer
    assert answer == b"" or answer.startswith(b"HTTP/1.0 414")


def test_the_bare_name_is_accepted_only_on_port_80() -> None:
    # A browser leaves the port out of Host only for HTTP's default port.
    assert allowed_hosts(80) >= {"127.0.0.1", "localhost", "[::1]", "localhost:80"}
    assert allowed_hosts(8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert "http://127.0.0.1" in allowed_origins(80)
    assert allowed_origins(8000) == {f"http://{host}" for host in allowed_hosts(8000)}


def test_serve_help_names_the_addresses_it_answers() -> None:
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    assert "localhost:PORT" in result.stdout and "[::1]:PORT" in result.stdout
