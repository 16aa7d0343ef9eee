"""`bpm demo`: a small example repository with history, and bpm's commands run on it.

The demo runs the real `bpm` as separate processes, exactly as a user would type them, so
what it shows is what the commands do. It returns its steps; the CLI prints them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bpmcli.errors import UsageError
from bpmcli.store.repo import Git, run_bpm

PURPOSE = "bpm demo"
# Where `bpm remind` reaches the people of the story (its dry run connects to nothing).
OWNERS = """
[owners.alice]
email = "alice@example.com"

[owners.bob]
email = "bob@example.com"

[owners.carol]
email = "carol@example.com"

[remind]
from = "bpm@example.com"
"""


@dataclass(frozen=True)
class Step:
    command: str  # as a user would type it
    output: str
    exit_code: int


class _Repo:
    """Commits in the example repository, as the people of the story and on their dates."""

    def __init__(self, root: Path, columns: int):
        self.root = root
        self.env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "BPM_NOW": "2026-11-23T09:00:00Z"}
        # The commands' output is captured, then shown in the user's terminal: their tables
        # are laid out for its width, not for a pipe's.
        self.env["COLUMNS"] = str(columns)
        self.env.pop("NO_COLOR", None)

    def git(self, *args: str, author: str = "Ana Okafor", date: str = "") -> None:
        env = dict(self.env)
        if date:
            email = author.split()[0].lower() + "@example.com"
            env |= {
                "GIT_AUTHOR_NAME": author,
                "GIT_AUTHOR_EMAIL": email,
                "GIT_AUTHOR_DATE": date,
                "GIT_COMMITTER_NAME": author,
                "GIT_COMMITTER_EMAIL": email,
                "GIT_COMMITTER_DATE": date,
            }
        Git(self.root, PURPOSE, env).run(*args)

    def commit(self, message: str, author: str, date: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, author=author, date=date)

    def bpm(self, *args: str) -> Step:
        done = run_bpm(args, self.root, self.env)
        shown = "bpm " + " ".join(_quote(a) for a in args)
        return Step(shown, done.output.rstrip("\n"), done.exit_code)


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def run(target: Path, columns: int = 80) -> Iterator[Step]:
    """Build the example repository in `target` (which must not exist) and run bpm on it;
    its tables are laid out `columns` wide (where they will be shown)."""
    Git(Path.cwd(), PURPOSE).run("--version")  # git missing: one line, before any writing
    if target.exists():
        raise UsageError("exists; the demo only writes into a new folder", target)
    target.mkdir(parents=True)
    repo = _Repo(target, columns)
    repo.git("init", "-q", "-b", "main")
    pm = "2026-10-20-checkout"
    yield repo.bpm("init")
    (target / ".gitignore").write_text("/site/\n")  # `bpm site site` at the end writes there
    repo.commit("Adopt bpm", "Ana Okafor", "2026-09-01T09:00:00Z")
    yield repo.bpm(
        "new",
        "incident",
        "Checkout outage after config push",
        "--started",
        "2026-10-20 14:03",
        "--severity",
        "SEV2",
        "--facilitator",
        "alice",
        "--service",
        "checkout",
    )
    repo.commit("Start the checkout postmortem", "Alice Lindqvist", "2026-10-20T18:00:00Z")
    yield repo.bpm(
        "timeline",
        "add",
        pm,
        "--time",
        "14:03",
        "--actor",
        "deploy-bot",
        "--event",
        "Pushed config v42 to all regions",
        "--outcome",
        "Checkout errors rose to 30%",
        "--expected",
        "A canary region first",
        "--assumed",
        "The new key was optional",
    )
    yield repo.bpm(
        "timeline",
        "add",
        pm,
        "--time",
        "14:11",
        "--actor",
        "alice",
        "--event",
        "Rolled back to config v41",
        "--outcome",
        "Errors back to normal by 14:20",
    )
    yield repo.bpm("timeline", "show", pm)
    repo.commit("Timeline of the checkout outage", "Alice Lindqvist", "2026-10-21T09:00:00Z")
    yield repo.bpm(
        "action",
        "add",
        pm,
        "Make the config loader reject unknown keys",
        "--owner",
        "bob",
        "--due",
        "2026-11-05",
        "--kind",
        "prevent",
    )
    repo.commit("Add action A1", "Bob Chen", "2026-10-22T10:00:00Z")
    yield repo.bpm(
        "action", "add", pm, "Investigate the config push", "--owner", "carol", "--kind", "mitigate"
    )
    yield repo.bpm(
        "action",
        "add",
        pm,
        "Add a canary stage to the config push",
        "--owner",
        "carol",
        "--due",
        "2026-12-15",
        "--kind",
        "prevent",
    )
    repo.commit("Add action A2", "Carol Singh", "2026-10-23T10:00:00Z")
    yield repo.bpm(
        "new",
        "near-miss",
        "Expired cert caught by canary",
        "--started",
        "2026-11-18 09:12",
        "--severity",
        "SEV4",
        "--service",
        "cdn",
    )
    repo.commit("Near miss: expired cert", "Dara Rossi", "2026-11-18T12:00:00Z")
    yield repo.bpm("lint")
    yield repo.bpm("action", "list")
    yield repo.bpm("list")
    yield repo.bpm("report", "overdue")
    with (target / ".bpm.toml").open("a", encoding="utf-8") as config:
        config.write(OWNERS)
    repo.commit("Where to reach the owners", "Ana Okafor", "2026-11-20T09:00:00Z")
    yield repo.bpm("remind", "--smtp", "smtp.example.com:587", "--dry-run")
    yield repo.bpm("report", "stats", "--since", "2026-10-01")
    yield repo.bpm("site", "site")
