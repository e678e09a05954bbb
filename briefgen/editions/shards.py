"""Which briefings a shard builds: ``briefgen build --shard K/N`` on one of N CI machines.

A briefing's shard is a function of its id and N alone: the first 8 bytes of the SHA-256 of
the id, modulo N. So

- the N shards are a partition: every briefing is in exactly one, and the union of their
  outputs is a full build (each briefing's files depend on its own inputs only, see
  :mod:`briefgen.render.inputs`);
- a briefing stays in its shard when others are added or removed, so the cache of a shard's
  ``output/`` in CI stays valid for all of its briefings but the new ones. Sharding the sorted
  ids round-robin would balance exactly (sizes within one), but adding one briefing would move
  about half of those after it into another shard, each to be rendered again there.
- the shards are balanced as a hash spreads them: for T briefings, each shard holds about
  T/N, give or take a few times the square root of T/N (250 ± 16 for 1,000 over 4, one
  standard deviation), the price of that stability.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index}/{self.count}: K must be between 1 and N")

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, briefing_id: str) -> bool:
        """True when this shard builds ``briefing_id``."""
        return shard_of(briefing_id, self.count) == self.index

    def select(self, ids: Iterable[str]) -> list[str]:
        """The ids of ``ids`` this shard builds, in the order given."""
        return [i for i in ids if self.holds(i)]


def shard_of(briefing_id: str, count: int) -> int:
    """The shard (1 to ``count``) that builds ``briefing_id``; the same on every machine."""
    digest = hashlib.sha256(briefing_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> Shard:
    """'K/N' (shard K of N, 1 ≤ K ≤ N) as a :class:`Shard`; ValueError saying what is wrong."""
    index, slash, count = text.strip().partition("/")
    if not slash or not index.strip().isdigit() or not count.strip().isdigit():
        raise ValueError(f"'{text}' is not K/N (shard K of N, e.g. 2/4)")
    number, total = int(index), int(count)
    if total < 1:
        raise ValueError(f"'{text}': N, the number of shards, must be at least 1")
    if not 1 <= number <= total:
        raise ValueError(f"'{text}': K must be between 1 and {total}")
    return Shard(number, total)
