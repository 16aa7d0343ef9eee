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

from bpmcli.format import timeline
from bpmcli.format.frontmatter import lines
from bpmcli.lint.judge import prose as judge
from bpmcli.lint.judge.people import people_of
from bpmcli.lint.rule import Context, Examples, Hit, rule
from bpmcli.lint.rules.timeline import table_of

_BARE_URL = re.compile(r"https?://\S+")  # not a link to CommonMark, not prose either
_BLAME_CODE, _HINDSIGHT_CODE = "BPM301", "BPM302"


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def prose(ctx: Context, hits: list[int]) -> str:
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
    if _inline_matters(ctx, text, hits):
        offset = pm.where.body_start
        spans += [(a - offset, b - offset) for a, b in outline.spans]
    return _blank_spans(text, spans)


def _inline_matters(ctx: Context, text: str, hits: list[int]) -> bool:
    """Whether a word the judges need sits where inline code, a link or a comment may hide
    it; when none can, the inline spans (a parse of their own, for a plain body) change
    nothing. `hits` are the judges' gate offsets, which the mask keeps."""
    first, outline = ctx.pm.where.body_line, ctx.pm.outline
    return any(
        outline.may_hold_inline(first + text.count("\n", 0, hit))
        for hit in hits
        if not text[hit : hit + 1].isspace()  # a word the mask blanked out is no hit now
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


def _hits(ctx: Context) -> list[tuple[str, int, int, str, str]]:
    memo = ctx.memo.get("language")
    if memo is not None:
        return memo  # type: ignore[no-any-return]
    found: list[tuple[str, int, int, str, str]] = []
    hits = judge.gate(ctx.pm.body)
    people = _people(ctx) if hits else frozenset()
    if hits and judge.judge_prose(ctx.pm.body, people, hits):
        # most files hold nothing the judges flag even before masking (which only removes
        # words): only the others pay for it
        text = prose(ctx, hits)
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        # the mask keeps offsets: the raw hits whose words survive it are the mask's hits
        kept = [h for h in hits if text[h : h + 2].strip()]
        for finding in judge.judge_prose(text, people, kept):
            index = bisect.bisect_right(starts, finding.start) - 1
            code = _BLAME_CODE if finding.kind == "blame" else _HINDSIGHT_CODE
            line = ctx.pm.where.body_line + index
            column = finding.start - starts[index] + 1
            j = finding.judgement
            found.append((code, line, column, f"{j.message}; {j.suggestion}", j.trigger.lower()))
    ctx.memo["language"] = found
    return found


def _people(ctx: Context) -> frozenset[str]:
    """Participants, facilitator, timeline actors and action owners: the names a
    sentence may blame."""
    pm = ctx.pm
    names = [*pm.strings("participants"), pm.facilitator or ""]
    names += [a.owner for a in pm.actions if a.owner]
    table = table_of(ctx)
    names += [row.actor for row in table.rows] if table else []
    return people_of(names)


def _phrases_of(ctx: Context, wanted: str) -> Iterator[Hit]:
    """The judges' hits of one rule; the subject is the words flagged, as written."""
    return (Hit(*hit[1:]) for hit in _hits(ctx) if hit[0] == wanted)


@rule(
    "BPM301",
    "blaming-language",
    "warning",
    'blaming language: a person or role as the one who failed ("the developer forgot", "human error", "Bob\'s bad deploy")',
    "Blame ends the inquiry at a person, and teaches everyone to hide the next mistake. A "
    "blameless review asks what made the action reasonable at the time, and what in the "
    "system let it cause harm.",
    "Describe the situation the person was in (what they saw, knew and were asked to do) "
    "and the conditions that turned a normal action into an incident.",
    needs_front_matter=False,
    examples=Examples(
        "prose",
        flagged=(
            "The developer forgot to rotate the key.",
            "It was human error.",
            "Bob's bad deploy took checkout down.",
            "The reviewer was careless.",
        ),
        not_flagged=(
            "The scheduler forgot its leases after the restart.",
            "We forgot to renew the certificate.",
            "Run git blame on the config file.",
            "> bob: I forgot the flag, sorry",
        ),
    ),
)
def check_blame(ctx: Context) -> Iterator[Hit]:
    yield from _phrases_of(ctx, _BLAME_CODE)


@rule(
    "BPM302",
    "hindsight-language",
    "warning",
    'hindsight: counterfactuals about what people did ("we should have", "would have prevented"), "nobody noticed", "mistakenly thought", "in hindsight"',
    "Hindsight judges the past by what is known now. It hides why the choice made sense "
    "then, which is the part the team can learn from.",
    "Say what people knew, expected and assumed at the time (the timeline's Expectations "
    "and Assumptions columns are the place for it), and what would have told them otherwise.",
    needs_front_matter=False,
    examples=Examples(
        "prose",
        flagged=(
            "We should have rolled back sooner.",
            "Nobody noticed the disk filling up.",
            "In retrospect, skipping the canary was a mistake.",
            "We mistakenly thought the replica was in sync.",
        ),
        not_flagged=(
            "The pod failed to start.",
            "No alert was configured, so nobody noticed.",
            "We should add an alert.",
            "Trusting the header from our own load balancer would have been safe.",
        ),
    ),
)
def check_hindsight(ctx: Context) -> Iterator[Hit]:
    yield from _phrases_of(ctx, _HINDSIGHT_CODE)
