"""Blame and hindsight over a whole prose text: the entry point for BPM301 and BPM302.

Speed: a few substring tests of the words every finding needs run over the text first
(in C); only the sentences that hold one are split out, tokenised and judged, so a
postmortem without any of those words costs one scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bpmcli.lint.judge import sentences
from bpmcli.lint.judge.blame import find_blame
from bpmcli.lint.judge.hindsight import find_hindsight
from bpmcli.lint.judge.tokens import Judgement

# Every finding needs one of these in its sentence (lower case): found with str.find,
# in C, so a text with none of them costs a few microseconds. They are as specific as the
# judges allow ("failed to", not "fail"), so that the common words of incident reports
# ("errors", "Failed over") do not send every file to the judges.
_GATE_WORDS = (
    "nobody",
    "no one",
    "no-one",
    "none of us",
    "mistaken",
    "wrong",
    "incorrect",
    "erroneous",
    "misconcept",
    "misjudg",
    "estimat",
    "hindsight",
    "obvious",
    "clearly",
    "dangerous",
    "failed to",
    "fails to",
    "fail to",
    "neglect",
    "bother",
    "forg",
    "overlook",
    "ignor",
    "botch",
    "missed",
    "misses",
    "disregard",
    "misread",
    "mistyp",
    "misconfig",
    "skipped",
    "skips",
    "chose",
    "choos",
    "decid",
    "opted",
    "careless",
    "lazy",
    "lazi",
    "sloppy",
    "sloppi",
    "neglig",
    "reckless",
    "incompet",
    "thoughtless",
    "human error",
    "operator error",
    "user error",
    "pilot error",
    "error was",
    "errors were",
    "error by",
    "s error",
    "mistake",
    "slip",
    "bad ",
    "broke",
    "faulty",
    "hasty",
    "follow",
    "lapse",
    "thorough",
    "without review",
    "without a review",
    "not reviewed",
    "fault",
    "blame",
    "if ",
    "had ",
    "'ve",
    "’ve",
)
# "have" only counts after a modal, a few words back ("could simply have").
_HAVE = re.compile(r"(?:should|could|would|might|may|must|ought)(?:n['’]t)?(?:\W[\w\s'’]{0,24})?$")


def _gate_hits(lowered: str) -> list[int]:
    hits: list[int] = []
    for word in _GATE_WORDS:
        at = lowered.find(word)
        while at != -1:
            hits.append(at)
            at = lowered.find(word, at + 1)
    at = lowered.find(" have")
    while at != -1:
        if _HAVE.search(lowered, max(0, at - 32), at):
            hits.append(at)
        at = lowered.find(" have", at + 1)
    return sorted(hits)


@dataclass(frozen=True)
class ProseFinding:
    kind: str  # "blame" or "hindsight"
    start: int  # offsets in the whole text
    end: int
    judgement: Judgement


def may_hold(text: str) -> bool:
    """False when no judge can fire anywhere in `text` (the raw body will do: masking only
    removes words)."""
    return bool(_gate_hits(text.lower()))


def judge_prose(text: str, people: frozenset[str] = frozenset()) -> list[ProseFinding]:
    """Blame and hindsight findings in `text` (blanked regions are spaces: offsets hold)."""
    hits = _gate_hits(text.lower())
    if not hits:
        return []
    found: list[ProseFinding] = []
    for sentence in sentences.around(text, hits):
        for kind, judge in (("blame", find_blame), ("hindsight", find_hindsight)):
            # one finding per sentence and rule, on its first trigger: a second would say
            # the same thing about the same sentence
            for j in judge(sentence.text, people)[:1]:
                start = sentence.start + j.start
                found.append(ProseFinding(kind, start, sentence.start + j.end, j))
    return found
