"""The postmortem's own people, as the judges want them: lower-case name parts."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

_NOT_NAMES = frozenset({"team", "the", "on-call", "oncall", "sre", "ops"})
# A name or a role has a few words; a longer actor cell is an event that a two-column
# timeline put where the actor goes, and its words (product names) are not people.
_NAME_WORDS = 4


def people_of(names: Iterable[str]) -> frozenset[str]:
    """Each part of three letters or more of each name ("Kai Haddad", "@kai" -> "kai",
    "haddad"); a judge matches them only when written capitalised or as an @handle."""
    return _parts(tuple(names))


@lru_cache(maxsize=1024)  # the same team writes many postmortems
def _parts(names: tuple[str, ...]) -> frozenset[str]:
    parts: set[str] = set()
    for name in names:
        if len(name.split()) > _NAME_WORDS:
            continue  # a sentence ("A new version of the SDK was released"), not a name
        for part in name.replace("@", " ").replace(",", " ").split():
            low = part.lower()
            if len(low) >= 3 and low not in _NOT_NAMES:
                parts.add(low)
    return frozenset(parts)
