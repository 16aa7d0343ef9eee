"""Blame and hindsight over a whole prose text: the entry point for BPM301 and BPM302.

Speed: a few substring tests of the words every finding needs run over the text first
(in C); only the sentences that hold one are split out, tokenised and judged, so a
postmortem without any of those words costs one scan.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from bpmcli.lint.judge import _forms
from bpmcli.lint.judge.vocabulary import ACCIDENT_WORDS, JUDGEMENT_WORDS

if TYPE_CHECKING:
    from bpmcli.lint.judge.tokens import Judgement

_NON_WORD = re.compile(r"[^a-z'’-]+")
_MODALS = ("should", "could", "would", "might", "may", "must", "ought")
_CONTRACTED = frozenset(f"{m}{a}ve" for m in _MODALS for a in "'’")

# Whole words any one of which can start a finding (every inflected form of the judges'
# verbs, their judgement words). Only a text holding one pays for more than a split.
_WORDS = frozenset(
    {
        *_forms.BLAME_VERBS,
        *_forms.CHOICE_VERBS,
        *_forms.WRONG_BELIEF_VERBS,
        *_CONTRACTED,
        *JUDGEMENT_WORDS,
        *ACCIDENT_WORDS,
        *[
            "nobody",
            "no-one",
            "none",
            "mistaken",
            "mistakenly",
            "wrong",
            "wrongly",
            "incorrect",
            "incorrectly",
            "erroneous",
            "erroneously",
            "misconception",
            "misconceptions",
            "misjudgement",
            "misjudgment",
            "hindsight",
            "obvious",
            "obviously",
            "clearly",
            "dangerous",
            "mistake",
            "mistakes",
            "slip",
            "slips",
            "bad",
            "botched",
            "broke",
            "broken",
            "faulty",
            "hasty",
            "follow",
            "followed",
            "follows",
            "lapse",
            "thorough",
            "fault",
            "blame",
            "blamed",
            "blames",
            "bother",
            "bothered",
            "responsible",
            "ball",
            "messed",
            "screwed",
            "fat-fingered",
            "fat-fingers",
            "retrospect",
            "unnoticed",
            "inadvisable",
            "unwise",
            "ill-advised",
            "imprudent",
            "ill-judged",
            "misguided",
            "oversight",
            "ignored",
            "dismissed",
            "disregarded",
            "unfounded",
            "misplaced",
            "flawed",
            "undetected",
            "anticipate",
            "foresee",
        ],
    }
)
# Common words that count only inside one of their phrases ("Failed over" is not "failed
# to"; "errors" is not "human errors").
_PHRASES: dict[str, tuple[str, ...]] = {
    "failed": ("failed to", "failed at", "failed hard", "failed miserably", "failed badly"),
    "correct": ("not correct",),
    "flags": ("red flags",),
    "realize": ("didn't realize", "did not realize", "didn’t realize"),
    "realise": ("didn't realise", "did not realise", "didn’t realise"),
    "expect": ("didn't expect", "did not expect", "didn’t expect"),
    "predict": ("didn't predict", "did not predict", "didn’t predict"),
    "false": ("was false", "were false", "be false", "proved false", "proven false"),
    "fails": ("fails to",),
    "fail": ("fail to",),
    "neglected": ("neglected to",),
    "error": (
        "human error",
        "operator error",
        "user error",
        "pilot error",
        "error was",
        "error by",
        "s error",
    ),
    "errors": ("human errors", "operator errors", "errors were", "errors by"),
    "review": ("without review", "without a review"),
    "reviewed": ("not reviewed",),
    "one": ("no one",),
    "if": ("if only", " had ", "'d ", "’d "),
    "caused": ("caused by",),
    "triggered": ("triggered by",),
    "looking": ("looking back",),
    "before": ("before we", "before anyone", "before someone"),
    "until": ("until we", "until anyone", "until someone"),
    "seen": ("not seen",),
    "noticed": ("not noticed",),
    "spotted": ("not spotted",),
    "realised": ("not realised", "we realised"),
    "realized": ("not realized", "we realized"),
    "had": ("had we", "had i ", "had they", "had anyone", "had someone", "had the team"),
}
# The patterns below are compiled on first use: most texts hold neither word they look at.


# "have" only counts after a modal, a few words back ("could simply have").
@cache
def _have() -> re.Pattern[str]:
    return re.compile(
        r"(?:should|could|would|might|may|must|ought)(?:n['’]t)?(?:\W[\w\s'’]{0,24})?$"
    )


# Someone before "wrong" in its sentence: a pronoun, an @handle, a role noun, or a
# capitalised word other than the usual sentence openers (a name). Loose on purpose: the
# judge decides; this only spares it the sentences with no one in them.
@cache
def _name_before() -> re.Pattern[str]:
    return re.compile(r"\b(?!(?:The|This|That|It|A|An|We|In|On|At|If|When)\b)[A-Z][a-z]+\b")


@cache
def _person_before() -> re.Pattern[str]:
    return re.compile(
        r"\b(?:i|he|she|they|someone|somebody|you)\b|@\w|\b(?:"
        + "|".join(sorted(_forms.ROLE_NOUNS, key=len, reverse=True))
        + r")\b"
    )


# A belief before "wrong" ("our assumption turned out to be wrong"): hindsight's case.
@cache
def _belief_before() -> re.Pattern[str]:
    return re.compile(r"\b(?:idea|assumptions?|theory|hypothesis|belief|guess|estimates?)\b")


def _gate_words(lowered: str) -> list[str]:
    """The gate words and phrases `lowered` holds: [] for most texts."""
    words = set(_NON_WORD.split(lowered))
    found = list(words & _WORDS)
    for word in words & _PHRASES.keys():
        found += [p for p in _PHRASES[word] if p in lowered]
    if "have" in words and not words.isdisjoint(_MODALS + tuple(m + "n't" for m in _MODALS)):
        found.append(" have")
    return found


def _gate_hits(text: str, lowered: str) -> list[int]:
    """Offsets of the gate words in `lowered` (a word inside a longer word is no hit)."""
    hits: list[int] = []
    for word in _gate_words(lowered):
        at = lowered.find(word)
        while at != -1:
            if _whole(lowered, at, len(word)) and _in_context(text, lowered, at, word):
                hits.append(at)
            at = lowered.find(word, at + 1)
    return sorted(hits)


def _in_context(text: str, lowered: str, at: int, word: str) -> bool:
    """The two common gate words that need a neighbour: "have" a modal before it, "wrong"
    (blame's "he clicked the wrong button") a person before it in the sentence."""
    if word == " have":
        return _after_modal(lowered, at)
    if word == "wrong":
        start = max(0, lowered.rfind(".", 0, at), lowered.rfind("\n", 0, at), at - 160)
        return bool(
            _person_before().search(lowered, start, at)
            or _name_before().search(text, start, at)
            or _belief_before().search(lowered, start, at)
        )
    return True


def _whole(lowered: str, at: int, size: int) -> bool:
    before = lowered[at - 1] if at else " "
    after = lowered[at + size] if at + size < len(lowered) else " "
    return not (before.isalpha() and lowered[at].isalpha()) and not (
        after.isalpha() and lowered[at + size - 1].isalpha()
    )


def _after_modal(lowered: str, at: int) -> bool:
    return _have().search(lowered, max(0, at - 32), at) is not None


class ProseFinding(NamedTuple):  # not a frozen dataclass: ~0.4 ms to create at start-up
    kind: str  # "blame" or "hindsight"
    start: int  # offsets in the whole text
    end: int
    judgement: Judgement


def may_hold(text: str) -> bool:
    """False when no judge can fire anywhere in `text` (the raw body will do: masking only
    removes words)."""
    return bool(_gate_words(text.lower()))


def gate(text: str) -> list[int]:
    """Offsets of the words a finding needs: [] (nothing to judge) for most texts."""
    return _gate_hits(text, text.lower())


def judge_prose(
    text: str, people: frozenset[str] = frozenset(), hits: list[int] | None = None
) -> list[ProseFinding]:
    """Blame and hindsight findings in `text` (blanked regions are spaces: offsets hold);
    `hits` is `gate(text)` when the caller has it already."""
    hits = gate(text) if hits is None else hits
    if not hits:
        return []
    # Here: a text the gate lets through is rare, and the judges cost ~3 ms to import.
    from bpmcli.lint.judge import sentences
    from bpmcli.lint.judge.blame import find_blame
    from bpmcli.lint.judge.hindsight import find_hindsight

    found: list[ProseFinding] = []
    for sentence in sentences.around(text, hits):
        for kind, judge in (("blame", find_blame), ("hindsight", find_hindsight)):
            # one finding per sentence and rule, on its first trigger: a second would say
            # the same thing about the same sentence
            for j in judge(sentence.text, people)[:1]:
                start = sentence.start + j.start
                found.append(ProseFinding(kind, start, sentence.start + j.end, j))
    return found
