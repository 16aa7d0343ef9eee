#!/usr/bin/env python3
"""Benchmarks of bpm, side by side with baselines, in one run. See docs/performance.md.

    python3 bench/bench.py [--postmortems 5000] [--runs 7] [--only lint]
                           [--baseline REV] [--shared-corpus] [--no-others]

Builds a corpus with the project's own bench/corpus.py once (cached in bench/out/; with
--shared-corpus, ../shared/bench/make_corpus.py's, or $BPM_SHARED's), installs bpm from
this checkout (not editable: as users get it) into bench/out/venv together with the
baselines (proselint from PyPI, markdownlint-cli2 from npm), then times whole processes.
Commands of one benchmark run round-robin, so a busy moment of the machine hits all of
them alike; it prints the median of each and the ratios, and writes them to
bench/out/results.json.

--baseline REV also installs bpm as it was at git revision REV (`git archive`, into
bench/out/baseline-SHA/) and runs every bpm command of every benchmark for both, in the
same round-robin, each in its own byte-identical copy of the corpus (their caches under
.git/bpm must not meet); it prints the ratio new / baseline for each pair.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
SHARED = Path(os.environ.get("BPM_SHARED", ROOT.parent / "shared"))
AS_OF = "2026-11-01"


def sh(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    subprocess.run(args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def corpus(postmortems: int, shared: bool) -> Path:
    """The benchmark corpus, built once: by bench/corpus.py, or by the shared builder."""
    builder = SHARED / "bench" / "make_corpus.py" if shared else HERE / "corpus.py"
    if not builder.is_file():
        sys.exit(f"{builder} is missing: put shared/ beside the repository or set BPM_SHARED")
    # Named after the builder's own bytes: a changed builder builds a new corpus.
    version = hashlib.sha256(builder.read_bytes()).hexdigest()[:8]
    target = OUT / f"corpus-{'shared' if shared else 'own'}-{postmortems}-{version}"
    if not target.exists():
        print(f"building a corpus of {postmortems} postmortems in {target} ...", flush=True)
        sh(
            sys.executable,
            str(builder),
            "--out",
            str(target),
            "--postmortems",
            str(postmortems),
            "--truth",
            str(target.with_name(target.name + ".truth.json")),
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


@dataclass(frozen=True)
class Install:
    """One bpm to time: its venv's bin/, and the copy of the corpus it runs in."""

    label: str  # "" for this checkout, "baseline REV" for the other
    bin: Path
    repo: Path

    def name(self, text: str) -> str:
        return f"{text} [{self.label}]" if self.label else text

    def bpm(self, *args: str) -> list[str]:
        return [str(self.bin / "bpm"), *args]


def baseline(rev: str, repo: Path) -> Install:
    """bpm as of git revision `rev`, installed in bench/out/baseline-SHA/venv, with its own
    byte-identical copy of the corpus (so the two never share a cache under .git/bpm)."""
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    home = OUT / f"baseline-{sha[:12]}"
    env_dir = home / "venv"
    if not (env_dir / "bin" / "bpm").exists():
        print(f"installing bpm as of {rev} ({sha[:12]}) in {home} ...", flush=True)
        source = home / "src"
        shutil.rmtree(home, ignore_errors=True)
        source.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
        sh(sys.executable, "-m", "venv", str(env_dir))
        sh(str(env_dir / "bin" / "pip"), "install", "-q", str(source))
    copy = OUT / f"{repo.name}-baseline-{sha[:12]}"
    shutil.rmtree(copy, ignore_errors=True)  # afresh: the corpus as it is, no caches
    shutil.copytree(repo, copy, symlinks=True)
    shutil.rmtree(copy / ".git" / "bpm", ignore_errors=True)
    return Install(f"baseline {rev}", env_dir / "bin", copy)


@dataclass(frozen=True)
class Job:
    """A command to time, where it runs, and what runs untimed before each timing."""

    command: list[str]
    cwd: Path
    prepare: list[str] | None = None


def measure(jobs: dict[str, Job], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall time of each job; they run round-robin, `runs` times each."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            if job.prepare:
                quietly(job.prepare, job.cwd, env)
            start = time.perf_counter()
            quietly(job.command, job.cwd, env)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def quietly(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(
        command, cwd=cwd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def report(
    title: str, medians: dict[str, float], base: str, pairs: dict[str, str] | None = None
) -> dict[str, object]:
    """Print medians and ratios to `base`; and for each (new, baseline) pair, new / baseline."""
    print(f"\n{title}")
    width = max(map(len, medians)) + 2
    for name, value in medians.items():
        ratio = value / medians[base]
        print(f"  {name:<{width}} {value:8.3f} s   {ratio:6.2f} x {base}")
    versus = {new: medians[new] / medians[old] for new, old in (pairs or {}).items()}
    if versus:
        print("  new / baseline:")
    for new, ratio in versus.items():
        print(f"    {new:<{width - 2}} {ratio:8.3f}")
    return {"title": title, "medians_s": medians, "base": base, "new_over_baseline": versus}


def each(
    installs: list[Install], make: dict[str, Callable[[Install], Job]]
) -> tuple[dict[str, Job], dict[str, str]]:
    """Every bpm job for every install, interleaved; and the pairs (this checkout, baseline)."""
    jobs: dict[str, Job] = {}
    pairs: dict[str, str] = {}
    for text, job_of in make.items():
        for install in installs:
            jobs[install.name(text)] = job_of(install)
            if install.label:
                pairs[text] = install.name(text)
    return jobs, pairs


def bench_lint(
    installs: list[Install], runs: int, env: dict[str, str], others: bool = True
) -> list[dict[str, object]]:
    new = installs[0]
    files = sorted((new.repo / "postmortems").rglob("*.md"))
    one = files[len(files) // 2].relative_to(new.repo)
    many = f"bpm lint ({len(files):,} files, no cache)"
    results = []
    jobs, pairs = each(
        installs, {many: lambda i: Job(i.bpm("lint", "--no-cache", "-f", "json"), i.repo)}
    )
    if others:
        jobs["proselint (same files)"] = Job(
            [str(new.bin / "proselint"), "check", *map(str, files)], new.repo
        )
    mdl = OUT / "node" / "node_modules" / ".bin" / "markdownlint-cli2"
    if others and mdl.exists():
        jobs["markdownlint-cli2 (same files)"] = Job([str(mdl), "postmortems/**/*.md"], new.repo)
    results.append(report("lint, cold", measure(jobs, max(3, runs // 2), env), many, pairs))
    warm_name = "bpm lint (warm cache, nothing changed)"
    for install in installs:  # fill each install's cache once
        quietly(install.bpm("lint", "--format", "json"), install.repo, env)
    jobs, pairs = each(
        installs,
        {
            warm_name: lambda i: Job(i.bpm("lint", "--format", "json"), i.repo),
            "bpm lint (no cache)": lambda i: Job(i.bpm("lint", "--no-cache", "-f", "json"), i.repo),
        },
    )
    results.append(report("lint, warm", measure(jobs, runs, env), "bpm lint (no cache)", pairs))
    typer = 'python -c "import typer"'
    jobs, pairs = each(
        installs,
        {
            "bpm lint ONE_FILE (as pre-commit runs it)": lambda i: Job(
                i.bpm("lint", str(one)), i.repo
            )
        },
    )
    jobs = {typer: Job([str(new.bin / "python"), "-c", "import typer"], new.repo), **jobs}
    results.append(report("lint of one file", measure(jobs, runs * 3, env), typer, pairs))
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


def overdue(install: Install, *extra: str) -> list[str]:
    return install.bpm("report", "overdue", "--as-of", AS_OF, "--format", "json", *extra)


def scratch_clone(install: Install, what: str) -> Path:
    """A fresh clone of the install's corpus, to change without spoiling the corpus."""
    where = OUT / f"scratch-{what}{'-' + install.repo.name if install.label else ''}"
    if where.exists():
        shutil.rmtree(where)
    sh("git", "clone", "-q", str(install.repo), str(where))
    return where


def bench_report(
    installs: list[Install], runs: int, env: dict[str, str]
) -> list[dict[str, object]]:
    new = installs[0]
    results = []
    git_log = "git log -p -- postmortems/ > /dev/null"
    cold_name = "bpm report overdue --format json --no-cache"
    jobs, pairs = each(
        installs, {cold_name: lambda i: Job(overdue(i, "--no-cache"), i.repo, cold_start(i))}
    )
    jobs = {git_log: Job(["sh", "-c", git_log], new.repo), **jobs}
    cold = measure(jobs, max(3, runs // 2), env)
    results.append(report("report overdue, cold", cold, git_log, pairs))
    for install in installs:
        peak = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *overdue(install, "--no-cache")],
            cwd=install.repo,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        megabytes = int(peak.stderr.split()[-1]) / 1024
        print(f"  {install.name('peak resident memory of the cold run')}: {megabytes:.0f} MB")
    for install in installs:
        quietly(overdue(install), install.repo, env)
    time.sleep(2.5)  # past the cache's same-instant guard
    for install in installs:
        quietly(overdue(install), install.repo, env)
    jobs, pairs = each(
        installs,
        {
            "bpm report overdue --format json (warm)": lambda i: Job(overdue(i), i.repo),
            cold_name: lambda i: Job(overdue(i, "--no-cache"), i.repo),
        },
    )
    results.append(report("report overdue, warm", measure(jobs, runs, env), cold_name, pairs))
    resets = {install.label: after_new_commits(install, env) for install in installs}
    jobs, pairs = each(
        installs,
        {
            "bpm report overdue (10 new commits since the cache)": lambda i: Job(
                overdue(i), resets[i.label][0], resets[i.label][1]
            ),
            "bpm report overdue --no-cache (same state)": lambda i: Job(
                overdue(i, "--no-cache"), resets[i.label][0], resets[i.label][1]
            ),
        },
    )
    results.append(
        report(
            "report overdue, after 10 new commits",
            measure(jobs, max(3, runs // 2), env),
            "bpm report overdue --no-cache (same state)",
            pairs,
        )
    )
    return results


def after_new_commits(install: Install, env: dict[str, str]) -> tuple[Path, list[str]]:
    """A clone with a warm cache, and the command that puts it back and adds 10 commits."""
    scratch = scratch_clone(install, "report")
    quietly(overdue(install), scratch, env)
    saved = scratch.with_name(scratch.name + "-cache")
    if saved.exists():
        shutil.rmtree(saved)
    shutil.copytree(scratch / ".git" / "bpm", saved)
    python = str(install.bin / "python")
    reset = [
        "sh",
        "-c",
        f"git reset -q --hard origin/main && rm -rf .git/bpm && cp -r {saved} .git/bpm "
        f"&& {python} -c '{NEW_COMMITS}'",
    ]
    return scratch, reset


ONE_CHANGE = r"""
import subprocess, sys
from pathlib import Path
files = sorted(Path("postmortems").rglob("*.md"))
path = files[int(sys.argv[1]) % len(files)]
path.write_text(path.read_text() + "\nOne more line.\n")
if sys.argv[2] == "commit":
    subprocess.run(["git", "commit", "-q", "-am", "bench: one change"], check=True,
                   env={"GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "B",
                        "GIT_COMMITTER_EMAIL": "b@x", "PATH": "/usr/bin:/bin"})
"""


def stats(install: Install, *extra: str) -> list[str]:
    return install.bpm("report", "stats", "--as-of", AS_OF, "--format", "json", *extra)


def site_out(install: Install) -> Path:
    return OUT / f"site{'-' + install.repo.name if install.label else ''}"


def site(install: Install, *extra: str) -> list[str]:
    return install.bpm("site", str(site_out(install)), "--as-of", AS_OF, *extra)


def cold_start(install: Install) -> list[str]:
    """Remove the site's output and every cache under .git/bpm: bpm before #13 read and
    wrote a report cache even with --no-cache, which would make its "cold" rounds warm."""
    return ["rm", "-rf", str(site_out(install)), str(install.repo / ".git" / "bpm")]


def bench_stats_site(
    installs: list[Install], runs: int, env: dict[str, str]
) -> list[dict[str, object]]:
    """report stats and site against report overdue, cold; warm stats; site rebuilds."""
    results = []
    base = "bpm report overdue --no-cache"
    jobs, pairs = each(
        installs,
        {
            base: lambda i: Job(overdue(i, "--no-cache"), i.repo, cold_start(i)),
            "bpm report stats --no-cache": lambda i: Job(
                stats(i, "--no-cache"), i.repo, cold_start(i)
            ),
            "bpm site OUT --no-cache (OUT empty)": lambda i: Job(
                site(i, "--no-cache"), i.repo, cold_start(i)
            ),
        },
    )
    cold = measure(jobs, max(3, runs // 2), env)
    results.append(report("report stats and site, cold (no caches)", cold, base, pairs))
    for install in installs:
        quietly(stats(install), install.repo, env)
    forget = ["rm", "-f", ".git/bpm/stats.json"]
    warm_base = "bpm report overdue (warm)"
    jobs, pairs = each(
        installs,
        {
            "bpm report stats (warm: same question again)": lambda i: Job(stats(i), i.repo),
            "bpm report stats (warm caches, a new question)": lambda i: Job(
                stats(i), i.repo, forget
            ),
            warm_base: lambda i: Job(overdue(i), i.repo),
        },
    )
    results.append(report("report stats, warm", measure(jobs, runs, env), warm_base, pairs))
    states = {install.label: site_state(install, env) for install in installs}
    edit, commit = 0, 1  # which postmortem each changes: the same for every install

    def rebuild(mode: str | None) -> Callable[[Install], Job]:
        def job(install: Install) -> Job:
            scratch, reset = states[install.label]
            prepare = None
            if mode is not None:
                index = edit if mode == "edit" else commit
                prepare = [*reset[:2], f"{reset[2]} {index} {mode}"]
            return Job(site(install), scratch, prepare)

        return job

    rebuild_base = "bpm report overdue (warm, same state)"
    jobs, pairs = each(
        installs,
        {
            "bpm site OUT (one postmortem changed, uncommitted)": rebuild("edit"),
            "bpm site OUT (one postmortem changed and committed)": rebuild("commit"),
            "bpm site OUT (nothing changed)": rebuild(None),
            rebuild_base: lambda i: Job(overdue(i), states[i.label][0]),
        },
    )
    results.append(report("site, rebuilds", measure(jobs, runs, env), rebuild_base, pairs))
    return results


def site_state(install: Install, env: dict[str, str]) -> tuple[Path, list[str]]:
    """A clone with a built site and warm caches, and the command (add `INDEX MODE`) that
    puts both back and changes one postmortem."""
    scratch = scratch_clone(install, "site")
    out = site_out(install)
    quietly(site(install), scratch, env)
    saved = scratch.with_name(scratch.name + "-state")
    if saved.exists():
        shutil.rmtree(saved)
    saved.mkdir()
    shutil.copytree(scratch / ".git" / "bpm", saved / "cache")
    shutil.copytree(out, saved / "site")
    python = str(install.bin / "python")
    script = (
        f"git reset -q --hard origin/main && rm -rf .git/bpm {out} "
        f"&& cp -r {saved / 'cache'} .git/bpm && cp -r {saved / 'site'} {out} "
        f"&& {python} -c '{ONE_CHANGE}'"
    )
    return scratch, ["sh", "-c", script]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--postmortems", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=["lint", "report", "site"], default=None)
    parser.add_argument(
        "--baseline", metavar="REV", help="also time bpm as of this git revision, side by side"
    )
    parser.add_argument(
        "--no-others",
        action="store_true",
        help="skip proselint and markdownlint-cli2 (minutes each) in the lint benchmark",
    )
    parser.add_argument(
        "--shared-corpus",
        action="store_true",
        help="use ../shared/bench/make_corpus.py ($BPM_SHARED) instead of bench/corpus.py",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    repo = corpus(args.postmortems, args.shared_corpus)
    installs = [Install("", venv() / "bin", repo)]
    if args.baseline:
        installs.append(baseline(args.baseline, repo))
    env = {**os.environ, "BPM_NOW": f"{AS_OF}T12:00:00Z"}
    env.pop("NO_COLOR", None)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; corpus {repo}")
    results = []
    if args.only in (None, "lint"):
        results += bench_lint(installs, args.runs, env, not args.no_others)
    if args.only in (None, "report"):
        results += bench_report(installs, args.runs, env)
    if args.only in (None, "site"):
        results += bench_stats_site(installs, args.runs, env)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
