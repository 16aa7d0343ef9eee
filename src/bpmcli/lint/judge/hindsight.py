"""Hindsight: the past judged with what is known now (docs/language.md, HINDSIGHT).

Counterfactual grammar (modal + have + past participle, "if we had ...", "had we ..."),
not-noticing presented as a failing ("nobody noticed"), a past belief or estimate called
wrong ("mistakenly thought", "underestimated") and verdicts ("in hindsight, ...",
"Obviously, ..."). Each is checked against the readings that are not hindsight: a system
as the subject, "should have been published on Friday" (was due), possibilities weighed
at the time ("there could have been an issue"), technical counterfactuals about a design.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from itertools import pairwise

from bpmcli.lint.judge import _forms
from bpmcli.lint.judge.actors import NOBODY, WE, individual, person_kind, subject_of
from bpmcli.lint.judge.past_beliefs import belief_called_wrong
from bpmcli.lint.judge.past_beliefs import judgement as _judgement
from bpmcli.lint.judge.tokens import (
    Judgement,
    Token,
    in_windows,
    quoted,
    tokenize,
)

_MODALS = frozenset(
    [
        "should",
        "shouldn't",
        "could",
        "couldn't",
        "would",
        "wouldn't",
        "might",
        "may",
        "must",
        "ought",
    ]
)
_CONTRACTED = frozenset({"should've", "could've", "would've", "might've", "must've"})
_BETWEEN = frozenset(
    {"not", "also", "simply", "easily", "just", "really", "probably", "never", "to"}
)
_IRREGULAR_PP = frozenset(
    [
        "been",
        "done",
        "known",
        "caught",
        "seen",
        "gone",
        "let",
        "put",
        "set",
        "built",
        "run",
        "taken",
        "given",
        "found",
        "made",
        "kept",
        "held",
        "told",
        "thought",
        "brought",
        "understood",
        "written",
        "shown",
        "spent",
        "sent",
        "left",
        "lost",
        "stood",
    ]
)
# Possibilities weighed at the time: "there could have been an issue", "may have been
# attributable to", unless what follows is a counterfactual outcome ("could have been avoided").
_POSSIBILITY = frozenset({"could", "may", "might", "must", "could've", "might've", "must've"})
_EASY = frozenset({"easy", "easier", "trivial", "simple", "obvious", "better", "wiser"})
# "It would have been useful to ...": a past option valued by the outcome (what we should
# have done, said politely); "would have been safe" is a design's property and stays out.
_VALUED = frozenset(
    {"useful", "helpful", "good", "nice", "wise", "prudent", "preferable", "ideal", "valuable"}
)
# A cause weighed at the time: "may have contributed to", "might have caused" (not a verdict).
_CAUSAL = frozenset(
    {"contributed", "caused", "led", "triggered", "resulted", "played", "exacerbated", "added"}
)
# The past called unwise: "... is probably inadvisable", "was an ill-advised plan".
_UNWISE = frozenset(
    {"inadvisable", "unwise", "ill-advised", "imprudent", "ill-judged", "misguided"}
)
_COPULA = frozenset({"is", "was", "were", "are", "been", "be", "seems", "seemed"})
# Perception verbs in the passive: "this was not seen", "the alert went unnoticed".
_SEEN = frozenset(
    {"seen", "noticed", "spotted", "realised", "realized", "recognised", "recognized"}
)
_LATE = frozenset({"before", "until", "till"})
_WHERE_SEEN = frozenset(
    {"by", "in", "on", "at", "before", "previously", "elsewhere", "again", "since", "until"}
)
# Late realising needs the time it took ("11 hours before we realised"); "we waited until
# we noticed the drop" is a plan.
_SPANS = frozenset(
    {"minutes", "hours", "days", "weeks", "months", "long", "while", "hour", "day", "week"}
    | {"morning", "afternoon", "evening", "night", "weekend"}
)


@cache  # compiled on first use: only a "should have" sentence asks
def _due() -> re.Pattern[str]:
    return re.compile(
        r"\b(?:on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d)|by \d"
        r"|according to|per the plan|at \d)",
        re.IGNORECASE,
    )


# "would have expected / liked / preferred": a hope or a guess, not the past redone.
_HOPED = frozenset(
    {"expected", "anticipated", "liked", "loved", "wanted", "preferred", "hoped", "imagined"}
)
# What alerts and jobs are expected to do: "should have fired / paged / picked up".
_SYSTEM_ACTS = frozenset(
    {"fired", "triggered", "alerted", "paged", "notified", "run", "started", "kicked"}
    | {"picked", "sent", "woken", "failed", "retried", "restarted"}
)
_SYSTEM_CAUSE = frozenset({"because", "since", "as", "by", "design", "designed"})
_WRONG_BELIEF = frozenset(
    [
        "mistakenly",
        "wrongly",
        "incorrectly",
        "erroneously",
        "misconception",
        "misconceptions",
        "misjudged",
        "misjudgement",
        "misjudgment",
    ]
) | frozenset(_forms.WRONG_BELIEF_VERBS)
_PRESENT = frozenset({"is", "are", "shows", "show", "seems", "seem", "looks", "appears", "means"})
_NOT_ACTORS = frozenset({"new", "these", "changes", "change"})
Check = Callable[[str, list[Token], frozenset[str]], Iterator[Judgement]]


def find_hindsight(sentence: str, people: frozenset[str] = frozenset()) -> list[Judgement]:
    """Hindsight in one sentence; `people` are the postmortem's own people, lower case."""
    return in_windows(_cached_hindsight_in, sentence, people)


@lru_cache(maxsize=2048)  # boilerplate sentences repeat across postmortems
def _cached_hindsight_in(sentence: str, people: frozenset[str]) -> tuple[Judgement, ...]:
    return tuple(_hindsight_in(sentence, people))


def _hindsight_in(sentence: str, people: frozenset[str]) -> list[Judgement]:
    lowered = sentence.lower()
    if not any(word in lowered for word in _CHEAP):
        return []
    tokens = tokenize(sentence)
    found: list[Judgement] = []
    for check in _CHECKS:
        for judgement in check(sentence, tokens, people):
            if not any(j.start <= judgement.start < j.end for j in found):
                found.append(judgement)
    return sorted(found, key=lambda j: j.start)


def _past_participle(word: str) -> bool:
    return word in _IRREGULAR_PP or (len(word) > 3 and word.endswith(("ed", "en")))


def _modal_have(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """modal + (not) + have + past participle: "should have rolled back"."""
    for i, token in enumerate(tokens):
        low = token.lower
        if low in _CONTRACTED:
            have = i
        elif low in _MODALS:
            have = next(
                (
                    j
                    for j in range(i + 1, min(len(tokens), i + 4))
                    if tokens[j].lower in ("have", "'ve")
                ),
                -1,
            )
            if have < 0 or any(t.lower not in _BETWEEN for t in tokens[i + 1 : have]):
                continue
        else:
            continue
        if quoted(tokens, i) or have + 1 >= len(tokens):
            continue
        verb = tokens[have + 1].lower
        if verb in _BETWEEN and have + 2 < len(tokens):
            verb = tokens[have + 2].lower
        if _counterfactual(sentence, tokens, i, have, verb, people):
            yield _judgement(
                sentence, tokens, i, have + 1, "a counterfactual judged by the outcome"
            )


def _counterfactual(
    sentence: str, tokens: list[Token], modal: int, have: int, verb: str, people: frozenset[str]
) -> bool:
    low = tokens[modal].lower.removesuffix("'ve")
    rest = [t.lower for t in tokens[have + 1 :]]
    if not _past_participle(verb):
        return False  # "should have at least one item", "we should have alerting"
    after_been = rest[1] if len(rest) > 1 and verb == "been" else ""
    before_words = _clause_before(tokens, modal)
    if before_words[-1:] == ["what"]:
        return False  # "what could have prevented the outage": the review's question
    if (
        low.startswith("should")
        and verb in _SYSTEM_ACTS
        and not _people_subject(before_words, people)
    ):
        return False  # "two alerts should have fired": a system's expected behaviour (was due)
    if low.startswith("should") or low == "ought":
        if modal and tokens[modal - 1].lower in ("that", "which") and "still" in rest:
            return False  # "statuses that should've been removed are still there": was due
        # "should have been published on Friday" means "was due"
        return not _due().search(" ".join(rest)) or "a" in rest[:3]
    before = _clause_before(tokens, modal)
    if low in _POSSIBILITY and verb in _CAUSAL:
        return False  # "may have contributed to the slow pulls": a cause weighed
    if low in _POSSIBILITY and verb == "been":
        return after_been in _forms.COUNTERFACTUAL_VERBS or after_been in (
            "avoided",
            "prevented",
            "caught",
            "done",
            "handled",
            "fixed",
        )
    if low in ("would", "wouldn't") and verb in _HOPED:
        return False  # "a load we would have expected months from now": a guess, not a verdict
    if low in ("would", "wouldn't") and verb == "been":
        # "would've been easy to spot", "would have been useful to"; "safe" is design
        return after_been in _EASY or after_been in _VALUED
    if verb in ("gone",) and rest[1:2] in (["better"], ["well"], ["wrong"]):
        return False  # "what could have gone better": a template heading
    instead = "instead" in rest and "of" not in rest  # "within minutes instead of hours"
    due_to = "due" in rest and "to" in rest[rest.index("due") :]
    if "because" in rest or "design" in rest or instead or ";" in rest or due_to:
        return False  # "would not have helped, because ...", "could have waited; we chose ..."
    if low in ("would", "wouldn't") and not _outcome(verb) and not _people_subject(before, people):
        return False  # "the workers would have restarted cleanly": a design's behaviour
    if _in_progress(before):
        return False  # "the changes GitHub is making would have prevented it": not our past
    if set(before[-4:]) & _NOT_ACTORS and low in ("would", "wouldn't", "may", "might"):
        return False  # "these changes would not have protected us", "the new alert may have"
    return not (before and before[-1] in ("there", "it"))


def _clause_before(tokens: list[Token], index: int) -> list[str]:
    """The words of the clause before `index` (its subject, mostly), at most ten."""
    words: list[str] = []
    for token in reversed(tokens[max(0, index - 10) : index]):
        if token.text in (",", ";", ":"):
            break
        words.insert(0, token.lower)
    return words


def _in_progress(clause: list[str]) -> bool:
    """The subject clause is about a change being made now ("GitHub is making", "the vendor
    is rolling out"): a remedy of someone else's, not a past option of ours."""
    return any(w in ("is", "are") and nxt.endswith("ing") for w, nxt in pairwise(clause))


def _outcome(verb: str) -> bool:
    """A counterfactual outcome: "prevented", "caught", "let (it through)"."""
    return verb in _forms.COUNTERFACTUAL_VERBS


def _people_subject(clause: list[str], people: frozenset[str]) -> bool:
    """The clause before a modal is about people ("a second reviewer", "we")."""
    return any(w in WE or w in _forms.ROLE_NOUNS or w in people for w in clause)


def _if_had(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "If we had deployed ...", "if only we had ...", "had we known": a person's past redone."""
    for i, token in enumerate(tokens):
        low = token.lower
        if low == "if":
            j = i + 1
            if j < len(tokens) and tokens[j].lower == "only":
                j += 1
            if j + 1 >= len(tokens):
                continue
            actor = tokens[j]
            if _contracted_had(tokens, j):  # "if we'd tested ..." (not "if we'd like")
                yield _judgement(
                    sentence, tokens, i, j + 1, "a counterfactual about what people did"
                )
                continue
            if not _actor(actor, people) or quoted(tokens, i):
                continue
            if tokens[j + 1].lower in ("had", "hadn't", "'d") or (
                tokens[i + 1].lower == "only" and tokens[j + 1].lower.endswith("ed")
            ):
                yield _judgement(
                    sentence, tokens, i, j + 1, "a counterfactual about what people did"
                )
        elif _inverted_had(tokens, i, people):
            yield _judgement(sentence, tokens, i, i + 2, "a counterfactual about what people did")


def _contracted_had(tokens: list[Token], index: int) -> bool:
    word = tokens[index].lower.replace("’", "'")
    if not word.endswith("'d") or word[:-2] not in ("we", "i", "they", "you", "someone"):
        return False
    return index + 1 < len(tokens) and _past_participle(tokens[index + 1].lower)


def _inverted_had(tokens: list[Token], i: int, people: frozenset[str]) -> bool:
    """ "Had we known ...": a clause-initial "had" before a person and a participle."""
    if tokens[i].lower != "had" or i + 2 >= len(tokens):
        return False
    if i and tokens[i - 1].text not in (",", ";"):
        return False
    return _actor(tokens[i + 1], people) and _past_participle(tokens[i + 2].lower)


def _actor(token: Token, people: frozenset[str]) -> bool:
    low = token.bare
    return (
        low in WE
        or low in ("anyone", "anybody", "someone", "somebody", "i")
        or bool(person_kind(token, people))
    )


def _nobody_noticed(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """ "Nobody noticed", "none of us noticed": not-noticing as a failing (rule 7)."""
    lows = [t.lower for t in tokens]
    for i, low in enumerate(lows):
        if low in NOBODY or (low == "no" and i + 1 < len(lows) and lows[i + 1] == "one"):
            first, j = i, i + (2 if low == "no" else 1)
        elif low == "none" and lows[i + 1 : i + 3] == ["of", "us"]:
            first, j = i, i + 3
        else:
            continue
        if j < len(lows) and lows[j] == "had":
            j += 1
        if (
            j >= len(lows)
            or lows[j] not in _forms.NOTICE_VERBS
            or not lows[j].endswith(("ed", "ght", "saw", "w"))
        ):
            continue
        if (i and lows[i - 1] == "so") or {"because", "since"} & set(lows[j:]):
            continue  # "no alert was configured, so nobody noticed": the system reason given
        if j + 1 < len(lows) and lows[j + 1] == "any":
            continue  # "noticed any slowdown": nothing there to notice
        yield _judgement(sentence, tokens, first, j, "not noticing presented as a failing")
    yield from _late_or_unseen(sentence, tokens, lows, people)


def _late_or_unseen(
    sentence: str, tokens: list[Token], lows: list[str], people: frozenset[str]
) -> Iterator[Judgement]:
    """ "It was hours before we realised", "this was not seen", "went unnoticed": the same
    failing said with a late realising or a passive perception verb (rule 7)."""
    if {"because", "since"} & set(lows):
        return  # the system reason is given
    for i, low in enumerate(lows):
        if low in _LATE and _SPANS & set(lows[max(0, i - 6) : i]):  # "hours before we ..."
            j = i + 2 if lows[i + 1 : i + 2] == ["the"] else i + 1  # "before the on-call"
            late = j + 1 < len(lows) and lows[j + 1] in _forms.NOTICE_VERBS
            if late and _actor(tokens[j], people) and lows[j + 1].endswith(("ed", "ght", "saw")):
                yield _judgement(sentence, tokens, i, j + 1, "not noticing presented as a failing")
        passive = low in _SEEN and i >= 2 and lows[i - 1] == "not" and lows[i - 2] in _COPULA
        # "not seen by the probe" (a machine), "not seen in staging / before" (where a
        # behaviour occurred, not a failure to notice it)
        after = lows[i + 1] if i + 1 < len(lows) else ""
        by_machine = after in _WHERE_SEEN
        if (passive and not by_machine) or (low == "unnoticed" and i and lows[i - 1] == "went"):
            first = i - 2 if passive else i - 1
            yield _judgement(sentence, tokens, first, i, "not noticing presented as a failing")


def _wrong_belief(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """ "we mistakenly thought", "underestimated", "a dangerous misconception" (rule 5)."""
    lows = [t.lower for t in tokens]
    for i, low in enumerate(lows):
        if low not in _WRONG_BELIEF or quoted(tokens, i):
            continue
        present = low.endswith(("s", "ing")) and low in _forms.WRONG_BELIEF_VERBS
        if present and low != "misjudged" and not (i and lows[i - 1] in WE):
            continue  # "the parser underestimates": a machine's behaviour, present
        if low.endswith("ly") and i and lows[i - 1] in ("would", "will", "can", "could", "may"):
            continue  # "a rule that would incorrectly direct traffic": what a thing does
        after_verb = low.endswith("ly") and i and lows[i - 1].endswith("ed")
        if after_verb and lows[i - 1] not in _COPULA and (i < 2 or lows[i - 2] not in WE):
            continue  # "wins and losses calculated incorrectly": a condition (rule 6)
        rest = lows[i + 1 :]
        if {"because", "since"} & set(rest):
            continue  # "mistakenly marked the node healthy because the probe ...": a machine
        if rest and rest[0].endswith("s") and not rest[0].endswith("ss") and low.endswith("ly"):
            continue  # "wrongly accepts": a present-tense malfunction
        if low.startswith("misconception") and "there" in lows[max(0, i - 6) : i]:
            continue  # "there was a misconception going around": readers', not our belief
        who = subject_of(tokens, i, people)
        if (who and individual(who[1]) and who[1] != "role") or (
            who and who[1] == "role" and lows[who[0]] != "team"
        ):
            continue  # "she misjudged": blame (BPM301) says it, not hindsight
        yield _judgement(sentence, tokens, i, i, "a past belief or estimate called wrong now")


def _verdicts(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "In hindsight, this was ...", "Obviously, ...", "Clearly, ...", "were obvious"."""
    lows = [t.lower for t in tokens]
    for i, low in enumerate(lows):
        looking_back = low == "back" and i == 1 and lows[0] == "looking"
        verdict = low in ("hindsight", "retrospect") and i and lows[i - 1] in ("in", "with")
        if verdict or looking_back:
            ahead = set(lows[i + 1 : i + 11])
            if not ahead & _PRESENT and "likely" not in ahead:
                yield _judgement(sentence, tokens, i - 1, i, "a verdict reached with hindsight")
        elif low in ("obviously", "clearly") and i == 0 and len(lows) > 1 and lows[1] == ",":
            yield _judgement(sentence, tokens, i, i, "the past called obvious by what is known now")
        elif (
            low == "obvious"
            and i
            and lows[i - 1] in ("was", "were")
            and not quoted(tokens, i)
            and not {"none", "not", "nothing", "never"} & set(lows[max(0, i - 4) : i])
        ):  # "None of this was obvious while it was happening": the opposite of hindsight
            yield _judgement(
                sentence, tokens, i - 1, i, "the past called obvious by what is known now"
            )
        elif low in _UNWISE and _unwise_plan(lows, i):
            yield _judgement(
                sentence, tokens, i, i, "a past plan called unwise by what is known now"
            )
        elif (
            low == "dangerous"
            and i + 1 < len(lows)
            and lows[i + 1] in ("decision", "choice", "assumption", "misconception")
        ):
            yield _judgement(sentence, tokens, i, i + 1, "a past decision called wrong now")


def _unwise_plan(lows: list[str], index: int) -> bool:
    """A past plan called unwise: "Shipping on the last day was unwise", "Beginning a
    ten-hour deploy at 5pm is probably inadvisable"; "it is unwise to ..." is a rule."""
    copula = [w for w in lows[max(0, index - 2) : index] if w in _COPULA]
    if not copula or lows[0] == "it":
        return False
    return copula[0] in ("was", "were") or lows[0].endswith("ing")


def _failed_or_neglected(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """ "we neglected to check", "the reviewers failed to notice": people, not pods."""
    lows = [t.lower for t in tokens]
    for i, low in enumerate(lows[:-1]):
        if low not in ("failed", "neglected", "fail", "fails") or lows[i + 1] != "to":
            continue
        who = subject_of(tokens, i, people)
        we = "we" in lows[max(0, i - 3) : i]  # "we neglected to"; "our monitoring" is a system
        if (who and not individual(who[1])) or we or (low == "neglected" and who is None):
            yield _judgement(sentence, tokens, i, i + 1, "a failing judged by the outcome")
    for i in range(len(lows) - 1):
        if lows[i] in ("didn't", "did") and "bother" in lows[i + 1 : i + 3]:
            yield _judgement(sentence, tokens, i, i + 1, "a failing judged by the outcome")


_CHECKS: tuple[Check, ...] = (
    _modal_have,
    _if_had,
    _nobody_noticed,
    _wrong_belief,
    _verdicts,
    _failed_or_neglected,
    belief_called_wrong,
)

_CHEAP = (
    "have",
    "undetected",
    "red flags",
    "didn",
    "did not",
    "misunderst",
    "misinterpret",
    "wrong",
    "correct",
    "false",
    "unfounded",
    "misplaced",
    "flawed",
    "oversight",
    "ignored",
    "overlooked",
    "dismissed",
    "disregarded",
    "'ve",
    "’ve",
    "if ",
    "had ",
    "nobody",
    "no one",
    "no-one",
    "none of us",
    "mistaken",
    "wrongly",
    "incorrect",
    "erroneous",
    "misconcept",
    "misjudg",
    "estimat",
    "hindsight",
    "retrospect",
    "looking back",
    "'d ",
    "’d ",
    "obvious",
    "clearly",
    "dangerous",
    "failed to",
    "fail to",
    "fails to",
    "neglected to",
    "bother",
    "useful",
    "helpful",
    "inadvis",
    "unwise",
    "ill-advised",
    "imprudent",
    "misguided",
    "unnoticed",
    "not seen",
    "not noticed",
    "not spotted",
    "not realised",
    "not realized",
    "before we",
    "until we",
    "before anyone",
    "until anyone",
    "before someone",
    "until someone",
)
