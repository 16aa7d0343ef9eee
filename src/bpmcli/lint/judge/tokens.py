"""Words of a sentence with their offsets, and the judgement a detector returns."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

# One token: an @handle, a word (apostrophes and hyphens inside), a number, or a
# punctuation mark that bounds a clause or a quotation. Each alternative is a single
# character class run: linear.
_TOKEN = re.compile(r"@[\w-]+|[A-Za-z][A-Za-z'’-]*|\d[\w.,:%]*|[;:,()\"“”?!—]")


class Token(NamedTuple):
    """A word and where it is; its lower-case and bare forms are computed once, since every
    check of every judge reads them."""

    text: str
    start: int
    end: int
    lower: str
    bare: str  # lower case without a possessive "'s" ("Bob's" -> "bob")
    possessive: bool


class Judgement(NamedTuple):  # not a frozen dataclass: ~0.4 ms to create at start-up
    """One finding of a judge: where (offsets in the sentence), why, and how to rewrite."""

    start: int
    end: int
    trigger: str  # the words that triggered it, as written
    message: str
    suggestion: str


# Longer "sentences" are pasted logs or tables without breaks; they are judged in windows
# of about this size so that the per-word checks (which look back and ahead within a
# sentence) stay linear overall.
WINDOW = 1_000


def windows(sentence: str) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most about WINDOW characters, cut at a space."""
    if len(sentence) <= WINDOW:
        return [(0, sentence)]
    pieces, start = [], 0
    while start < len(sentence):
        stop = min(len(sentence), start + WINDOW)
        if stop < len(sentence):
            space = sentence.rfind(" ", start + WINDOW // 2, stop)
            stop = space if space > start else stop
        pieces.append((start, sentence[start:stop]))
        start = stop
    return pieces


def in_windows(
    judge: Callable[[str, frozenset[str]], tuple[Judgement, ...]],
    sentence: str,
    people: frozenset[str],
) -> list[Judgement]:
    """`judge` over each window of `sentence`, its findings at their offsets in the whole:
    long sentences are judged piecewise, so every check stays linear in the text."""
    return [shifted(j, offset) for offset, piece in windows(sentence) for j in judge(piece, people)]


def shifted(judgement: Judgement, offset: int) -> Judgement:
    return Judgement(
        judgement.start + offset,
        judgement.end + offset,
        judgement.trigger,
        judgement.message,
        judgement.suggestion,
    )


def tokenize(sentence: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(sentence):
        text = match.group()
        lower = text.lower()
        possessive = lower.endswith(("'s", "’s"))
        bare = (lower[:-2] if possessive else lower).replace("’", "'")
        tokens.append(Token(text, match.start(), match.end(), lower, bare, possessive))
    return tokens


def quoted(tokens: list[Token], index: int) -> bool:
    """True inside double quotes: someone else's words, or a word mentioned, not used."""
    marks = sum(1 for t in tokens[:index] if t.text in ('"', "“", "”"))
    return marks % 2 == 1


def span(sentence: str, tokens: list[Token], first: int, last: int) -> tuple[int, int, str]:
    start, end = tokens[first].start, tokens[last].end
    return start, end, " ".join(sentence[start:end].split())
