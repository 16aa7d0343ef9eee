"""The composite GitHub Action (action.yml): parsed, and its `run:` steps run as a runner would.

A runner substitutes `${{ ... }}` expressions, runs each step's script with bash and the
step's `env:`, and puts the lines a step appended to $GITHUB_PATH on PATH for the steps
after it. `Runner` below does exactly that for the expressions action.yml uses; the `uses:`
step (actions/setup-python) is the one thing not run: the test's Python stands in for it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, Repo, git
from lint.base import CLEAN, PATH

ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def action() -> dict[str, Any]:
    loaded = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


class Runner:
    """Runs the action's `run:` steps in `workspace`, with `inputs` and a `github` context."""

    def __init__(self, workspace: Path, temp: Path, context: dict[str, str]) -> None:
        self.workspace = workspace
        self.temp = temp
        self.context = context
        self.path_file = temp / "github_path"
        self.path_file.touch()

    def value(self, match: re.Match[str]) -> str:
        name = match[1]
        assert name in self.context, f"action.yml uses ${{{{ {name} }}}}, unknown to the test"
        return self.context[name]

    def substitute(self, text: str) -> str:
        return EXPRESSION.sub(self.value, text)

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        assert step["shell"] == "bash"
        added = self.path_file.read_text(encoding="utf-8").split()
        env = {
            **os.environ,
            "PATH": os.pathsep.join([*reversed(added), os.environ["PATH"]]),
            "GITHUB_ACTION_PATH": self.context["github.action_path"],
            "GITHUB_PATH": str(self.path_file),
            "GITHUB_WORKSPACE": str(self.workspace),
            "RUNNER_TEMP": str(self.temp),
            "BPM_NOW": "2026-11-23T09:00:00Z",
            **{name: self.substitute(str(value)) for name, value in step.get("env", {}).items()},
        }
        env.pop("VIRTUAL_ENV", None)  # the test's own venv must not leak into the step
        return subprocess.run(
            ["bash", "-e", "-c", self.substitute(step["run"])],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )


def source_copy(tmp: Path) -> Path:
    """This checkout as a git repository of its own, tagged, for the `version` input."""
    source = tmp / "bpm-source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "out", "*.egg-info", "__pycache__", ".*_cache", "test-artifacts"
        ),
    )
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "s")
    git(source, "tag", "v9.9.9")
    return source


def test_action_yml_is_a_composite_action_with_args_and_version_inputs() -> None:
    loaded = action()
    assert loaded["runs"]["using"] == "composite"
    assert set(loaded["inputs"]) == {"args", "version", "python-version"}
    assert all("description" in spec for spec in loaded["inputs"].values())
    steps = loaded["runs"]["steps"]
    (setup,) = [step for step in steps if "uses" in step]
    assert setup["uses"].startswith("actions/setup-python@")
    assert "inputs.python-version" in setup["if"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert any('pip" install --quiet "$GITHUB_ACTION_PATH"' in s for s in scripts)
    assert any("bpm lint --format github $BPM_ARGS" in s for s in scripts)
    # inputs reach the scripts as environment variables, never pasted into them
    assert not any("inputs." in s for s in scripts)


@pytest.fixture
def runner(repo: Repo, tmp_path: Path) -> Iterator[Runner]:
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    yield Runner(
        repo.path,
        temp,
        {
            "github.action_path": str(ROOT),
            "github.server_url": "https://github.invalid",
            "github.action_repository": "nobody/bpm",
            "inputs.version": "",
            "inputs.args": "",
        },
    )


def run_steps(runner: Runner) -> list[subprocess.CompletedProcess[str]]:
    return [runner.run(step) for step in action()["runs"]["steps"] if "run" in step]


def test_the_action_installs_bpm_from_its_checkout_and_annotates_findings(
    repo: Repo, runner: Runner
) -> None:
    vague = CLEAN.replace(
        "action: Make the splitter idempotent", "action: Investigate the splitter"
    )
    repo.commit("A postmortem with a vague action", {PATH: vague})
    install, lint = run_steps(runner)
    assert install.returncode == 0, install.stderr
    assert install.stdout.startswith("bpm ")
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert f"::error file={PATH},line=11,col=5,title=BPM103::" in lint.stdout

    # args are added to the command: a path and --select that leaves nothing to report
    runner.context["inputs.args"] = f"--select BPM2 {PATH}"
    lint_step = next(s for s in action()["runs"]["steps"] if "BPM_ARGS" in s.get("env", {}))
    selected = runner.run(lint_step)
    assert selected.returncode == 0, selected.stdout + selected.stderr
    assert "::error" not in selected.stdout


def test_the_version_input_installs_that_tag_of_the_actions_repository(
    repo: Repo, runner: Runner, tmp_path: Path
) -> None:
    source = source_copy(tmp_path)
    runner.context.update(
        {
            "inputs.version": "v9.9.9",
            # a host in the URL: the pip of Python 3.11's ensurepip rejects git+file:///
            "github.server_url": f"file://localhost{source.parent.as_posix()}",
            "github.action_repository": source.name,
            "github.action_path": str(tmp_path / "no-such-checkout"),  # must not be used
        }
    )
    repo.commit("A clean postmortem", {PATH: CLEAN})
    install, lint = run_steps(runner)
    assert install.returncode == 0, install.stderr
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert lint.stdout == ""
