"""Fixtures for `bpm tickets`: postmortems written in a real git repository, fake trackers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Repo
from tickets.servers import GitHubFake, JiraFake, running

CONFIG = """\
dir = "postmortems"
repo_url = "https://github.example/acme/ops/blob/main"

[owners.alice]
github = "alice-gh"
jira = "5b10ac8d82e05b22cc7d4ef5"

[owners.bob]
email = "bob@example.com"
"""


def action_yaml(number: int, **fields: Any) -> str:
    data = {
        "id": f"A{number}",
        "action": fields.pop("action", f"Make the splitter idempotent, part {number}"),
        "owner": fields.pop("owner", "alice"),
        "due": fields.pop("due", "2026-12-04"),
        "kind": fields.pop("kind", "prevent"),
        "status": fields.pop("status", "open"),
        **fields,
    }
    lines = [f"  - id: {data.pop('id')}"]
    lines += [f"    {key}: {value}" for key, value in data.items() if value is not None]
    return "\n".join(lines) + "\n"


def postmortem_text(
    pm_id: str, actions: list[dict[str, Any]], title: str = "Checkout outage"
) -> str:
    body = "".join(action_yaml(i, **a) for i, a in enumerate(actions, 1))
    return (
        f"---\nid: {pm_id}\ntitle: {title}\nkind: incident\nstatus: published\nseverity: SEV2\n"
        f"started: 2026-11-20T14:03:00Z\n# the team's own comment, which edits keep\n"
        f"actions:\n{body}---\n# {title}\n\n## Summary\n\nThe checkout failed.\n"
    )


@pytest.fixture
def write_pm(repo: Repo) -> Callable[..., Path]:
    """Write a postmortem with these actions (and the config), committed; its path."""
    repo.write(".bpm.toml", CONFIG)

    def write(pm_id: str, actions: list[dict[str, Any]], **kw: Any) -> Path:
        relative = f"postmortems/2026/{pm_id}.md"
        path = repo.write(relative, postmortem_text(pm_id, actions, **kw))
        repo.commit(f"add {pm_id}", {relative: path.read_text(), ".bpm.toml": CONFIG})
        return path

    return write


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubFake]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    fake = GitHubFake()
    monkeypatch.setenv("GITHUB_TOKEN", fake.token)
    with running(fake):
        yield fake


@pytest.fixture
def jira(monkeypatch: pytest.MonkeyPatch) -> Iterator[JiraFake]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    fake = JiraFake()
    monkeypatch.setenv("JIRA_EMAIL", "bot@example.com")
    monkeypatch.setenv("JIRA_API_TOKEN", "jira-token")
    with running(fake):
        yield fake
