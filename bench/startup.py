#!/usr/bin/env python3
"""Start-up time of bpm, side by side with `python -c "import typer"`. See docs/performance.md.

    python3 bench/startup.py [--runs 15] [--bpm PATH] [--compare PATH]

Makes a repository with one postmortem in a temporary folder, then runs each command
round-robin (so a busy moment of the machine hits all of them alike) and prints the
median of each and its ratio to `import typer`, the floor of any Typer program. The
goals of issue #13: `bpm --version` and `bpm lint ONE_FILE` at most 1.5x. For
information: `bpm --help`; `import typer, yaml`, the floor of anything that reads front
matter; and importing every module a one-file lint loads (found by running it once),
which leaves the run's own work as the difference to `bpm lint ONE_FILE`. Uses the `bpm`
beside this Python unless --bpm names another; --compare adds the same two commands of
another bpm (an older checkout, say) to the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

BASE = 'python -c "import typer"'
# Bytecode is written (the unmeasured first round does it), as an installed bpm has it.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "BPM_NOW": "2026-11-23T09:30:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def bpm_command(given: str | None) -> list[str]:
    """The `bpm` users run: the console script beside this Python, else `python -m bpmcli`."""
    if given:
        return [given]
    script = Path(sys.executable).with_name("bpm")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bpmcli"]


def one_postmortem(bpm: list[str], folder: Path) -> Path:
    """A fresh repository with `bpm init` and one `bpm new`: the file a pre-commit run lints."""
    subprocess.run(["git", "init", "-q", str(folder)], check=True, env=ENV)
    subprocess.run([*bpm, "init"], cwd=folder, check=True, env=ENV, capture_output=True)
    made = subprocess.run(
        [*bpm, "new", "incident", "DNS outage"],
        cwd=folder,
        check=True,
        env=ENV,
        capture_output=True,
        text=True,
    )
    return folder / made.stdout.strip()


# Runs the real entry point, then writes the names of the modules it loaded to argv[1].
LIST_MODULES = """
import atexit, sys
out, sys.argv = sys.argv[1], ["bpm", *sys.argv[2:]]
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
from bpmcli.cli import main
main()
"""


def modules_of(args: list[str], cwd: Path) -> list[str]:
    """Every module `bpm ARGS` imports (with this Python), in a form `import_module` takes."""
    listing = cwd.parent / "modules.txt"
    argv = [sys.executable, "-c", LIST_MODULES, str(listing), *args]
    subprocess.run(argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, check=True)
    return [name for name in listing.read_text().split() if not name.startswith("__main__")]


def commands(bpm: list[str], postmortem: Path, other: str | None) -> dict[str, list[str]]:
    python = sys.executable
    lint_modules = modules_of(["lint", str(postmortem)], postmortem.parents[2])
    import_them = (  # a few names are not importable (Cython's shared module): skipped
        "import importlib\n"
        f"for name in {lint_modules!r}:\n"
        "    try: importlib.import_module(name)\n"
        "    except ModuleNotFoundError: pass\n"
    )
    return {
        BASE: [python, "-c", "import typer"],
        'python -c "import typer, yaml"': [python, "-c", "import typer, yaml"],
        "import every module of `bpm lint ONE_FILE`": [python, "-c", import_them],
        "bpm --version": [*bpm, "--version"],
        "bpm lint ONE_FILE": [*bpm, "lint", str(postmortem)],
        "bpm --help": [*bpm, "--help"],
        **(
            {
                f"{other} --version": [other, "--version"],
                f"{other} lint ONE_FILE": [other, "lint", str(postmortem)],
            }
            if other
            else {}
        ),
    }


class Timing(NamedTuple):
    wall: float  # seconds, start to exit
    cpu: float  # the process's own user + system seconds: less moved by other load


def run_once(argv: list[str], cwd: Path) -> Timing:
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:  # the example has no findings: lint exits 0 too
        sys.exit(f"{' '.join(argv)} failed ({child.returncode})")
    return Timing(elapsed, usage.ru_utime + usage.ru_stime)


def measure(table: dict[str, list[str]], cwd: Path, runs: int) -> dict[str, Timing]:
    """Medians, the commands taking turns; one unmeasured round first warms the file cache."""
    times: dict[str, list[Timing]] = {name: [] for name in table}
    for round_ in range(runs + 1):
        for name, argv in table.items():
            timing = run_once(argv, cwd)
            if round_:
                times[name].append(timing)
    return {
        name: Timing(statistics.median(t.wall for t in got), statistics.median(t.cpu for t in got))
        for name, got in times.items()
    }


def show(medians: dict[str, Timing], runs: int) -> None:
    base = medians[BASE]
    print(f"{runs} runs each, round-robin; medians, and ratios to {BASE}")
    print("| command | wall | ratio | CPU | ratio |\n|---|---|---|---|---|")
    for name, median in medians.items():
        goal = " (goal <= 1.5)" if name in ("bpm --version", "bpm lint ONE_FILE") else ""
        shown = name if name.startswith("import every") else f"`{name}`"
        print(
            f"| {shown}{goal} | {median.wall * 1000:.1f} ms | {median.wall / base.wall:.2f} x "
            f"| {median.cpu * 1000:.1f} ms | {median.cpu / base.cpu:.2f} x |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (>= 10)")
    parser.add_argument("--bpm", help="the bpm executable to time")
    parser.add_argument("--compare", help="another bpm executable, timed alongside")
    args = parser.parse_args()
    if args.runs < 10:
        parser.error("--runs must be at least 10: fewer make a median that moves")
    bpm = bpm_command(args.bpm)
    folder = Path(tempfile.mkdtemp(prefix="bpm-startup-"))
    try:
        postmortem = one_postmortem(bpm, folder / "repo")
        table = commands(bpm, postmortem, args.compare)
        show(measure(table, folder / "repo", args.runs), args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
