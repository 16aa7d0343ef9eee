"""BPM301, BPM302: blaming and hindsight language, in prose only.

Prose is the body minus what records other people's words or thoughts: code blocks (fenced,
indented, in list items), inline code, HTML comments, block quotes (pasted logs and chat),
link targets, and the timeline's Expectations and Assumptions columns (what people believed
at the time, in their words).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache

from bpmcli.format import timeline
from bpmcli.format.frontmatter import lines
from bpmcli.lint import words
from bpmcli.lint.rule import Context, Hit, rule
from bpmcli.lint.rules.timeline import table_of

_BARE_URL = re.compile(r"https?://\S+")  # not a link to CommonMark, not prose either
_BLAME_CODE, _HINDSIGHT_CODE = "BPM301", "BPM302"


@cache
def _pattern() -> re.Pattern[str]:
    def group(name: str, phrases: tuple[str, ...]) -> str:
        alternatives = "|".join(
            re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)
        )
        return f"(?P<{name}>{alternatives})"

    body = group("blame", words.BLAME) + "|" + group("hindsight", words.HINDSIGHT)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.IGNORECASE)


@cache
def _phrases() -> tuple[str, ...]:
    """The phrases in lower case, for a quick substring test before the regular expression."""
    return tuple(p.lower() for p in (*words.BLAME, *words.HINDSIGHT))


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def prose(ctx: Context) -> str:
    """The body with everything that is not the author's own prose blanked out (same offsets;
    inline spans are left as they are only where no phrase is).

    What is code, a comment or a quote is the Markdown parser's reading (`pm.outline`), the
    one the site and GitHub render: fenced code of any fence length, indented code, code in
    list items and block quotes.
    """
    pm = ctx.pm
    outline = pm.outline
    body = pm.body
    masked = outline.not_prose_lines
    table_lines = _table_lines(ctx)
    out: list[str] = []
    for number, (start, stop, content) in enumerate(lines(body), start=pm.where.body_line):
        ending = body[start + len(content) : stop]
        if number in masked:
            content = " " * len(content)
        elif number in table_lines:
            content = _blank_thoughts(content)
        out.append(content + ending)
    text = "".join(out)
    spans = [m.span() for m in _BARE_URL.finditer(text)]
    if _inline_matters(ctx, text):
        offset = pm.where.body_start
        spans += [(a - offset, b - offset) for a, b in outline.spans]
    return _blank_spans(text, spans)


def _inline_matters(ctx: Context, text: str) -> bool:
    """Whether a phrase sits where inline code, a link or a comment may hide it; when none
    can, the inline spans (a parse of their own, for a plain body) change nothing."""
    first, outline = ctx.pm.where.body_line, ctx.pm.outline
    return any(
        outline.may_hold_inline(first + text.count("\n", 0, match.start()))
        for match in _pattern().finditer(text)
    )


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, at = [], 0
    for start, stop in sorted(spans):
        start = max(start, at)
        if start >= stop:
            continue
        pieces += [text[at:start], _blank(text[start:stop])]
        at = stop
    return "".join([*pieces, text[at:]])


def _table_lines(ctx: Context) -> set[int]:
    table = table_of(ctx)
    return {row.line for row in table.rows} if table else set()


def _blank_thoughts(line: str) -> str:
    """A timeline row with its Expectations and Assumptions cells blanked."""
    for start, stop in timeline.cell_spans(line)[4:6]:
        line = line[:start] + " " * (stop - start) + line[stop:]
    return line


def _hits(ctx: Context) -> list[tuple[str, int, int, str]]:
    memo = ctx.memo.get("language")
    if memo is not None:
        return memo  # type: ignore[no-any-return]
    found: list[tuple[str, int, int, str]] = []
    body = ctx.pm.body
    flat = " ".join(body.lower().split())
    if any(phrase in flat for phrase in _phrases()) and _pattern().search(body):
        # most files have none of these words: only the others pay for the masking
        text = prose(ctx)
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        for match in _pattern().finditer(text):
            index = bisect.bisect_right(starts, match.start()) - 1
            code = _BLAME_CODE if match.group("blame") else _HINDSIGHT_CODE
            found.append(
                (
                    code,
                    ctx.pm.where.body_line + index,
                    match.start() - starts[index] + 1,
                    match.group(),
                )
            )
    ctx.memo["language"] = found
    return found


def _phrases_of(ctx: Context, wanted: str) -> Iterator[tuple[int, int, str]]:
    return ((line, column, phrase) for code, line, column, phrase in _hits(ctx) if code == wanted)


@rule(
    "BPM301",
    "blaming-language",
    "warning",
    'blaming language: "human error", "careless", "negligent", "fault of", "blame" ...',
    "Blame ends the inquiry at a person, and teaches everyone to hide the next mistake. A "
    "blameless review asks what made the action reasonable at the time, and what in the "
    "system let it cause harm.",
    "Describe the situation the person was in (what they saw, knew and were asked to do) "
    "and the conditions that turned a normal action into an incident.",
)
def check_blame(ctx: Context) -> Iterator[Hit]:
    for line, column, phrase in _phrases_of(ctx, _BLAME_CODE):
        yield Hit(
            line,
            column,
            f"blaming language {phrase!r}: describe what made the action reasonable at the time and what let it cause harm",
        )


@rule(
    "BPM302",
    "hindsight-language",
    "warning",
    'hindsight and counterfactual language: "should have", "could have", "failed to", "obviously" ...',
    "Hindsight judges the past by what is known now. It hides why the choice made sense "
    "then, which is the part the team can learn from.",
    "Say what people knew, expected and assumed at the time (the timeline's Expectations "
    "and Assumptions columns are the place for it), and what would have told them otherwise.",
)
def check_hindsight(ctx: Context) -> Iterator[Hit]:
    for line, column, phrase in _phrases_of(ctx, _HINDSIGHT_CODE):
        yield Hit(
            line,
            column,
            f"hindsight {phrase!r}: describe what people knew and expected then, not what is known now",
        )
