"""Who said it: the names looked for, and what counts as near a quote in an archive."""

from __future__ import annotations

import pytest

from briefgen.model import Actor
from briefgen.provenance.match import ArchiveText
from briefgen.provenance.speakers import named_near, names_of


def _actor(name: str, kind: str = "person", **extra: object) -> Actor:
    return Actor.model_validate({"id": "someone", "name": name, "kind": kind, **extra})


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Barbara A. Leaf", "Leaf"),
        ("Wasel Abu Yusef", "Abu Yusef"),
        ("Bassam al-Salhi", "al-Salhi"),
        ("Ursula von der Leyen", "von der Leyen"),
        ("واصل أبو يوسف", "أبو يوسف"),
    ],
)
def test_a_persons_surname_is_looked_for(name: str, surname: str) -> None:
    assert names_of(_actor(name))[-1] == surname


def test_a_kunya_is_a_name_not_a_surname_and_organisations_have_none() -> None:
    assert names_of(_actor("Abu Mazen")) == ["Abu Mazen"]
    assert names_of(_actor("Palestinian Authority", "organization", aliases=["PA"])) == [
        "Palestinian Authority",
        "PA",
    ]


QUOTE = "we will appeal the decision"


@pytest.mark.parametrize(
    "text",
    [
        # the same paragraph, the surname alone, the article dropped, another case
        f'Mayor Salhi said: "{QUOTE}."',
        f'"{QUOTE}," al-Salhi told the radio.',
        f'SALHI: "{QUOTE}."',
        # the paragraph before (one paragraph per line, or blank lines between)
        f'Bassam al-Salhi spoke on Friday.\n"{QUOTE}," he said.',
        f'Bassam al-Salhi spoke on Friday.\n\n"{QUOTE}," he said.',
        # hard-wrapped lines that do not end a sentence are one paragraph
        f"On Friday the council met, and\nSalhi said\nthat\n{QUOTE} in court.",
    ],
)
def test_named_near(text: str) -> None:
    assert named_near(ArchiveText(text), QUOTE, names_of(_actor("Bassam al-Salhi")))


@pytest.mark.parametrize(
    "text",
    [
        f'Bassam al-Salhi spoke on Friday.\nThe council met.\n"{QUOTE}," he said.',
        f'"{QUOTE}," the director said.\nLater, Salhi left.',
        f'Salhiya is a town. "{QUOTE}," the director said.',  # whole words only
    ],
)
def test_not_named_near(text: str) -> None:
    assert not named_near(ArchiveText(text), QUOTE, names_of(_actor("Bassam al-Salhi")))


def test_any_place_of_the_quote_may_name_the_speaker() -> None:
    text = f'"{QUOTE}," the director said.\nOther news.\nSalhi repeated: "{QUOTE}."'
    assert named_near(ArchiveText(text), QUOTE, ["Salhi"])


def test_arabic_name_with_a_proclitic_and_pointing() -> None:
    actor = _actor("Mahmoud Abbas", other_names=[{"name": "محمود عبّاس", "lang": "ar"}])
    quote = "لن نقبل"
    assert named_near(ArchiveText(f"ولمحمود عباس قال: «{quote}»."), quote, names_of(actor))
    assert not named_near(ArchiveText(f"قال المدير: «{quote}»."), quote, names_of(actor))
