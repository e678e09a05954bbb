"""A briefing: one file under content/briefings/, its id being the file name."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from briefgen.model.common import (
    Citations,
    LanguageTag,
    Markdown,
    Marking,
    Slug,
    StrictModel,
    Text,
)
from briefgen.model.dates import EdtfDate

# Portion markings (issue 14): every fact may carry its own TLP label; unmarked, a portion
# has the briefing's marking. briefgen.model.editions cuts a releasable edition by them.
_PORTION_MARKING = "TLP 2.0 label of this portion; unmarked, it has the briefing's marking."

Purpose = Literal["information", "decision"]
DecisionStatus = Literal[
    "proposed", "announced", "in-effect", "suspended", "reversed", "superseded", "unclear"
]
StatementKind = Literal["quote", "paraphrase"]
Confidence = Literal["low", "moderate", "high"]
# ICD 203 expressions of likelihood; each row is one band, either word may be used.
LIKELIHOOD_BANDS: tuple[tuple[str, str, str], ...] = (
    ("almost no chance", "remote", "01-05%"),
    ("very unlikely", "highly improbable", "05-20%"),
    ("unlikely", "improbable", "20-45%"),
    ("roughly even chance", "roughly even odds", "45-55%"),
    ("likely", "probable", "55-80%"),
    ("very likely", "highly probable", "80-95%"),
    ("almost certain", "nearly certain", "95-99%"),
)
Likelihood = Literal[
    "almost no chance",
    "remote",
    "very unlikely",
    "highly improbable",
    "unlikely",
    "improbable",
    "roughly even chance",
    "roughly even odds",
    "likely",
    "probable",
    "very likely",
    "highly probable",
    "almost certain",
    "nearly certain",
]


class KeyPoint(StrictModel):
    """One key point: a short claim with its sources."""

    text: Markdown = Field(description="The point, in Markdown; may cite inline as [@id].")
    sources: Citations = Field(default_factory=list)
    marking: Marking | None = Field(None, description=_PORTION_MARKING)


class Event(StrictModel):
    """Something that happened, for the timeline."""

    id: Slug = Field(description="Id, unique in the briefing; statements may react to it.")
    date: EdtfDate = Field(description="When it happened, as precisely as known.")
    date_basis: Text | None = Field(
        None, description="How the date was worked out when the source does not give it."
    )
    title: Text = Field(description="Short headline for the timeline.")
    text: Markdown | None = Field(None, description="Details, in Markdown.")
    location: Text | None = Field(None, description="Where, in neutral terms.")
    actors: list[Slug] = Field(default_factory=list, description="Ids of actors involved.")
    sources: Citations = Field(default_factory=list)
    marking: Marking | None = Field(None, description=_PORTION_MARKING)


class Decision(StrictModel):
    """A decision taken by an actor, and where it stands."""

    id: Slug = Field(description="Id, unique in the briefing.")
    actor: Slug = Field(description="Id of the actor who decided.")
    date: EdtfDate = Field(description="When the decision was taken or announced.")
    text: Markdown = Field(description="What was decided, in Markdown.")
    status: DecisionStatus = Field(description="Where the decision stands.")
    status_as_of: EdtfDate = Field(description="When that status was last checked.")
    reacts_to: Slug | None = Field(None, description="Id of the event it responds to.")
    sources: Citations = Field(default_factory=list)
    marking: Marking | None = Field(None, description=_PORTION_MARKING)


class Statement(StrictModel):
    """Something said: a verbatim quote or a paraphrase in the briefing's own words."""

    id: Slug = Field(description="Id, unique in the briefing.")
    kind: StatementKind = Field(description="quote (verbatim) or paraphrase (own words).")
    text: Text = Field(description="The words: verbatim for a quote, own words otherwise.")
    speaker: Slug | None = Field(None, description="Id of the actor who said it.")
    attribution: Text | None = Field(
        None, description="For an unnamed speaker, e.g. 'a senior PLO official'."
    )
    role: Text | None = Field(
        None, description="Title the speaker spoke in; must be one they held on that date."
    )
    date: EdtfDate = Field(description="When it was said.")
    medium: Text = Field(description="Where it was said, e.g. 'Voice of Palestine radio'.")
    original_language: LanguageTag | None = Field(
        None, description="BCP 47 tag when the words are a translation, e.g. 'ar'."
    )
    quote_language: LanguageTag | None = Field(
        None,
        description="BCP 47 tag of the language the words are given in, when it is not the "
        "briefing's: e.g. 'ar' for a quote printed untranslated in Arabic.",
    )
    reacts_to: Slug | None = Field(None, description="Id of the event it responds to.")
    sources: Citations = Field(default_factory=list)
    marking: Marking | None = Field(None, description=_PORTION_MARKING)


class Assessment(StrictModel):
    """An analytic judgement: a likelihood (ICD 203) and, separately, a confidence."""

    text: Markdown = Field(description="The judgement, in Markdown.")
    likelihood: Likelihood = Field(description="ICD 203 expression of likelihood.")
    confidence: Confidence = Field(description="Confidence in the judgement: low to high.")
    basis: Markdown | None = Field(None, description="Why: the reasoning, in Markdown.")
    sources: Citations = Field(default_factory=list)
    marking: Marking | None = Field(None, description=_PORTION_MARKING)


def _portion_before(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


class Portion(StrictModel):
    """An item of information_gaps or recommendations written as a mapping, with a marking."""

    text: Markdown = Field(description="The item, in Markdown; may cite inline as [@id].")
    marking: Marking | None = Field(None, description=_PORTION_MARKING)


PortionItem = Annotated[
    Portion, BeforeValidator(_portion_before, json_schema_input_type=Markdown | Portion)
]


class PointOfContact(StrictModel):
    """Who to ask about a briefing: printed at its end in both layouts."""

    name: Text = Field(description="Name of the person or desk to contact.")
    role: Text | None = Field(None, description="Their role, e.g. 'Middle East desk'.")
    email: Text | None = Field(None, description="E-mail address, printed as written.")
    telephone: Text | None = Field(None, description="Telephone number, printed as written.")


class Briefing(StrictModel):
    """One briefing note: everything in content/briefings/<id>.yaml."""

    title: Text = Field(description="Title of the note.")
    marking: Marking = Field(description="TLP 2.0 label, e.g. TLP:CLEAR or TLP:AMBER.")
    purpose: Purpose = Field(description="'information' or 'decision'.")
    cutoff: EdtfDate = Field(description="Information cut-off: nothing after it is included.")
    issued: EdtfDate = Field(description="Date of issue.")
    version: Text = Field(description="Version of the note, e.g. '1.0'.")
    authors: list[Text] = Field(min_length=1, description="Who wrote it.")
    summary: Markdown = Field(description="Bottom line up front, in Markdown.")
    key_points: list[KeyPoint] = Field(default_factory=list, description="Key points.")
    background: Markdown | None = Field(None, description="Background, in Markdown.")
    events: list[Event] = Field(default_factory=list, description="Timeline events.")
    decisions: list[Decision] = Field(default_factory=list, description="Decisions.")
    statements: list[Statement] = Field(default_factory=list, description="Quotes, paraphrases.")
    assessments: list[Assessment] = Field(default_factory=list, description="Judgements.")
    outlook: Markdown | None = Field(None, description="What to expect, in Markdown.")
    information_gaps: list[PortionItem] = Field(
        default_factory=list, description="What is not known and would matter."
    )
    recommendations: list[PortionItem] = Field(
        default_factory=list, description="Required when the purpose is 'decision'."
    )
    # Issue 14, reader layout: the document-control fields a decision-maker's note carries.
    reference: Text | None = Field(
        None, description="Reference number of the note, e.g. 'BN-2023-014'; in its title block."
    )
    bottom_line: Markdown | None = Field(
        None,
        description="The bottom line in one or two sentences, in Markdown; printed first, "
        "above the key judgements, with the summary after it. Without it the summary is the "
        "bottom line.",
    )
    point_of_contact: PointOfContact | None = Field(
        None, description="Who to ask about the note: name, and optionally role, e-mail, phone."
    )
    distribution: list[Text] = Field(
        default_factory=list, description="Who the note is sent to, one recipient per item."
    )
    editions: list[Marking] = Field(
        default_factory=list,
        description="Releasable editions that 'build' writes with the full note, e.g. "
        "[TLP:CLEAR]: each holds only the portions at or below its label.",
    )
