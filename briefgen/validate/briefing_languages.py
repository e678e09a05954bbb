"""Briefing checks on the language of a statement's words: given in it, or translated from it."""

from __future__ import annotations

from briefgen.diagnostics import Report, quoted
from briefgen.model.briefings import Statement
from briefgen.model.languages import primary_language, script_direction, text_direction
from briefgen.validate.context import BriefingContext

_WRITTEN = {"rtl": "right to left", "ltr": "left to right"}
_READ = ("kind", "text", "quote_language", "original_language")


def check_statement_languages(ctx: BriefingContext, report: Report) -> None:
    """``quote_language`` is for quotes, agrees with ``original_language`` and with the words."""
    for index, statement in enumerate(ctx.briefing.statements):
        if not all(ctx.valid("statements", index, key) for key in _READ):
            continue  # a value that failed the schema: reported already, not judged again
        if statement.quote_language is None:
            _check_untagged(ctx, report, index, statement)
            continue
        at = ctx.at("statements", index, "quote_language")
        tag = statement.quote_language
        if statement.kind == "paraphrase":
            report.error(
                at,
                "a paraphrase is in the briefing's own words: 'quote_language' is only for a "
                "quote given in the language it was said in",
                "leave out 'quote_language', or make the statement a quote",
            )
            continue
        original = statement.original_language
        if original is not None and primary_language(original) == primary_language(tag):
            report.error(
                at,
                f"'original_language' says the words are translated from {quoted(original)}, "
                f"but 'quote_language' says they are given in {quoted(tag)}",
                "for words quoted as they were said, leave out 'original_language'; for a "
                "translation, 'quote_language' is the language of the translation",
            )
        written = text_direction(statement.text)
        if written is not None and written != script_direction(tag):
            report.warning(
                at,
                f"the quote is written {_WRITTEN[written]}, but {quoted(tag)} is written "
                f"{_WRITTEN[script_direction(tag)]}",
                "check the tag; for a transliteration give its script, e.g. 'ar-Latn'",
                code="quote-direction",
            )


def _check_untagged(ctx: BriefingContext, report: Report, index: int, statement: Statement) -> None:
    """A quote in another script than the briefing's says which language it is in."""
    if statement.kind != "quote" or ctx.settings is None:
        return
    written = text_direction(statement.text)
    if written is None or written == script_direction(ctx.settings.language):
        return
    report.warning(
        ctx.at("statements", index, "text"),
        f"the quote is written {_WRITTEN[written]} but does not say its language: it is "
        "printed in that direction, but a screen reader reads it as "
        f"{quoted(ctx.settings.language)}",
        _untagged_hint(ctx, statement, written),
        code="quote-language",
    )


def _untagged_hint(ctx: BriefingContext, statement: Statement, written: str) -> str:
    original = statement.original_language
    if original is not None and script_direction(original) == written:
        # Most likely the words are given as said, and 'original_language' was meant.
        return (
            f"if the words are given as they were said, write 'quote_language: {original}' "
            "instead of 'original_language'; if they are a translation, add 'quote_language' "
            "for the language of the translation"
        )
    return f"add 'quote_language', e.g. {_suggestion(ctx, statement, written)}"


def _suggestion(ctx: BriefingContext, statement: Statement, written: str) -> str:
    """'quote_language: ar' from a cited source in such a language, else a common example."""
    for citation in statement.sources:
        for source_id in (citation.via, citation.source):
            source = ctx.registry.sources.get(source_id) if source_id else None
            if source is not None and script_direction(source.language) == written:
                return f"quote_language: {source.language} (the language of {quoted(source_id)})"
    return "quote_language: ar or he" if written == "rtl" else "quote_language: en"
