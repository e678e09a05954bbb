"""Fixed wording: labels and sentences the briefing prints around the content."""

from __future__ import annotations

from briefgen.model.briefings import LIKELIHOOD_BANDS

STATUS_LABELS = {
    "proposed": "proposed",
    "announced": "announced",
    "in-effect": "in effect",
    "suspended": "suspended",
    "reversed": "reversed",
    "superseded": "superseded",
    "unclear": "unclear",
}

# Languages briefings most often translate from; other tags are printed as written.
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "he": "Hebrew",
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "fa": "Persian",
    "tr": "Turkish",
    "zh": "Chinese",
    "pt": "Portuguese",
    "it": "Italian",
}


def language_name(tag: str) -> str:
    """'Arabic' for 'ar' or 'ar-PS'; the tag itself when it is not a known language."""
    return LANGUAGE_NAMES.get(tag.split("-")[0].lower(), tag)


def purpose_label(purpose: str) -> str:
    """'For information' or 'For decision'."""
    return f"For {purpose}"


def likelihood_range(term: str) -> str:
    """The ICD 203 band of a likelihood term, e.g. '55–80%'."""
    for first, second, band in LIKELIHOOD_BANDS:
        if term in (first, second):
            low, high = band.rstrip("%").split("-")
            return f"{int(low)}–{int(high)}%"
    return ""


def likelihood_sentence(term: str) -> str:
    """The likelihood, said on its own (ICD 203 keeps it apart from confidence)."""
    band = likelihood_range(term)
    suffix = f" ({band})" if band else ""
    return f"Likelihood: {term}{suffix}."


def confidence_sentence(level: str) -> str:
    """The analytic confidence in the judgement, said on its own."""
    return f"We have {level} confidence in this judgement."
