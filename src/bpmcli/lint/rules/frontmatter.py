"""BPM001-BPM003, BPM401: the front matter is there, complete, well typed, visible, reviewed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from bpmcli.format.postmortem import STATUSES
from bpmcli.lint.rule import Context, Examples, Hit, duplicate_keys, engine_rule, rule

engine_rule(
    "BPM001",
    "no-front-matter",
    "error",
    "no front matter, or front matter that is not valid YAML",
    "Every other check, and every report, reads the front matter. A file without it, or "
    "with YAML that does not parse (or a binary or non-UTF-8 file), is invisible to bpm.",
    "Start the file with a line `---`, the YAML keys of docs/format.md, and a closing "
    "`---`; the message names the line where the YAML broke. `bpm new` or `bpm import` "
    "write a correct one.",
    examples=Examples(
        "file",
        flagged=(
            "# Checkout outage\n\nThe config push reached all regions at once.\n",
            "---\ntitle: Checkout outage\nkind: [incident\n---\n# Checkout outage\n",
        ),
        not_flagged=("---\nid: checkout-outage\ntitle: Checkout outage\n---\n# Checkout outage\n",),
    ),
)


def _is_timestamp(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.tzinfo is not None


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


@rule(
    "BPM002",
    "bad-front-matter-field",
    "error",
    "a required field missing or of the wrong type or value",
    "Reports and the site compute from these fields: a missing `started` or a `review_by` "
    "that is not a date silently drops the postmortem from every number.",
    "Add the field, or correct its value, as docs/format.md describes: timestamps with an "
    "offset (`2026-11-20T14:03:00Z`), dates as `YYYY-MM-DD`, `status` one of draft, "
    "in-review, published, `severity` one of the configured ones.",
    fixable=True,
    examples=Examples(
        "front matter",
        flagged=(
            "started: 2026-11-20T14:03:00",
            "status: finished",
            "review_by: next week",
        ),
        not_flagged=(
            "started: 2026-11-20T15:03:00+01:00",
            "status: in-review",
        ),
    ),
)
def check_fields(ctx: Context) -> Iterator[Hit]:
    meta, pm = ctx.pm.meta, ctx.pm
    problems: list[tuple[str, str]] = []
    stem = pm.path.stem
    if not _text(meta.get("id")):
        problems.append(("id", f"`id` is missing; it must be the file name, {stem!r}"))
    elif meta["id"] != stem:
        problems.append(("id", f"`id` is {meta['id']!r} but the file name is {stem!r}"))
    title = meta.get("title")
    if not _text(title):
        problems.append(("title", "`title` is missing or empty"))
    elif isinstance(title, str) and "\n" in title:
        problems.append(("title", "`title` must be one line"))
    if not _text(meta.get("kind")):
        problems.append(("kind", "`kind` is missing (the template it was made from)"))
    if meta.get("status") not in STATUSES:
        problems.append(
            ("status", f"`status` is {meta.get('status')!r}; use one of {', '.join(STATUSES)}")
        )
    if meta.get("severity") not in ctx.config.severities:
        problems.append(
            (
                "severity",
                f"`severity` is {meta.get('severity')!r}; use one of {', '.join(ctx.config.severities)}",
            )
        )
    if not _is_timestamp(meta.get("started")):
        problems.append(("started", _timestamp_problem("started", meta.get("started"))))
    for key in ("detected", "mitigated", "resolved"):
        if key in meta and not _is_timestamp(meta[key]):
            problems.append((key, _timestamp_problem(key, meta[key])))
    if not _is_date(meta.get("review_by")):
        problems.append(
            (
                "review_by",
                f"`review_by` is {_shown(meta.get('review_by'))}; it must be a date YYYY-MM-DD",
            )
        )
    if "facilitator" in meta and not _text(meta["facilitator"]):
        problems.append(("facilitator", "`facilitator` must be a name"))
    for key in ("participants", "services", "tags"):
        if key in meta and not _strings(meta[key]):
            problems.append((key, f"`{key}` must be a list of strings"))
    actions = meta.get("actions")
    if not isinstance(actions, list):
        problems.append(
            ("actions", "`actions` is missing or not a list (write `actions: []` for none)")
        )
    for key, message in problems:
        yield Hit(*ctx.key(key), message, key)
    for node in duplicate_keys(pm.node):
        yield Hit(
            *ctx._line(node),
            f"`{node.value}` is given twice; YAML keeps only the last",
            f"{node.value} twice",
        )
    yield from _action_fields(ctx, actions if isinstance(actions, list) else [])


def _action_fields(ctx: Context, actions: list[Any]) -> Iterator[Hit]:
    for index, item in enumerate(actions):
        if not isinstance(item, dict):
            yield Hit(
                *ctx.action(index),
                f"action item {index + 1} is not a mapping of keys",
                f"item {index + 1}",
            )
            continue
        if not _text(item.get("id")):
            yield Hit(
                *ctx.action(index),
                f"action item {index + 1} has no `id` (A1, A2, ...)",
                f"item {index + 1} id",
            )
        if not _text(item.get("action")):
            yield Hit(
                *ctx.action(index),
                f"action item {item.get('id') or index + 1} has no `action` text",
                f"item {index + 1} action",
            )
        for key in ("ticket", "reason"):
            if key in item and not isinstance(item[key], str):
                yield Hit(
                    *ctx.action(index, key), f"`{key}` must be text", f"item {index + 1} {key}"
                )
        if "closed" in item and not _is_date(item["closed"]):
            yield Hit(
                *ctx.action(index, "closed"),
                f"`closed` is {_shown(item['closed'])}; it must be a date YYYY-MM-DD",
                f"item {index + 1} closed",
            )


def _timestamp_problem(key: str, value: Any) -> str:
    if value is None:
        return f"`{key}` is missing; write a timestamp with an offset, such as 2026-11-20T14:03:00Z"
    if isinstance(value, dt.datetime):
        return f"`{key}` has no time zone offset; add one, such as Z or +01:00"
    return f"`{key}` is {_shown(value)}; write a timestamp with an offset, such as 2026-11-20T14:03:00Z"


def _shown(value: Any) -> str:
    if value is None:
        return "missing"
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


@rule(
    "BPM401",
    "review-overdue",
    "warning",
    "review overdue: the status is not `published` and `review_by` has passed",
    "A postmortem reviewed weeks later has lost the details that matter; the review SLA "
    "(`review_sla_days`) is the team's promise to learn while memories are fresh.",
    "Hold the review and set `status: published`; if the date was unrealistic, move "
    "`review_by` in a commit that says why.",
    examples=Examples(
        "front matter",
        flagged=("status: in-review\nreview_by: 2026-11-20",),
        not_flagged=(
            "status: published\nreview_by: 2026-11-20",
            "status: in-review\nreview_by: 2026-12-20",
        ),
    ),
)
def check_review(ctx: Context) -> Iterator[Hit]:
    review_by = ctx.pm.review_by
    if review_by and review_by < ctx.today and ctx.pm.status != "published":
        days = (ctx.today - review_by).days
        yield Hit(
            *ctx.key("review_by"),
            f"review overdue by {days} day{'s' if days != 1 else ''} (review_by {review_by}); publish it or move the date",
            "review_by",  # the message changes every day; the finding does not
        )


# Hangul fillers print nothing, though Unicode calls them letters.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


def invisible(text: str) -> list[str]:
    """The invisible and bidirectional control characters in `text`: format characters
    (zero-width spaces and joiners, direction marks, embeddings, overrides, isolates, the
    BOM, soft hyphens), controls, line and paragraph separators, and Hangul fillers. A
    zero-width joiner between two symbols (an emoji sequence, 👩\u200d💻) is not flagged."""
    if text.isascii() and text.isprintable():
        return []
    import unicodedata

    found = []
    for i, char in enumerate(text):
        category = unicodedata.category(char)
        if category not in ("Cf", "Cc", "Zl", "Zp") and char not in _FILLERS:
            continue
        if char == "\u200d" and 0 < i < len(text) - 1 and not _wordy(text[i - 1] + text[i + 1]):
            continue
        found.append(char)
    return found


def _wordy(chars: str) -> bool:
    return any(c.isalnum() or c.isspace() for c in chars)


def _marked(text: str, chars: list[str]) -> str:
    """`text` with each invisible character written as <U+XXXX>."""
    return "".join(f"<U+{ord(c):04X}>" if c in chars else c for c in text)


def _named(char: str) -> str:
    import unicodedata

    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def _identity_fields(
    ctx: Context,
) -> Iterator[tuple[str, Callable[[], tuple[int, int]], str]]:
    """(what, where, text) of every name and id bpm groups or matches on; `where` is asked
    only for a value that holds something to report (finding a node's position costs more
    than the check)."""
    meta = ctx.pm.meta
    for key in ("id", "title", "facilitator"):
        if isinstance(meta.get(key), str):
            yield f"`{key}`", partial(ctx.key, key), meta[key]
    for name in ctx.pm.strings("participants"):
        yield "a participant", partial(ctx.key, "participants"), name
    for action in ctx.pm.actions:
        for key in ("id", "owner"):
            value = action.data.get(key)
            if isinstance(value, str):
                label = action.id or f"item {action.index + 1}"
                yield f"`{key}` of action {label}", partial(ctx.action, action.index, key), value


@rule(
    "BPM003",
    "invisible-characters",
    "error",
    "an invisible or bidirectional control character in an id, a title or a name (owners, facilitator, participants)",
    "Owners that differ only by a zero-width space, or a title with a right-to-left "
    "override, look the same as others and are not: `report overdue` splits one owner in "
    "two, `--owner` misses the actions, and reviewers read a different text than bpm does.",
    "Delete the character (the message shows where, as <U+XXXX>); retype the value if in "
    "doubt. It usually comes from a paste out of a chat or a word processor.",
    examples=Examples(
        "front matter",
        flagged=(
            'title: "Checkout\\u200b outage"',
            'facilitator: "ali\\u202eecb"',
        ),
        not_flagged=(
            "title: Panne du paiement à Zürich",
            'title: "Checkout outage \\U0001F469\\u200d\\U0001F4BB"',
        ),
    ),
)
def check_invisible(ctx: Context) -> Iterator[Hit]:
    for what, where, text in _identity_fields(ctx):
        chars = invisible(text)
        if chars:
            line, column = where()
            yield Hit(
                line,
                column,
                f"{what} holds {_named(chars[0])}"
                + (f" and {len(chars) - 1} more" if len(chars) > 1 else "")
                + f": {_marked(text, chars)!r}; delete it",
                f"{what} invisible",
            )
