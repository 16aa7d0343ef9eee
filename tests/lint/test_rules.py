"""Each rule: what it finds, exactly where, and what it leaves alone."""

from __future__ import annotations

import pytest

from conftest import Repo
from lint.base import CLEAN, Bpm, findings

ACTION = """  - id: A1
    action: Make the splitter idempotent
    owner: bob
    due: 2026-12-04
    kind: prevent
    status: open
"""


def with_action(text: str) -> str:
    return CLEAN.replace(ACTION, ACTION + text)


def summary(text: str) -> str:
    """CLEAN with `text` as its Summary's body (from line 21)."""
    return CLEAN.replace("The config push reached all regions at once.\n", text)


def body_of(text: str) -> str:
    """`text` without its front matter: a Markdown file as an old archive holds it."""
    return text.split("---\n", 2)[2]


BLAME = "Human error: the engineer should have waited."
MISSING = [("BPM402", 1, 1)] * 6  # every required section, reported on the body's first line


def test_the_clean_postmortem_is_clean(bpm: Bpm, repo: Repo) -> None:
    assert findings(bpm, repo, CLEAN) == []


CASES = [
    # BPM001
    ("", [("BPM001", 1, 1)]),
    ("# Just Markdown\n", [("BPM001", 1, 1), *MISSING]),  # issue #14: the body is linted
    ("---\n", [("BPM001", 1, 1)]),  # nothing besides the front matter: no body to lint
    (CLEAN.replace("kind: incident\n", "kind: [incident\n"), [("BPM001", 4, 1)]),
    (CLEAN.replace("title: Checkout outage\n", "title: x\n\tbad: tab\n"), [("BPM001", 4, 1)]),
    ("---\n- a list\n---\n", [("BPM001", 2, 1)]),
    # issue #14: without front matter, or with a broken one, the body rules still run, at
    # the file's own line numbers; the front matter rules (BPM002, BPM1xx, BPM401) do not
    (body_of(summary(BLAME)), [("BPM001", 1, 1), ("BPM301", 5, 1), ("BPM302", 5, 27)]),
    ("\ufeff" + body_of(summary(BLAME)), [("BPM001", 1, 1), ("BPM301", 5, 1), ("BPM302", 5, 27)]),
    (
        body_of(summary(BLAME)).replace("\n", "\r\n"),
        [("BPM001", 1, 1), ("BPM301", 5, 1), ("BPM302", 5, 27)],
    ),
    (
        summary(BLAME).replace("kind: incident\n", "kind: [incident\n"),
        [("BPM001", 4, 1), ("BPM301", 21, 1), ("BPM302", 21, 27)],
    ),
    (
        "---\n- a list\n---\n" + body_of(summary(BLAME)),
        [("BPM001", 2, 1), ("BPM301", 8, 1), ("BPM302", 8, 27)],
    ),
    (  # never closed: the whole file is the body, the `---` a thematic break
        summary(BLAME).replace("---\n# Checkout outage", "# Checkout outage"),
        [("BPM001", 1, 1), ("BPM301", 20, 1), ("BPM302", 20, 27)],
    ),
    (  # a vague action, a passed review date, no permanent fix: front matter rules, not run
        summary(BLAME)
        .replace("kind: incident\n", "kind: [incident\n")
        .replace("action: Make the splitter idempotent", "action: Investigate the splitter")
        .replace("kind: prevent", "kind: detect")
        .replace("status: published", "status: draft")
        .replace("review_by: 2026-11-25", "review_by: 2026-11-01"),
        [("BPM001", 4, 1), ("BPM301", 21, 1), ("BPM302", 21, 27)],
    ),
    (body_of(CLEAN.replace("## Impact\n", "## Effects\n")), [("BPM001", 1, 1), ("BPM402", 1, 1)]),
    (  # BPM202 and BPM203 read a table in bpm's shape; BPM201 leaves other shapes to import
        body_of(CLEAN.replace("| deploy-bot | Pushed config v42 |", "|  |  |")),
        [("BPM001", 1, 1), ("BPM203", 15, 1)],
    ),
    (
        body_of(CLEAN.replace("| 2026-11-20 14:03 |", "| 20 Nov, 14:03 |")),
        [("BPM001", 1, 1), ("BPM202", 15, 1)],
    ),
    (body_of(CLEAN.replace("| Time (UTC) | Actor |", "| When | Actor |")), [("BPM001", 1, 1)]),
    (
        body_of(CLEAN.replace("| Time (UTC) |", "- 14:03 pushed\n\n| Time (UTC) |")),
        [("BPM001", 1, 1)],
    ),
    # issue #14: suppression comments work there too; BPM001 itself cannot be suppressed
    (
        body_of(summary("<!-- bpm-disable-next-line BPM301 -->\n" + BLAME)),
        [("BPM001", 1, 1), ("BPM302", 6, 27)],
    ),
    (body_of(summary("<!-- bpm-disable-file -->\n" + BLAME)), [("BPM001", 1, 1)]),
    (  # a suppression of a rule that cannot run yet is not "unused"
        body_of(summary("<!-- bpm-disable-file BPM106 -->\nAll fine.")),
        [("BPM001", 1, 1)],
    ),
    (
        summary("All fine.")
        .replace("kind: incident\n", "kind: [incident\n")
        .replace("    action: Make", "    # bpm-disable-next-line BPM103\n    action: Make"),
        [("BPM001", 4, 1)],
    ),
    (
        body_of(summary("<!-- bpm-disable-next-line BPM302 -->\nAll fine.")),
        [("BPM001", 1, 1), ("BPM901", 5, 1)],
    ),
    # BPM002
    (CLEAN.replace("id: 2026-11-20-checkout-outage\n", "id: something-else\n"), [("BPM002", 2, 1)]),
    (CLEAN.replace("status: published\n", "status: finished\n"), [("BPM002", 5, 1)]),
    (CLEAN.replace("severity: SEV2\n", "severity: P0\n"), [("BPM002", 6, 1)]),
    (
        CLEAN.replace("started: 2026-11-20T14:03:00Z\n", "started: 2026-11-20T14:03:00\n"),
        [("BPM002", 7, 1)],
    ),
    (CLEAN.replace("started: 2026-11-20T14:03:00Z\n", "started: 2026-11-20\n"), [("BPM002", 7, 1)]),
    (
        CLEAN.replace("review_by: 2026-11-25\n", "review_by: 2026-11-25T10:00:00Z\n"),
        [("BPM002", 8, 1)],
    ),
    (CLEAN.replace("review_by: 2026-11-25\n", "review_by: next week\n"), [("BPM002", 8, 1)]),
    (CLEAN.replace("title: Checkout outage\n", ""), [("BPM002", 1, 1)]),
    (CLEAN.replace("kind: incident\n", "kind: incident\nkind: near-miss\n"), [("BPM002", 5, 1)]),
    (CLEAN.replace("kind: incident\n", "kind: incident\nservices: checkout\n"), [("BPM002", 5, 1)]),
    # BPM101, BPM102, BPM104, BPM105, BPM109 on a second action
    (
        with_action(
            "  - id: A2\n    action: Add a canary\n    due: 2026-12-04\n    kind: prevent\n    status: open\n"
        ),
        [("BPM101", 16, 5)],
    ),
    (
        with_action(
            "  - id: A2\n    action: Add a canary\n    owner: a\n    kind: prevent\n    status: open\n"
        ),
        [("BPM102", 16, 5)],
    ),
    (
        with_action(
            "  - id: A2\n    action: Add a canary\n    owner: a\n    due: 2026-02-30\n    kind: prevent\n    status: open\n"
        ),
        [("BPM102", 19, 5)],
    ),
    (
        with_action(
            "  - id: A2\n    action: Add a canary\n    owner: a\n    due: tomorrow\n    kind: prevent\n    status: open\n"
        ),
        [("BPM102", 19, 5)],
    ),
    (
        with_action(
            "  - id: A2\n    action: Add a canary\n    owner: a\n    due: 2026-12-04T10:00:00Z\n    kind: prevent\n    status: open\n"
        ),
        [("BPM102", 19, 5)],
    ),
    (
        with_action(
            "  - id: A2\n    action: Add a canary\n    owner: a\n    due: 2026-12-04\n    kind: fix\n    status: wip\n"
        ),
        [("BPM104", 20, 5), ("BPM104", 21, 5)],
    ),
    (
        with_action(
            "  - id: A1\n    action: Add a canary\n    owner: a\n    due: 2026-12-04\n    kind: prevent\n    status: open\n"
        ),
        [("BPM105", 16, 5)],
    ),
    (
        with_action(
            "  - id: A2\n    action: Add a canary\n    owner: a\n    due: 2026-12-04\n    kind: prevent\n    status: dropped\n"
        ),
        [("BPM109", 16, 5)],
    ),
    # BPM103, BPM107, BPM108 on the action text
    (
        CLEAN.replace("action: Make the splitter idempotent", "action: Investigate the splitter"),
        [("BPM103", 11, 5)],
    ),
    (
        CLEAN.replace("action: Make the splitter idempotent", "action: look  into retries"),
        [("BPM103", 11, 5)],
    ),
    (
        CLEAN.replace("action: Make the splitter idempotent", "action: Better alerts"),
        [("BPM103", 11, 5)],
    ),
    (
        CLEAN.replace(
            "action: Make the splitter idempotent", "action: Rate-limit retries from clients"
        ),
        [],
    ),
    (
        CLEAN.replace("action: Make the splitter idempotent", "action: Improvement of alerts"),
        [("BPM107", 11, 5)],
    ),
    (
        CLEAN.replace(
            "action: Make the splitter idempotent", "action: Make sure deploys are reviewed"
        ),
        [("BPM103", 11, 5)],
    ),
    (
        CLEAN.replace(
            "action: Make the splitter idempotent", "action: Remind engineers to double-check"
        ),
        [("BPM108", 11, 5)],
    ),
    # BPM106
    (CLEAN.replace("kind: prevent", "kind: detect"), [("BPM106", 9, 1)]),
    # BPM201, BPM202, BPM203
    (CLEAN.replace("| Time (UTC) | Actor |", "| When | Actor |"), [("BPM201", 29, 1)]),
    (
        CLEAN.replace(
            "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 | Errors rose | A canary first | The key was optional |",
            "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |",
        ),
        [("BPM201", 31, 1)],
    ),
    (
        CLEAN.replace(
            "\n| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |\n|---|---|---|---|---|---|\n"
            "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 | Errors rose | A canary first | The key was optional |\n",
            "",
        ),
        [("BPM201", 27, 1)],
    ),
    (CLEAN.replace("| 2026-11-20 14:03 |", "| 20 Nov, 14:03 |"), [("BPM202", 31, 1)]),
    (
        CLEAN.replace(
            "| The key was optional |\n",
            "| The key was optional |\n| 2026-11-20 13:00 | alice | Paged |  |  |  |\n",
        ),
        [("BPM202", 32, 1)],
    ),
    (CLEAN.replace("| deploy-bot | Pushed config v42 |", "|  |  |"), [("BPM203", 31, 1)]),
    # BPM301, BPM302: prose only
    (
        CLEAN.replace(
            "The config push reached all regions at once.",
            "Human error: the engineer should have waited.",
        ),
        [("BPM301", 21, 1), ("BPM302", 21, 27)],
    ),
    (
        CLEAN.replace(
            "The config push reached all regions at once.",
            "The engineer\nforgot the flag, and\nwe should have\ncaught it.",
        ),
        [("BPM301", 22, 1), ("BPM302", 23, 4)],
    ),
    (
        CLEAN.replace(
            "The config push reached all regions at once.",
            "The log said `should have retried`.\n\n> bob: I failed to see it\n\n```\nhuman error\n```\n"
            "<!-- blame nobody -->\nSee [the history view](https://x/blame/should-have).",
        ),
        [],
    ),
    (
        CLEAN.replace(
            "| A canary first | The key was optional |",
            "| It obviously would have worked | Someone could have checked |",
        ),
        [],
    ),
    (
        CLEAN.replace("| Errors rose |", "| The on-call should have noticed |"),
        [("BPM301", 31, 59), ("BPM302", 31, 67)],
    ),
    # issue #13: code of every kind is not prose, as the parser reads it; prose still is
    (summary("````\n```\nhuman error\n```\n````\n"), []),  # a longer fence holds ``` lines
    (summary("~~~\nhuman error\n~~~\n"), []),
    (summary("Before.\n\n    human error in an indented block\n\nAfter.\n"), []),
    (summary("- the log:\n\n  ```\n  human error\n  ```\n"), []),
    (summary("1. the log:\n\n       human error, indented in an item\n"), []),
    (summary("1. the log:\n\n    ```\n    human error\n    ```\n"), []),  # fenced, in an item
    (summary("> ```\n> human error\n> ```\n"), []),
    # a comment is no prose; a Summary holding only one is empty (BPM403, issue #15)
    (summary("<!--\nhuman error\n-->\n"), [("BPM403", 19, 1)]),
    (summary("- it was human error\n"), [("BPM301", 21, 10)]),  # a list item's text is prose
    (summary("Before.\n\n    code\n\nIt was human error.\n"), [("BPM301", 25, 8)]),
    (summary("The `code` and human error.\n"), [("BPM301", 21, 16)]),
    (summary("<details>\nIt was human error.\n</details>\n"), [("BPM301", 22, 8)]),
    # issue #13: a table in a ```` block is no timeline table (the section has none)
    (
        CLEAN.replace(
            "\n| Time (UTC) |",
            "\n````markdown\n```sh\n$ bpm timeline show -f markdown\n| Time (UTC) |",
        ).replace("| The key was optional |\n", "| The key was optional |\n```\n````\n"),
        [("BPM201", 27, 1)],
    ),
    # BPM401: not published and review_by passed (BPM_NOW is 2026-11-23)
    (
        CLEAN.replace("status: published\n", "status: in-review\n").replace(
            "review_by: 2026-11-25", "review_by: 2026-11-20"
        ),
        [("BPM401", 8, 1)],
    ),
    (CLEAN.replace("status: published\n", "status: draft\n"), []),
    # BPM402
    (CLEAN.replace("## Impact\n", "## Effects\n"), [("BPM402", 17, 1)]),
    (CLEAN.replace("## Impact\n", "### impact\n"), []),
    # issue #13: CommonMark headings, as the parser reads them
    (CLEAN.replace("## Impact\n", " ## Impact\n"), []),
    (CLEAN.replace("## Impact\n", "   ## Impact ##\n"), []),
    (CLEAN.replace("## Impact\n", "Impact\n------\n"), []),  # setext
    (CLEAN.replace("## Impact\n", "    ## Impact\n"), [("BPM402", 17, 1)]),  # indented code
    (CLEAN.replace("## Impact\n", "```\n## Impact\n```\n"), [("BPM402", 17, 1)]),
    (CLEAN.replace("## Impact\n", "> ## Impact\n"), [("BPM402", 17, 1)]),  # quoted
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_rule(bpm: Bpm, repo: Repo, text: str, expected: list[tuple[str, int, int]]) -> None:
    found = findings(bpm, repo, text)
    assert sorted(found, key=lambda f: (f[1], f[2])) == sorted(expected, key=lambda f: (f[1], f[2]))


def test_a_binary_or_latin1_file_is_one_bpm001(bpm: Bpm, repo: Repo) -> None:
    repo.write("postmortems/2026/image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    repo.write("postmortems/2026/latin1.md", b"---\ntitle: caf\xe9\n---\n")
    blame = BLAME.encode()
    repo.write("postmortems/2026/latin1-body.md", b"# Caf\xe9 outage\n\n" + blame + b"\n")
    repo.write("postmortems/2026/binary-body.md", b"\x00\n# Outage\n\n" + blame + b"\n")
    found = findings(bpm, repo, CLEAN)
    assert found == [("BPM001", 1, 1)] * 3 + [("BPM001", 2, 1)]


def test_front_matter_rules_never_run_on_a_body_alone(bpm: Bpm, repo: Repo) -> None:
    text = body_of(summary(BLAME))
    assert findings(bpm, repo, text, "--select", "BPM0,BPM1,BPM401") == [("BPM001", 1, 1)]
    assert findings(bpm, repo, text, "--select", "BPM1,BPM401") == []  # BPM001 not chosen
    assert findings(bpm, repo, text, "--ignore", "BPM001") == [("BPM301", 5, 1), ("BPM302", 5, 27)]


def test_messages_say_how_to_fix(bpm: Bpm, repo: Repo) -> None:
    import json

    repo.write(
        "postmortems/2026/2026-11-20-checkout-outage.md",
        CLEAN.replace("action: Make the splitter idempotent", "action: Investigate the splitter"),
    )
    ran = bpm("lint", "--format", "json", "--no-cache")
    message = json.loads(ran.stdout)[0]["message"]
    assert message == (
        "action A1 starts with the vague verb 'investigate': say what the investigation "
        "will produce: 'Write a decision record on ...'"
    )


def test_vague_verbs_and_allowed_verbs_from_config(bpm: Bpm, repo: Repo) -> None:
    text = CLEAN.replace("action: Make the splitter idempotent", "action: Tweak the splitter")
    assert findings(bpm, repo, text) == []
    repo.write(".bpm.toml", 'vague_verbs = ["tweak"]\n')
    assert findings(bpm, repo, text) == [("BPM103", 11, 5)]
    text = CLEAN.replace(
        "action: Make the splitter idempotent", 'action: "Dedupe events: drop repeats"'
    )
    assert findings(bpm, repo, text) == [("BPM107", 11, 5)]
    repo.write(".bpm.toml", 'allowed_verbs = ["dedupe"]\n')
    assert findings(bpm, repo, text) == []


def test_rule_options_replace_the_vague_verb_list(bpm: Bpm, repo: Repo) -> None:
    repo.write(".bpm.toml", '[rules.BPM103]\nvague_verbs = ["tweak"]\n')
    text = CLEAN.replace("action: Make the splitter idempotent", "action: Review the splitter")
    assert findings(bpm, repo, text) == []


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    from bpmcli.lint import docs
    from conftest import ROOT

    assert (ROOT / "docs" / "rules.md").read_text() == docs.render(), (
        "docs/rules.md is stale: run python -m bpmcli.lint.docs > docs/rules.md"
    )


def test_every_rule_of_the_issue_is_registered_with_its_severity() -> None:
    from bpmcli.lint.rules import all_rules

    assert {code: rule.severity for code, rule in all_rules().items()} == {
        "BPM001": "error",
        "BPM002": "error",
        "BPM003": "error",
        "BPM101": "error",
        "BPM102": "error",
        "BPM103": "error",
        "BPM104": "error",
        "BPM105": "error",
        "BPM106": "warning",
        "BPM107": "warning",
        "BPM108": "warning",
        "BPM109": "error",
        "BPM201": "error",
        "BPM202": "error",
        "BPM203": "error",
        "BPM301": "warning",
        "BPM302": "warning",
        "BPM401": "warning",
        "BPM402": "error",
        "BPM403": "warning",
        "BPM901": "warning",
        "BPM902": "error",
    }
