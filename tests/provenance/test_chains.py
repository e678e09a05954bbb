"""Citing chains followed from a cited source to a fact's origin."""

from __future__ import annotations

from briefgen.model import Citation, Source
from briefgen.provenance.chains import citation_chain, origins


def _source(source_id: str, cites: list[str]) -> Source:
    return Source.model_validate(
        {
            "id": source_id,
            "type": "article",
            "title": "A title",
            "publisher": source_id.title(),
            "published": "2024-03-02",
            "citation_only": True,
            "cites": cites,
        }
    )


SOURCES = {
    "inn": _source("inn", ["jpost", "state"]),
    "jpost": _source("jpost", ["vop"]),
    "vop": _source("vop", []),
    "state": _source("state", []),
    "loop-a": _source("loop-a", ["loop-b"]),
    "loop-b": _source("loop-b", ["loop-a"]),
}


def test_chain_follows_cites_to_via() -> None:
    cited = Citation(source="inn", via="vop")
    assert citation_chain(cited, SOURCES) == ("inn", "jpost", "vop")


def test_chain_without_via_is_the_cited_source() -> None:
    assert citation_chain(Citation(source="inn"), SOURCES) == ("inn",)


def test_chain_ends_even_in_a_cycle() -> None:
    """A cycle is reported by validation; the report must still terminate."""
    assert citation_chain(Citation(source="loop-a", via="vop"), SOURCES) == ("loop-a", "vop")


def test_two_relays_of_one_origin_are_one_independent_source() -> None:
    cited = [Citation(source="inn", via="vop"), Citation(source="jpost", via="vop")]
    assert origins(cited) == {"vop"}
