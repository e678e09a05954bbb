"""Web archives (WARC, WACZ): the response record of a source's URL, its digest checked.

A WARC file holds many records; the archive of a source is one HTTP response among them:

- the record whose ``WARC-Target-URI`` is the archive's ``final_url`` (else the source's
  ``url``); when the archive holds one response only, that one;
- of several captures of that URL, the one whose ``WARC-Date`` (to the second) is the
  archive's ``captured``, else the latest;
- a redirect (3xx with a ``Location``) is followed inside the archive, at most
  :data:`MAX_REDIRECTS` times; nothing is ever fetched.

The chosen record's ``WARC-Payload-Digest`` (sha1, sha256 or sha512; base32, hex or base64) must
match its payload: a tampered record is an error. A WACZ file is a zip with WARC files under
``archive/``; it is read with :mod:`zipfile`, member by member, never trusting declared sizes.

Archives are hostile input: a 20 MiB ``.warc.gz`` could unpack to gigabytes, so everything is
unpacked with a bound (:data:`MAX_UNPACKED_BYTES` for all the WARC data of one archive, and the
same for one payload).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from briefgen.errors import ArchiveError

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_WACZ_MEMBERS = 10_000
MAX_REDIRECTS = 5
_DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


@dataclass(frozen=True)
class WebCapture:
    """One HTTP response from a web archive: its URL, time, media type and exact payload."""

    url: str
    captured: str  # WARC-Date to the second, UTC: 2024-03-01T09:30:00Z
    content_type: str
    payload: bytes
    status: int
    location: str | None


def is_web_archive(name: str) -> bool:
    """True for a WARC or WACZ file name (``.warc``, ``.warc.gz``, ``.wacz``)."""
    lower = name.lower()
    return lower.endswith((".warc", ".warc.gz", ".wacz"))


def pick_capture(data: bytes, display: str, target: str | None, captured: str | None) -> WebCapture:
    """The response record that is a source's archive (see the module). Raises ArchiveError."""
    captures = list(_responses(data, display))
    if not captures:
        raise ArchiveError(f"archive {display} holds no HTTP response record")
    if target is None:
        if len(captures) > 1:
            raise ArchiveError(
                f"archive {display} holds {len(captures)} responses; which one is the source's?",
                "give the source a url, or the archive a final_url naming the record",
            )
        return captures[0]
    return _follow(captures, display, target, captured)


def _follow(
    captures: list[WebCapture], display: str, target: str, captured: str | None
) -> WebCapture:
    """The capture of ``target``, following redirects recorded in the archive."""
    for _ in range(MAX_REDIRECTS + 1):
        chosen = _choose(captures, display, target, captured)
        if not (300 <= chosen.status < 400 and chosen.location):
            return chosen
        target, captured = urljoin(chosen.url, chosen.location), None
    raise ArchiveError(f"archive {display}: more than {MAX_REDIRECTS} redirects from {target}")


def _choose(
    captures: list[WebCapture], display: str, target: str, captured: str | None
) -> WebCapture:
    same_url = [c for c in captures if same_url_as(c.url, target)]
    if not same_url:
        held = ", ".join(sorted({c.url for c in captures})[:5])
        raise ArchiveError(
            f"archive {display} has no capture of {target}",
            f"it holds {held}; set the archive's final_url to the record to use",
            field="final_url",
        )
    if captured is None:
        return max(same_url, key=lambda c: c.captured)  # the latest
    for capture in same_url:
        if capture.captured == captured:
            return capture
    times = ", ".join(sorted(c.captured for c in same_url))
    raise ArchiveError(
        f"archive {display} has no capture of {target} at {captured}",
        f"its captures of that URL are at {times}",
        field="captured",
    )


def same_url_as(first: str, second: str) -> bool:
    """Two URLs name the same page: compared without the fragment and a bare host's slash."""

    def key(url: str) -> str:
        url = url.split("#", 1)[0]
        scheme, sep, rest = url.partition("://")
        host, _slash, path = rest.partition("/")
        return f"{scheme.lower()}{sep}{host.lower()}/{path}" if sep else url

    return key(first) == key(second)


def _responses(data: bytes, display: str) -> Iterator[WebCapture]:
    """Every HTTP response record of a WARC or WACZ file, its payload digest checked."""
    from warcio.archiveiterator import ArchiveIterator  # only web archives need it

    for name, warc in _warc_files(data, display):
        try:
            for record in ArchiveIterator(io.BytesIO(warc), no_record_parse=False):
                if record.rec_type == "response" and record.http_headers is not None:
                    yield _capture(record, f"{display}{name}")
        except ArchiveError:
            raise
        except Exception as exc:  # warcio raises many kinds of errors on damaged files
            raise ArchiveError(
                f"archive {display}{name}: cannot read the WARC data ({type(exc).__name__}: {exc})"
            ) from None


def _capture(record: object, where: str) -> WebCapture:
    headers = record.rec_headers  # type: ignore[attr-defined]
    http = record.http_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI") or ""
    raw = record.raw_stream.read(MAX_UNPACKED_BYTES + 1)  # type: ignore[attr-defined]
    if len(raw) > MAX_UNPACKED_BYTES:
        raise ArchiveError(f"archive {where}: the response for {url} is over the size limit")
    _check_digest(headers.get_header("WARC-Payload-Digest"), raw, where, url)
    payload = raw
    # Transfer coding is the outer layer (chunks), content coding (gzip) the inner one.
    if (http.get_header("Transfer-Encoding") or "").lower() == "chunked":
        payload = _dechunked(payload)
    if (http.get_header("Content-Encoding") or "identity").lower() != "identity":
        payload = _decoded(payload, http.get_header("Content-Encoding"), where, url)
    status = int((http.get_statuscode() or "0")[:3] or 0)
    return WebCapture(
        url=url,
        captured=warc_date(headers.get_header("WARC-Date") or ""),
        content_type=http.get_header("Content-Type") or "",
        payload=payload,
        status=status,
        location=http.get_header("Location"),
    )


def warc_date(value: str) -> str:
    """A WARC-Date to the second (fractions dropped): '2024-03-01T09:30:00Z'."""
    head = value.strip()[:19]
    return f"{head}Z" if len(head) == 19 else value.strip()


def _check_digest(declared: str | None, payload: bytes, where: str, url: str) -> None:
    """Refuse a payload that does not match its WARC-Payload-Digest (a tampered record)."""
    if not declared:
        return  # nothing to check: the archive's own sha256 still pins the whole file
    algorithm, _, value = declared.strip().partition(":")
    make = _DIGESTS.get(algorithm.lower())
    if make is None:
        raise ArchiveError(f"archive {where}: unknown payload digest '{declared}' for {url}")
    actual = make(payload).digest()
    if _digest_bytes(value, len(actual)) != actual:
        raise ArchiveError(
            f"archive {where}: the response for {url} does not match its WARC-Payload-Digest "
            f"({declared}): the record was changed after it was captured",
            "capture the page again (briefgen archive) or restore the original file",
        )


def _digest_bytes(value: str, size: int) -> bytes | None:
    """A digest written in base32, hex or base64, as bytes (None if it is none of these)."""
    decoders = (
        lambda v: base64.b32decode(v.upper()),
        bytes.fromhex,
        base64.b64decode,
        base64.urlsafe_b64decode,
    )
    for decode in decoders:
        try:
            digest = decode(value)
        except (ValueError, binascii.Error):
            continue
        if len(digest) == size:
            return digest
    return None


def _decoded(raw: bytes, encoding: str, where: str, url: str) -> bytes:
    if encoding.lower() not in ("gzip", "x-gzip", "deflate"):
        raise ArchiveError(f"archive {where}: the response for {url} is {encoding}-encoded")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding.lower() else zlib.MAX_WBITS
    return _inflate(raw, wbits, where)


def _dechunked(data: bytes) -> bytes:
    """The body of a chunked transfer, when the archive kept the chunks as sent."""
    out, at = bytearray(), 0
    while at < len(data):
        end = data.find(b"\r\n", at)
        try:
            size = int(data[at:end].split(b";")[0], 16) if end >= 0 else -1
        except ValueError:
            return data  # not chunked after all: the archive stored the body decoded
        if size <= 0:
            break
        out += data[end + 2 : end + 2 + size]
        at = end + 2 + size + 2
    return bytes(out) if out else data


def _inflate(data: bytes, wbits: int, where: str) -> bytes:
    """Unpack zlib/gzip data (every gzip member), never more than MAX_UNPACKED_BYTES."""
    out = bytearray()
    while data:
        unpacker = zlib.decompressobj(wbits)
        try:
            out += unpacker.decompress(data, MAX_UNPACKED_BYTES + 1 - len(out))
        except zlib.error as exc:
            raise ArchiveError(f"archive {where}: damaged compressed data ({exc})") from None
        if len(out) > MAX_UNPACKED_BYTES or unpacker.unconsumed_tail:
            raise ArchiveError(
                f"archive {where} unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MiB",
                "archive only the pages of the source",
            )
        data = unpacker.unused_data
    return bytes(out)


def _warc_files(data: bytes, display: str) -> Iterator[tuple[str, bytes]]:
    """The uncompressed WARC data of a file: itself, or each WARC of a WACZ (' > member')."""
    if data[:4] == b"PK\x03\x04":
        yield from _wacz_members(data, display)
    else:
        yield "", _unpacked(data, display)


def _unpacked(data: bytes, display: str) -> bytes:
    """WARC data as is, or unpacked when gzipped (never a zip: no zip inside a zip)."""
    return _inflate(data, 16 + zlib.MAX_WBITS, display) if data[:2] == b"\x1f\x8b" else data


def _wacz_members(data: bytes, display: str) -> Iterator[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as wacz:
            members = wacz.infolist()
            if len(members) > MAX_WACZ_MEMBERS:
                raise ArchiveError(f"archive {display} has more than {MAX_WACZ_MEMBERS} files")
            warcs = [m for m in members if _is_wacz_warc(m.filename)]
            if not warcs:
                raise ArchiveError(f"archive {display} is a zip without archive/*.warc(.gz)")
            left = MAX_UNPACKED_BYTES
            for member in warcs:
                with wacz.open(member) as handle:
                    packed = handle.read(left + 1)  # bounded: never trust file_size
                left -= len(packed)
                if left < 0:
                    raise ArchiveError(
                        f"archive {display} unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MiB"
                    )
                name = f" > {member.filename}"
                yield name, _unpacked(packed, display + name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ArchiveError(f"archive {display}: not a readable WACZ (zip) file ({exc})") from None


def _is_wacz_warc(name: str) -> bool:
    return name.startswith("archive/") and name.lower().endswith((".warc", ".warc.gz"))
