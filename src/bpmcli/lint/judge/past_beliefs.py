"""Hindsight about what people believed, left out or dismissed at the time: a belief said
to have been wrong ("the first idea ... was not correct"), a decision called incorrect, an
omission called an oversight, warning signs dismissed in the passive, not foreseeing stated
as the failing, signs called red flags now (docs/language.md, rules 5, 7, 16).
"""

from __future__ import annotations

from collections.abc import Iterator

from bpmcli.lint.judge.actors import WE
from bpmcli.lint.judge.tokens import Judgement, Token, span

# A belief of the time, called wrong once the outcome is known: "The first idea of this
# being a VDF issue was not correct", "our assumption turned out to be wrong".
_BELIEFS = frozenset(
    {"idea", "assumption", "assumptions", "theory", "hypothesis", "belief", "guess"}
    | {"expectation", "expectations", "estimate", "estimates", "impression", "diagnosis"}
)
_CALLED_WRONG = frozenset(
    {"wrong", "incorrect", "mistaken", "false", "unfounded", "misplaced", "flawed"}
)
_WAS = frozenset({"was", "were", "proved", "proven", "turned"})
# Passive dismissal: "the warnings were ignored", "they were considered normal, and ignored".
_DISMISSED = frozenset({"ignored", "overlooked", "dismissed", "disregarded"})
# What people dismiss: a sign of trouble ("the warnings were ignored"), or a pronoun for one;
# "the signal was ignored" (by a process) names none of these.
_SIGNS = frozenset(
    {"warning", "warnings", "alert", "alerts", "sign", "signs", "issues", "errors", "reports"}
    | {"messages", "page", "pages", "notifications", "emails", "complaints", "concerns"}
    | {"they", "these", "this", "it", "symptoms", "tickets"}
)
_FORESEE = frozenset({"anticipate", "realize", "realise", "foresee", "expect", "predict"})
# Decisions that an adjective can call wrong: "Incorrect bot filtering strategy".
_DECISIONS = frozenset(
    {"strategy", "approach", "decision", "decisions", "choice", "choices", "assumption"}
    | {"assumptions", "plan", "judgement", "judgment", "call"}
)

SUGGESTION = (
    "say what people knew, expected and assumed at the time, and what would have told them "
    "otherwise (the timeline's Expectations and Assumptions columns are the place for it)"
)


def judgement(sentence: str, tokens: list[Token], first: int, last: int, what: str) -> Judgement:
    start, end, words = span(sentence, tokens, first, last)
    return Judgement(start, end, words, f"hindsight {words!r}: {what}", SUGGESTION)


def belief_called_wrong(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """ "The first idea ... was not correct", "it was an honest oversight", "the warnings
    were ignored": a past belief, omission or dismissal judged by the outcome (rule 5)."""
    lows = [t.lower for t in tokens]
    for i, low in enumerate(lows):
        if low in ("incorrect", "flawed", "misguided") and _DECISIONS & set(lows[i + 1 : i + 4]):
            yield judgement(sentence, tokens, i, i, "a past decision called wrong now")
        elif low in _CALLED_WRONG or (low == "correct" and lows[i - 1 : i] == ["not"]):
            was = _copula_before(lows, i - (2 if low == "correct" else 1))
            if was is not None and _BELIEFS & set(lows[max(0, was - 12) : was]):
                yield judgement(sentence, tokens, was, i, "a past belief called wrong now")
        elif low == "oversight" and _copula_before(lows, i - 1, reach=3) is not None:
            if lows[i + 1 : i + 2] not in (["of"], ["board"], ["committee"]):
                yield judgement(sentence, tokens, i, i, "a past omission called a failing")
        elif low in _DISMISSED and _passive(lows, i):
            yield judgement(sentence, tokens, i, i, "a past dismissal judged by the outcome")
        elif low == "undetected" and i and lows[i - 1] in ("went", "remained", "gone", "go"):
            if {"because", "since", "due"} & set(lows[i + 1 :]):
                continue  # "went undetected due to lack of monitoring": the system reason
            yield judgement(sentence, tokens, i - 1, i, "not noticing presented as a failing")
        elif low == "flags" and i and lows[i - 1] == "red" and _copula_before(lows, i - 2, 3):
            yield judgement(sentence, tokens, i - 1, i, "signs of the time called clear now")
    yield from _not_anticipated(sentence, tokens, lows)


def _not_anticipated(sentence: str, tokens: list[Token], lows: list[str]) -> Iterator[Judgement]:
    """ "Didn't anticipate the recreation trigger", "we did not realise ...": not foreseeing
    stated as the failing, with no one else named (a person as subject is BPM301's)."""
    for i, low in enumerate(lows):
        if low in ("didn't", "didn’t"):
            verb_at = i + 1
        elif low == "did" and lows[i + 1 : i + 2] == ["not"]:
            verb_at = i + 2
        else:
            continue
        if verb_at >= len(lows) or lows[verb_at] not in _FORESEE:
            continue
        if i == 0 or lows[i - 1] in WE:
            yield judgement(sentence, tokens, i, verb_at, "not foreseeing presented as a failing")


def _copula_before(lows: list[str], index: int, reach: int = 2) -> int | None:
    """Index of a past copula ending right before `index` ("was", "turned out to be")."""
    for at in range(index, max(-1, index - reach - 3), -1):
        if lows[at] in _WAS:
            return at
    return None


def _passive(lows: list[str], index: int) -> bool:
    """ "were ignored", "were considered normal, and ignored": a past passive with no one
    named as the agent (a "by" agent that is a thing, "ignored by the parser", is design)."""
    if lows[index + 1 : index + 2] == ["by"]:
        return False
    window = lows[max(0, index - 10) : index]
    if not {"was", "were", "been"} & set(window):
        return False
    start = max(i for i, w in enumerate(window) if w in ("was", "were", "been"))
    subject = set(window[max(0, start - 4) : start])
    return bool(subject & _SIGNS) and not set(window[start:]) & WE
