"""BPM101-BPM109: action items that are owned, dated, concrete, and honest when dropped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from bpmcli.format.postmortem import ACTION_KINDS, ACTION_STATUSES, Action
from bpmcli.lint import words
from bpmcli.lint.judge.lexicon import lemma as lexicon_lemma
from bpmcli.lint.judge.tokens import Judgement
from bpmcli.lint.rule import Context, Examples, Hit, rule


def _label(action: Action) -> str:
    return action.id or f"item {action.index + 1}"


def _subject(action: Action, key: str = "") -> str:
    """The finding's identity (Hit.subject): the action and the key, not the message."""
    return f"action {_label(action)} {key}".rstrip()


# The action judge is imported on the first action it reads: a file without actions (a new
# postmortem, linted on its first commit) never loads it (~3 ms of start-up).
def find_vague(text: str) -> list[Judgement]:
    from bpmcli.lint.judge import actions

    return actions.find_vague(text)


def find_headline(text: str, allowed_verbs: frozenset[str]) -> list[Judgement]:
    from bpmcli.lint.judge import actions

    return actions.find_headline(text, allowed_verbs)


def find_exhortation(text: str) -> list[Judgement]:
    from bpmcli.lint.judge import actions

    return actions.find_exhortation(text)


@rule(
    "BPM101",
    "action-without-owner",
    "error",
    "an action without an owner",
    "An action that belongs to everyone is done by no one. Follow-through needs one "
    "person or team who answers for it.",
    "Add `owner:` with one person or team handle (`alice`, `@payments-team`).",
    examples=Examples(
        "action item",
        flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  due: 2026-12-04\n  kind: prevent\n  status: open",
        ),
        not_flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: prevent\n  status: open",
        ),
    ),
)
def check_owner(ctx: Context) -> Iterator[Hit]:
    for action in ctx.pm.actions:
        if action.owner is None:
            yield Hit(
                *ctx.action(action.index),
                f"action {_label(action)} has no owner; add `owner:` with one person or team",
                _subject(action),
            )


@rule(
    "BPM102",
    "action-without-due-date",
    "error",
    "an action without a due date, or one that is not a real date",
    "Without a deadline an action drifts for months; `bpm report overdue` can only chase "
    "what has a date.",
    "Add `due: YYYY-MM-DD` (`bpm action add --due +2w` computes one). A date that does not "
    "exist (2026-02-30), words (`tomorrow`) or a timestamp are not dates.",
    examples=Examples(
        "action item",
        flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  kind: prevent\n  status: open",
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-02-30\n  kind: prevent\n  status: open",
        ),
        not_flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: prevent\n  status: open",
        ),
    ),
)
def check_due(ctx: Context) -> Iterator[Hit]:
    for action in ctx.pm.actions:
        if action.due is not None:
            continue
        raw = action.data.get("due")
        if raw is None:
            yield Hit(
                *ctx.action(action.index),
                f"action {_label(action)} has no due date; add `due: YYYY-MM-DD`",
                _subject(action),
            )
        else:
            shown = raw.isoformat() if hasattr(raw, "isoformat") else repr(raw)
            yield Hit(
                *ctx.action(action.index, "due"),
                f"action {_label(action)} has due {shown}, which is not a date YYYY-MM-DD",
                _subject(action, "due"),
            )


@cache
def _vague_pattern(verbs: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(
        re.escape(v).replace(r"\ ", r"\s+") for v in sorted(verbs, key=len, reverse=True)
    )
    return re.compile(rf"^\W*({alternatives})(?![\w-])", re.IGNORECASE)


def vague_verb(ctx: Context, text: str) -> str | None:
    """The configured vague verb `text` starts with, if any (`vague_verbs` in the config,
    and `[rules.BPM103] vague_verbs`, which replaces the judge)."""
    base = ctx.option("BPM103", "vague_verbs", None)
    verbs = (*(base or ()), *ctx.config.vague_verbs)
    if not verbs:
        return None
    match = _vague_pattern(tuple(verbs)).match(text)
    return " ".join(match.group(1).lower().split()) if match else None


def _vague_message(label: str, text: str, judgement: Judgement | None, verb: str | None) -> str:
    """Which words make the item vague, and a rewrite (per verb where bpm has one)."""
    if verb is None and judgement is not None:
        words_ = " ".join(judgement.trigger.lower().split())
        verb = lexicon_lemma(words_) if lexicon_lemma(words_) in words.VAGUE_VERBS else None
        if verb is None:
            return f"action {label} is vague: {judgement.message}; {judgement.suggestion}"
    hint = words.VAGUE_VERBS.get(verb or "", "name the change it makes or what it produces")
    return f"action {label} starts with the vague verb {verb!r}: {hint}"


@rule(
    "BPM103",
    "vague-action",
    "error",
    "a vague action: a vague verb or goal (investigate, figure out, add more, a strategy for, ...) with no artefact and no measurable end",
    '"Investigate the bug" can be done without changing anything. An action must name '
    "the change it makes or the artefact it produces, so that everyone can tell when it "
    "is done.",
    "Rewrite it around what it will produce: the message suggests a form for each verb "
    "('Write a decision record on ...', 'Alert when ... for 5 minutes').",
    examples=Examples(
        "action",
        flagged=(
            "Investigate the splitter",
            "Look into retries",
            "Better alerts",
            "Make sure deploys are reviewed",
        ),
        not_flagged=(
            "Rate-limit retries from clients",
            "Write the failover runbook for on-call",
            "Alert when queue depth exceeds 10k for 5 minutes",
        ),
    ),
)
def check_vague(ctx: Context) -> Iterator[Hit]:
    replaced = ctx.option("BPM103", "vague_verbs", None) is not None
    for action in ctx.pm.actions:
        text = action.action or ""
        verb = vague_verb(ctx, text)
        found = None if replaced or verb else next(iter(find_vague(text)), None)
        if verb or found:
            yield Hit(
                *ctx.action(action.index, "action"),
                _vague_message(_label(action), text, found, verb),
                _subject(action, "action"),
            )


@rule(
    "BPM104",
    "bad-action-kind-or-status",
    "error",
    "an action whose `kind` or `status` is not one of the allowed values",
    "Reports count permanent fixes (`prevent`) and follow-through (`open`, `done`, "
    "`dropped`); any other value is counted nowhere.",
    "Use `kind:` prevent, mitigate, detect or process, and `status:` open, done or dropped.",
    examples=Examples(
        "action item",
        flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: fix\n  status: open",
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: prevent\n  status: wip",
        ),
        not_flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: mitigate\n  status: open",
        ),
    ),
)
def check_enums(ctx: Context) -> Iterator[Hit]:
    for action in ctx.pm.actions:
        for key, allowed in (("kind", ACTION_KINDS), ("status", ACTION_STATUSES)):
            value = action.data.get(key)
            if value not in allowed:
                shown = "missing" if value is None else repr(value)
                yield Hit(
                    *ctx.action(action.index, key),
                    f"action {_label(action)} has {key} {shown}; use one of {', '.join(allowed)}",
                    _subject(action, key),
                )


@rule(
    "BPM105",
    "duplicate-action-id",
    "error",
    "a duplicate action id",
    "Ids are how history, reports and tickets refer to an action; two actions with one id "
    "make their histories indistinguishable.",
    "Give the later one the next free id (A1, A2, ...; ids are never reused).",
    examples=Examples(
        "action item",
        flagged=(
            "- id: A1\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: prevent\n  status: open",
        ),
        not_flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: prevent\n  status: open",
        ),
    ),
)
def check_duplicates(ctx: Context) -> Iterator[Hit]:
    seen: set[str] = set()
    for action in ctx.pm.actions:
        if action.id is None:
            continue
        if action.id in seen:
            yield Hit(
                *ctx.action(action.index, "id"),
                f"action id {action.id} is used twice",
                _subject(action, "id"),
            )
        seen.add(action.id)


@rule(
    "BPM106",
    "no-permanent-fix",
    "warning",
    "a postmortem with actions but none of kind `prevent` (no permanent fix)",
    "Mitigations and better detection make the next incident shorter; only a `prevent` "
    "action stops it from happening again.",
    "Add an action of kind `prevent`, or say in the write-up why none is possible.",
    examples=Examples(
        "front matter",
        flagged=(
            "actions:\n  - id: A1\n    action: Alert when queue depth exceeds 10k for 5 minutes\n    owner: bob\n    due: 2026-12-04\n    kind: detect\n    status: open",
        ),
        not_flagged=(
            "actions:\n  - id: A1\n    action: Make the splitter idempotent\n    owner: bob\n    due: 2026-12-04\n    kind: prevent\n    status: open",
            "actions: []",
        ),
    ),
)
def check_prevent(ctx: Context) -> Iterator[Hit]:
    actions = ctx.pm.actions
    if actions and not any(a.kind == "prevent" for a in actions):
        yield Hit(
            *ctx.key("actions"),
            "no action is of kind prevent: nothing stops this from happening again",
            "actions",
        )


@rule(
    "BPM107",
    "action-not-imperative",
    "warning",
    'an action that leads with a topic instead of an action ("Retry limits:", "Monitoring")',
    'An action item is an instruction: a topic ("Retry limits:", "Load testing") says '
    "what the item is about, not what to do, and leaves the work unstated.",
    'Start with what to do: "Retry limits:" -> "Cap retries at 3 per request". Jargon verbs '
    "bpm does not know as verbs go in `allowed_verbs` in the config.",
    examples=Examples(
        "action",
        flagged=(
            "Retry limits:",
            "Monitoring",
            "Improvement of alerts",
        ),
        not_flagged=(
            "Cap retries at 3 per request",
            "Add load tests for checkout",
        ),
    ),
)
def check_imperative(ctx: Context) -> Iterator[Hit]:
    allowed = frozenset(v.lower() for v in ctx.config.allowed_verbs)
    for action in ctx.pm.actions:
        for judgement in find_headline(action.action or "", allowed)[:1]:
            yield Hit(
                *ctx.action(action.index, "action"),
                f"action {_label(action)} starts with the topic {judgement.trigger!r}, not an action: {judgement.suggestion}",
                _subject(action, "action"),
            )


@rule(
    "BPM108",
    "exhortation",
    "warning",
    'an exhortation instead of a change to the system ("be more careful", "stay vigilant", "remind the team to" ...)',
    "Asking people to be more careful changes nothing: the next person meets the same "
    "system under the same pressure. Actions should change the system.",
    "Replace the appeal with a mechanism: a check, a guard, an alert, a default that makes "
    "the mistake impossible or harmless.",
    examples=Examples(
        "action",
        flagged=(
            "Remind engineers to double-check the config",
            "Be more careful with config pushes",
            "Pay attention to the canary",
        ),
        not_flagged=(
            "Reject config pushes without a canary stage",
            "Take care of the stale flags in the config",
        ),
    ),
)
def check_exhortation(ctx: Context) -> Iterator[Hit]:
    for action in ctx.pm.actions:
        for judgement in find_exhortation(action.action or "")[:1]:
            yield Hit(
                *ctx.action(action.index, "action"),
                f"action {_label(action)} asks people to {judgement.trigger.lower()!r}: {judgement.suggestion}",
                _subject(action, "action"),
            )


@rule(
    "BPM109",
    "dropped-without-reason",
    "error",
    "an action `dropped` without a `reason`",
    'An honest "won\'t do" is a result the team can learn from; a silent drop looks the '
    "same as forgetting.",
    "Add `reason:` saying why the team decided not to do it (`bpm action drop --reason`).",
    examples=Examples(
        "action item",
        flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: prevent\n  status: dropped",
        ),
        not_flagged=(
            "- id: A2\n  action: Add a canary stage to config pushes\n  owner: alice\n  due: 2026-12-04\n  kind: prevent\n  status: dropped\n  reason: the splitter is being retired",
        ),
    ),
)
def check_dropped(ctx: Context) -> Iterator[Hit]:
    for action in ctx.pm.actions:
        if action.status == "dropped" and action.reason is None:
            yield Hit(
                *ctx.action(action.index),
                f"action {_label(action)} is dropped without a reason; add `reason:`",
                _subject(action),
            )
