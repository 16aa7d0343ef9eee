"""`bpm tickets` against a local Jira Cloud server (REST v3), through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import frontmatter
import pytest

from conftest import Ran, Repo, snapshot
from tickets.servers import JiraFake, jira_args

Bpm = Callable[..., Ran]
PM = "2026-11-20-checkout-outage"


def tickets_of(path: Path) -> list[str | None]:
    return [a.get("ticket") for a in frontmatter.load(path)["actions"]]


def texts(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if "text" in node else []
        return own + texts(node.get("content", []))
    if isinstance(node, list):
        return [t for child in node for t in texts(child)]
    return []


def test_create_sends_the_documented_fields_and_writes_the_key_back(
    bpm: Bpm, jira: JiraFake, write_pm: Callable[..., Path]
) -> None:
    pm = write_pm(PM, [{}, {"owner": "bob", "due": "2026-12-20", "kind": "detect"}])
    ran = bpm("tickets", "create", *jira_args(jira))
    assert ran.exit_code == 0, ran.stderr
    assert tickets_of(pm) == ["OPS-1", "OPS-2"]
    (post, _) = jira.requests("POST", r"/rest/api/3/issue$")
    fields = post.body["fields"]
    assert fields["project"] == {"key": "OPS"} and fields["issuetype"] == {"name": "Task"}
    assert fields["summary"] == "Make the splitter idempotent, part 1"
    assert fields["labels"] == ["postmortem", "prevent"]
    assert fields["assignee"] == {"accountId": "5b10ac8d82e05b22cc7d4ef5"}
    assert fields["duedate"] == "2026-12-04"
    assert fields["description"]["type"] == "doc" and fields["description"]["version"] == 1
    assert texts(fields["description"])[-1] == f"bpm: {PM}/A1"
    assert jira.issues["OPS-2"]["duedate"] == "2026-12-20"
    assert "assignee" not in jira.requests("POST", r"/issue$")[1].body["fields"]
    assert "warning: owner 'bob' has no [owners.bob] jira (Jira account id)" in ran.stderr


def test_a_crash_between_create_and_write_back_finds_the_marker(
    bpm: Bpm, jira: JiraFake, write_pm: Callable[..., Path]
) -> None:
    pm = write_pm(PM, [{}, {}])
    assert bpm("tickets", "create", *jira_args(jira)).exit_code == 0
    # the run that crashed: OPS-1 and OPS-2 exist, the file lost its references
    pm.write_text(
        pm.read_text().replace("    ticket: OPS-1\n", "").replace("    ticket: OPS-2\n", "")
    )
    assert tickets_of(pm) == [None, None]
    ran = bpm("tickets", "create", *jira_args(jira))
    assert ran.exit_code == 0, ran.stderr
    assert tickets_of(pm) == ["OPS-1", "OPS-2"] and len(jira.issues) == 2
    assert "A1 -> OPS-1 (found)" in ran.stdout


def test_status_compares_due_dates_and_apply_sets_them_and_transitions(
    bpm: Bpm, jira: JiraFake, write_pm: Callable[..., Path], repo: Repo
) -> None:
    jira.add("due moved", duedate="2026-12-10")  # OPS-1
    jira.add("done in Jira", category="done", duedate="2026-12-04")  # OPS-2
    jira.add("open, action done", category="indeterminate", duedate="2026-12-04")  # OPS-3
    jira.add("in step", duedate="2026-12-04")  # OPS-4
    write_pm(
        PM,
        [
            {"ticket": "OPS-1"},
            {"ticket": "OPS-2"},
            {"ticket": "OPS-3", "status": "dropped", "closed": "2026-11-22", "reason": "obsolete"},
            {"ticket": f"{jira.url}/browse/OPS-4"},
            {"ticket": "OPS-77"},
        ],
    )
    ran = bpm("tickets", "status", "--format", "json", *jira_args(jira))
    assert ran.exit_code == 1, ran.stderr
    data = json.loads(ran.stdout)
    assert [(d["ticket"], d["drift"], d["due"], d["ticket_due"]) for d in data["drift"]] == [
        ("OPS-1", ["due"], "2026-12-04", "2026-12-10"),
        ("OPS-2", ["ticket-closed"], "2026-12-04", "2026-12-04"),
        ("OPS-3", ["ticket-open"], "2026-12-04", "2026-12-04"),
        ("OPS-77", ["gone"], "2026-12-04", None),
    ]
    assert data["drift"][1]["closed"] == "2026-11-21"
    before = snapshot(repo.path)
    applied = bpm("tickets", "status", "--apply", "--format", "json", *jira_args(jira))
    assert snapshot(repo.path) == before
    assert [a["did"] for a in json.loads(applied.stdout)["applied"]] == [
        "due set to 2026-12-04",
        "reopened",
        "closed as not planned, with the reason",
        "nothing",
    ]
    assert jira.issues["OPS-1"]["duedate"] == "2026-12-04"
    assert jira.issues["OPS-2"]["status"]["statusCategory"]["key"] == "new"  # To Do first
    assert jira.issues["OPS-3"]["status"]["statusCategory"]["key"] == "done"
    assert texts(jira.comments["OPS-3"]) == [f"Dropped in the postmortem {PM}: obsolete"]
    assert applied.exit_code == 1  # OPS-77 is gone: nothing the tracker can do


def test_pull_marks_the_action_done_on_the_resolution_day(
    bpm: Bpm, jira: JiraFake, write_pm: Callable[..., Path]
) -> None:
    jira.add("done in Jira", category="done", duedate="2026-12-04")
    pm = write_pm(PM, [{"ticket": "OPS-1"}])
    ran = bpm("tickets", "pull", "--yes", *jira_args(jira))
    assert ran.exit_code == 0, ran.stderr
    action = frontmatter.load(pm)["actions"][0]
    assert (action["status"], str(action["closed"])) == ("done", "2026-11-21")


def test_a_429_with_retry_after_zero_is_retried(
    bpm: Bpm, jira: JiraFake, write_pm: Callable[..., Path]
) -> None:
    jira.add("in step", duedate="2026-12-04")
    write_pm(PM, [{"ticket": "OPS-1"}])
    jira.fail("POST", r"/search/jql$", 429, headers={"Retry-After": "0"})
    ran = bpm("tickets", "status", *jira_args(jira))
    assert ran.exit_code == 0, ran.stderr
    assert len(jira.requests("POST", r"/search/jql$")) == 2


def test_a_search_that_fails_for_good_writes_nothing(
    bpm: Bpm, jira: JiraFake, write_pm: Callable[..., Path], repo: Repo
) -> None:
    pm = write_pm(PM, [{}])
    jira.fail(
        "POST",
        r"/search/jql$",
        400,
        body={"errorMessages": ["The value 'OPS' does not exist for the field 'project'."]},
    )
    before = snapshot(repo.path)
    ran = bpm("tickets", "create", *jira_args(jira))
    assert ran.exit_code == 1
    assert ran.stderr == (
        f"error: POST {jira.url}/rest/api/3/search/jql: 400 Bad Request: "
        "The value 'OPS' does not exist for the field 'project'.\n"
    )
    assert snapshot(repo.path) == before and not jira.requests("POST", r"/issue$")
    assert tickets_of(pm) == [None]


def test_bad_credentials_are_one_line(
    bpm: Bpm, jira: JiraFake, write_pm: Callable[..., Path]
) -> None:
    write_pm(PM, [{"ticket": "OPS-1"}])
    ran = bpm("tickets", "status", *jira_args(jira), env={"JIRA_API_TOKEN": "wrong"})
    assert ran.exit_code == 1
    assert ran.stderr.startswith(f"error: POST {jira.url}/rest/api/3/search/jql: 401 Unauthorized")
    assert "wrong" not in ran.stderr and len(ran.stderr.splitlines()) == 1


@pytest.mark.parametrize(("actions", "expected"), [(100, 2), (30, 1)])
def test_status_of_many_ticketed_actions_takes_a_few_requests(
    bpm: Bpm, jira: JiraFake, write_pm: Callable[..., Path], actions: int, expected: int
) -> None:
    for n in range(actions):
        jira.add(f"issue {n}", duedate="2026-12-04", category="done" if n % 10 == 0 else "new")
    write_pm(PM, [{"ticket": f"OPS-{n + 1}"} for n in range(actions)])
    ran = bpm("tickets", "status", "--format", "json", *jira_args(jira))
    data = json.loads(ran.stdout)
    assert data["checked"] == actions and len(data["drift"]) == actions // 10
    # the server sends pages of 50 whatever maxResults asks: bpm follows nextPageToken
    assert data["requests"] == expected == len(jira.seen)


def test_a_500_on_the_search_is_sent_again_as_a_read(
    jira: JiraFake, write_pm: Callable[..., Path], repo: Repo
) -> None:
    """The search is a POST that only reads: a 5xx retries it, as a GET would be."""
    from bpmcli import config, tickets
    from bpmcli.tickets.jira import Jira

    jira.add("in step", duedate="2026-12-04")
    write_pm(PM, [{"ticket": "OPS-1"}])
    jira.fail("POST", r"/search/jql$", 500, times=2)
    slept: list[float] = []
    tracker = Jira(jira.url, "OPS", "bot@example.com", "jira-token", sleep=slept.append)
    result = tickets.status(config.load(repo.path), tracker)
    assert slept == [1.0, 2.0]  # the test's recorder, not a real wait
    assert (result.drift, len(jira.requests("POST", r"/search/jql$"))) == ([], 3)
