from __future__ import annotations

from collections.abc import Callable

from bpmcli import config
from conftest import Ran, Repo, snapshot

Bpm = Callable[..., Ran]


def test_init_writes_a_valid_config_and_the_folder(bpm: Bpm, repo: Repo) -> None:
    (repo.path / "sub").mkdir()
    ran = bpm("init", cwd=repo.path / "sub")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout.splitlines() == [
        "created ../.bpm.toml",
        "created ../postmortems/.gitkeep",
        "created ../postmortems/.markdownlint-cli2.jsonc",
    ]
    loaded = config.load(repo.path)
    assert loaded.source == repo.path / ".bpm.toml"
    assert loaded.dir == "postmortems" and loaded.review_sla_days == 5
    assert dict(loaded.action_due_days) == {"SEV1": 15, "SEV2": 30, "SEV3": 60, "SEV4": 90}


def test_init_keeps_a_markdownlint_config_of_the_teams_own(bpm: Bpm, repo: Repo) -> None:
    ours = repo.write("postmortems/.markdownlint-cli2.jsonc", '{"config": {"MD013": false}}\n')
    ran = bpm("init")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout.splitlines() == ["created .bpm.toml", "created postmortems/.gitkeep"]
    assert ours.read_text() == '{"config": {"MD013": false}}\n'


def test_init_twice_refuses_and_changes_nothing(bpm: Bpm, repo: Repo) -> None:
    bpm("init")
    before = snapshot(repo.path)
    ran = bpm("init")
    assert ran.exit_code == 2
    assert ran.stderr == "error: already initialised: .bpm.toml exists (it is never overwritten)\n"
    assert snapshot(repo.path) == before


def test_init_templates_copies_the_built_ins(bpm: Bpm, repo: Repo) -> None:
    bpm("init")
    ran = bpm("init", "--templates")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout.splitlines() == [
        "created .bpm/templates/incident.md.j2",
        "created .bpm/templates/near-miss.md.j2",
    ]
    listed = bpm("new", "--list").stdout
    assert "incident\trepository (overrides built-in)" in listed


def test_init_templates_never_overwrites(bpm: Bpm, repo: Repo) -> None:
    repo.write(".bpm/templates/near-miss.md.j2", "# mine\n")
    before = snapshot(repo.path)
    ran = bpm("init", "--templates")
    assert ran.exit_code == 2
    assert ran.stderr == (
        "error: .bpm/templates/near-miss.md.j2: exists and is never overwritten; "
        "nothing was written\n"
    )
    assert snapshot(repo.path) == before


def test_init_in_pyproject_configured_repo_is_already_initialised(bpm: Bpm, repo: Repo) -> None:
    repo.write("pyproject.toml", "[tool.bpm]\nreview_sla_days = 3\n")
    ran = bpm("init")
    assert ran.exit_code == 2
    assert "already initialised: pyproject.toml" in ran.stderr


def test_version_as_module_and_command(repo: Repo) -> None:
    from bpmcli import __version__
    from conftest import bpm_process

    done = bpm_process("--version", cwd=repo.path)
    assert (done.returncode, done.stdout) == (0, f"bpm {__version__}\n")


def test_directory_option_runs_elsewhere(bpm: Bpm, repo: Repo, tmp_path: object) -> None:
    ran = bpm(
        "-C",
        str(repo.path),
        "new",
        "incident",
        "Elsewhere",
        "--started",
        "2026-11-20 10:00",
        cwd=repo.path.parent,
    )
    assert ran.exit_code == 0, ran.stderr
    assert (repo.path / "postmortems/2026/2026-11-20-elsewhere.md").is_file()
    ran = bpm("-C", str(repo.path / "missing"), "list", cwd=repo.path.parent)
    assert ran.exit_code == 2
    assert ran.stderr.startswith("error: ") and "missing: cannot change to folder" in ran.stderr
