from __future__ import annotations

from pathlib import Path

from conftest import bpm_process, git


def test_demo_builds_a_repository_with_history_and_runs_bpm(tmp_path: Path) -> None:
    target = tmp_path / "example"
    done = bpm_process("demo", str(target), cwd=tmp_path, env={"COLUMNS": "120"})
    assert done.returncode == 0, done.stderr
    assert "$ bpm new incident 'Checkout outage after config push'" in done.stdout
    assert "postmortems/2026/2026-10-20-checkout-outage-after-config-push.md" in done.stdout
    assert (
        "postmortems/2026/2026-10-20-checkout-outage-after-config-push.md: added A1, due 2026-11-05"
        in done.stdout
    )
    assert "error: BPM103 the action starts with the vague verb 'investigate'" in done.stdout
    assert "BPM401 review overdue by 29 days" in done.stdout
    # its tables are laid out for the terminal it runs in (COLUMNS), as the commands' own are
    assert (
        "2026-10-20-checkout-outage-after-config-push  A1  Make the config      "
        "2026-11-05  2026-10-22  Bob Chen          0\n"
    ) in done.stdout
    assert (
        "A1  Make the config loader      bob    2026-11-05  prevent  open (overdue)\n"
        in done.stdout
    )
    assert "2026-10-20 14:11  alice       Rolled back to config" in done.stdout
    assert "1 overdue action, 1 owner; most overdue: bob (1)" in done.stdout
    assert "$ bpm remind --smtp smtp.example.com:587 --dry-run" in done.stdout
    assert (
        "--- email to bob@example.com\nSubject: bpm: 1 overdue action for bob\n\n"
        "bob: 1 overdue action (as of 2026-11-23)\n\n"
        "- 18 days overdue: A1 Make the config loader reject unknown keys\n"
        "  due 2026-11-05 (never moved)\n  added by Bob Chen on 2026-10-22\n"
    ) in done.stdout
    assert "Subject: bpm: 1 action to escalate for alice" in done.stdout
    assert "$ bpm report stats --since 2026-10-01" in done.stdout
    assert "postmortems started           1        1\n" in done.stdout
    assert "site: 6 pages, 6 written, 0 unchanged" in done.stdout
    assert (target / "site" / "index.html").is_file()
    assert "Traceback" not in done.stdout + done.stderr
    log = git(target, "log", "--format=%an|%ad|%s", "--date=short").splitlines()
    assert log[-1] == "Ana Okafor|2026-09-01|Adopt bpm"
    assert "Bob Chen|2026-10-22|Add action A1" in log
    assert git(target, "status", "--porcelain") == ""


def test_demo_never_writes_into_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("precious")
    done = bpm_process("demo", str(tmp_path / "mine"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "error: mine: exists; the demo only writes into a new folder\n"
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["keep.txt"]
