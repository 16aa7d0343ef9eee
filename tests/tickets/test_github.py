"""`bpm tickets` against a local GitHub Issues server, through the real CLI, on real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import frontmatter
import pytest

from conftest import Ran, Repo, snapshot
from tickets.servers import GitHubFake, gh_args

Bpm = Callable[..., Ran]
PM = "2026-11-20-checkout-outage"


def tickets_of(path: Path) -> list[str | None]:
    return [a.get("ticket") for a in frontmatter.load(path)["actions"]]


@pytest.fixture
def pm(write_pm: Callable[..., Path]) -> Path:
    return write_pm(
        PM,
        [
            {},
            {"owner": "bob", "kind": "detect"},
            {"status": "done", "closed": "2026-11-22"},
            {"ticket": "acme/ops#99"},
            {"owner": "carol"},
        ],
    )


def test_create_opens_one_issue_per_open_action_and_writes_each_back(
    bpm: Bpm, github: GitHubFake, pm: Path
) -> None:
    ran = bpm("tickets", "create", *gh_args(github))
    assert ran.exit_code == 0, ran.stderr
    shown = f"postmortems/2026/{PM}.md"
    assert ran.stdout.splitlines() == [
        f"{shown}: A1 -> acme/ops#1 (created)",
        f"{shown}: A2 -> acme/ops#2 (created)",
        f"{shown}: A5 -> acme/ops#3 (created)",
    ]
    assert tickets_of(pm) == ["acme/ops#1", "acme/ops#2", None, "acme/ops#99", "acme/ops#3"]
    assert "# the team's own comment, which edits keep" in pm.read_text()
    first, second, _ = (github.issues[n] for n in (1, 2, 3))
    assert first["title"] == "Make the splitter idempotent, part 1"
    assert [label["name"] for label in second["labels"]] == ["postmortem", "detect"]
    assert first["assignees"] == [{"login": "alice-gh"}] and second["assignees"] == []
    assert first["body"].endswith(f"<!-- bpm: {PM}/A1 -->\n")
    assert f"Action item from the postmortem {PM}: Checkout outage." in first["body"]
    assert "Due: 2026-12-04 (GitHub issues have no due date" in first["body"]
    assert f"https://github.example/acme/ops/blob/main/postmortems/2026/{PM}.md" in first["body"]
    # owners without a GitHub login are said, never silently skipped
    assert "warning: owner 'bob' has no [owners.bob] github" in ran.stderr
    assert "warning: owner 'carol' has no [owners.carol] github" in ran.stderr
    assert len(github.seen) == 1 + 3  # one listing (the marker search), one POST per ticket
    headers = github.requests("POST")[0].headers
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"


def test_a_rerun_creates_nothing(bpm: Bpm, github: GitHubFake, pm: Path) -> None:
    assert bpm("tickets", "create", *gh_args(github)).exit_code == 0
    before = len(github.seen)
    again = bpm("tickets", "create", *gh_args(github))
    assert again.exit_code == 0 and again.stdout == ""
    assert len(github.seen) == before  # every open action has a ticket: no request at all
    assert len(github.issues) == 3


def test_a_crash_between_create_and_write_back_is_healed_without_a_second_issue(
    bpm: Bpm, github: GitHubFake, pm: Path
) -> None:
    # what a run killed after its POST leaves: the issue exists, the file does not say so
    github.add("Make the splitter idempotent, part 2", body=f"...\n<!-- bpm: {PM}/A2 -->\n")
    github.add("a pull request", body=f"<!-- bpm: {PM}/A1 -->", pull_request=True)
    ran = bpm("tickets", "create", *gh_args(github))
    assert ran.exit_code == 0, ran.stderr
    assert "A2 -> acme/ops#1 (found)" in ran.stdout
    assert "A1 -> acme/ops#3 (created)" in ran.stdout  # a pull request is no ticket
    assert tickets_of(pm)[:2] == ["acme/ops#3", "acme/ops#1"]
    assert len(github.requests("POST")) == 2 and len(github.issues) == 4


def test_a_500_on_the_third_create_leaves_the_first_two_written_and_the_file_valid(
    bpm: Bpm, github: GitHubFake, pm: Path
) -> None:
    github.fail("POST", r"/issues$", 500, after=2)
    ran = bpm("tickets", "create", *gh_args(github))
    assert ran.exit_code == 1
    errors = [line for line in ran.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: postmortems/2026/{PM}.md: A5: POST {github.url}/repos/acme/ops/issues: "
        "500 Internal Server Error: scripted"
    ]
    assert tickets_of(pm) == ["acme/ops#1", "acme/ops#2", None, "acme/ops#99", None]
    assert bpm("lint", str(pm)).exit_code in (0, 1)  # parses: findings at most, no breakage
    assert frontmatter.load(pm)["id"] == PM
    healed = bpm("tickets", "create", *gh_args(github))
    assert healed.exit_code == 0 and "A5 -> acme/ops#3 (created)" in healed.stdout


def test_create_for_one_postmortem_only(
    bpm: Bpm, github: GitHubFake, pm: Path, write_pm: Callable[..., Path]
) -> None:
    other = write_pm("2026-11-21-dns", [{}])
    assert bpm("tickets", "create", "2026-11-21", *gh_args(github)).exit_code == 0
    assert tickets_of(other) == ["acme/ops#1"] and tickets_of(pm)[0] is None


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], {}, "error: no tracker: set [tickets] tracker"),
        (["--tracker", "github"], {}, "error: GitHub needs the repository"),
        (
            ["--tracker", "gitlab"],
            {},
            "error: Invalid value for '--tracker': 'gitlab' is not one of",
        ),
        (
            ["--tracker", "github", "--repo", "a/b", "--api-url", "ftp://x"],
            {},
            "error: --api-url must be",
        ),
        (
            ["--tracker", "github", "--repo", "a/b"],
            {"GITHUB_TOKEN": ""},
            "error: GITHUB_TOKEN is not set",
        ),
        (
            ["--tracker", "jira", "--site", "https://x.example"],
            {},
            "error: Jira needs the project key",
        ),
        (
            ["--tracker", "jira", "--site", "https://x.example", "--project", "OPS"],
            {"JIRA_EMAIL": "", "JIRA_API_TOKEN": ""},
            "error: JIRA_EMAIL is not set",
        ),
    ],
)
def test_bad_settings_and_missing_tokens_are_one_line_exit_2(
    bpm: Bpm, pm: Path, args: list[str], env: dict[str, str], expected: str
) -> None:
    before = snapshot(pm.parent)
    ran = bpm("tickets", "create", *args, env=env)
    assert ran.exit_code == 2 and ran.stderr.startswith(expected)
    assert len(ran.stderr.splitlines()) == 1 and snapshot(pm.parent) == before


# Addresses the old `^https?://[^\s/]+` check let through: urllib's `.port` or `urlsplit`
# raised ValueError at the first request, an exit-3 "bug" line.
BAD_ADDRESSES = ["http://host:abc/", "http://[::1", "https://api.example:99999", "http:///x"]
GITHUB = ["--tracker", "github", "--repo", "a/b", "--api-url"]
JIRA = ["--tracker", "jira", "--project", "OPS", "--site"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        *[([*GITHUB, url], "error: --api-url must be an http") for url in BAD_ADDRESSES],
        *[([*JIRA, url], "error: --site must be an http") for url in BAD_ADDRESSES],
        (["--tracker", "github", "--repo", "not a repo"], "error: --repo must be owner/name"),
        (
            ["--tracker", "jira", "--site", "https://x.example", "--project", "ops"],
            "error: --project must be a Jira project key",
        ),
    ],
)
def test_a_bad_option_is_one_line_exit_2_naming_it(
    bpm: Bpm, pm: Path, args: list[str], expected: str
) -> None:
    env = {"GITHUB_TOKEN": "t", "JIRA_EMAIL": "e@example.com", "JIRA_API_TOKEN": "t"}
    ran = bpm("tickets", "status", *args, env=env)
    assert ran.exit_code == 2 and ran.stderr.startswith(expected), ran.stderr
    assert len(ran.stderr.splitlines()) == 1 and ran.stdout == ""


@pytest.mark.parametrize("token", ["ghp_SE\nCRET", "ghp_SE CRET", "ghp_SE\x7fCRET"])
def test_a_token_with_white_space_is_refused_and_never_shown(
    bpm: Bpm, github: GitHubFake, pm: Path, token: str
) -> None:
    ran = bpm("tickets", "status", *gh_args(github), env={"GITHUB_TOKEN": token})
    assert ran.exit_code == 2, ran.stderr
    assert (
        ran.stderr == "error: GITHUB_TOKEN holds white space or control characters: "
        "set it to the token alone\n"
    )
    shown = ran.stdout + ran.stderr
    assert "SE" not in shown.replace("GITHUB_TOKEN", "") and "CRET" not in shown
    assert github.seen == []


def test_options_win_over_the_config(bpm: Bpm, github: GitHubFake, repo: Repo, pm: Path) -> None:
    config = repo.path / ".bpm.toml"
    config.write_text(
        config.read_text() + '\n[tickets]\ntracker = "jira"\nsite = "https://unused.example"\n'
        'project = "NOPE"\n'
    )
    ran = bpm("tickets", "create", *gh_args(github))
    assert ran.exit_code == 0, ran.stderr
    assert tickets_of(pm)[0] == "acme/ops#1"


def test_the_config_alone_is_enough(bpm: Bpm, github: GitHubFake, repo: Repo, pm: Path) -> None:
    config = repo.path / ".bpm.toml"
    config.write_text(
        config.read_text()
        + f'\n[tickets]\ntracker = "github"\nrepo = "acme/ops"\napi_url = "{github.url}"\n'
    )
    assert bpm("tickets", "create").exit_code == 0
    assert tickets_of(pm)[0] == "acme/ops#1"


# --- status -------------------------------------------------------------------------------


@pytest.fixture
def ticketed(write_pm: Callable[..., Path], github: GitHubFake) -> Path:
    closed = github.add(
        "closed", state="closed", state_reason="completed", closed_at="2026-11-21T16:00:00Z"
    )  # 1
    github.add("open, action done")  # 2
    github.add("in step")  # 3
    github.add("dropped, still open")  # 4
    github.add("not labelled", labels=())  # 5
    github.add("a pull request", pull_request=True)  # 6
    assert closed == 1
    return write_pm(
        PM,
        [
            {"ticket": "acme/ops#1"},
            {"ticket": "acme/ops#2", "status": "done", "closed": "2026-11-22"},
            {"ticket": "https://github.com/acme/ops/issues/3"},
            {
                "ticket": "'#4'",
                "status": "dropped",
                "closed": "2026-11-22",
                "reason": "the splitter is being retired",
            },
            {"ticket": "acme/ops#5"},
            {"ticket": "acme/ops#404"},
            {"ticket": "OPS-12"},
        ],
    )


def test_status_reports_each_kind_of_drift_and_exits_1(
    bpm: Bpm, github: GitHubFake, ticketed: Path
) -> None:
    ran = bpm("tickets", "status", "--format", "json", *gh_args(github))
    assert ran.exit_code == 1, ran.stderr
    import json

    data = json.loads(ran.stdout)
    assert (data["tracker"], data["checked"]) == ("github", 6)
    assert [(d["action"], d["ticket"], d["drift"], d["ticket_state"]) for d in data["drift"]] == [
        ("A1", "acme/ops#1", ["ticket-closed"], "closed"),
        ("A2", "acme/ops#2", ["ticket-open"], "open"),
        ("A4", "acme/ops#4", ["ticket-open"], "open"),
        ("A6", "acme/ops#404", ["gone"], "gone"),
    ]
    assert set(data["drift"][0]) == {
        "postmortem",
        "path",
        "action",
        "ticket",
        "url",
        "drift",
        "action_status",
        "ticket_state",
        "due",
        "ticket_due",
        "reason",
        "closed",
    }
    assert data["drift"][0]["closed"] == "2026-11-21" and data["drift"][0]["ticket_due"] is None
    # one listing, then one GET for each ticket it did not hold (#5 unlabelled, #404)
    assert data["requests"] == 3 == len(github.seen)
    assert (
        "warning: postmortems/2026/2026-11-20-checkout-outage.md: A7: ticket 'OPS-12' is not a github reference"
        in ran.stderr
    )


def test_status_table_for_people(bpm: Bpm, github: GitHubFake, ticketed: Path) -> None:
    ran = bpm("tickets", "status", *gh_args(github))
    assert ran.exit_code == 1
    assert "ticket closed, action open" in ran.stdout
    assert "action dropped, ticket open" in ran.stdout and "ticket gone" in ran.stdout
    assert "6 ticketed actions checked, 4 drifted (3 HTTP requests)" in ran.stderr


def test_no_drift_exits_0(bpm: Bpm, github: GitHubFake, write_pm: Callable[..., Path]) -> None:
    github.add("in step")
    write_pm(PM, [{"ticket": "acme/ops#1"}])
    ran = bpm("tickets", "status", *gh_args(github))
    assert ran.exit_code == 0 and ran.stdout == ""
    assert "1 ticketed action checked, 0 drifted (1 HTTP request)" in ran.stderr


def test_apply_makes_the_tracker_follow_and_never_touches_the_file(
    bpm: Bpm, github: GitHubFake, ticketed: Path, repo: Repo
) -> None:
    before = snapshot(repo.path)
    ran = bpm("tickets", "status", "--apply", *gh_args(github))
    assert snapshot(repo.path) == before
    assert github.issues[1]["state"] == "open" and github.issues[1]["state_reason"] == "reopened"
    assert (github.issues[2]["state"], github.issues[2]["state_reason"]) == ("closed", "completed")
    assert (github.issues[4]["state"], github.issues[4]["state_reason"]) == (
        "closed",
        "not_planned",
    )
    assert github.comments == {
        4: [f"Dropped in the postmortem {PM}: the splitter is being retired"]
    }
    assert ran.stdout.count("\n") >= 3 and "acme/ops#1: reopened" in ran.stdout
    # the gone ticket cannot be fixed by the tracker: still exit 1, said in one line
    assert ran.exit_code == 1
    assert "error: acme/ops#404: nothing: no ticket to change" in ran.stderr
    again = bpm("tickets", "status", "--format", "json", *gh_args(github))
    import json

    assert [d["drift"] for d in json.loads(again.stdout)["drift"]] == [["gone"]]


def test_a_failure_while_applying_is_a_line_and_the_rest_goes_on(
    bpm: Bpm, github: GitHubFake, ticketed: Path
) -> None:
    github.fail("PATCH", r"/issues/1$", 422, body={"message": "Validation Failed"})
    ran = bpm("tickets", "status", "--apply", *gh_args(github))
    assert ran.exit_code == 1
    assert (
        f"error: acme/ops#1: failed: PATCH {github.url}/repos/acme/ops/issues/1: 422 Unprocessable Entity: Validation Failed"
        in ran.stderr
    )
    assert github.issues[2]["state"] == "closed"


# --- pull ---------------------------------------------------------------------------------


def test_pull_shows_the_change_and_needs_yes_off_a_terminal(
    bpm: Bpm, github: GitHubFake, ticketed: Path
) -> None:
    before = ticketed.read_bytes()
    ran = bpm("tickets", "pull", *gh_args(github), input="")
    assert ran.exit_code == 2
    assert ran.stdout == (
        f"postmortems/2026/{PM}.md: A1 -> done on 2026-11-21, its ticket acme/ops#1 is closed\n"
    )
    assert "error: bpm tickets pull changes the files: pass --yes" in ran.stderr
    assert ticketed.read_bytes() == before


def test_pull_yes_closes_the_action_on_the_day_its_ticket_closed(
    bpm: Bpm, github: GitHubFake, ticketed: Path
) -> None:
    github.add(
        "won't do", state="closed", state_reason="not_planned", closed_at="2026-11-22T09:00:00Z"
    )  # 7
    text = ticketed.read_text().replace("ticket: OPS-12", "ticket: acme/ops#7")
    ticketed.write_text(text)
    ran = bpm("tickets", "pull", "--yes", *gh_args(github))
    assert ran.exit_code == 0, ran.stderr
    actions = frontmatter.load(ticketed)["actions"]
    assert (actions[0]["status"], str(actions[0]["closed"])) == ("done", "2026-11-21")
    assert (actions[6]["status"], actions[6]["reason"]) == (
        "dropped",
        "the ticket acme/ops#7 was closed as not planned",
    )
    assert "# the team's own comment, which edits keep" in ticketed.read_text()
    assert "2 action(s) closed, 0 failed" in ran.stderr
    assert bpm("tickets", "pull", "--yes", *gh_args(github)).stderr.startswith("nothing to pull")


# --- how many requests --------------------------------------------------------------------


@pytest.mark.parametrize(("actions", "expected"), [(100, 1), (250, 3)])
def test_status_of_many_ticketed_actions_takes_a_few_requests(
    bpm: Bpm, github: GitHubFake, write_pm: Callable[..., Path], actions: int, expected: int
) -> None:
    for n in range(actions):
        github.add(f"issue {n}", state="closed" if n % 10 == 0 else "open")
    write_pm(PM, [{"ticket": f"acme/ops#{n + 1}"} for n in range(actions)])
    ran = bpm("tickets", "status", "--format", "json", *gh_args(github))
    import json

    data = json.loads(ran.stdout)
    assert data["checked"] == actions and len(data["drift"]) == actions // 10
    assert data["requests"] == expected == len(github.seen)  # pages of 100, never one per issue


def test_a_500_on_the_listing_is_retried_and_status_goes_on(
    github: GitHubFake, write_pm: Callable[..., Path], repo: Repo
) -> None:
    from bpmcli import config, tickets
    from bpmcli.tickets.github import GitHub

    github.add("in step")
    write_pm(PM, [{"ticket": "acme/ops#1"}, {"ticket": "acme/ops#2"}])
    github.fail("GET", r"/issues$", 500, times=2)
    github.fail("GET", r"/issues/2$", 404)
    slept: list[float] = []
    tracker = GitHub("acme/ops", github.token, github.url, sleep=slept.append)
    result = tickets.status(config.load(repo.path), tracker)
    assert slept == [1.0, 2.0]  # backoff, not a real wait: the sleep is the test's recorder
    assert [(d.ticket, d.drift) for d in result.drift] == [("acme/ops#2", ("gone",))]
    assert result.requests == 4


def test_a_title_that_reads_like_a_marker_does_not_pass_for_one(
    bpm: Bpm, github: GitHubFake, write_pm: Callable[..., Path]
) -> None:
    pm = write_pm(PM, [{}], title='"Outage <!-- bpm: 2026-01-01-other/A9 -->"')
    assert bpm("tickets", "create", *gh_args(github)).exit_code == 0
    assert "<!-- bpm: 2026-01-01-other/A9 -->" in github.issues[1]["body"]
    pm.write_text(pm.read_text().replace("    ticket: acme/ops#1\n", ""))  # the crash case
    again = bpm("tickets", "create", *gh_args(github))
    assert "A1 -> acme/ops#1 (found)" in again.stdout and len(github.issues) == 1


def test_an_open_action_without_an_id_is_said_and_gets_no_ticket(
    bpm: Bpm, github: GitHubFake, write_pm: Callable[..., Path]
) -> None:
    pm = write_pm(PM, [{}])
    pm.write_text(pm.read_text().replace("  - id: A1\n    action:", "  - action:"))
    ran = bpm("tickets", "create", *gh_args(github))
    assert ran.exit_code == 0 and github.seen == []
    assert f"warning: postmortems/2026/{PM}.md: an open action has no id: no ticket" in ran.stderr


@pytest.mark.parametrize(("answer", "status"), [("y", "done"), ("n", "open")])
def test_pull_asks_on_a_terminal(
    github: GitHubFake, ticketed: Path, repo: Repo, answer: str, status: str
) -> None:
    import os
    import pty
    import subprocess
    import sys

    main, terminal = pty.openpty()
    env = {**os.environ, "BPM_NOW": "2026-11-23T09:30:00+00:00"}
    with subprocess.Popen(
        [sys.executable, "-m", "bpmcli", "tickets", "pull", *gh_args(github)],
        cwd=repo.path,
        env=env,
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        os.close(terminal)
        os.write(main, f"{answer}\n".encode())
        out, err = process.communicate(timeout=60)
    os.close(main)
    assert process.returncode == 0, err
    assert "A1 -> done on 2026-11-21" in out and "Close 1 action(s) in the files?" in err
    assert frontmatter.load(ticketed)["actions"][0]["status"] == status
