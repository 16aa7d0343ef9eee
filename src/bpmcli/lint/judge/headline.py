"""Headlines among action items (BPM107): a topic first ("Retry limits:", "Monitoring"),
even when its first word can be a verb.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bpmcli.lint.judge.action_base import (
    _CLEAR_VERBS,
    _DETERMINERS,
    _LABEL,
    _MARKER,
    _NOMINAL_LEADS,
    _VAGUE_ADJECTIVES,
    MAX_ACTION,
    SUGGEST_HEADLINE,
    _judgement,
)
from bpmcli.lint.judge.tokens import Judgement, tokenize

_PAREN = re.compile(r"\([^()]*\)")
# Words that are verbs to a lexicon but open topics far more often than instructions.
_TOPIC_WORDS = frozenset(
    [
        "retry",
        "retries",
        "load",
        "log",
        "cache",
        "index",
        "time",
        "rate",
        "test",
        "page",
        "stage",
        "version",
        "name",
        "label",
        "record",
        "report",
        "alert",
        "plan",
        "track",
        "route",
        "stream",
        "gate",
        "lock",
        "cap",
        "tag",
        "drain",
        "process",
        "monitor",
        "read",
        "health",
        "rollback",
        "database",
        "circuit",
        "follow-ups",
    ]
)


# Each verdict is computed once (why: above _cached_vague in vague.py); the vague judge
# asks this one too.
@lru_cache(maxsize=4096)
def _cached_headline(text: str, allowed_verbs: frozenset[str]) -> tuple[Judgement, ...]:
    return tuple(_headline(text, allowed_verbs))


def _headline(text: str, allowed_verbs: frozenset[str]) -> list[Judgement]:
    """An item that leads with a topic (BPM107): "Retry limits:", "Monitoring"."""
    text = text[:MAX_ACTION]
    marker = _MARKER.match(text)
    offset = marker.end() if marker else 0
    body = text[offset:]
    if _LABEL.match(body):
        return []
    label, colon = _topic_of(body)
    words = _PAREN.sub(" ", label).split()  # "Right-sizing (critical fix):"
    if not words or len(words) > 5:
        return []
    first = words[0].lower().strip("*_`")
    if _is_verb(first, allowed_verbs) or words[0].startswith("@"):
        return []
    if colon:
        if {w.lower() for w in words} & _DETERMINERS:
            return []
    elif not _topic_only(words):
        return []
    tokens = tokenize(body)
    last = max(i for i, t in enumerate(tokens) if t.start < len(label)) if tokens else 0
    return (
        [_judgement(text, offset, tokens, 0, last, "a headline, not an action:", SUGGEST_HEADLINE)]
        if tokens
        else []
    )


def _topic_of(body: str) -> tuple[str, str]:
    """The label before the first ":" or spaced dash, and the separator found ("" if none)."""
    at, found = len(body), ""
    for separator in (":", " - ", " – ", " — "):
        where = body.find(separator)
        if 0 <= where < at:
            at, found = where, separator
    return body[:at], found


def _is_verb(word: str, allowed: frozenset[str]) -> bool:
    head = word.rsplit("-", 1)[-1]
    return any(
        w in allowed or (w in _CLEAR_VERBS and w not in _TOPIC_WORDS) or _past_of_verb(w)
        for w in (word, head)
    )


def _past_of_verb(word: str) -> bool:
    """ "Removed", "Cleared", "Enhanced": a report of work done starts with a verb too (the
    lexicon of clear verbs is short; a past form at the head is taken as one)."""
    return word.endswith("ed") and len(word) >= 5


def _topic_only(words: list[str]) -> bool:
    """No colon: a short noun phrase ("Process improvements", "Follow-ups from the review")."""
    if words[-1].endswith((".", "!", "?")) or len(words) > 4:
        return False
    first = words[0].lower()
    if first in _VAGUE_ADJECTIVES or first in _NOMINAL_LEADS:
        return False  # "Better alerts", "More tests": a vague goal (BPM103), not a topic
    if len(words) <= 2 or first.endswith(("s", "ing", "ion", "ment")):
        return True
    # "Error Tracking Infrastructure", "Feature Health Dashboard": a phrase in title case
    # with no verb or participle in it is a topic, whatever its first word.
    lows = [w.lower().strip("*_`.,") for w in words]
    title_case = all(w[:1].isupper() for w in words if len(w) >= 4)
    return title_case and not any(w.endswith("ed") or w in _CLEAR_VERBS for w in lows)
