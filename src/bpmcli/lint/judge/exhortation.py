"""Exhortations among action items (BPM108): a verb frame asking people to behave ("stay
vigilant", "take extra care", "remind the team to", "make sure to"), unless a mechanism is
named.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bpmcli.lint.judge.action_base import _CONCRETE, MAX_ACTION, SUGGEST_EXHORT, _judgement, lead_in
from bpmcli.lint.judge.tokens import Judgement, tokenize

_EXHORT_BE = frozenset(["be", "stay", "remain", "keep"])
_EXHORT_STATE = frozenset(
    [
        "careful",
        "vigilant",
        "aware",
        "cautious",
        "diligent",
        "thorough",
        "alert",
        "mindful",
        "attentive",
    ]
)
_INTENSIFIERS = frozenset(
    ["more", "extra", "very", "especially", "particularly", "great", "special", "closer", "even"]
)
_ASKED = frozenset({"to", "we", "we've", "you", "everyone", "people", "engineers"})
_STRESS_VERBS = frozenset(
    ["emphasize", "emphasise", "stress", "reinforce", "highlight", "underline", "reiterate"]
)
_PROMPT_VERBS = frozenset(["remind", "encourage", "ask", "tell", "urge"])
_PEOPLE = frozenset(
    [
        "people",
        "team",
        "teams",
        "everyone",
        "everybody",
        "engineers",
        "developers",
        "staff",
        "us",
        "all",
        "folks",
        "each",
        "on-call",
        "colleagues",
        "reviewers",
        "operators",
        "users",
        "members",
    ]
)
_PEOPLE_SUBJECT = re.compile(
    r"^(?:everyone|everybody|engineers|developers|people|the team|teams|reviewers|on-call|operators)"
    r"\s+(?:should|must|need to|has to|have to)\s+",
    re.IGNORECASE,
)
_HARDER = re.compile(
    r"\b(?:more|extra) (?:carefully|thoroughly|closely)\b|\bcommunicate better\b|\btry harder\b"
    r"|\bdouble[- ]check|\bnext time\b",
    re.IGNORECASE,
)
# Acts only people perform, asked to be done sooner or better: "Declare incidents sooner",
# "Escalate earlier" (docs/language.md rule 17).
_CONDUCT_VERBS = frozenset(
    [
        "start",
        "declare",
        "escalate",
        "respond",
        "react",
        "communicate",
        "raise",
        "open",
        "call",
        "act",
        "reply",
        "involve",
        "inform",
        "announce",
        "engage",
        "page",
    ]
)
# Verbs a job does too ("start the backup earlier"): people's only with an incident-process
# object ("start incidents earlier", "open a bridge sooner").
_SYSTEM_TOO = frozenset(["start", "open", "raise", "call", "page"])
_PEOPLE_PROCESS = frozenset(
    {"incident", "incidents", "call", "calls", "bridge", "escalation", "escalations", "status"}
    | {"review", "retro", "postmortem", "postmortems", "channel", "on-call"}
)
_SOONER = frozenset(
    ["earlier", "sooner", "faster", "quicker", "quickly", "promptly", "immediately", "often"]
)
# Prohibitions and steps addressed to a person, not changes to the system: "Do not run
# ...", "Never push ...", "you can ...", "your local ...", "Before restarting, check ...".
# What a system does after "Do not / Never" ("Never allow ...", "Do not page on warnings")
# sets a rule for the system, not for people.
_PROHIBITION = re.compile(
    r"^(?:do not|don't|don’t|never)\s+"
    r"(?!(?:allow|let|permit|page|alert|notify|retry|accept|expose|serve|cache)\b)\w",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(
    r"\byou(?:'ll)? (?:can|could|may|might|should|need|must|will|have to)\b|\byour\b",
    re.IGNORECASE,
)
# A purpose or relative clause before "you"/"your": the change works for the reader ("so
# that your job fails", "a page that shows your error rate"), nothing is asked of them.
_PURPOSE = re.compile(
    r"\bso\b|\bsuch that\b|\bin order\b"
    r"|\b(?:that|which|lets?|tells?|shows?|how|when|where|what|whether|if)\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)
_CHECK_BEFORE = re.compile(
    r"^(?:before|when|after|prior to)\s+\w+ing\b[^,]{0,40},\s*(?:always\s+)?"
    r"(?:ensure|make sure|check|verify|confirm|double[- ]check)\b",
    re.IGNORECASE,
)
# Verbs that change the system (a mechanism), as opposed to a person's conduct.
_BUILD_VERBS = frozenset(
    [
        "add",
        "implement",
        "enforce",
        "block",
        "configure",
        "enable",
        "disable",
        "automate",
        "install",
        "create",
        "build",
        "require",
        "reject",
    ]
)
_BY_MEANS = re.compile(r"\bby \w+ing\b", re.IGNORECASE)


# Each verdict is computed once (why: above _cached_vague in vague.py); the vague judge
# asks this one too.
@lru_cache(maxsize=4096)
def _cached_exhortation(text: str) -> tuple[Judgement, ...]:
    return tuple(_exhortation(text))


def _exhortation(text: str) -> list[Judgement]:
    """An appeal to people (BPM108) instead of a change to the system."""
    text = text[:MAX_ACTION]
    offset = lead_in(text)
    subject = _PEOPLE_SUBJECT.match(text[offset:])
    if subject:
        offset += subject.end()
    tokens = tokenize(text[offset:])
    if not tokens:
        return []
    lows = [t.lower for t in tokens]
    rest = text[offset:]
    found = _exhortation_frame(lows)
    harder = _HARDER.search(rest) if found is None else None
    if found is None and harder is None:
        harder = _addressed(rest, lows)
    if (found or harder) and _BY_MEANS.search(rest):
        return []  # "... by making the pipeline reject direct pushes": a mechanism
    if found is not None:
        return [
            _judgement(text, offset, tokens, found[0], found[1], "asks people to", SUGGEST_EXHORT)
        ]
    if harder:
        first = next(i for i, t in enumerate(tokens) if t.end > harder.start())
        last = next(i for i, t in enumerate(tokens) if t.end >= harder.end())
        return [_judgement(text, offset, tokens, first, last, "asks people to", SUGGEST_EXHORT)]
    return []


def _addressed(rest: str, lows: list[str]) -> re.Match[str] | None:
    """Conduct asked of the people who read the item: a prohibition, steps in the second
    person, a check before an act, or a person's act asked to come sooner."""
    for pattern in (_PROHIBITION, _SECOND_PERSON, _CHECK_BEFORE):
        found = pattern.search(rest)
        if found and not _PURPOSE.search(rest, 0, found.start()) and not _mechanism_too(rest):
            return found  # "... so that your job fails" is what the change does for you
    ambiguous = lows[0] in _SYSTEM_TOO and not set(lows[1:4]) & _PEOPLE_PROCESS
    conduct = lows[0] in _CONDUCT_VERBS and not ambiguous  # "Start the cron job earlier"
    if conduct and set(lows) & _SOONER and not _CONCRETE.search(rest):
        return re.search(r"\b(?:" + "|".join(sorted(_SOONER)) + r")\b", rest, re.IGNORECASE)
    return None


def _mechanism_too(rest: str) -> bool:
    """A later clause that changes the system ("Never store secrets in the repo; add a
    secret scanner"): the ask comes with its mechanism."""
    for clause in re.split(r"[;.]\s+", rest)[1:]:
        words = clause.lower().split()
        if words and words[0] in _BUILD_VERBS and not _SECOND_PERSON.search(clause):
            return True
    return False


def _exhortation_frame(lows: list[str]) -> tuple[int, int] | None:
    first = lows[0]
    j = 1
    while j < len(lows) and lows[j] in _INTENSIFIERS:
        j += 1
    nxt = lows[j] if j < len(lows) else ""
    if first in _EXHORT_BE and nxt in _EXHORT_STATE:
        return 0, j
    if first == "take" and nxt == "care" and lows[j + 1 : j + 2] != ["of"]:
        return 0, j
    if first == "pay" and nxt == "attention":
        return 0, j
    pair = (first, nxt)
    if pair in (("watch", "out"), ("think", "twice")) or lows[:3] == ["keep", "in", "mind"]:
        return 0, min(2, len(lows) - 1) if first == "keep" else 1
    if first in _STRESS_VERBS and lows[1:4] == ["the", "importance", "of"]:
        return 0, 3  # "Emphasize the importance of adhering to ...": an appeal, restated
    if first == "remember" and nxt == "to":
        return 0, 1
    if (first in ("don't", "never") and nxt in ("forget",)) or lows[:3] == ["do", "not", "forget"]:
        return 0, min(2, len(lows) - 1)
    if first in _PROMPT_VERBS and set(lows[1:4]) & _PEOPLE:
        return 0, 1
    asked = lows[j + 1] if len(lows) > j + 1 else ""
    if first in ("make", "ensure") and nxt == "sure" and asked in _ASKED:
        return 0, j + 1
    if first == "check" and nxt in ("every", "each", "all") and "before" in lows:
        return 0, j
    return None
