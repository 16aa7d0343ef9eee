"""Vague action items (BPM103).

An item is read after its lead-in is stripped (list marker, "Long term:", "We should"):
a vague verb (matched by lemma: "investigating", "figure out", "find a way to") or a vague
object ("more alerts", "better dashboards", "a strategy for") with nothing that says when
it is done. A weak verb (document, ensure, monitor, review ...) is forgiven by a concrete
marker: a number, an artefact and its reader ("the failover runbook for on-call"), a
mechanism ("by making ...", "cannot ... if"), a checkable end ("so that ..."); a strong
one (investigate, figure out) only by a second, concrete verb. Its word lists are in
vague_words.py.
"""

from __future__ import annotations

from functools import lru_cache

from bpmcli.lint.judge import _forms
from bpmcli.lint.judge.action_base import (
    _CLEAR_VERBS,
    _CONCRETE,
    _DETERMINERS,
    _NOMINAL_LEADS,
    _VAGUE_ADJECTIVES,
    MAX_ACTION,
    SUGGEST_VAGUE,
    _judgement,
    lead_in,
)
from bpmcli.lint.judge.exhortation import _cached_exhortation
from bpmcli.lint.judge.headline import _cached_headline
from bpmcli.lint.judge.tokens import Judgement, Token, tokenize
from bpmcli.lint.judge.vague_words import (
    _ABLE,
    _ABSTRACT,
    _ARTEFACTS,
    _CHECK_VERBS,
    _COMPARATIVES,
    _DOCS_ALONE,
    _EVENTS,
    _GROW_VERBS,
    _HEDGED,
    _HELPS,
    _MORE_ADJECTIVES,
    _NOMINALS,
    _ODDS,
    _PASSIVE_VAGUE,
    _PLAN_NOUNS,
    _PLAN_VERBS,
    _POINTING,
    _PROCEDURES,
    _QUALITIES,
    _QUALITY,
    _READERS,
    _REDUCE_VERBS,
    _SAFEGUARDS,
    _SEE_ELSEWHERE,
    _STRONG_PHRASES,
    _STRONG_VERBS,
    _UNNAMED,
    _URL,
    _WATCHED,
    _WATCHING,
    _WISHED_STATE,
)


# Action texts repeat across files (templates, copied items) and each rule of the family
# asks about the same text: each verdict is computed once.
@lru_cache(maxsize=4096)
def _cached_vague(text: str) -> tuple[Judgement, ...]:
    return tuple(_vague(text))


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


def _vague(text: str) -> list[Judgement]:
    """A vague action item (BPM103): at most one judgement, on the words that make it so."""
    text = text[:MAX_ACTION]
    body = _body_after_topic(text)
    if body:  # "Monitoring: set up alerts for ...": the body is the action, the topic BPM107's
        return [j._replace(start=j.start + body, end=j.end + body) for j in _vague(text[body:])]
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


def _body_after_topic(text: str) -> int:
    """Where the body starts after a topic ("Retry limits: cap ...", "Proper types - Replaced
    ..."), or 0 when the item does not lead with a topic."""
    for separator in (":", " - ", " – ", " — "):
        topic, found, rest = text.partition(separator)
        if found and rest.strip() and _cached_headline(topic + ":", frozenset()):
            return len(topic) + len(separator)
    return 0


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
    elsewhere = _SEE_ELSEWHERE.search(rest)
    if elsewhere:  # "Implement safeguards (see Prevention section)"
        first = next(i for i, t in enumerate(tokens) if t.start >= elsewhere.start() + 1)
        last = max(i for i, t in enumerate(tokens) if t.end <= elsewhere.end() - 1)
        return first, max(first, last), "work described elsewhere"
    passive = _PASSIVE_VAGUE.search(rest)
    if passive:  # "Alerting should be improved"
        first = next(i for i, t in enumerate(tokens) if t.end > passive.start())
        return first, min(len(tokens) - 1, first + 2), "vague verb"
    if _weak_verb(lows):
        return 0, 0, "vague verb"
    helps = _HELPS.search(rest)
    nominal = lows[0] not in _CLEAR_VERBS and ":" not in rest[: helps.start()] if helps else False
    if helps and nominal and _lemma(helps.group(1).lower()) in _forms.VAGUE_VERBS.values():
        first = next(i for i, t in enumerate(tokens) if t.end > helps.start())
        return first, min(len(tokens) - 1, first + 3), "vague goal"
    found = _vague_object(lows)
    if found is not None:
        return found[0], found[1], "vague goal"
    if lows[:2] == ["make", "sure"] and _wished(lows[1:]):
        return 0, 1, "vague goal"
    return None


def _weak_verb(lows: list[str]) -> bool:
    """A vague verb an artefact or a number would have forgiven ("Monitor ...")."""
    lemma = _lemma(lows[0])
    if lemma not in _forms.VAGUE_VERBS.values() or _second_concrete_verb(lows):
        return False
    if _reported(lows[0], lemma):
        return False  # "Documented the NIC settings", "Identified the endpoint": work done
    if lemma == "document":
        return _documents_nothing(lows)  # "Document the required variables" is checkable
    if lemma == "monitor" and _watched(lows, 0):
        return False  # "Monitor for missing-table errors": the event is named
    return lemma not in ("ensure", "prevent") or _wished(lows)


def _reported(word: str, lemma: str) -> bool:
    """A past-tense form at the head: a report of work done, not an intention."""
    return word != lemma and word.endswith("ed")


# Operations a team carries out: documenting one does not say what is written down.
_OPERATIONS = frozenset(
    {"failover", "renewal", "rollover", "migration", "upgrade", "cutover", "rollout"}
    | {"rollback", "recovery", "restore", "switchover", "deployment", "deploy"}
)
_NOTHING_NAMED = frozenset({"it", "this", "that", "things", "everything", "learnings", "lessons"})


def _documents_nothing(lows: list[str]) -> bool:
    """ "Document", "Document it", "Document learnings": no subject a reader could check;
    "Document the checkout failover": an operation, but is it a record or a procedure?
    ("Document the failover procedure", "Document the required variables" are checkable.)"""
    if len(lows) < 2 or lows[1] in _NOTHING_NAMED:
        return True
    return bool(set(lows[1:6]) & _OPERATIONS) and not set(lows) & (_PROCEDURES | _ARTEFACTS)


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
    if _docs_alone(lows):
        return False  # "Update documentation": which, and what in it?
    if _lemma(lows[0]) == "document" and words & _PROCEDURES:
        return True  # "Document the rollover process": the write-up is the artefact
    if not words & _ARTEFACTS:
        return False
    if lows[0] not in ("add", "write", "create", "publish", "document", "update"):
        return False  # "improve the documentation" produces nothing that can be checked
    return bool(words & _READERS) or lows[0] != "document"


def _vague_object(lows: list[str]) -> tuple[int, int] | None:
    """ "Add more alerts", "Better dashboards", "Define a strategy for", "Long term fix"."""
    for finder in (_vague_verb_goal, _vague_words, _vague_state, _unnamed_object):
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
        (_GROW_VERBS, _SAFEGUARDS),
        (_CHECK_VERBS, _QUALITIES),
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
    reach = 7 if lows[1:2] == ["and"] else 6  # "Define and roll out a ... strategy"
    wanted = _goal_objects_of(lows[0])
    if wanted:
        for i in range(1, min(reach, len(lows))):
            if lows[i] in wanted:
                if lows[i] in _WATCHING and _watched(lows, i):
                    return None  # "Set up alerting for expiring certificates"
                return 0, i
    return None


_GOAL_OBJECTS = _goal_objects()


def _goal_objects_of(word: str) -> frozenset[str] | None:
    """The goal objects of a verb, in its base or past form ("Reduced reliance on ...")."""
    for form in (word, word[:-1], word[:-2]) if word.endswith("ed") else (word,):
        if form in _GOAL_OBJECTS:
            return _GOAL_OBJECTS[form]
    return None


def _watched(lows: list[str], index: int) -> bool:
    """The event a watching practice fires on is named right after it ("alerting for
    crash loops", "alerting to warn us of expiring certificates"); a thing is not enough."""
    while index + 1 < len(lows) and lows[index + 1] in _WATCHING | {"and"}:
        index += 1  # "monitoring/alerting for webhook failures"
    if index + 1 >= len(lows) or lows[index + 1] not in _WATCHED:
        return False
    for at in range(index + 2, min(len(lows), index + 8)):
        word = lows[at]
        # "of expiring ...", "queries exceeding ..."; "the billing service" is a thing
        participle = word.endswith(("ing", "ed")) and lows[at - 1] not in _DETERMINERS
        if word in _EVENTS or participle:
            return True
    return False


_PURPOSE_WORDS = frozenset({"for", "with", "to", "via", "using"})


def _vague_words(lows: list[str]) -> tuple[int, int] | None:
    """ "better", "proactive", "more alerts", "more resilient", "long term"."""
    for i, word in enumerate(lows[:5]):
        if word in _VAGUE_ADJECTIVES and not (i >= 2 and lows[i - 1] in _PURPOSE_WORDS):
            return i, i  # "for better engagement", "with proper structure": how, not what
        if word == "missing" and i == 1 and lows[0] in _GROW_VERBS:
            return i, i + 1 if i + 1 < len(lows) else i  # "Add missing alerts"
        more = word == "more" and i + 1 < len(lows)
        if more and (i <= 1 or lows[i + 1] in _MORE_ADJECTIVES):  # "(Add) more alarms"
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


def _unnamed_object(lows: list[str]) -> tuple[int, int] | None:
    """ "Build these patterns", "audit other tables for similar issues", "Update
    documentation": the work is named elsewhere, or not at all."""
    for i, word in enumerate(lows[1:8], start=1):  # the item's own clause, not a later one
        if word in _POINTING and i + 1 < len(lows) and lows[i + 1] in _UNNAMED:
            return i, i + 1
    if lows[0] in ("update", "improve", "expand") and _docs_alone(lows):
        return 0, len(lows) - 1
    return None


def _docs_alone(lows: list[str]) -> bool:
    """ "Update documentation", "improve the docs": documentation with no subject."""
    rest = set(lows[1:])
    return bool(rest) and rest <= _DOCS_ALONE and bool(rest & {"documentation", "docs"})


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
