"""The words and patterns of the vague action-item judge (BPM103, vague.py)."""

from __future__ import annotations

import re

_STRONG_PHRASES = (
    ("look", "into"),
    ("look", "at"),
    ("think", "about"),
    ("figure", "out"),
    ("find", "a", "way"),
    ("find", "ways"),
    ("find", "out"),
    ("follow", "up"),
    ("come", "up", "with", "a", "plan"),
    ("work", "on"),
    ("check", "whether"),
    ("check", "if"),
    ("see", "if"),
    ("see", "whether"),
    ("talk", "to"),
    ("sync", "with"),
    ("sync", "up"),
    ("reach", "out"),
    ("aim", "to"),
    ("strive", "to"),
    ("look", "for"),
    ("determine", "why"),
    ("determine", "whether"),
    ("determine", "if"),
    ("determine", "how"),
    ("keep", "an", "eye"),
    ("address", "the", "root"),
    ("understand", "why"),
    ("understand", "how"),
)
# Vague verbs as nouns at the head of an item ("Further investigation into ...").
_NOMINALS = frozenset(
    [
        "investigation",
        "investigations",
        "improvement",
        "improvements",
        "evaluation",
        "analysis",
        "assessment",
        "exploration",
        "consideration",
        "review",
        "research",
    ]
)
# What an item promises when it names no change: a quality, or a practice in general.
_ABSTRACT = frozenset(
    [
        "monitoring",
        "alerting",
        "observability",
        "visibility",
        "logging",
        "metrics",
        "coverage",
        "awareness",
        "reliability",
        "resilience",
        "resiliency",
        "robustness",
        "stability",
        "redundancy",
        "testing",
        "confidence",
    ]
)
# A goal judged only by a quality: "testing is high quality, easy to maintain".
_QUALITY = re.compile(
    r"\b(?:high[- ]quality|easy to \w+|easier to \w+|well[- ](?:tested|documented|understood))\b"
)
_REDUCE_VERBS = frozenset(
    ["reduce", "minimise", "minimize", "lower", "mitigate", "limit", "decrease"]
)
# "Minimize the number of ...": how low is low enough is not said.
_ODDS = frozenset(
    {"risk", "risks", "likelihood", "chance", "chances", "probability", "impact", "frequency"}
    | {"number", "amount", "complexity", "reliance", "dependency", "exposure"}
)
# "X should be improved": a vague verb in the passive, the item's subject first.
_PASSIVE_VAGUE = re.compile(
    r"\b(?:should|must|will|needs? to|has to|have to) be (?:further |better )?"
    r"(?:improved|investigated|reviewed|revisited|reconsidered|considered|evaluated|explored"
    r"|looked into|assessed|analy[sz]ed|optimi[sz]ed|enhanced|strengthened)\b",
    re.IGNORECASE,
)
_GROW_VERBS = frozenset(
    [
        "add",
        "increase",
        "implement",
        "set",
        "setup",
        "introduce",
        "establish",
        "build",
        "raise",
        "boost",
        "expand",
    ]
)
# A generic protection with nothing said of what it stops: "Add safeguards".
_SAFEGUARDS = frozenset({"safeguards", "guardrails", "protections", "measures"})
# Checking verbs whose object is a quality, not a condition: "Verify cluster health".
_CHECK_VERBS = frozenset({"verify", "test", "check", "validate", "audit"})
_QUALITIES = frozenset(
    {"health", "functionality", "quality", "stability", "correctness", "reliability"}
    | {"behaviour", "behavior"}
)
_COMPARATIVES = frozenset(
    [
        "safer",
        "better",
        "easier",
        "simpler",
        "faster",
        "cheaper",
        "smoother",
        "clearer",
        "stronger",
        "more",
        "less",
    ]
)
_STRONG_VERBS = frozenset(
    [
        "investigate",
        "consider",
        "explore",
        "research",
        "evaluate",
        "assess",
        "analyse",
        "analyze",
        "discuss",
        "optimise",
        "optimize",
        "continue",
        "examine",
        "study",
        "reconsider",
        "rethink",
        "try",
    ]
)
_PLAN_NOUNS = frozenset(
    [
        "strategy",
        "strategies",
        "plan",
        "plans",
        "approach",
        "process",
        "processes",
        "policy",
        "framework",
        "way",
    ]
)
_PLAN_VERBS = frozenset(
    {"define", "create", "establish", "develop", "devise", "agree", "set", "setup", "build"}
    | {"make", "made"}
)
_MORE_ADJECTIVES = frozenset(
    [
        "resilient",
        "robust",
        "reliable",
        "stable",
        "secure",
        "efficient",
        "scalable",
        "careful",
        "visible",
        "available",
        "effective",
        "mature",
        "modern",
        "exhaustive",
        "consistent",
        "predictable",
        "proactive",
    ]
)
_ARTEFACTS = frozenset(
    [
        "runbook",
        "runbooks",
        "playbook",
        "playbooks",
        "doc",
        "docs",
        "documentation",
        "guide",
        "guidelines",
        "checklist",
        "adr",
        "record",
        "test",
        "tests",
        "lock",
        "issue",
        "issues",
        "ticket",
        "page",
        "dashboard",
        "step",
    ]
)
_READERS = frozenset(
    ["on-call", "oncall", "operators", "engineers", "developers", "support", "maintainers", "users"]
)
# Writing a procedure down produces the artefact ("Document the rollover process"); the
# checkout failover or "learnings" name no document (docs/language.md rule 15).
_PROCEDURES = frozenset(
    ["process", "procedure", "procedures", "processes", "steps", "workflow", "playbook"]
)
# Watching practices are concrete once what they watch is named ("alerting for expiring
# certificates"); a quality (visibility, coverage) stays vague whatever follows it.
_WATCHING = frozenset(["monitoring", "alerting", "alerts", "logging", "metrics", "testing"])
_WATCHED = frozenset(["of", "for", "on", "when", "if", "to", "that"])
# What fires an alert is an event or a state ("expiring", "failures"), not a thing (the
# billing service).
_EVENTS = frozenset(
    [
        "failures",
        "errors",
        "exceptions",
        "spikes",
        "timeouts",
        "crashes",
        "restarts",
        "expiry",
        "expiration",
        "outages",
        "drops",
        "anomalies",
        "saturation",
        "failure",
        "error",
    ]
)
# An item that has not decided what to do: "Something about ...", "Maybe ...",
# or "consider" opening a later clause (docs/language.md rule 16).
_HEDGED = re.compile(
    r"^(?:something|some way|some kind|some sort)\b|^(?:maybe|perhaps|possibly)\b"
    r"|(?:[-–—;:.(]|\band|\bor)\s+(?:also\s+|maybe\s+|perhaps\s+)?consider(?:ing)?\b",
    re.IGNORECASE,
)
# A capability wished for a team: "X should be able to ..." names no means (rule 16).
_ABLE = re.compile(
    r"^(?:[\w'’-]+\s+){0,5}?((?:(?:should|must|needs? to|has to|have to|will) )?be able to)\b",
    re.IGNORECASE,
)
# An object that points back at the prose instead of naming the work ("build these
# patterns", "apply those learnings"): the item alone does not say what will be done.
_POINTING = frozenset(["these", "those", "such", "similar"])
_UNNAMED = frozenset(
    {"patterns", "changes", "improvements", "measures", "practices", "steps", "things"}
    | {"ideas", "lessons", "learnings", "recommendations", "items", "areas", "issues"}
)
# A benefit promised instead of a change: "Training will help (to) strengthen ...".
_HELPS = re.compile(r"\b(?:will|should|would|can) help (?:to )?([a-z]+)", re.IGNORECASE)
# The work is described elsewhere: "Implement safeguards (see Prevention section)".
_SEE_ELSEWHERE = re.compile(r"\(see [^()]{0,60}\)|\bsee (?:the )?\w+ section\b", re.IGNORECASE)
# What documentation is, said without a subject: "Update documentation", "Improve the docs".
_DOCS_ALONE = frozenset({"documentation", "docs", "the", "our", "accordingly", "as", "needed"})
_URL = re.compile(r"\(?https?://\S+\)?|\(?#\d+\)?")
_WISHED_STATE = frozenset(
    ["this", "it", "that", "all", "every", "everyone", "everything", "nothing", "things", "they"]
)
