"""The postmortem's own people, as the judges want them: lower-case name parts."""

from __future__ import annotations

from collections.abc import Iterable

_NOT_NAMES = frozenset({"team", "the", "on-call", "oncall", "sre", "ops"})


def people_of(names: Iterable[str]) -> frozenset[str]:
    """ "Kai Haddad", "@kai", "kai" -> {"kai", "haddad"}: each part of three letters or more
    (a judge matches them only when written capitalised or as an @handle)."""
    parts: set[str] = set()
    for name in names:
        for part in name.replace("@", " ").replace(",", " ").split():
            low = part.lower()
            if len(low) >= 3 and low not in _NOT_NAMES:
                parts.add(low)
    return frozenset(parts)
