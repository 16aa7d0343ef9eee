"""`bpm import` on the shapes of archives it was not built on (issue #15).

Each test is a file of our own making that reproduces one shape seen in a real archive
(bench/import/unseen.yaml names the real files; none is copied here). Every test also checks
that no word of the original is lost.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Ran, Repo

Bpm = Callable[..., Ran]


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def imported(bpm: Bpm, tmp_path: Path, text: str, name: str = "2024-03-05-outage.md") -> Any:
    """Import `text` saved as `name`; the report, the rows, the actions and the text."""
    source = tmp_path / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    ran = bpm("import", "--report", "json", str(source))
    assert ran.exit_code == 0, ran.stderr + ran.stdout
    (report,) = json.loads(ran.stdout)
    target = Path(report["target"])
    written = target.read_text(encoding="utf-8")
    assert words(text) <= words(written), words(text) - words(written)
    rows = json.loads(bpm("timeline", "show", str(target), "-f", "json").stdout)
    meta = yaml.safe_load(written.split("---\n")[1])
    return report, [(r["time"], r["event"]) for r in rows], meta["actions"], written


# -- 1. sections ----------------------------------------------------------------------------


def test_sections_start_at_the_first_recognised_headings_level(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    """`###` sections with one later `##`: the section level is the first recognised
    heading's, not the shallowest (before: 0 rows, 0 actions)."""
    report, rows, actions, _ = imported(
        bpm,
        tmp_path,
        "# Disk full\n\n### Summary\n\nThe disk filled.\n\n### Timeline\n\n"
        "- 10:00 disk at 90%\n- 10:20 disk full\n\n"
        "### Action items\n\n| Action | Owner |\n|---|---|\n| Alert at 80% | @ops |\n\n"
        "## Lessons learned\n\nWatch the disks.\n",
    )
    assert [t for t, _ in rows] == ["2024-03-05 10:00", "2024-03-05 10:20"]
    assert [(a["action"], a.get("owner")) for a in actions] == [("Alert at 80%", "@ops")]
    assert [s["section"] for s in report["sections"]] == [
        "Summary",
        "Timeline",
        "Action items",
        "What we learned",
    ]


def test_a_timeline_nested_under_another_section(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    _, rows, _, text = imported(
        bpm,
        tmp_path,
        "# Queue stall\n\n## Summary\n\nStalled.\n\n## Recovery\n\nWe restarted it.\n\n"
        "### Timeline\n\n- 09:00 stalled\n- 09:30 restarted\n\n## Lessons learned\n\n- more\n",
    )
    assert [t for t, _ in rows] == ["2024-03-05 09:00", "2024-03-05 09:30"]
    assert "## Recovery\n" in text


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Issue Summary", "Summary"),
        ("Resulting Action", "Action items"),
        ("What is being done about this?", "Action items"),
        ("Establishing the timeline", "Timeline"),
        ("[#](https://docs.example.com/pm#action-items)Action Items", "Action items"),
        ("Corrective and Preventative Measure", "Action items"),
        ("Follow-up timeline (times in UTC)", "Timeline"),
    ],
)
def test_headings_that_name_a_section(
    bpm: Bpm, repo: Repo, tmp_path: Path, heading: str, section: str
) -> None:
    report, _, _, text = imported(bpm, tmp_path, f"# Outage\n\n## {heading}\n\n- item one\n")
    assert report["sections"] == [{"heading": heading, "section": section}]
    assert f"## {section}\n\n### {heading}\n" in text  # the heading's words, kept


def test_bold_bullet_and_plain_line_sections(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    report, rows, actions, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Notes\n\n- **Timeline**:\n  - 10:00 alert fired\n  - 10:05 paged\n"
        "- **Review actions**:\n  - add a runbook\n  - add a canary\n\n"
        "## Detection\n\nA customer told us.\n\nAction Items\n- rotate the key\n",
    )
    assert [t for t, _ in rows] == ["2024-03-05 10:00", "2024-03-05 10:05"]
    assert [a["action"] for a in actions] == ["add a runbook", "add a canary", "rotate the key"]
    assert [s["section"] for s in report["sections"]] == [
        None,
        "Timeline",
        "Action items",
        None,
        "Action items",
    ]


def test_bold_lines_inside_a_recognised_section_stay_its_own(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    """`**Root causes:**` under a dated sub-heading of the Timeline is no new section: the
    rows after it keep the sub-heading's date."""
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Outages\n\n## Incident Timeline\n\n### October 21, 2025 - Redis\n\n"
        "**Root causes:**\n\n- a cache\n\n**Timeline:**\n\n- **21:45 UTC** - deploy\n\n"
        "### October 24, 2025 - Limits\n\n**Timeline:**\n\n- **18:00 UTC** - limit\n",
        name="outages.md",
    )
    assert rows == [("2025-10-21 21:45", "deploy"), ("2025-10-24 18:00", "limit")]


def test_the_h1_is_kept_when_the_front_matter_titles_the_file(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    report, _, _, text = imported(
        bpm,
        tmp_path,
        "---\ntitle: Login outage\ndate: 2024-03-05\n---\n\n# Postmortem: logins fail on SSO\n\n"
        "## Summary\n\nSSO broke.\n",
    )
    assert report["title"] == "Login outage"
    assert "# Postmortem: logins fail on SSO" in text


# -- 2. action tables and lists by header or lead-in ---------------------------------------


def test_an_action_table_under_an_empty_heading(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    _, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Summary\n\nIt broke.\n\n##\n\n"
        "| Action Item | Type | Owner | Bug |\n|---|---|---|---|\n"
        "| Add retries | Mitigate | @kim | #12 |\n| Page earlier | Detect | @lee | |\n",
    )
    assert [(a["action"], a["owner"], a["kind"]) for a in actions] == [
        ("Add retries", "@kim", "mitigate"),
        ("Page earlier", "@lee", "detect"),
    ]


def test_an_action_table_after_a_lead_in(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    _, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Resolution\n\nWe fixed it, and we created follow up action items:\n\n"
        "| Action Item | Owner |\n|---|---|\n| Rotate keys | @kim |\n| Audit logs | ??? |\n",
    )
    assert [(a["action"], a.get("owner")) for a in actions] == [
        ("Rotate keys", "@kim"),
        ("Audit logs", None),  # `???` is a placeholder, no owner
    ]


def test_a_list_after_a_lead_in(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    _, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Resolution\n\nIt is fixed. Next steps:\n\n- shard the queue\n- alert\n",
    )
    assert [a["action"] for a in actions] == ["shard the queue", "alert"]


# -- 3. one folder per incident ------------------------------------------------------------


@pytest.mark.parametrize("file", ["README.md", "index.md"])
def test_one_folder_per_incident(bpm: Bpm, repo: Repo, tmp_path: Path, file: str) -> None:
    report, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Database failover\n\n## Summary\n\nThe primary died.\n\n## Timeline\n\n- 03:10 died\n",
        name=f"archive/2021-03-04-db-failover/{file}",
    )
    assert (report["started"], report["date_from"]) == ("2021-03-04", "file name")
    assert rows == [("2021-03-04 03:10", "died")]


def test_a_folder_name_titles_an_untitled_readme(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    report, _, _, _ = imported(
        bpm,
        tmp_path,
        "## Summary\n\nThe primary died.\n\n## Timeline\n\n- 03:10 died\n",
        name="archive/2021-03-04-db-failover/README.md",
    )
    assert report["title"] == "db failover"


# -- 4. dates of rows -----------------------------------------------------------------------


def test_day_labels_above_the_rows(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Timeline\n\n**Feb 14**\n\n- 23:50 alert\n\n**Feb 15**\n\n- 00:10 fix\n\n"
        "### 2024-02-16\n\n- 09:00 review\n\nDay 4\n\n- 10:00 closed\n\n_2/18/24_\n\n"
        "11:12 AM: audit\n",
        name="2024-02-14-outage.md",
    )
    assert [t for t, _ in rows] == [
        "2024-02-14 23:50",
        "2024-02-15 00:10",
        "2024-02-16 09:00",
        "2024-02-17 10:00",
        "2024-02-18 11:12",
    ]


def test_dates_around_the_time(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`Dec 16th **12:43** ...`, a date after the time, a date in the paragraph above, a
    date with its event on the next line."""
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Timeline\n\nAll of this happened on 2023-12-15, as follows:\n\n"
        "- 20:00 started\n- Dec 16th **12:43** found it\n- **22:30 UTC (Dec 17)** - fixed\n"
        "- 09:15 Monday Dec 18th: closed\n\nDecember 19, 2023: 7:56am\nReport written.\n",
        name="outage.md",
    )
    assert rows == [
        ("2023-12-15 20:00", "started"),
        ("2023-12-16 12:43", "found it"),
        ("2023-12-17 22:30", "fixed"),
        ("2023-12-18 09:15", "closed"),
        ("2023-12-19 07:56", "Report written."),
    ]


def test_a_month_day_months_after_the_postmortem_is_last_year(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Timeline\n\n- [12-05 16:21] bug introduced\n- [03-26 08:10] fixed\n",
        name="2019-03-26.md",
    )
    assert [t for t, _ in rows] == ["2018-12-05 16:21", "2019-03-26 08:10"]


def test_a_table_with_day_date_and_time_columns(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """Date and Time in two columns, the year in the header, rows without a closing pipe."""
    _, rows, _, text = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Timeline\n\n| Day | Date (2021) | Time (UTC) | Event |\n"
        "|---|---|---|---|\n| Sun | Oct 31 | 21:33 | user reports\n| Mon | Nov 1 | 09:00 | fixed\n",
        name="2021-10-31-outage.md",
    )
    assert rows == [("2021-10-31 21:33", "user reports"), ("2021-11-01 09:00", "fixed")]
    assert "Day: Sun" in text  # the other columns go into Outcome


def test_a_date_only_row_and_a_placeholder_time(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    report, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Timeline\n\n- 2024-01-31 - fix merged\n- [???] disk throttled\n"
        "- 2023-MM-DD: token created\n",
    )
    assert [t for t, _ in rows] == ["2024-01-31", "[???]", "2023-MM-DD"]
    assert "1 timeline rows give a date and no time" in report["attention"]


# -- 5. time zones --------------------------------------------------------------------------


def test_a_zone_in_the_heading_is_converted_when_certain(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    report, rows, _, text = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Timeline (CET)\n\n- 10:00 deploy\n- 23:30 rollback\n",
        name="2019-02-20-outage.md",
    )
    assert [t for t, _ in rows] == ["2019-02-20 09:00", "2019-02-20 22:30"]
    assert report["converted"]["zones"] == {"CET": "Europe/Berlin"}
    assert "### Timeline (CET)" in text  # the heading's words, kept
    assert any("converted to UTC (Europe/Berlin)" in line for line in report["attention"])
    assert (
        "2 rows, 0 actions, 0 owners, 0 dues, times from CET (Europe/Berlin)" in report["summary"]
    )


@pytest.mark.parametrize(
    ("intro", "day", "converted"),
    [
        ("All times in CEST", "2018-04-18", "2018-04-18 08:00"),
        ("All times PST, on February 5th 2019", "2019-02-05", "2019-02-05 18:00"),
        ("Times are US/Pacific.", "2020-07-09", "2020-07-09 17:00"),
        ("All times in Central European Time (CET)", "2019-02-20", "2019-02-20 09:00"),
    ],
)
def test_a_zone_in_the_first_paragraph(
    bpm: Bpm, repo: Repo, tmp_path: Path, intro: str, day: str, converted: str
) -> None:
    _, rows, _, _ = imported(
        bpm, tmp_path, f"# Outage\n\n## Timeline\n\n{intro}\n\n- 10:00 deploy\n", name=f"{day}.md"
    )
    assert rows == [(converted, "deploy")]


@pytest.mark.parametrize(
    ("heading", "day", "why"),
    [
        ("Timeline (all times PST)", "2022-06-27", "was on PDT, not PST"),
        ("Timeline (CET)", "2022-06-02", "was on CEST, not CET"),
        ("Timeline (IST)", "2020-10-28", "names more than one zone"),
        ("Timeline (UC/Pacific)", "2020-07-09", "no time zone bpm knows"),
    ],
)
def test_a_zone_that_is_not_certain_is_flagged(
    bpm: Bpm, repo: Repo, tmp_path: Path, heading: str, day: str, why: str
) -> None:
    report, rows, _, _ = imported(
        bpm, tmp_path, f"# Outage\n\n## {heading}\n\n- 10:00 deploy\n", name=f"{day}.md"
    )
    assert rows == [(f"{day} 10:00", "deploy")]  # as written
    assert report["converted"]["zones"] == {}
    assert any("not converted" in line and why in line for line in report["attention"])


# -- 6. and 7. the odd ones -----------------------------------------------------------------


def test_a_one_line_code_span_in_triple_backticks(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """Not an unclosed fence: nothing is appended, and after it nothing renders as code."""
    from markdown_it import MarkdownIt

    report, rows, _, text = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Timeline\n\n- 09:15 the link pointed to ```https://bad.example/x.rar```\n"
        "\n```kubectl get pods```\n\n## Summary\n\nBad link.\n",
    )
    assert not any("never closed" in line for line in report["attention"])
    html = MarkdownIt("commonmark").render(text)
    assert "<h2>Summary</h2>" in html and "<pre>" not in html
    assert rows[0][1] == "the link pointed to ```https://bad.example/x.rar```"


def test_a_fence_the_action_items_took_in_leaves_no_fence_open(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    """Found by the fuzz test: a ``` right under an action item went into its kept comment;
    a closer appended for it then opened a fence that swallowed every added section."""
    from markdown_it import MarkdownIt

    report, _, _, text = imported(
        bpm, tmp_path, "## Action items\n- **14:03 UTC** - \n```", name="2020-01-02.md"
    )
    html = MarkdownIt("commonmark").render(text)
    assert "<h2>Timeline</h2>" in html and "<h2>Summary</h2>" in html and "<pre>" not in html
    assert not any("never closed" in line for line in report["attention"])


def test_a_code_span_after_a_bold_time_keeps_its_backticks(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    _, rows, _, _ = imported(
        bpm, tmp_path, "# Outage\n\n## Timeline\n\n- **18:53** `@nova` restarts the pod\n"
    )
    assert rows == [("2024-03-05 18:53", "`@nova` restarts the pod")]


def test_sub_tasks_statuses_owners_and_dues(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    _, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Action items\n\n"
        "- Add integration tests\n  - for FormData\n  - for streams\n"
        "- Pin the SDK [FIXED](https://example.com/pull/7)\n"
        "- Add a dashboard _done in grafana_.\n"
        "- Rotate keys. Owner: @kim. Due: 2024-04-01\n"
        "\n**Action item:** Declare incidents earlier. Owner: @lee\n",
    )
    assert [(a["action"], a["status"], a.get("owner"), str(a.get("due", ""))) for a in actions] == [
        ("Add integration tests - for FormData - for streams", "open", None, ""),
        ("Pin the SDK [FIXED](https://example.com/pull/7)", "done", None, ""),
        ("Add a dashboard _done in grafana_.", "done", None, ""),
        ("Rotate keys. Owner: @kim. Due: 2024-04-01", "open", "@kim", "2024-04-01"),
        ("Declare incidents earlier. Owner: @lee", "open", "@lee", ""),
    ]
    assert actions[1]["ticket"] == "https://example.com/pull/7"


def test_an_action_table_with_status_words_and_due_columns(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    report, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Action items\n\n| Action Item | Owner | Reference | Expected Date |\n"
        "|---|---|---|---|\n| Add alerts | ?? | **DONE** | 2024-04-01 |\n"
        "| Shard | @kim | [#9](https://example.com/issues/9) | Q3 |\n",
    )
    assert [(a["status"], a.get("owner"), str(a.get("due"))) for a in actions] == [
        ("done", None, "2024-04-01"),
        ("open", "@kim", "None"),  # `Q3` is no date: not a due date, kept in the comment
    ]
    assert report["converted"]["dues"] == 1
    assert "1 of 2 actions have no due date" in report["attention"]


def test_an_ambiguous_date_and_the_file_name(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    report, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Outage on 3.4.2020\n\n## Timeline\n\n- 3.4.2020 10:00 deploy\n",
        name="2020-03-04-outage.md",
    )
    assert rows == [("2020-03-04 10:00", "deploy")]  # the file name says which reading
    assert any(
        line.startswith("3.4.2020 can be read day first or month first: read as the file name's")
        for line in report["attention"]
    )


def test_an_ambiguous_date_read_in_the_documents_order(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    report, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Stall\n\n## Timeline\n\n01-10-2024\n\n7:32 PM - stalled\n\n01-31-2024 - fix merged\n",
        name="2024-06-25-stall.md",
    )
    assert rows == [("2024-01-10 19:32", "stalled"), ("2024-01-31", "fix merged")]
    assert any("in the order of the document's other dates" in a for a in report["attention"])


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("incidents/05-26-21-website-outage.md", "2021-05-26"),
        ("incidents/07-27-2023-runners.md", "2023-07-27"),
        ("2023-04/04-25-account-compromise.md", "2023-04-25"),
    ],
)
def test_month_day_year_file_names(
    bpm: Bpm, repo: Repo, tmp_path: Path, name: str, day: str
) -> None:
    report, _, _, _ = imported(
        bpm, tmp_path, "# Website outage\n\n## Summary\n\nDown.\n", name=name
    )
    assert report["started"] == day and report["date_from"].startswith("file name")


# -- the end of every import, and what it cannot slow down ---------------------------------


def test_every_import_ends_with_its_summary_line(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    source = tmp_path / "2024-03-05-outage.md"
    source.write_text(
        "# Outage\n\n## Timeline (CET)\n\n- 10:00 deploy\n\n## Action items\n\n"
        "| Action | Owner | Due |\n|---|---|---|\n| Alert | @kim | 2024-04-01 |\n| Shard | | |\n"
    )
    ran = bpm("import", str(source), "--dry-run")
    lines = ran.stdout.splitlines()
    assert lines[-1] == (
        "  converted: 1 rows, 2 actions, 1 owners, 1 dues, times from CET (Europe/Berlin); "
        f"{sum(line.startswith('  needs attention: ') for line in lines)} to check"
    )


LONG = 100_000
LONG_LINES = {
    "backticks": "`" * LONG,
    "stars": "*" * LONG,
    "pipes": "|" * LONG,
    "spaces": " " * LONG,
    "brackets": "[" * LONG,
    "parentheses": "(" * LONG,
    "underscores": "_" * LONG,
    "pipe-spaces-x": "|" + " " * LONG + "x",
    "spaced-stars": "* " * (LONG // 2),
    "spaced-backticks": "` " * (LONG // 2),
    "urls": "http://" * (LONG // 7),
    "breaks": "<br> 10:00 " * (LONG // 11),
    "owners": "OWNER: a" * (LONG // 8),
    "action-words": "actions " * (LONG // 8),
    "dates": "2024-01-01 " * (LONG // 11),
    "symbols": "📋" * LONG,
}


@pytest.mark.parametrize("line", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_a_100_kb_line_imports_quickly(tmp_path: Path, line: str) -> None:
    """No pattern the importer uses backtracks on a long line (#16): in a heading, the
    Timeline, a row, an action, a table. A process, with a generous timeout, rather than a
    timing assertion (before: the brackets, parentheses and pipe-spaces lines ran for
    minutes, in the heading's normalisation and the plain Markdown reading)."""
    text = (
        f"# Outage 2024-01-01\n\n## {line}\n\n{line}: x\n\n## Timeline\n\n{line}\n"
        f"- 10:00 {line}\n\n## Action items\n\n- {line}\n\n"
        f"| a | Owner |\n|---|---|\n| {line} | {line} |\n"
    )
    source = tmp_path / "long.md"
    source.write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "bpmcli", "import", str(source), "--stdout"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr


# -- found on the held-out files (bench/import/heldout.yaml) --------------------------------


def test_a_bold_lead_over_a_list_then_prose_is_no_section(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    """`**Remediation:**` over bullets, then more prose: the bullets are what was done, in
    the paragraph's section; the prose after them must not land in an Action items section."""
    report, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Incident 2: tokens revoked\n\n**Remediation:**\n- tokens scrubbed\n"
        "- new tokens made\n\n**Prevention:**\n\nRules that follow:\n- keep tokens in variables\n",
    )
    assert actions == []
    assert [s["section"] for s in report["sections"]] == [None]


def test_completed_lead_and_other_action_headings(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    _, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Exploit\n\n## 7. Remediation\n\nCompleted:\n\n- pool halted\n- trace written\n\n"
        "## 8. Recovery actions\n\n- contact the LPs\n\n## Open Items\n\n- **Vault:** mirror secrets\n",
    )
    assert [(a["action"], a["status"]) for a in actions] == [
        ("pool halted", "done"),
        ("trace written", "done"),
        ("contact the LPs", "open"),
        ("Vault: mirror secrets", "open"),
    ]


def test_an_approximate_time_after_a_date(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Outage\n\n## Timeline\n\n| Time | Event |\n|---|---|\n"
        "| Before this session | tokens revoked |\n| 2026-06-21 ~13:00 UTC | session begins |\n",
    )
    assert rows == [
        ("Before this session", "tokens revoked"),
        ("2026-06-21 13:00", "session begins"),
    ]


def test_a_day_and_month_file_name_in_a_year_folder(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    report, _, _, _ = imported(
        bpm, tmp_path, "# Outage Post Mortem\n\n## Summary\n\nDown.\n", name="2026/20 August.md"
    )
    assert (report["started"], report["date_from"]) == ("2026-08-20", "file name and its folder")


# -- shapes of the blind2 measurement (bench/import/blind2.yaml) ------------------------------


def test_qualified_action_headings_and_emoji(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`## Preventive Actions`, `## 📋 Recovery TODO` over task lists: action sections (before:
    no action at all)."""
    report, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Router hang\n\n## 🚨 Summary\n\nThe router hung.\n\n## Preventive Actions\n\n"
        "- pinned the driver\n\n## 📋 Recovery TODO\n\n### Now\n\n- [ ] reboot the edge\n"
        "- [x] page the vendor\n",
    )
    assert [(a["action"], a["status"]) for a in actions] == [
        ("pinned the driver", "open"),
        ("reboot the edge", "open"),
        ("page the vendor", "done"),
    ]
    assert [s["section"] for s in report["sections"]] == ["Summary", "Action items", "Action items"]


def test_bold_action_leads_outside_an_action_section(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """Under `## Lessons learned`: `**Actions planned:**` and `**Actions taken:**` over lists
    (taken: done), `**Action taken:** text`, `**TODO**: text`, `**DONE**: text`, and a lead-in
    "Some possible actions in the future:"; a bold lead over prose stays prose."""
    _, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Key leak\n\n## Lessons learned\n\nWe were slow.\n\n**Actions planned:**\n\n"
        "- rotate keys monthly\n- scan commits\n\n**Actions taken:**\n\n1. revoked the key\n\n"
        "**Action taken:** the runbook now says who to call.\n\n**Action taken:**\n\n"
        "We talked about it at length.\n\n**TODO**: alert on new keys\n\n"
        "**DONE**: removed the key from history\n\nSome possible actions in the future:\n"
        "* use a vault\n  * with audit logs\n",
    )
    assert [(a["action"], a["status"]) for a in actions] == [
        ("rotate keys monthly", "open"),
        ("scan commits", "open"),
        ("revoked the key", "done"),
        ("the runbook now says who to call.", "done"),
        ("alert on new keys", "open"),
        ("removed the key from history", "done"),
        ("use a vault * with audit logs", "open"),  # sub-items joined as written
    ]
    assert all("owner" not in a for a in actions)


def test_a_time_without_its_colon_after_a_date(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`- 2024-03-05 1625: text` is 16:25 (before: a date-only row); `- 2024-03-05 X: text`
    has a time nobody knew, kept as written."""
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Bug report\n\n## Timeline (UTC)\n\n- 2024-03-05 1625: report arrives\n"
        "- 2024-03-05 X: reporter pings us\n- 2024-03-06 0457: fix deployed\n",
    )
    assert rows == [
        ("2024-03-05 16:25", "report arrives"),
        ("2024-03-05 X", "reporter pings us"),
        ("2024-03-06 04:57", "fix deployed"),
    ]


def test_a_lead_in_that_names_no_actions(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """ "The team jumped into action and we split the work:" over bullets says what was done:
    not an action list (one "action" is no list of actions)."""
    _, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Signup flood outage\n\n## What happened\n\nThe team jumped into action and we split the work:\n"
        "* two of us cleared the queue\n* one watched the servers\n",
    )
    assert actions == []


def test_phase_headings_over_timed_bullets(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`### 22:04-23:00 UTC: Split found` over `- 22:04: text` bullets is a phase: the bullets
    are the rows, dated by the day heading above (before: one row per phase heading)."""
    _, rows, _, text = imported(
        bpm,
        tmp_path,
        "# Chain split outage\n\n# Timeline of Events\n\n## March 4, 2024\n\n"
        "### 22:04-23:00 UTC: Split found\n- 22:04: bad blocks reported\n- 22:30: cause found\n\n"
        "## March 5, 2024\n\n### 00:00-03:00 UTC: Recovery\n- 00:26: nodes resync\n",
    )
    assert [t for t, _ in rows] == ["2024-03-04 22:04", "2024-03-04 22:30", "2024-03-05 00:26"]
    assert rows[0][1] == "bad blocks reported"
    assert "### 22:04-23:00 UTC: Split found" in text


def test_a_day_heading_over_prose_only_is_a_date_row(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`### 2019-09-01` with only a paragraph under it is that day's row (date only); a day
    heading with timed rows under it stays their label."""
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Build broken outage\n\n## Timeline\n\n### 2024-02-20\n\nA plugin without an Android\n"
        "part fails to build.\n\nMore about it.\n\n### 2024-03-05\n\n10:45am - fix lands\n",
    )
    assert rows == [
        ("2024-02-20", "A plugin without an Android\npart fails to build."),
        ("2024-03-05 10:45", "fix lands"),
    ]


def test_a_zone_named_in_a_day_heading(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`### 03-03-2024 (All times CET)`: the rows under it are in that zone, converted as CET
    is certain on those dates (before: rows left under `Time (UTC)`, nothing flagged)."""
    report, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Network down outage\n\n## Timeline\n\n### 03-03-2024 (All times CET)\n\n"
        "- 15:46 switch fails\n\n### 05-03-2024 (All times CET)\n\n- 9:23 replaced\n",
    )
    assert rows == [("2024-03-03 14:46", "switch fails"), ("2024-03-05 08:23", "replaced")]
    assert report["converted"]["zones"] == {"CET": "Europe/Berlin"}


def test_a_pair_of_seasonal_names_is_the_zone(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`(all times in PST/PDT)` is Pacific time, certain on both sides of the switch (before:
    `PST` on a PDT date, flagged and not converted)."""
    report, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Build breakage outage\n\n## Timeline (all times in PST/PDT)\n\n"
        "- 2024-11-01 15:11 bad commit lands\n- 2024-11-04 07:52 tree closed\n",
    )
    assert [t for t, _ in rows] == ["2024-11-01 22:11", "2024-11-04 15:52"]
    assert report["converted"]["zones"] == {"PST/PDT": "America/Los_Angeles"}


def test_a_zone_of_two_places_named_by_rows_and_a_day_line(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    """`20:20 GST : text` rows under `**7th March:** (GST is gulf standard time)`: GST is
    also South Georgia's, so it is flagged, never converted, and the day line with its note
    is a day label, not a row (before: GST unseen, the day line a date-only row)."""
    report, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Chain halt incident\n\n## Timeline\n\n**7th March:** (GST is gulf standard time)\n"
        "20:20 GST : the chain halts\n21:09 GST : validators upgraded\n",
    )
    assert [t for t, _ in rows] == ["2024-03-07 20:20", "2024-03-07 21:09"]
    assert rows[0][1] == "the chain halts"
    assert report["converted"]["zones"] == {}
    assert any("GST names more than one zone" in line for line in report["attention"])


def test_rows_joined_by_br_in_one_paragraph(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`15:27 - text.<br> 21:14 - text<br> 21:20 - text` wrapped as one paragraph: a row at
    each `<br>` followed by a time (before: one row); a `<br>` inside an event stays."""
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# DNS outage\n\n## Timeline\n\n### 2024-03-05\n\n15:27 - records changed<br>by hand.<br>"
        " 21:14 - changes take\neffect.<br> 21:20 - first alert<br>\n23:54 - a report arrives\n",
    )
    assert [t for t, _ in rows] == [
        "2024-03-05 15:27",
        "2024-03-05 21:14",
        "2024-03-05 21:20",
        "2024-03-05 23:54",
    ]
    assert rows[0][1] == "records changed<br>by hand."
    assert rows[2][1] == "first alert"


def test_an_owner_written_as_a_handle_before_its_at(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`OWNER: amirh@ (DONE).` states the owner (before: none); an e-mail address is no
    such handle."""
    _, _, actions, _ = imported(
        bpm,
        tmp_path,
        "# Gradle outage\n\n## Action items\n\n- Ship a no-op plugin until the fix is\n"
        "  stable. OWNER: amirh@ (DONE).\n- Exclude plugins. owner: blasten@example.com\n",
    )
    assert [(a.get("owner"), a["status"]) for a in actions] == [("amirh@", "done"), (None, "open")]


def test_a_time_that_cannot_be_read_is_kept_whole(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """`| 2024-03-05 07:7:47 | text |`: the time is kept as written (BPM202 shows it), not cut
    to a date-only row."""
    _, rows, _, _ = imported(
        bpm,
        tmp_path,
        "# Release outage\n\n## Timeline\n\n| Time | Event |\n|---|---|\n"
        "| 2024-03-05 07:46 | build cut |\n| 2024-03-05 07:7:47 | warning in chat |\n",
    )
    assert [t for t, _ in rows] == ["2024-03-05 07:46", "2024-03-05 07:7:47"]
