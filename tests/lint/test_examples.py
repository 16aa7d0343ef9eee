"""Every rule's examples (`bpm lint --explain`, docs/rules.md) tell the truth: each flagged
snippet, put in its place in the clean postmortem, is flagged by that rule, and each
not-flagged one is not."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from bpmcli.lint.rule import PLACES, Rule
from bpmcli.lint.rules import all_rules
from conftest import Repo
from lint.base import CLEAN, PATH, Bpm, findings

RULES = all_rules()
ROW = "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 | Errors rose | A canary first | The key was optional |\n"
TABLE = (
    "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |\n"
    "|---|---|---|---|---|---|\n" + ROW
)
A1_END = "    status: open\n"  # the last line of the clean postmortem's action A1


def _front_matter(snippet: str) -> str:
    """CLEAN with the snippet's top-level keys in place of its own (the others kept)."""
    head, rest = CLEAN[4:].split("---\n", 1)
    blocks = re.split(r"(?m)^(?=\S)", head)
    given = re.split(r"(?m)^(?=\S)", snippet.rstrip("\n") + "\n")
    keys = {block.split(":", 1)[0]: block for block in given if block}
    kept = [keys.pop(b.split(":", 1)[0], b) for b in blocks if b]
    return "---\n" + "".join(kept) + "".join(keys.values()) + "---\n" + rest


def _action_item(snippet: str) -> str:
    item = "".join("  " + line + "\n" for line in snippet.splitlines())
    return CLEAN.replace(A1_END, A1_END + item, 1)


PUT: dict[str, Callable[[str], str]] = {
    "file": lambda s: s,
    "front matter": _front_matter,
    "action item": _action_item,
    "action": lambda s: CLEAN.replace("Make the splitter idempotent", json.dumps(s), 1),
    "timeline": lambda s: CLEAN.replace(TABLE, s.rstrip("\n") + "\n", 1),
    "timeline rows": lambda s: CLEAN.replace(ROW, s.rstrip("\n") + "\n", 1),
    "heading": lambda s: CLEAN.replace("## Impact\n", s.rstrip("\n") + "\n", 1),
    "prose": lambda s: CLEAN.replace("The config push reached all regions at once.", s, 1),
}

EXAMPLES = [
    pytest.param(
        rule.code, flagged, snippet, id=f"{rule.code}-{'flagged' if flagged else 'not'}-{n}"
    )
    for rule in RULES.values()
    if rule.examples
    for flagged, snippets in ((True, rule.examples.flagged), (False, rule.examples.not_flagged))
    for n, snippet in enumerate(snippets)
]


def test_every_rule_has_examples_both_ways_in_a_known_place() -> None:
    assert set(PUT) | {"folder"} == set(PLACES)  # a "folder" snippet names a file beside
    for rule in RULES.values():
        assert rule.examples, rule.code
        assert rule.examples.place in PLACES, rule.code
        assert rule.examples.flagged and rule.examples.not_flagged, rule.code


def test_every_place_puts_the_snippet_in_the_postmortem() -> None:
    for place, put in PUT.items():
        assert "Zzz unique" in put("Zzz unique"), place


@pytest.mark.parametrize(("code", "flagged", "snippet"), EXAMPLES)
def test_the_example_is_what_the_rule_says(
    bpm: Bpm, repo: Repo, code: str, flagged: bool, snippet: str
) -> None:
    rule: Rule = RULES[code]
    assert rule.examples is not None
    if rule.examples.place == "folder":
        repo.write(f"{PATH.rsplit('/', 1)[0]}/{snippet}", "")
        text = CLEAN
    else:
        text = PUT[rule.examples.place](snippet)
        assert all(line.strip() in text for line in snippet.splitlines())
    codes = [found for found, _, _ in findings(bpm, repo, text)]
    assert (code in codes) == flagged, (code, snippet, codes)
