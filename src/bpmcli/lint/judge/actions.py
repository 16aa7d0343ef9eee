"""Action items: vague (BPM103), exhortation (BPM108) and headline (BPM107).

An item is read after its lead-in is stripped (list marker, "Long term:", "We should"):
- vague: a vague verb (matched by lemma: "investigating", "figure out", "find a way to")
  or a vague object ("more alerts", "better dashboards", "a strategy for") with nothing
  that says when it is done. A weak verb (document, ensure, monitor, review ...) is
  forgiven by a concrete marker: a number, an artefact and its reader ("the failover
  runbook for on-call"), a mechanism ("by making ...", "cannot ... if"), a checkable end
  ("so that ..."); a strong one (investigate, figure out) only by a second, concrete verb.
- exhortation: a verb frame asking people to behave ("stay vigilant", "take extra care",
  "remind the team to", "make sure to"), unless a mechanism is named.
- headline: a topic first ("Retry limits:", "Monitoring"), even when its first word can
  be a verb.

The public API of the three judges: each is in its own module (vague.py, exhortation.py,
headline.py), with what they share in action_base.py.
"""

from __future__ import annotations

from bpmcli.lint.judge.action_base import (
    MAX_ACTION,
    SUGGEST_EXHORT,
    SUGGEST_HEADLINE,
    SUGGEST_VAGUE,
    lead_in,
)
from bpmcli.lint.judge.exhortation import _cached_exhortation
from bpmcli.lint.judge.headline import _cached_headline
from bpmcli.lint.judge.tokens import Judgement
from bpmcli.lint.judge.vague import _cached_vague

__all__ = [
    "MAX_ACTION",
    "SUGGEST_EXHORT",
    "SUGGEST_HEADLINE",
    "SUGGEST_VAGUE",
    "find_exhortation",
    "find_headline",
    "find_vague",
    "lead_in",
]


def find_vague(text: str) -> list[Judgement]:
    """A vague action item (BPM103): at most one judgement, on the words that make it so."""
    return list(_cached_vague(text))


def find_exhortation(text: str) -> list[Judgement]:
    """An appeal to people (BPM108) instead of a change to the system."""
    return list(_cached_exhortation(text))


def find_headline(text: str, allowed_verbs: frozenset[str] = frozenset()) -> list[Judgement]:
    """An item that leads with a topic (BPM107): "Retry limits:", "Monitoring"."""
    return list(_cached_headline(text, allowed_verbs))
