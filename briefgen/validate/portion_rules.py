"""Portion markings and editions: no portion above its briefing, and every edition stands.

A portion marked higher than the briefing's ``marking`` is an error at the portion's
``marking:`` (under-marking the whole is how leaks start). Each edition a briefing lists in
``editions:`` is cut (:func:`briefgen.model.editions.cut_briefing`) and checked again as a
briefing in its own right, its problems located in the full note and naming the edition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from briefgen.diagnostics import Report
from briefgen.model.common import Tlp
from briefgen.model.editions import (
    ITEM_LISTS,
    PORTION_LISTS,
    cut_briefing,
    paragraph_label,
    paragraphs,
)
from briefgen.model.facts import LIST_LABELS, NARRATIVE_FIELDS
from briefgen.validate.context import BriefingContext

Check = Callable[[BriefingContext, Report], None]
_HINT = "lower this portion's marking, or raise the briefing's 'marking'"


def _over(ctx: BriefingContext, marking: Tlp | None) -> bool:
    return marking is not None and marking.rank > ctx.briefing.marking.rank


def _above(what: str, marking: Tlp, ctx: BriefingContext) -> str:
    limit = ctx.briefing.marking.value
    return f"this {what} is marked {marking.value}, above the briefing's marking {limit}"


def check_portion_markings(ctx: BriefingContext, report: Report) -> None:
    """No fact, item or citation is marked above the briefing."""
    if not ctx.valid("marking"):
        return
    for name in PORTION_LISTS:
        for i, item in enumerate(getattr(ctx.briefing, name)):
            if _over(ctx, item.marking) and ctx.valid(name, i, "marking"):
                report.error(
                    ctx.at(name, i, "marking"), _above(LIST_LABELS[name], item.marking, ctx), _HINT
                )
            if name not in ITEM_LISTS:
                continue
            for j, citation in enumerate(item.sources):
                if _over(ctx, citation.marking) and ctx.valid(name, i, "sources", j, "marking"):
                    where = ctx.at(name, i, "sources", j, "marking")
                    report.error(where, _above("citation", citation.marking, ctx), _HINT)


def check_paragraph_marks(ctx: BriefingContext, report: Report) -> None:
    """A narrative paragraph's mark names a TLP 2.0 label, not above the briefing's."""
    for name in NARRATIVE_FIELDS:
        text = getattr(ctx.briefing, name)
        if not text or not ctx.valid(name):
            continue
        for para in paragraphs(text):
            label = paragraph_label(para.mark)
            number = f"paragraph {para.index + 1} of '{name}'"
            if para.mark is not None and label is None:
                report.error(
                    ctx.at(name),
                    f"{number} starts with '({para.mark})', which is not a TLP 2.0 label",
                    "write one of " + ", ".join(f"({t.value})" for t in Tlp),
                )
            elif label is not None and ctx.valid("marking") and _over(ctx, label):
                report.error(
                    ctx.at(name), _above(number, label, ctx).replace("this ", "", 1), _HINT
                )


def check_editions(ctx: BriefingContext, report: Report, checks: Iterable[Check]) -> None:
    """Each edition in ``editions:`` is below the briefing and stands as a briefing itself."""
    if ctx.invalid or not ctx.valid("editions"):
        return  # a schema error: the full note is reported first
    for i, label in enumerate(ctx.briefing.editions):
        if label.rank >= ctx.briefing.marking.rank:
            report.error(
                ctx.at("editions", i),
                f"edition {label.value} is not below the briefing's marking "
                f"{ctx.briefing.marking.value}: it would be the whole note",
                "list only labels lower than 'marking'",
            )
            continue
        report.extend(edition_report(ctx, label, checks, report))


def edition_report(
    ctx: BriefingContext, label: Tlp, checks: Iterable[Check], full: Report
) -> Report:
    """The problems of one edition: those of the cut, or else of every briefing check.

    Diagnostics the full note has too (in ``full``, the report its checks wrote to) are left
    to the full note; the others name the edition.
    """
    edition = cut_briefing(ctx.briefing, label)
    found = Report()
    for problem in edition.problems:
        found.error(ctx.at(*problem.path), problem.message, problem.hint)
    if edition.problems:
        return found
    again = Report()
    cut = BriefingContext(
        ctx.briefing_id,
        edition.briefing,
        ctx.file,
        ctx.registry,
        ctx.settings,
        kept=edition.kept,
        declared_events=ctx.declared_events,
    )
    for check in checks:
        check(cut, again)
    known = {(d.location, d.message) for d in full.items}
    prefix = f"in edition {label.value}: "
    for d in again.items:
        if (d.location, d.message) not in known:
            found.add(d.location, d.severity, prefix + d.message, d.hint, d.code)
    return found
