"""Lemma lookups over the generated tables (no lemminflect at lint time)."""

from __future__ import annotations

from bpmcli.lint.judge import _forms


def lemma(words: str) -> str:
    """The base form of a vague verb or phrase as written ("Investigating" -> "investigate",
    "looking into" -> "look into"); other words come back lower-cased."""
    first, _, rest = words.lower().partition(" ")
    base = _forms.VAGUE_VERBS.get(first, first)
    if rest and first.endswith("ing"):  # phrasal verbs: "looking into", "figuring out"
        stem = first[:-3]
        base = next((b for b in (stem, stem + "e") if b in _PHRASAL), base)
    return f"{base} {rest}".strip()


_PHRASAL = frozenset({"look", "think", "figure", "follow", "find"})
