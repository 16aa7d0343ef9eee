"""The word lists and phrase tables of the blame judge (BPM301, blame.py)."""

from __future__ import annotations

_LAZY_TECHNICAL = frozenset(
    [
        "loading",
        "load",
        "loaded",
        "evaluation",
        "init",
        "initialization",
        "initialisation",
        "import",
        "imports",
        "iterator",
        "iterators",
        "mode",
        "fetching",
        "fetch",
        "rendering",
        "static",
        "val",
    ]
)
# A slip attributed to a person: "the engineer accidentally deleted prod" (rule 14).
_BE = frozenset({"was", "were", "is", "are", "be", "been", "being", "get", "got", "gets"})
_ERROR_NOUNS = frozenset({"error", "errors", "mistake", "mistakes", "slip", "slips"})
_SET_PHRASE_HEADS = frozenset({"human", "operator", "operators", "user", "pilot"})
_TECHNICAL_AFTER = frozenset({"(", "threshold", "code", "codes", "rate", "rates", "budget"})
_PREVENTING = frozenset(
    [
        "catch",
        "catches",
        "caught",
        "prevent",
        "prevents",
        "detect",
        "detects",
        "reduce",
        "reduces",
        "avoid",
        "avoids",
        "handle",
        "handles",
        "such",
        "against",
        "validates",
        "validate",
        "tolerate",
        "tolerates",
    ]
)
_NEGATION = frozenset({"not", "never", "no", "nobody", "didn't", "don't", "wasn't", "isn't"})
_RISK = frozenset(
    [
        "risky",
        "risk",
        "risks",
        "despite",
        "anyway",
        "regardless",
        "ignoring",
        "skip",
        "skipping",
        "skipped",
        "unreviewed",
        "untested",
    ]
)
_BAD = frozenset(["bad", "botched", "sloppy", "careless", "broken", "faulty", "reckless", "hasty"])
_WORK = frozenset(
    [
        "change",
        "changes",
        "deploy",
        "deploys",
        "deployment",
        "commit",
        "commits",
        "push",
        "pr",
        "prs",
        "config",
        "typo",
        "mistake",
        "error",
        "fault",
        "migration",
        "script",
        "query",
    ]
)
_BROKE = frozenset(
    [
        "broke",
        "break",
        "breaks",
        "caused",
        "causes",
        "crashed",
        "deleted",
        "dropped",
        "took",
        "brought",
    ]
)
_PROCEDURE = frozenset(
    [
        "runbook",
        "runbooks",
        "process",
        "procedure",
        "procedures",
        "checklist",
        "instructions",
        "playbook",
        "guide",
        "guidelines",
        "policy",
        "steps",
    ]
)
_FOLLOW = frozenset({"follow", "followed", "follows"})
_CAUSED = frozenset({"caused", "triggered"})
_LOAD = frozenset({"user", "customer", "human", "visitor", "student", "client"})
_HARM = frozenset(
    {"outage", "outages", "incident", "incidents", "failure", "failures", "breakage"}
    | {"downtime", "mistake", "error", "errors", "loss"}
)
_IDIOMS = (
    ("dropped", "the", "ball"),
    ("drop", "the", "ball"),
    ("messed", "up"),
    ("screwed", "up"),
    ("fat-fingered",),
    ("fat-fingers",),
)
_MODAL_HAVE = frozenset({"should", "shouldn't", "ought", "should've"})

# Substrings one of which any blaming sentence holds: a C-speed test before tokenizing.
_CHEAP = (
    "forg",
    "wrongly",
    "incorrectly",
    "misunderst",
    "misinterpret",
    "erroneously",
    "caused by",
    "triggered by",
    "responsible",
    "ball",
    "messed",
    "screwed",
    "fat-finger",
    "fumbl",
    "bungl",
    "negl",
    "overlook",
    "misjudg",
    "ignor",
    "botch",
    "miss",
    "disregard",
    "misread",
    "mistyp",
    "misconfig",
    "skip",
    "chose",
    "choos",
    "decid",
    "opt",
    "elect",
    "careless",
    "lazy",
    "lazi",
    "sloppy",
    "sloppi",
    "neglig",
    "reckless",
    "incompet",
    "thoughtless",
    "error",
    "mistake",
    "slip",
    "bad",
    "broke",
    "faulty",
    "hasty",
    "follow",
    "should",
    "ought",
    "lapse",
    "thorough",
    "review",
    "fault",
    "blame",
    "wrong",
    "fail",
    "accident",
    "unintentional",
    "inadvertent",
)
