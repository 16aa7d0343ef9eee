"""The `bpm` entry point as users meet it: version, help, exit codes, errors, lazy loading.

Every run here is a real process through the real entry (`bpmcli.cli.main`), in a real
git repository; nothing is mocked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bpmcli import __version__
from bpmcli.cli import COMMANDS
from bpmcli.cli.lazy import build
from conftest import Ran, Repo, bpm_process

Bpm = Callable[..., Ran]

HINT = "(a bug in bpm; run with BPM_DEBUG=1 for the traceback)"

# Runs the real entry point with the arguments given, then writes the names of every
# module that was imported to $BPM_MODULES_OUT (atexit: main() ends with sys.exit).
MODULES_DRIVER = """
import atexit, json, os, sys

def dump():
    with open(os.environ["BPM_MODULES_OUT"], "w") as out:
        json.dump(sorted(sys.modules), out)

atexit.register(dump)
sys.argv = ["bpm", *sys.argv[1:]]
from bpmcli.cli import main
main()
"""

# The real app and main(), with one more command: a bug, or an interrupt, for real.
RAISING_DRIVER = """
import sys
from bpmcli.cli import app, main

@app.command("explode")
def explode() -> None:
    raise RuntimeError("the splitter\\x1b[31m is gone")

@app.command("interrupt")
def interrupt() -> None:
    raise KeyboardInterrupt

sys.argv = ["bpm", *sys.argv[1:]]
main()
"""

# Heavy, or belonging to other commands: none of these may load for --version or lint.
NOT_FOR_LINT = (
    "bpmcli.store.history",
    "bpmcli.store.snapshots",
    "bpmcli.site",
    "bpmcli.importer",
    "bpmcli.report",
    "bpmcli.stats",
    "bpmcli.cli.report",
    "bpmcli.cli.site",
    "bpmcli.cli.timeline",
    "bpmcli.cli.importing",
    "bpmcli.cli.postmortems",
    "jinja2",
    "ruamel",
    "rich",
    "markdown_it",
    "leather",
    "lemminflect",
)


def python(code: str, *args: str, cwd: Path, env: dict[str, str] | None = None) -> Ran:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env={**os.environ, "BPM_NOW": "2026-11-23T09:30:00+00:00", **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def modules_loaded(repo: Repo, *args: str) -> set[str]:
    out = repo.path.parent / "modules.json"
    ran = python(MODULES_DRIVER, *args, cwd=repo.path, env={"BPM_MODULES_OUT": str(out)})
    assert ran.exit_code in (0, 1), ran.stderr
    return set(json.loads(out.read_text()))


def loaded_of(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_version_prints_the_version(repo: Repo) -> None:
    done = bpm_process("--version", cwd=repo.path)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"bpm {__version__}\n", "")


def test_version_imports_no_command_and_no_heavy_module(repo: Repo) -> None:
    modules = modules_loaded(repo, "--version")
    assert loaded_of(modules, NOT_FOR_LINT) == []
    assert loaded_of(modules, ("yaml", "bpmcli.lint", "bpmcli.format", "bpmcli.cli.lint")) == []


def test_lint_of_one_file_imports_only_what_lint_needs(bpm: Bpm, repo: Repo) -> None:
    assert bpm("init").exit_code == 0
    made = bpm("new", "incident", "DNS outage")
    assert made.exit_code == 0
    modules = modules_loaded(repo, "lint", made.stdout.strip())
    assert loaded_of(modules, NOT_FOR_LINT) == []
    assert "bpmcli.cli.lint" in modules and "yaml" in modules


# Not needed by a one-file lint of what `bpm new` writes (no actions, the UTC zone, text
# output, no cache below 32 files): the other output registries, the action judge, the
# zone database, the lint cache and the store; and bpm's modules on this path create no
# dataclass (each cost 0.2-0.4 ms at start-up: docs/performance.md, "Start-up").
NOT_FOR_ONE_FILE = (
    "bpmcli.output.progress",
    "bpmcli.output.pager",
    "bpmcli.output.table",
    "bpmcli.output.summary",
    "bpmcli.output.importing",
    "bpmcli.output.listing",
    "bpmcli.output.reports",
    "bpmcli.lint.judge.actions",
    "bpmcli.lint.judge.action_base",
    "bpmcli.lint.judge.vague",
    "bpmcli.lint.judge.vague_words",
    "bpmcli.lint.judge.exhortation",
    "bpmcli.lint.judge.headline",
    "bpmcli.lint.cache",
    "bpmcli.store",
    "zoneinfo",
    "dataclasses",
)

# A body in the plain shape (headings, paragraphs, a table) with no word the language
# judges look for: neither the Markdown parser nor the judges are needed.
PLAIN = """---
id: 2026-11-20-resolver-cache
title: Resolver cache
kind: incident
status: draft
severity: SEV4
started: 2026-11-20T09:30:00Z
review_by: 2026-11-25
actions: []
---
# Resolver cache

## Summary

The resolver cache expired and lookups went to the upstream servers.

## Impact

Requests took longer for ten minutes.

## Timeline

| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |
|---|---|---|---|---|---|
| 2026-11-20 09:30 | alice | Paged | Joined | Quick fix | Cache only |

## Contributing factors

The cache had one expiry time for every entry.

## What we learned

Spread expiry times.

## Action items

Two are planned.
"""


def test_lint_of_a_new_postmortem_leaves_out_what_it_does_not_need(bpm: Bpm, repo: Repo) -> None:
    assert bpm("init").exit_code == 0
    made = bpm("new", "incident", "DNS outage")
    assert made.exit_code == 0
    modules = modules_loaded(repo, "lint", made.stdout.strip())
    assert loaded_of(modules, NOT_FOR_ONE_FILE) == []
    assert "bpmcli.output.lint" in modules and "tomllib" in modules


def test_lint_of_a_plain_postmortem_needs_no_parser_and_no_judge(bpm: Bpm, repo: Repo) -> None:
    assert bpm("init").exit_code == 0
    path = repo.write("postmortems/2026/2026-11-20-resolver-cache.md", PLAIN)
    modules = modules_loaded(repo, "lint", str(path))
    judges = tuple(
        f"bpmcli.lint.judge.{name}" for name in ("blame", "blame_words", "hindsight", "sentences")
    )
    assert loaded_of(modules, (*NOT_FOR_ONE_FILE, "pyromark", *judges)) == []
    assert "bpmcli.lint.judge.prose" in modules  # its gate ran, and let nothing through


def test_help_lists_every_command_without_importing_any(repo: Repo) -> None:
    modules = modules_loaded(repo, "--help")
    assert loaded_of(modules, tuple(e.module for e in COMMANDS.values())) == []
    done = bpm_process("--help", cwd=repo.path)
    assert done.returncode == 0
    listed = re.findall(r"^│ (\w+) ", done.stdout, flags=re.MULTILINE)
    assert listed == list(COMMANDS)
    words = " ".join(done.stdout.replace("│", " ").split())
    for entry in COMMANDS.values():
        assert " ".join(entry.help.split()) in words


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_table_help_is_the_commands_own(name: str) -> None:
    command = build(name, COMMANDS[name])
    assert command.name == name
    assert (command.help or "").strip().splitlines()[0] == COMMANDS[name].help


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("nosuch",),
        ("lint", "--format", "yaml"),
        ("lint", "--no-such-option"),
        ("action", "list", "--status", "closed"),
        ("report",),
        ("import",),
    ],
)
def test_usage_errors_exit_2(repo: Repo, args: tuple[str, ...]) -> None:
    assert bpm_process(*args, cwd=repo.path).returncode == 2


def test_an_unknown_command_suggests_the_nearest(repo: Repo) -> None:
    done = bpm_process("lnt", cwd=repo.path)
    assert done.returncode == 2 and "Did you mean 'lint'?" in done.stderr
    done = bpm_process("timline", cwd=repo.path)
    assert "Did you mean 'timeline'?" in done.stderr


def test_a_users_mistake_is_one_line_with_its_code(repo: Repo) -> None:
    done = bpm_process("show", "nothing-like-this", cwd=repo.path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_an_unexpected_exception_exits_3_with_one_line(repo: Repo) -> None:
    ran = python(RAISING_DRIVER, "explode", cwd=repo.path, env={"BPM_DEBUG": ""})
    assert ran.exit_code == 3
    assert ran.stderr == f"error: unexpected RuntimeError: the splitter?[31m is gone {HINT}\n"


def test_bpm_debug_prints_the_traceback_too(repo: Repo) -> None:
    ran = python(RAISING_DRIVER, "explode", cwd=repo.path, env={"BPM_DEBUG": "1"})
    assert ran.exit_code == 3
    assert ran.stderr.startswith("Traceback (most recent call last):")
    assert ", in explode" in ran.stderr
    last = ran.stderr.splitlines()[-1]
    assert last == "error: unexpected RuntimeError: the splitter?[31m is gone (a bug in bpm)"


def test_an_interrupt_exits_130(repo: Repo) -> None:
    ran = python(RAISING_DRIVER, "interrupt", cwd=repo.path)
    assert (ran.exit_code, ran.stderr) == (130, "error: interrupted\n")


def test_findings_exit_1_and_a_bad_option_value_exit_2(bpm: Bpm, repo: Repo) -> None:
    repo.write("postmortems/2026/broken.md", "no front matter\n")
    assert bpm_process("lint", cwd=repo.path).returncode == 1
    assert bpm_process("report", "overdue", "--as-of", "March", cwd=repo.path).returncode == 2
