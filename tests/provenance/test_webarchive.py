"""Web archives as a source's archive: WARC and WACZ files written here with warcio.

The right response record is chosen (by URL, then capture time), its payload digest is checked,
and only the page's main text counts. Validation runs as the real CLI.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.conftest import run_cli
from tests.provenance.warc_helpers import (
    ARTICLE,
    AUTHORITY_ARCHIVE,
    AUTHORITY_URL,
    NAV_ONLY,
    QUOTE,
    SOURCES,
    Response,
    article,
    edit,
    project,
    wacz_bytes,
    warc_bytes,
)

WARC_PATH = "content/archive/authority.warc.gz"
NOT_FOUND = "error: quote not found in the archive of 'authority-2024-03-01'"


def _with_archive(tmp_path: Path, data: bytes, name: str = WARC_PATH, extra: str = "") -> Path:
    folder = project(tmp_path)
    (folder / name).write_bytes(data)
    edit(folder, SOURCES, AUTHORITY_ARCHIVE, f"path: {name}{extra}")
    return folder


def _validate(folder: Path) -> tuple[int, str]:
    result = run_cli("validate", "--strict", str(folder))
    return result.returncode, result.stdout + result.stderr


def test_quote_found_in_the_article_of_a_warc(tmp_path: Path) -> None:
    data = warc_bytes([Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", ARTICLE.encode())])
    code, output = _validate(_with_archive(tmp_path, data))
    assert code == 0, output


def test_quote_missing_from_a_warc(tmp_path: Path) -> None:
    # The words are on the page, but only in its navigation and footer: not the article's.
    data = warc_bytes([Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", NAV_ONLY.encode())])
    code, output = _validate(_with_archive(tmp_path, data))
    assert code == 1
    assert NOT_FOUND in output
    assert f"({WARC_PATH})" in output


def test_tampered_payload_is_an_error(tmp_path: Path) -> None:
    original = warc_bytes(
        [Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", NAV_ONLY.encode())], gzip=False
    )
    # Someone puts the quote into the record after capture (same length: the record parses).
    said = b"The cut is temporary and will be reviewed every month, the river authority said."
    forged = f"The cut is, the river authority said, “{QUOTE}”.".encode()
    forged = forged.ljust(len(said))[: len(said)]
    assert said in original
    data = original.replace(said, forged)
    code, output = _validate(_with_archive(tmp_path, data, "content/archive/authority.warc"))
    assert code == 1
    assert (
        "error: archive content/archive/authority.warc: the response for "
        f"{AUTHORITY_URL} does not match its WARC-Payload-Digest (sha1:" in output
    ), output
    assert "the record was changed after it was captured" in output


def test_two_captures_the_latest_or_the_recorded_one(tmp_path: Path) -> None:
    earlier = Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", NAV_ONLY.encode())
    later = Response(AUTHORITY_URL, "2024-03-05T18:00:00.250Z", ARTICLE.encode())
    other = Response("https://example.org/other", "2024-03-09T10:00:00Z", NAV_ONLY.encode())
    data = warc_bytes([later, earlier, other])
    # No capture time recorded: the latest capture of the source's URL.
    code, output = _validate(_with_archive(tmp_path / "a", data))
    assert code == 0, output
    # A recorded capture time picks that capture (to the second), which lacks the quote.
    chosen = "\n      captured: '2024-03-01T09:30:00Z'"
    code, output = _validate(_with_archive(tmp_path / "b", data, extra=chosen))
    assert code == 1 and NOT_FOUND in output, output
    # A time the archive has no capture at is an error at the captured line.
    missing = "\n      captured: '2024-03-02T00:00:00Z'"
    code, output = _validate(_with_archive(tmp_path / "c", data, extra=missing))
    assert code == 1
    assert (
        f"content/sources.yaml:26:17: error: archive {WARC_PATH} has no capture of "
        f"{AUTHORITY_URL} at 2024-03-02T00:00:00Z (its captures of that URL are at "
        "2024-03-01T09:30:00Z, 2024-03-05T18:00:00Z)"
    ) in output, output


def test_record_named_by_final_url_and_redirects_followed(tmp_path: Path) -> None:
    moved = "https://example.org/notices/2024/quota"
    data = warc_bytes(
        [
            Response(
                AUTHORITY_URL, "2024-03-01T09:30:00Z", b"", status="301 Moved", location=moved
            ),
            Response(moved, "2024-03-01T09:30:01Z", ARTICLE.encode()),
        ]
    )
    code, output = _validate(_with_archive(tmp_path, data))
    assert code == 0, output


def test_no_capture_of_the_url(tmp_path: Path) -> None:
    data = warc_bytes(
        [
            Response("https://example.org/a", "2024-03-01T09:30:00Z", ARTICLE.encode()),
            Response("https://example.org/b", "2024-03-01T09:30:00Z", ARTICLE.encode()),
        ]
    )
    code, output = _validate(_with_archive(tmp_path, data))
    assert code == 1
    assert f"has no capture of {AUTHORITY_URL}" in output
    assert "it holds https://example.org/a, https://example.org/b" in output


def test_arabic_page(tmp_path: Path) -> None:
    quote = "سيتم رفع الحصة بعد المراجعة الأولى في نهاية آذار"
    page = article(
        "<p>قالت سلطة النهر في بيان مكتوب إن حصة المزارع في منطقة الشمال خفضت بنسبة عشرين "
        "في المئة اعتبارا من الأول من آذار، وإنها ستراجع التخفيض كل شهر.</p>\n"
        f"<p>وأضافت سلطة النهر: «{quote}»، وإن جمعيات المزارعين أبلغت بذلك.</p>",
        lang="ar",
        title="إشعار بتخفيض مؤقت لحصص مياه المزارع",
    )
    data = warc_bytes([Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", page.encode())])
    folder = _with_archive(tmp_path, data)
    edit(folder, "content/briefings/water.yaml", f"text: {QUOTE}", f"text: {quote}")
    edit(
        folder,
        "content/briefings/water.yaml",
        "excerpt: the quota for farms in the Northvale district is cut by twenty per cent",
        "excerpt: حصة المزارع في منطقة الشمال خفضت بنسبة عشرين في المئة",
    )
    edit(
        folder,
        "content/briefings/water.yaml",
        "attribution: the river authority",
        "attribution: سلطة النهر",
    )
    result = run_cli("validate", str(folder))
    assert NOT_FOUND not in result.stdout, result.stdout
    assert result.returncode == 0, result.stdout
    # And a word changed is caught.
    edit(folder, "content/briefings/water.yaml", "بعد المراجعة", "قبل المراجعة")
    result = run_cli("validate", str(folder))
    assert result.returncode == 1 and NOT_FOUND in result.stdout


def test_wacz(tmp_path: Path) -> None:
    warc = warc_bytes([Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", ARTICLE.encode())])
    data = wacz_bytes(warc, AUTHORITY_URL, "2024-03-01T09:30:00Z")
    code, output = _validate(_with_archive(tmp_path, data, "content/archive/authority.wacz"))
    assert code == 0, output


def test_wacz_missing_quote(tmp_path: Path) -> None:
    warc = warc_bytes([Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", NAV_ONLY.encode())])
    data = wacz_bytes(warc, AUTHORITY_URL, "2024-03-01T09:30:00Z")
    code, output = _validate(_with_archive(tmp_path, data, "content/archive/authority.wacz"))
    assert code == 1 and NOT_FOUND in output
    assert "(content/archive/authority.wacz)" in output


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    # 101 MiB of zeros packs into about 100 KiB: unpacking stops at the bound.
    bomb = gzip.compress(b"\0" * (101 * 2**20), compresslevel=1)
    code, output = _validate(_with_archive(tmp_path, bomb))
    assert code == 1
    assert f"error: archive {WARC_PATH} unpacks to more than 100 MiB" in output, output
