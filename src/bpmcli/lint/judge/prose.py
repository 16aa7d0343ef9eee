"""Blame and hindsight over a whole prose text: the entry point for BPM301 and BPM302.

Speed: one compiled regular expression of the words every finding needs runs over the
text first (in C); only the sentences that hold a match are tokenised and judged, so a
postmortem without any of those words costs one scan.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bpmcli.lint.judge import sentences
from bpmcli.lint.judge.blame import find_blame
from bpmcli.lint.judge.hindsight import find_hindsight
from bpmcli.lint.judge.tokens import Judgement

# Every word a judge can fire on, or that a judge needs next to its trigger. Literal
# alternatives and one bounded gap: linear in the text.
_GATE = re.compile(
    r"(?:should|could|would|might|may|must|ought)(?:n['’]t)?\W{1,3}(?:\w{1,12}\W{1,3}){0,2}ha(?:ve|d)\b"
    r"|['’]ve\b|\bif\b|\bhad\b|nobody|no[- ]one|none of us|mistaken|wrong|incorrect|erroneous"
    r"|misconcept|misjudg|estimat|hindsight|obvious|clearly|dangerous|fail(?:s|ed)? to|neglect"
    r"|bother|forg[eo]t|overlook|ignor|botch|miss|disregard|misread|mistyp|misconfig|skip"
    r"|cho(?:se|os)|decid|\bopt|careless|lazy|lazi|sloppy|sloppi|neglig|reckless|incompet"
    r"|thoughtless|(?:human|operator|user|pilot)s?\W{1,3}errors?|errors? (?:was|were) made"
    r"|mistake|slip|\bbad\b|broke|faulty|hasty|follow|lapse|thorough|without (?:a )?review"
    r"|not reviewed|fault|blame|wrong",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ProseFinding:
    kind: str  # "blame" or "hindsight"
    start: int  # offsets in the whole text
    end: int
    judgement: Judgement


def may_hold(text: str) -> bool:
    """False when no judge can fire anywhere in `text` (the raw body will do: masking only
    removes words)."""
    return _GATE.search(text) is not None


def judge_prose(text: str, people: frozenset[str] = frozenset()) -> list[ProseFinding]:
    """Blame and hindsight findings in `text` (blanked regions are spaces: offsets hold)."""
    hits = [m.start() for m in _GATE.finditer(text)]
    if not hits:
        return []
    found: list[ProseFinding] = []
    for sentence in _sentences_with(text, hits):
        for kind, judge in (("blame", find_blame), ("hindsight", find_hindsight)):
            # one finding per sentence and rule, on its first trigger: a second would say
            # the same thing about the same sentence
            for j in judge(sentence.text, people)[:1]:
                start = sentence.start + j.start
                found.append(ProseFinding(kind, start, sentence.start + j.end, j))
    return found


def _sentences_with(text: str, hits: list[int]) -> list[sentences.Sentence]:
    """The sentences that contain at least one gate match."""
    chosen = []
    for sentence in sentences.split(text):
        index = bisect.bisect_left(hits, sentence.start)
        if index < len(hits) and hits[index] < sentence.end:
            chosen.append(sentence)
    return chosen
