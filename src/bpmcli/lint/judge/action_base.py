"""What the action-item judges share (BPM103, BPM107, BPM108): the lead-in they strip,
the cap on an item's length, their hints, and the word lists more than one of them reads.

The judges are in vague.py, exhortation.py and headline.py; actions.py is their public face.
"""

from __future__ import annotations

import re

from bpmcli.lint.judge.tokens import Judgement, Token

_MARKER = re.compile(
    r"^\W*(?:\[[ xX]?\]\s*)?(?:(?:action(?: item| point)?|todo)\s*:\s*)?", re.IGNORECASE
)
_LABEL = re.compile(
    r"^(?:long|short|medium|near)[ -]term\s*:\s*"
    r"|^(?:title|next step|follow[ -]up|note|future|later|next)\s*:\s*"
    r"|^(?:critical|urgent|important|high|medium|low|p[0-4])\s*:\s*",
    re.IGNORECASE,
)
# Who will act, and how it is said ("we should", "the ops team is going to", "engineers are
# working to"): the item's own words start after it. A named or role subject counts when it
# ends in a collective noun; what follows is then judged as if it were an imperative.
_WE_SHOULD = re.compile(
    r"^(?:(?:going|moving) forward,?\s+|in the future,?\s+)?(?:when [^,]{1,80},\s*)?"
    r"(?:we|you|i|(?:the |our )?(?:[\w'’-]+ ){0,3}?(?:team|teams|engineers|engineering"
    r"|group|developers|staff|department|squad|maintainers))\s+"
    r"(?:should|need to|needs to|must|will|have to|has to|want to|wants to|could"
    r"|(?:are|'re|am|is) (?:going|planning|trying|working) (?:to|on)|plans? to|intends? to"
    r"|(?:are|'re|am|is)(?= \w+ing\b))"
    r"(?:\s+(?:also|probably|really))?\s+",
    re.IGNORECASE,
)
_NOMINAL_LEADS = frozenset(["further", "more", "better", "improved", "additional", "deeper"])
_VAGUE_ADJECTIVES = frozenset(
    [
        "better",
        "proactive",
        "robust",
        "improved",
        "appropriate",
        "proper",
        "adequate",
        "sufficient",
        "resilient",
        "stronger",
        "smarter",
    ]
)
_MEASURE = (
    r"(?<!\d)\d+(?:\.\d+)?\s*(?:%|ms\b|sec|min|h\b|hours?\b|days?\b|weeks?\b|gb\b|mb\b|k\b"
    r"|x\b|requests?\b|times\b|pods?\b|nodes?\b|replicas?\b)"
    r"|\b(?:to|from|below|above|under|over|than|exceeds?|within|least|most|by|of)\s+\d"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
_CONCRETE = re.compile(
    _MEASURE + r"|\bso that\b|\bsuch that\b|\bso (?:they|it|others|we|the|that|no|nobody)\b"
    r"|\bby (?:\w+ing|making|adding|requiring)\b|\bcannot\b|\bcan't\b|\bif\b"
    r"|\bwhen\b(?=(?:\W+\w+){0,6}?\W+(?:exceeds?|below|above|over|under|reaches|drops|fail"
    r"|failing|fails|stops|is down|goes down))|^(?:alert|page|notify|warn)\b.*\bwhen\b"
    r"|\bhow\b|\bways to\b|\bto make sure\b|\bwhich\b"
    r"|\bin (?:the )?(?:codeowners|readme|runbook|wiki|dockerfile|terraform|helm chart)\b",
    re.IGNORECASE,
)
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "all",
        "any",
        "this",
        "these",
        "that",
        "some",
        "every",
        "each",
        "more",
    ]
)
_CLEAR_VERBS = frozenset(
    [
        "add",
        "adjust",
        "allow",
        "archive",
        "audit",
        "automate",
        "avoid",
        "backport",
        "block",
        "build",
        "bump",
        "change",
        "clean",
        "configure",
        "consider",
        "continue",
        "convert",
        "create",
        "cull",
        "cut",
        "decide",
        "define",
        "delete",
        "deploy",
        "deprecate",
        "detect",
        "disable",
        "document",
        "drop",
        "emit",
        "enable",
        "enforce",
        "ensure",
        "establish",
        "evaluate",
        "expand",
        "expedite",
        "explore",
        "expose",
        "extend",
        "file",
        "find",
        "figure",
        "fix",
        "forbid",
        "generate",
        "handle",
        "harden",
        "hire",
        "identify",
        "implement",
        "improve",
        "increase",
        "install",
        "introduce",
        "investigate",
        "isolate",
        "keep",
        "limit",
        "look",
        "lower",
        "make",
        "mark",
        "measure",
        "merge",
        "migrate",
        "mirror",
        "move",
        "notify",
        "offer",
        "patch",
        "pin",
        "prevent",
        "prototype",
        "publish",
        "purge",
        "push",
        "put",
        "raise",
        "reduce",
        "refactor",
        "reject",
        "release",
        "remove",
        "rename",
        "replace",
        "require",
        "reserve",
        "reset",
        "restrict",
        "retire",
        "return",
        "revert",
        "review",
        "revisit",
        "rewrite",
        "rotate",
        "run",
        "scale",
        "schedule",
        "set",
        "setup",
        "ship",
        "shorten",
        "show",
        "shut",
        "sign",
        "simplify",
        "skip",
        "split",
        "start",
        "stop",
        "store",
        "switch",
        "teach",
        "throttle",
        "tighten",
        "train",
        "trim",
        "tune",
        "turn",
        "unify",
        "update",
        "upgrade",
        "use",
        "validate",
        "verify",
        "warn",
        "write",
        "be",
        "stay",
        "take",
        "pay",
        "remember",
        "remind",
        "encourage",
        "communicate",
        "engage",
    ]
)

SUGGEST_VAGUE = (
    "name the change or the artefact and when it is done: 'Write a decision record on ...', "
    "'Alert when ... for 5 minutes', 'Add a CI step that fails when ...'"
)
SUGGEST_EXHORT = (
    "replace the appeal with a mechanism: a check, a guard, an alert or a default that makes "
    "the mistake impossible or harmless"
)
SUGGEST_HEADLINE = "start with what to do: 'Retry limits:' -> 'Cap retries at 3 per request'"


# An action item is a sentence or two; past this, the rest cannot change the verdict
# (every check reads the first words or a marker anywhere), and the cap keeps a pasted
# blob in an `action:` field cheap.
MAX_ACTION = 2_000


def lead_in(text: str) -> int:
    """Offset where the item's own words start (after markers, labels and "we should")."""
    offset = 0
    for pattern in (_MARKER, _LABEL, _WE_SHOULD):
        match = pattern.match(text[offset:])
        if match:
            offset += match.end()
    return offset


def _judgement(
    text: str, offset: int, tokens: list[Token], first: int, last: int, what: str, hint: str
) -> Judgement:
    start, end = offset + tokens[first].start, offset + tokens[last].end
    words = " ".join(text[start:end].split())
    return Judgement(start, end, words, f"{what} {words!r}", hint)
