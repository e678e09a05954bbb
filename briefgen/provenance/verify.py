"""Quote verification: direct quotes and excerpts checked against archived source text.

Each direct quote (``kind: quote``) is looked for in the archive of every source it cites
(``source``, not ``via``: the words are checked where the briefing says it read them). Found in
at least one and missing from none: verified. Missing from an archive: an error at the quote,
with the closest passage and the words that differ. No archive to check against (none declared,
or the file is not on disk): an info ``unverified-quote``, which ``--strict`` turns into an
error. A citation's ``excerpt`` is checked the same way against its source's archive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from briefgen.diagnostics import Location, Report
from briefgen.model import Actor, Briefing, QuoteStatus, Source
from briefgen.model.briefings import Statement
from briefgen.model.facts import iter_facts
from briefgen.provenance import speakers
from briefgen.provenance.archives import (
    ArchiveError,
    ArchiveFile,
    ArchiveMissingError,
    extract_text,
    read_archive_file,
)
from briefgen.provenance.match import ArchiveText, Mismatch

UNVERIFIED_QUOTE = "unverified-quote"
UNVERIFIED_EXCERPT = "unverified-excerpt"
QUOTE_MISMATCH = "quote-mismatch"
EXCERPT_MISMATCH = "excerpt-mismatch"
ARCHIVE_ERROR = "archive"
ARCHIVE_MISSING = "archive-missing"
SPEAKER_NOT_NAMED = "speaker-not-named"
_SHOWN_DIFFERENCES = 3

Outcome = Literal["verified", "unverified", "failing"]


# What provenance needs of a parsed project, as protocols: validation's Registry and
# BriefingContext satisfy them, and provenance (below validation) never imports those.
class SourceRegistry(Protocol):
    """The project's sources by id, and where each of their values was written."""

    @property
    def sources(self) -> Mapping[str, Source]:
        """Every valid source by id."""
        ...

    @property
    def actors(self) -> Mapping[str, Actor]:
        """Every valid actor by id (a quote's speaker is looked for in its archive)."""
        ...

    def source_location(self, source_id: str, *path: str | int, key: bool = False) -> Location:
        """Where something of a source was written."""
        ...


class LocatedBriefing(Protocol):
    """One parsed briefing, its id, and where each of its values was written."""

    @property
    def briefing_id(self) -> str:
        """The briefing's id (its file name)."""
        ...

    @property
    def briefing(self) -> Briefing:
        """The parsed briefing."""
        ...

    def at(self, *path: str | int, key: bool = False) -> Location:
        """Where the value at ``path`` in the briefing file was written."""
        ...

    def valid(self, *path: str | int) -> bool:
        """False when the value at ``path`` failed the schema (and holds a stand-in)."""
        ...


@dataclass(frozen=True)
class QuoteOutcome:
    """What became of one direct quote, for the provenance report."""

    briefing_id: str
    statement_id: str
    status: Outcome
    location: Location
    found_in: tuple[str, ...] = ()
    failed_in: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()


class ExtractedTexts:
    """Extracted archive texts by path and content digest, kept across validations on purpose.

    Only a long-lived process that validates again and again wants one: ``briefgen serve``
    validates on every save, and text extraction of a PDF archive takes about a tenth of a
    second per page (4.7 s for 56 pages, measured), so an unchanged archive would cost
    seconds per save. The owner holds it and passes it to
    :func:`briefgen.validate.validate_project`; one-shot commands pass none and extract each
    archive once, as every archive is read once per run.
    """

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._texts: dict[tuple[str, bytes], ArchiveText] = {}

    def get(self, file: ArchiveFile) -> ArchiveText:
        """The text of ``file``: extracted once per content; raises :class:`ArchiveError`."""
        # The record a web archive's text comes from is part of the key, as its bytes are.
        key = (
            f"{file.path.as_posix()} {file.target} {file.captured}",
            hashlib.sha256(file.data).digest(),
        )
        if key not in self._texts:
            if len(self._texts) >= self.size:
                self._texts.pop(next(iter(self._texts)))  # the oldest first
            self._texts[key] = ArchiveText(extract_text(file))
        return self._texts[key]


@dataclass
class Archives:
    """The archives of a project's sources, each checked and read at most once per run."""

    root: Path
    registry: SourceRegistry
    report: Report
    files: dict[str, ArchiveFile | None] = field(default_factory=dict)
    texts: dict[str, ArchiveText | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    extracted: ExtractedTexts | None = None  # kept by a long-lived caller (serve)

    def check(self, source_id: str) -> ArchiveFile | None:
        """The checked file (path, size, checksum) of a source's archive; None if unusable."""
        if source_id not in self.files:
            self.files[source_id] = self._check(source_id)
        return self.files[source_id]

    def _check(self, source_id: str) -> ArchiveFile | None:
        source = self.registry.sources.get(source_id)
        if source is None:
            self.reasons[source_id] = f"'{source_id}' is not a known source"
            return None
        if source.archive is None:
            self.reasons[source_id] = f"no archived text of '{source_id}' to check it against"
            return None
        try:
            url = None if source.url is None else str(source.url)
            return read_archive_file(self.root, source.archive, url)
        except ArchiveError as problem:
            self._report_problem(source_id, problem)
            return None

    def load(self, source_id: str) -> ArchiveText | None:
        """The searchable text of a source's archive; None (and why, in ``reasons``) if none."""
        if source_id not in self.texts:
            self.texts[source_id] = self._extract(source_id)
        return self.texts[source_id]

    def _extract(self, source_id: str) -> ArchiveText | None:
        file = self.check(source_id)
        if file is None:
            return None
        try:
            if self.extracted is not None:
                return self.extracted.get(file)
            return ArchiveText(extract_text(file))
        except ArchiveError as problem:
            self._report_problem(source_id, problem)
            return None

    def _report_problem(self, source_id: str, problem: ArchiveError) -> None:
        where = self.registry.source_location(source_id, "archive", problem.field)
        if isinstance(problem, ArchiveMissingError):
            self.reasons[source_id] = f"the archive of '{source_id}' is not on disk"
            self.report.info(where, problem.message, problem.hint, code=ARCHIVE_MISSING)
        else:
            self.reasons[source_id] = f"the archive of '{source_id}' cannot be used"
            self.report.error(where, problem.message, problem.hint, code=ARCHIVE_ERROR)

    def holding(self, quote: str, besides: Iterable[str]) -> list[str]:
        """Other archives that contain the quote: a hint at a mis-cited source."""
        # Only on failure: read every declared archive (in a fixed order), cited or not.
        for source_id in sorted(self.files):
            self.load(source_id)
        skip = set(besides)
        return sorted(
            source_id
            for source_id, text in self.texts.items()
            if text is not None and source_id not in skip and text.contains(quote)
        )


def quote_statuses(outcomes: Iterable[QuoteOutcome]) -> dict[tuple[str, str], QuoteStatus]:
    """The status of each quote for the renderers: verified, or (failing included) unverified."""
    return {
        (o.briefing_id, o.statement_id): "verified" if o.status == "verified" else "unverified"
        for o in outcomes
    }


def verify_all(
    root: Path,
    registry: SourceRegistry,
    contexts: Sequence[LocatedBriefing],
    report: Report,
    extracted: ExtractedTexts | None = None,
) -> list[QuoteOutcome]:
    """Check every archive, quote and excerpt of the project; the outcome of each quote.

    ``extracted``: texts kept from earlier runs of a long-lived process, else none.
    """
    archives = open_archives(root, registry, report, extracted)
    return verify_briefings(contexts, archives)


def open_archives(
    root: Path, registry: SourceRegistry, report: Report, extracted: ExtractedTexts | None = None
) -> Archives:
    """The project's archives, every declared one checked (problems go to ``report``)."""
    archives = Archives(root, registry, report, extracted=extracted)
    # Every declared archive's path and checksum are checked, cited or not; its text is
    # extracted only when a quote or excerpt needs it (or, once one fails, to find the source
    # that holds it).
    for source_id in sorted(registry.sources):
        if registry.sources[source_id].archive is not None:
            archives.check(source_id)
    return archives


def verify_briefings(contexts: Sequence[LocatedBriefing], archives: Archives) -> list[QuoteOutcome]:
    """Check the quotes and excerpts of ``contexts`` against ``archives``; each quote's outcome."""
    outcomes = []
    for ctx in contexts:
        for index, statement in enumerate(ctx.briefing.statements):
            # A kind or text that failed the schema is not known to be a quote's words.
            checkable = all(ctx.valid("statements", index, key) for key in ("kind", "text"))
            if statement.kind == "quote" and checkable:
                outcomes.append(_check_statement(ctx, index, statement, archives))
        _check_excerpts(ctx, archives)
    return outcomes


def _check_statement(
    ctx: LocatedBriefing, index: int, statement: Statement, archives: Archives
) -> QuoteOutcome:
    where = ctx.at("statements", index, "text")
    found, failed, unchecked = [], [], []
    cited = [
        c.source
        for n, c in enumerate(statement.sources)
        if ctx.valid("statements", index, "sources", n, "source")
    ]
    for source_id in dict.fromkeys(cited):
        text = archives.load(source_id)
        if text is None:
            unchecked.append(source_id)
            continue
        mismatch = text.find(statement.text)
        if mismatch is None:
            found.append(source_id)
            continue
        failed.append(source_id)
        _report_mismatch(where, "quote", statement.text, source_id, mismatch, archives)
    known = [s for s in unchecked if s in archives.registry.sources]
    if not found and not failed and known:
        reasons = "; ".join(dict.fromkeys(archives.reasons[s] for s in known))
        archives.report.info(
            where,
            f"quote not verified: {reasons}",
            "it will be marked as unverified; to check it, give the source a usable archive of "
            "its text: see docs/provenance.md",
            code=UNVERIFIED_QUOTE,
        )
    if statement.speaker:  # a speaker that failed the schema is no known actor: skipped
        _check_speaker(where, statement, found, archives)
    status: Outcome = "failing" if failed else "verified" if found else "unverified"
    return QuoteOutcome(
        ctx.briefing_id,
        statement.id,
        status,
        where,
        tuple(found),
        tuple(failed),
        tuple(unchecked),
    )


def _check_speaker(
    where: Location, statement: Statement, found: list[str], archives: Archives
) -> None:
    """A warning for each archive holding the quote that does not name the speaker near it."""
    actor = archives.registry.actors.get(statement.speaker or "")
    if actor is None:
        return  # an unknown speaker is reported on its own
    names = speakers.names_of(actor)
    for source_id in found:
        text = archives.load(source_id)
        if text is None or speakers.named_near(text, statement.text, names):
            continue
        archives.report.warning(
            where,
            f"{actor.name} is not named near this quote in the archive of '{source_id}'",
            f"looked for {', '.join(names)} in the quote's paragraph and the one before it; "
            "check the speaker, or add the name the source uses to the actor's 'aliases'",
            code=SPEAKER_NOT_NAMED,
        )


def _check_excerpts(ctx: LocatedBriefing, archives: Archives) -> None:
    for fact in iter_facts(ctx.briefing):
        for number, citation in enumerate(fact.citations):
            path = (*fact.path, "sources", number)
            if citation.excerpt is None or not ctx.valid(*path, "excerpt"):
                continue
            if not ctx.valid(*path, "source"):
                continue
            where = ctx.at(*path, "excerpt")
            text = archives.load(citation.source)
            if text is None:
                if citation.source in archives.registry.sources:
                    archives.report.info(
                        where,
                        f"excerpt not verified: {archives.reasons[citation.source]}",
                        code=UNVERIFIED_EXCERPT,
                    )
                continue
            mismatch = text.find(citation.excerpt)
            if mismatch is not None:
                _report_mismatch(
                    where, "excerpt", citation.excerpt, citation.source, mismatch, archives
                )


def _report_mismatch(
    where: Location, what: str, words: str, source_id: str, mismatch: Mismatch, archives: Archives
) -> None:
    """An error at the quote: what differs from the closest passage, and how to fix it."""
    display = _archive_display(archives, source_id)
    message = f"{what} not found in the archive of '{source_id}' ({display}): "
    message += describe(mismatch, what)
    hints = []
    if mismatch.passage:
        hints.append(f'closest passage: "{mismatch.passage}"')
    elsewhere = archives.holding(words, [source_id])
    if elsewhere:
        names = ", ".join(f"'{s}'" for s in elsewhere)
        hints.append(f"it is in the archive of {names}: is that the source to cite?")
    elif not mismatch.passage and not mismatch.empty and not mismatch.out_of_order:
        hints.append(f"check that the {what} cites the source it was read in")
    elif mismatch.passage:
        hints.append("copy the words exactly as the source has them, and mark a cut with …")
    code = QUOTE_MISMATCH if what == "quote" else EXCERPT_MISMATCH
    archives.report.error(where, message, "; ".join(hints) or None, code=code)


def _archive_display(archives: Archives, source_id: str) -> str:
    source = archives.registry.sources[source_id]
    return source.archive.path if source.archive else "?"


def describe(mismatch: Mismatch, what: str = "quote") -> str:
    """The differences between a quote (or excerpt: ``what``) and the closest passage."""
    if mismatch.empty:
        return "it has no words to check"
    if mismatch.out_of_order:
        return f'"{mismatch.segment}" is in it, but not in this order with the rest of the {what}'
    if not mismatch.passage:
        return f"none of its passages is close to the {what}"
    parts = [_difference(d.quote, d.archive, what) for d in mismatch.differences]
    if len(parts) > _SHOWN_DIFFERENCES:
        extra = len(parts) - _SHOWN_DIFFERENCES
        parts = [*parts[:_SHOWN_DIFFERENCES], f"{extra} more difference{'s' * (extra > 1)}"]
    return "; ".join(parts) if parts else "the words match but not as a whole"


def _difference(quote: str, archive: str, what: str) -> str:
    if quote and archive:
        return f'the {what} has "{quote}" where the archive has "{archive}"'
    if quote:
        return f'the {what} has "{quote}", which the archive does not'
    return f'the archive has "{archive}" here, which the {what} leaves out (mark a cut with …)'
