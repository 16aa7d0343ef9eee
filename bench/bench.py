#!/usr/bin/env python3
"""Benchmarks of bpm, side by side with baselines, in one run. See docs/performance.md.

    python3 bench/bench.py [--postmortems 5000] [--runs 7] [--only lint]

Builds the corpus of ../shared/bench/make_corpus.py once (cached in bench/out/), installs
bpm from this checkout (not editable: as users get it) into bench/out/venv together with
the baselines (proselint from PyPI, markdownlint-cli2 from npm), then times whole
processes. Commands of one benchmark run round-robin, so a busy moment of the machine
hits all of them alike; it prints the median of each and the ratios, and writes them to
bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
SHARED = Path(os.environ.get("BPM_SHARED", ROOT.parent / "shared"))
AS_OF = "2026-11-01"


def sh(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    subprocess.run(args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def corpus(postmortems: int) -> Path:
    target = OUT / f"corpus-{postmortems}"
    if not target.exists():
        print(f"building a corpus of {postmortems} postmortems in {target} ...", flush=True)
        sh(
            sys.executable,
            str(SHARED / "bench" / "make_corpus.py"),
            "--out",
            str(target),
            "--postmortems",
            str(postmortems),
            "--truth",
            str(OUT / f"corpus-{postmortems}.truth.json"),
        )
    return target


def venv() -> Path:
    """bench/out/venv with bpm (from this checkout) and proselint; markdownlint-cli2 beside it."""
    env_dir = OUT / "venv"
    if not env_dir.exists():
        print("installing bpm and the baselines ...", flush=True)
        sh(sys.executable, "-m", "venv", str(env_dir))
        sh(str(env_dir / "bin" / "pip"), "install", "-q", str(ROOT), "proselint")
    node = OUT / "node"
    if not (node / "node_modules" / ".bin" / "markdownlint-cli2").exists() and shutil.which("npm"):
        node.mkdir(parents=True, exist_ok=True)
        sh(
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(node),
            "markdownlint-cli2",
        )
    # this checkout's code, and any dependency it gained since the venv was made
    sh(str(env_dir / "bin" / "pip"), "install", "-q", str(ROOT))
    sh(str(env_dir / "bin" / "pip"), "install", "-q", "--no-deps", "--force-reinstall", str(ROOT))
    return env_dir


def measure(
    commands: dict[str, list[str]],
    cwd: Path,
    runs: int,
    env: dict[str, str],
    prepare: dict[str, list[str]] | None = None,
) -> dict[str, float]:
    """Median wall time of each command; they run round-robin, `runs` times each."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            if prepare and name in prepare:
                subprocess.run(
                    prepare[name],
                    cwd=cwd,
                    env=env,
                    check=False,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            start = time.perf_counter()
            subprocess.run(
                command,
                cwd=cwd,
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def report(title: str, medians: dict[str, float], base: str) -> dict[str, object]:
    print(f"\n{title}")
    for name, value in medians.items():
        ratio = value / medians[base]
        print(f"  {name:<44} {value:8.3f} s   {ratio:6.2f} x {base}")
    return {"title": title, "medians_s": medians, "base": base}


def bench_lint(
    repo: Path, bin_dir: Path, runs: int, env: dict[str, str]
) -> list[dict[str, object]]:
    bpm = str(bin_dir / "bpm")
    python = str(bin_dir / "python")
    files = sorted(str(p) for p in (repo / "postmortems").rglob("*.md"))
    one = files[len(files) // 2]
    results = []
    cold = {
        "bpm lint (5,000 files, no cache)": [bpm, "lint", "--no-cache", "--format", "json"],
        "proselint (same files)": [str(bin_dir / "proselint"), "check", *files],
    }
    mdl = OUT / "node" / "node_modules" / ".bin" / "markdownlint-cli2"
    if mdl.exists():
        cold["markdownlint-cli2 (same files)"] = [str(mdl), "postmortems/**/*.md"]
    results.append(
        report(
            "lint, cold",
            measure(cold, repo, max(3, runs // 2), env),
            "bpm lint (5,000 files, no cache)",
        )
    )
    warm = {
        "bpm lint (warm cache, nothing changed)": [bpm, "lint", "--format", "json"],
        "bpm lint (no cache)": [bpm, "lint", "--no-cache", "--format", "json"],
    }
    subprocess.run(
        warm["bpm lint (warm cache, nothing changed)"], cwd=repo, env=env, stdout=subprocess.DEVNULL
    )
    results.append(report("lint, warm", measure(warm, repo, runs, env), "bpm lint (no cache)"))
    single = {
        'python -c "import typer"': [python, "-c", "import typer"],
        "bpm lint ONE_FILE (as pre-commit runs it)": [bpm, "lint", one],
    }
    results.append(
        report("lint of one file", measure(single, repo, runs * 3, env), 'python -c "import typer"')
    )
    return results


NEW_COMMITS = r"""
import subprocess, sys
from pathlib import Path
files = sorted(Path("postmortems").rglob("*.md"))[:10]
for n, path in enumerate(files):
    text = path.read_text()
    path.write_text(text.replace("status: draft", "status: in-review", 1) + f"\nEdit {n}.\n")
    subprocess.run(["git", "commit", "-q", "-am", f"bench edit {n}"], check=True,
                   env={"GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "B",
                        "GIT_COMMITTER_EMAIL": "b@x", "PATH": "/usr/bin:/bin"})
"""


def bench_report(
    repo: Path, bin_dir: Path, runs: int, env: dict[str, str]
) -> list[dict[str, object]]:
    bpm = str(bin_dir / "bpm")
    python = str(bin_dir / "python")
    overdue = [bpm, "report", "overdue", "--as-of", AS_OF, "--format", "json"]
    results = []
    cold = {
        "git log -p -- postmortems/ > /dev/null": [
            "sh",
            "-c",
            "git log -p -- postmortems/ > /dev/null",
        ],
        "bpm report overdue --format json --no-cache": [*overdue, "--no-cache"],
    }
    results.append(
        report(
            "report overdue, cold",
            measure(cold, repo, max(3, runs // 2), env),
            "git log -p -- postmortems/ > /dev/null",
        )
    )
    peak = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *overdue, "--no-cache"],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    print(f"  peak resident memory of the cold run: {int(peak.stderr.split()[-1]) / 1024:.0f} MB")
    subprocess.run(overdue, cwd=repo, env=env, stdout=subprocess.DEVNULL)
    time.sleep(2.5)  # past the cache's same-instant guard
    subprocess.run(overdue, cwd=repo, env=env, stdout=subprocess.DEVNULL)
    warm = {
        "bpm report overdue --format json (warm)": overdue,
        "bpm report overdue --format json --no-cache": [*overdue, "--no-cache"],
    }
    results.append(
        report(
            "report overdue, warm",
            measure(warm, repo, runs, env),
            "bpm report overdue --format json --no-cache",
        )
    )
    scratch = OUT / "scratch-report"
    if scratch.exists():
        shutil.rmtree(scratch)
    sh("git", "clone", "-q", str(repo), str(scratch))
    subprocess.run(overdue, cwd=scratch, env=env, stdout=subprocess.DEVNULL)
    saved = OUT / "scratch-cache"
    if saved.exists():
        shutil.rmtree(saved)
    shutil.copytree(scratch / ".git" / "bpm", saved)
    reset = [
        "sh",
        "-c",
        f"git reset -q --hard origin/main && rm -rf .git/bpm && cp -r {saved} .git/bpm "
        f"&& {python} -c '{NEW_COMMITS}'",
    ]
    after = {
        "bpm report overdue (10 new commits since the cache)": overdue,
        "bpm report overdue --no-cache (same state)": [*overdue, "--no-cache"],
    }
    results.append(
        report(
            "report overdue, after 10 new commits",
            measure(after, scratch, max(3, runs // 2), env, prepare=dict.fromkeys(after, reset)),
            "bpm report overdue --no-cache (same state)",
        )
    )
    return results


ONE_CHANGE = r"""
import subprocess, sys
from pathlib import Path
path = sorted(Path("postmortems").rglob("*.md"))[int(sys.argv[1])]
path.write_text(path.read_text() + "\nOne more line.\n")
if sys.argv[2] == "commit":
    subprocess.run(["git", "commit", "-q", "-am", "bench: one change"], check=True,
                   env={"GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "B",
                        "GIT_COMMITTER_EMAIL": "b@x", "PATH": "/usr/bin:/bin"})
"""


def bench_stats_site(
    repo: Path, bin_dir: Path, runs: int, env: dict[str, str]
) -> list[dict[str, object]]:
    """report stats and site against report overdue, cold; warm stats; site rebuilds."""
    bpm = str(bin_dir / "bpm")
    python = str(bin_dir / "python")
    overdue = [bpm, "report", "overdue", "--as-of", AS_OF, "--format", "json"]
    stats = [bpm, "report", "stats", "--as-of", AS_OF, "--format", "json"]
    site_out = OUT / "site"
    site = [bpm, "site", str(site_out), "--as-of", AS_OF]
    results = []
    cold = {
        "bpm report overdue --no-cache": [*overdue, "--no-cache"],
        "bpm report stats --no-cache": [*stats, "--no-cache"],
        "bpm site OUT --no-cache (OUT empty)": [*site, "--no-cache"],
    }
    clear = ["rm", "-rf", str(site_out)]
    results.append(
        report(
            "report stats and site, cold (no caches)",
            measure(cold, repo, max(3, runs // 2), env, prepare=dict.fromkeys(cold, clear)),
            "bpm report overdue --no-cache",
        )
    )
    subprocess.run(stats, cwd=repo, env=env, stdout=subprocess.DEVNULL)
    forget = ["rm", "-f", ".git/bpm/stats.json"]
    warm = {
        "bpm report stats (warm: same question again)": stats,
        "bpm report stats (warm caches, a new question)": stats,
        "bpm report overdue (warm)": overdue,
    }
    results.append(
        report(
            "report stats, warm",
            measure(
                warm,
                repo,
                runs,
                env,
                prepare={"bpm report stats (warm caches, a new question)": forget},
            ),
            "bpm report overdue (warm)",
        )
    )
    scratch = OUT / "scratch-site"
    if scratch.exists():
        shutil.rmtree(scratch)
    sh("git", "clone", "-q", str(repo), str(scratch))
    subprocess.run(site, cwd=scratch, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    saved = OUT / "scratch-site-state"
    if saved.exists():
        shutil.rmtree(saved)
    saved.mkdir()
    shutil.copytree(scratch / ".git" / "bpm", saved / "cache")
    shutil.copytree(site_out, saved / "site")
    counter = iter(range(10_000))

    def one_change(mode: str) -> list[str]:
        return [
            "sh",
            "-c",
            f"git reset -q --hard origin/main && rm -rf .git/bpm {site_out} "
            f"&& cp -r {saved / 'cache'} .git/bpm && cp -r {saved / 'site'} {site_out} "
            f"&& {python} -c '{ONE_CHANGE}' {next(counter) % 5000} {mode}",
        ]

    rebuild = {
        "bpm site OUT (one postmortem changed, uncommitted)": site,
        "bpm site OUT (one postmortem changed and committed)": site,
        "bpm site OUT (nothing changed)": site,
        "bpm report overdue (warm, same state)": overdue,
    }
    prepare = {
        "bpm site OUT (one postmortem changed, uncommitted)": one_change("edit"),
        "bpm site OUT (one postmortem changed and committed)": one_change("commit"),
    }
    results.append(
        report(
            "site, rebuilds",
            measure(rebuild, scratch, runs, env, prepare=prepare),
            "bpm report overdue (warm, same state)",
        )
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postmortems", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=["lint", "report", "site"], default=None)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    repo = corpus(args.postmortems)
    bin_dir = venv() / "bin"
    env = {**os.environ, "BPM_NOW": f"{AS_OF}T12:00:00Z"}
    env.pop("NO_COLOR", None)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; corpus {repo}")
    results = []
    if args.only in (None, "lint"):
        results += bench_lint(repo, bin_dir, args.runs, env)
    if args.only in (None, "report"):
        results += bench_report(repo, bin_dir, args.runs, env)
    if args.only in (None, "site"):
        results += bench_stats_site(repo, bin_dir, args.runs, env)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
