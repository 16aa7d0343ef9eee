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
"""

from __future__ import annotations

import re
from functools import lru_cache

from bpmcli.lint.judge import _forms
from bpmcli.lint.judge.tokens import Judgement, Token, tokenize

_MARKER = re.compile(
    r"^\W*(?:\[[ xX]?\]\s*)?(?:(?:action(?: item| point)?|todo)\s*:\s*)?", re.IGNORECASE
)
_LABEL = re.compile(
    r"^(?:long|short|medium|near)[ -]term\s*:\s*|^(?:title|next step|follow[ -]up|note)\s*:\s*",
    re.IGNORECASE,
)
_WE_SHOULD = re.compile(
    r"^(?:when [^,]{1,80},\s*)?(?:we|you|i)\s+(?:should|need to|must|will|have to|want to|could"
    r"|(?:are|'re|am) (?:going|planning|trying) to|plan to|intend to|(?:are|'re|am)(?= \w+ing\b))"
    r"(?:\s+(?:also|probably|really))?\s+",
    re.IGNORECASE,
)
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
_NOMINAL_LEADS = frozenset(["further", "more", "better", "improved", "additional", "deeper"])
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
_ODDS = frozenset(
    ["risk", "risks", "likelihood", "chance", "chances", "probability", "impact", "frequency"]
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
    ["define", "create", "establish", "develop", "devise", "agree", "set", "setup", "build"]
)
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
    r"^(?:[\w'’-]+\s+){0,5}?((?:should|must|needs? to|has to|have to|will) be able to)\b",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\([^()]*\)")
_URL = re.compile(r"\(?https?://\S+\)?|\(?#\d+\)?")
_MEASURE = (
    r"\d+(?:\.\d+)?\s*(?:%|ms\b|sec|min|h\b|hours?\b|days?\b|weeks?\b|gb\b|mb\b|k\b"
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
_WISHED_STATE = frozenset(
    ["this", "it", "that", "all", "every", "everyone", "everything", "nothing", "things", "they"]
)
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


def find_vague(text: str) -> list[Judgement]:
    """A vague action item (BPM103): at most one judgement, on the words that make it so."""
    return list(_cached_vague(text))


def find_exhortation(text: str) -> list[Judgement]:
    """An appeal to people (BPM108) instead of a change to the system."""
    return list(_cached_exhortation(text))


def find_headline(text: str, allowed_verbs: frozenset[str] = frozenset()) -> list[Judgement]:
    """An item that leads with a topic (BPM107): "Retry limits:", "Monitoring"."""
    return list(_cached_headline(text, allowed_verbs))


# Action texts repeat across files (templates, copied items) and each rule of the family
# asks about the same text: each verdict is computed once.
@lru_cache(maxsize=4096)
def _cached_vague(text: str) -> tuple[Judgement, ...]:
    return tuple(_vague(text))


@lru_cache(maxsize=4096)
def _cached_exhortation(text: str) -> tuple[Judgement, ...]:
    return tuple(_exhortation(text))


@lru_cache(maxsize=4096)
def _cached_headline(text: str, allowed_verbs: frozenset[str]) -> tuple[Judgement, ...]:
    return tuple(_headline(text, allowed_verbs))


def lead_in(text: str) -> int:
    """Offset where the item's own words start (after markers, labels and "we should")."""
    offset = 0
    for pattern in (_MARKER, _LABEL, _WE_SHOULD):
        match = pattern.match(text[offset:])
        if match:
            offset += match.end()
    return offset


def _words(text: str) -> tuple[int, list[Token]]:
    offset = lead_in(text)
    return offset, tokenize(text[offset:])


def _lemma(word: str) -> str:
    """The vague verb a word is a form of ("re-evaluating" -> "evaluate"), or the word."""
    if word.startswith("re-"):
        again = _forms.VAGUE_VERBS.get(word[3:])
        if again is not None:
            return again
    return _forms.VAGUE_VERBS.get(word, word)


def _judgement(
    text: str, offset: int, tokens: list[Token], first: int, last: int, what: str, hint: str
) -> Judgement:
    start, end = offset + tokens[first].start, offset + tokens[last].end
    words = " ".join(text[start:end].split())
    return Judgement(start, end, words, f"{what} {words!r}", hint)


def _vague(text: str) -> list[Judgement]:
    """A vague action item (BPM103): at most one judgement, on the words that make it so."""
    text = text[:MAX_ACTION]
    offset, tokens = _words(text)
    if not tokens or _cached_exhortation(text) or _bare_headline(text):
        return []  # one finding per item: the appeal or the bare topic is more specific
    lows = [t.lower for t in tokens]
    rest = _URL.sub(" ", text[offset:])  # a link to a ticket is not a measurable end
    found = _vague_span(lows, tokens, rest)
    if found is None:
        return []
    first, last, what = found
    return [_judgement(text, offset, tokens, first, last, what, SUGGEST_VAGUE)]


def _bare_headline(text: str) -> bool:
    return bool(_cached_headline(text, frozenset())) and ":" not in text


def _vague_span(lows: list[str], tokens: list[Token], rest: str) -> tuple[int, int, str] | None:
    """(first, last, what) of the words that make the item vague, if it is."""
    hedge = _HEDGED.search(rest)
    if hedge:  # not forgiven by a concrete marker: the item has not decided yet
        last = next((i for i, t in enumerate(tokens) if t.end >= hedge.end()), 0)
        first = last if hedge.start() else 0  # on "consider", not on the dash before it
        return first, last, "undecided item"
    strong = _strong_at(lows, 0)
    if strong is not None:  # forgiven only by a second, concrete verb
        return None if _second_concrete_verb(lows) else (0, strong, "vague verb")
    after_and = _strong_at(lows, 2) if lows[1:2] == ["and"] and len(lows) > 2 else None
    if after_and is not None:  # "Document and think about ..."
        return 2, after_and, "vague verb"
    found = _weak_span(lows, tokens, rest)
    if found is None or _CONCRETE.search(rest) or _names_artefact(lows):
        return None  # the concrete markers cost a long regex: only candidates pay for it
    return found


def _weak_span(lows: list[str], tokens: list[Token], rest: str) -> tuple[int, int, str] | None:
    """A candidate that a concrete marker would forgive: weak verb, vague goal, passive."""
    able = _ABLE.search(rest)
    if able:  # "the platform team should be able to roll back": a capability wished
        first = next(i for i, t in enumerate(tokens) if t.end > able.start(1))
        return first, min(len(tokens) - 1, first + 3), "vague goal"
    passive = _PASSIVE_VAGUE.search(rest)
    if passive:  # "Alerting should be improved"
        first = next(i for i, t in enumerate(tokens) if t.end > passive.start())
        return first, min(len(tokens) - 1, first + 2), "vague verb"
    if _weak_verb(lows):
        return 0, 0, "vague verb"
    found = _vague_object(lows)
    if found is not None:
        return found[0], found[1], "vague goal"
    if lows[:2] == ["make", "sure"] and _wished(lows[1:]):
        return 0, 1, "vague goal"
    return None


def _weak_verb(lows: list[str]) -> bool:
    """A vague verb an artefact or a number would have forgiven ("Document ...")."""
    lemma = _lemma(lows[0])
    if lemma not in _forms.VAGUE_VERBS.values() or _second_concrete_verb(lows):
        return False
    return lemma not in ("ensure", "prevent") or _wished(lows)


def _strong_at(lows: list[str], index: int) -> int | None:
    """Index of the last word of a strong vague verb starting at `index`, if one does."""
    word = lows[index]
    if _lemma(word) in _STRONG_VERBS:
        return index
    for tail in _PHRASE_TAILS.get(word, ()):
        if tuple(lows[index + 1 : index + 1 + len(tail)]) == tail:
            return index + len(tail)
    return None


def _inflected(verb: str) -> set[str]:
    """The few forms a phrasal verb takes at the start of an item ("figuring out")."""
    stem = verb[:-1] if verb.endswith("e") else verb
    return {verb, verb + "s", stem + "ing"}


# First word (in each of its forms) -> the rest of each strong phrase it can open.
_PHRASE_TAILS: dict[str, tuple[tuple[str, ...], ...]] = {}
for _phrase in _STRONG_PHRASES:
    for _form in _inflected(_phrase[0]):
        _PHRASE_TAILS[_form] = (*_PHRASE_TAILS.get(_form, ()), _phrase[1:])


def _second_concrete_verb(lows: list[str]) -> bool:
    """ "Investigate and write up ...", "Review and delete the 14 flags"."""
    for i, word in enumerate(lows[:-1]):
        if word == "and" and i <= 3:
            nxt = lows[i + 1]
            return nxt in _CLEAR_VERBS and _lemma(nxt) not in _forms.VAGUE_VERBS.values()
    return False


def _names_artefact(lows: list[str]) -> bool:
    """An artefact named with its reader ("the failover runbook for on-call") or a
    document produced ("operational documentation for ...")."""
    words = set(lows)
    if _lemma(lows[0]) == "document" and words & _PROCEDURES:
        return True  # "Document the rollover process": the write-up is the artefact
    if not words & _ARTEFACTS:
        return False
    if lows[0] not in ("add", "write", "create", "publish", "document", "update"):
        return False  # "improve the documentation" produces nothing that can be checked
    return bool(words & _READERS) or lows[0] != "document"


def _vague_object(lows: list[str]) -> tuple[int, int] | None:
    """ "Add more alerts", "Better dashboards", "Define a strategy for", "Long term fix"."""
    for finder in (_vague_verb_goal, _vague_words, _vague_state):
        found = finder(lows)
        if found is not None:
            return found
    return None


def _goal_objects() -> dict[str, frozenset[str]]:
    """Verb -> the objects that make it vague ("increase" -> coverage, visibility ...)."""
    table: dict[str, frozenset[str]] = {}
    for verbs, objects in (
        (_GROW_VERBS, _ABSTRACT),
        (_REDUCE_VERBS, _ODDS),
        (frozenset({"make"}), _COMPARATIVES),
        (_PLAN_VERBS, _PLAN_NOUNS),
    ):
        for verb in verbs:
            table[verb] = table.get(verb, frozenset()) | objects
    return table


def _vague_verb_goal(lows: list[str]) -> tuple[int, int] | None:
    """A verb whose object is a quality or a plan: "Increase coverage", "Define a strategy"."""
    first = 1 if lows[0] in _NOMINAL_LEADS and len(lows) > 1 else 0
    after = lows[first + 1] if first + 1 < len(lows) else ""
    if lows[first] in _NOMINALS and after in ("", "of", "into", "on", "for", "to", "in"):
        return 0, first
    reach = 7 if lows[1:2] == ["and"] else 5  # "Define and roll out a ... strategy"
    wanted = _GOAL_OBJECTS.get(lows[0])
    if wanted:
        for i in range(1, min(reach, len(lows))):
            if lows[i] in wanted:
                if lows[i] in _WATCHING and _watched(lows, i):
                    return None  # "Set up alerting for expiring certificates"
                return 0, i
    return None


_GOAL_OBJECTS = _goal_objects()


def _watched(lows: list[str], index: int) -> bool:
    """The event a watching practice fires on is named right after it ("alerting for
    crash loops", "alerting to warn us of expiring certificates"); a thing is not enough."""
    if index + 1 >= len(lows) or lows[index + 1] not in _WATCHED:
        return False
    for at in range(index + 2, min(len(lows), index + 7)):
        word = lows[at]
        # "of expiring ...", "queries exceeding ..."; "the billing service" is a thing
        participle = word.endswith(("ing", "ed")) and lows[at - 1] not in _DETERMINERS
        if word in _EVENTS or participle:
            return True
    return False


def _vague_words(lows: list[str]) -> tuple[int, int] | None:
    """ "better", "proactive", "more alerts", "more resilient", "long term"."""
    for i, word in enumerate(lows[:5]):
        if word in _VAGUE_ADJECTIVES:
            return i, i
        more = word in ("more", "missing") and i + 1 < len(lows)
        if more and (i == 1 or lows[i + 1] in _MORE_ADJECTIVES):
            return i, i + 1
    for i, word in enumerate(lows):
        if word == "more" and i + 1 < len(lows) and lows[i + 1] in _MORE_ADJECTIVES:
            return i, i + 1
        if word == "long-term" or (word == "long" and lows[i + 1 : i + 2] == ["term"]):
            return i, i if word == "long-term" else i + 1
    return None


def _vague_state(lows: list[str]) -> tuple[int, int] | None:
    """A goal judged only by a quality ("easy to maintain") or a wish ("... again")."""
    joined = " ".join(lows)
    quality = _QUALITY.search(joined)
    if quality:
        i = len(joined[: quality.start()].split())
        return i, min(len(lows) - 1, i + 1)
    if "again" in lows:
        return lows.index("again"), lows.index("again")
    return None


def _wished(lows: list[str]) -> bool:
    """ "Ensure this never happens again", "ensure all resources ...": a state, no means."""
    after = lows[1:3]
    if set(after) & _WISHED_STATE or "again" in lows or "never" in lows:
        return True
    return _passive_state(lows[1:8])


def _passive_state(lows: list[str]) -> bool:
    """ "deploys are reviewed", "they get deployed": a state, with no one and nothing doing it."""
    for i, word in enumerate(lows[:-1]):
        if word in ("is", "are", "get", "gets", "be") and lows[i + 1].endswith("ed"):
            return True
    return False


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


def _headline(text: str, allowed_verbs: frozenset[str]) -> list[Judgement]:
    """An item that leads with a topic (BPM107): "Retry limits:", "Monitoring"."""
    text = text[:MAX_ACTION]
    marker = _MARKER.match(text)
    offset = marker.end() if marker else 0
    body = text[offset:]
    if _LABEL.match(body):
        return []
    label, colon, _ = body.partition(":")
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


def _is_verb(word: str, allowed: frozenset[str]) -> bool:
    head = word.rsplit("-", 1)[-1]
    return any(w in allowed or (w in _CLEAR_VERBS and w not in _TOPIC_WORDS) for w in (word, head))


def _topic_only(words: list[str]) -> bool:
    """No colon: a short noun phrase ("Process improvements", "Follow-ups from the review")."""
    if words[-1].endswith((".", "!", "?")) or len(words) > 4:
        return False
    first = words[0].lower()
    if first in _VAGUE_ADJECTIVES or first in _NOMINAL_LEADS:
        return False  # "Better alerts", "More tests": a vague goal (BPM103), not a topic
    return len(words) <= 2 or first.endswith(("s", "ing", "ion", "ment"))
