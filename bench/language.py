"""Precision and recall of bpm's language rules against labelled sentences and actions.

    python bench/language.py [--json] [--verbose] [--bpm PATH] [--direct] [--split PART]
                             [--unseen DIR] [--unseen-labels FILE] [--check-labels]

Two sets: bench/language/cases.yaml (hand-written, always) and bench/language/realworld.yaml
(labels naming lines of the real postmortems in $BPM_SHARED/realworld or
<repo>/../shared/realworld; skipped, with a note, when that folder is absent). The rules run
through the real CLI (`bpm lint --no-cache --format json --select ...`) on temporary files;
docs/language.md says what the labels mean.

`--direct` calls the judges (bpmcli.lint.judge) in process instead (bench/language_direct.py);
`--split tuned|held-out` scores the real-world files the judges were tuned on, or the third
held out before tuning (HELD_OUT).

`--unseen DIR` also scores bench/language/unseen.yaml: blind labels of real postmortems that
were not used while tuning, read from DIR under the file names given there (its `sources`
say which repository, commit and path each file is; a file whose sha1 differs stops the run).
`--unseen-labels FILE` scores another blind label file instead (e.g.
bench/language/unseen2.yaml, the second unseen set). `--check-labels` (with `--unseen`) only
validates the labels against the files in DIR (sha1 of each file, digest, line range and
sentence number of each unit, label names) and exits without running bpm.

Rule groups: BPM301 vs blame, BPM302 vs hindsight, BPM103 vs vague, BPM108 vs exhortation,
BPM107 vs headline, and BPM103/107/108 together vs vague + exhortation + headline.
Standard library and PyYAML only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "language"
CODES = "BPM103,BPM107,BPM108,BPM301,BPM302"

FRONT = """---
id: {id}
title: benchmark {id}
kind: incident
status: draft
severity: SEV3
started: 2026-01-01T00:00:00Z
review_by: 2026-01-06
actions:{actions}
---
"""
NO_ACTIONS = " []"

# (name, codes that count as flagging, labels that are positive, unit kind)
GROUPS: list[tuple[str, frozenset[str], frozenset[str], str]] = [
    ("BPM301 vs blame", frozenset({"BPM301"}), frozenset({"blame"}), "prose"),
    ("BPM302 vs hindsight", frozenset({"BPM302"}), frozenset({"hindsight"}), "prose"),
    ("BPM103 vs vague", frozenset({"BPM103"}), frozenset({"vague"}), "action"),
    ("BPM108 vs exhortation", frozenset({"BPM108"}), frozenset({"exhortation"}), "action"),
    ("BPM107 vs headline", frozenset({"BPM107"}), frozenset({"headline"}), "action"),
    (
        "BPM103/107/108 vs vague+exh+headline",
        frozenset({"BPM103", "BPM107", "BPM108"}),
        frozenset({"vague", "exhortation", "headline"}),
        "action",
    ),
]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]*_]*\s+(?=[\"'“‘(\[*_`]*(?:[A-Z0-9]|@\w))")
_LIST_NUMBER = re.compile(r"^[\s>*+-]*(?:\d+|[A-Za-z])[.)]$")
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:e\.g|i\.e|etc|vs|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    r"|Mr|Mrs|Ms|Dr|No|St)\.$",
    re.IGNORECASE,
)
_ACTION_PREFIX = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\[[ xX]?\]\s*)?(?:\[?action (?:item|point)\]?:?\s*)?",
    re.IGNORECASE,
)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_ANGLE_URL = re.compile(r"<https?://[^>]*>")


def digest(text: str) -> str:
    return hashlib.sha1("".join(text.split()).encode("utf-8")).hexdigest()[:8]


def segments(line: str) -> list[tuple[int, int]]:
    """Column spans (0-based start, end) of the sentences on one line.

    A sentence ends at . ! or ? followed by space and a capital, a digit or an @handle;
    not after a list number ("3.") or an abbreviation ("e.g.", "Sept.").
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        before = line[start : match.start()]
        if _LIST_NUMBER.match(before) or _ABBREVIATION.search(before):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(line)))
    return spans


def segment_of(line: str, column: int) -> int:
    """1-based sentence number on a line for a 1-based column."""
    for number, (_, stop) in enumerate(segments(line), start=1):
        if column - 1 < stop:
            return number
    return len(segments(line))


def action_text(lines: list[str], first: int, last: int) -> str:
    """The text of an action item in Markdown (list item, checkbox, or table row)."""
    raw = " ".join(lines[i - 1].strip() for i in range(first, last + 1))
    if raw.startswith("|"):
        raw = raw.strip("|").split("|")[0]
    text = _ACTION_PREFIX.sub("", raw, count=1)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _ANGLE_URL.sub("", text)
    text = text.replace("**", "").replace("__", "")
    return " ".join(text.split())


@dataclass
class Unit:
    key: str  # file:line[.sentence] or case id
    kind: str  # prose | action
    label: str
    also: set[str] = field(default_factory=set)  # a second label (blame that is also hindsight)
    codes: set[str] = field(default_factory=set)

    def labelled(self, labels: frozenset[str]) -> bool:
        return self.label in labels or bool(self.also & labels)


@dataclass
class Outcome:
    units: list[Unit]
    stray: dict[str, set[str]]  # code -> keys of findings on no labelled positive sentence


DIRECT = "<direct>"  # the `bpm` value that runs the judges in process (--direct)
# A third of the real-world files, drawn before any tuning (random.Random(14).sample of the
# 25 sorted file names, 8 of them): the judges were tuned on the others only.
HELD_OUT = frozenset(
    {
        "05-posthog-flags-recurring-outages.md",
        "10-etcd-v35-data-inconsistency.md",
        "11-geth-minority-split-2021.md",
        "23-yearn-ydai-vault-exploit-2021.md",
        "25-mybinder-prime-version-2022.md",
        "27-pypi-leaked-admin-token-2024.md",
        "28-homebrew-security-incident-2021.md",
        "31-TEMPLATE-dfds.md",
    }
)


def in_split(name: str, split: str) -> bool:
    return split == "all" or (name in HELD_OUT) == (split == "held-out")


def run_bpm(bpm: str, folder: Path) -> list[dict[str, Any]]:
    if bpm == DIRECT:
        sys.path.insert(0, str(REPO / "src"))
        import language_direct

        return language_direct.findings(folder)
    proc = subprocess.run(
        [bpm, "lint", "--no-cache", "--format", "json", "--select", CODES, str(folder)],
        capture_output=True,
        text=True,
        cwd=folder,
        check=False,
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"bpm lint failed ({proc.returncode}): {proc.stderr.strip()}")
    findings: list[dict[str, Any]] = json.loads(proc.stdout or "[]")
    return findings


def yaml_actions(texts: list[str]) -> str:
    if not texts:
        return NO_ACTIONS
    out = []
    for number, text in enumerate(texts, start=1):
        out.append(
            f"\n  - id: A{number}\n    action: {json.dumps(text)}\n    owner: x\n"
            "    due: 2027-01-01\n    kind: prevent\n    status: open"
        )
    return "".join(out)


def action_id(finding: dict[str, Any]) -> str | None:
    match = re.search(r"\baction (A\d+)\b", str(finding.get("message", "")))
    return match.group(1) if match else None


def blank_front_matter(lines: list[str]) -> list[str]:
    """The file's own front matter (YAML --- or TOML +++) as empty lines, same count."""
    if lines and lines[0].strip() in ("---", "+++"):
        fence = lines[0].strip()
        for index in range(1, len(lines)):
            if lines[index].strip() == fence:
                return [""] * (index + 1) + lines[index + 1 :]
    return lines


def realworld(
    bpm: str, labels: dict[str, Any], folder: Path, work: Path, split: str = "all"
) -> Outcome:
    units_by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in labels["units"]:
        if in_split(entry["file"], split):
            units_by_file[entry["file"]].append(entry)
    skipped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in labels.get("skipped", []):
        if in_split(entry["file"], split):
            skipped[entry["file"]].append(entry)
    texts: dict[str, list[str]] = {}
    drift = []
    action_units: list[tuple[dict[str, Any], str]] = []
    for name in sorted(set(units_by_file) | set(skipped)):
        path = folder / name
        if not path.exists():
            sys.exit(f"labelled file missing: {path}")
        lines = path.read_text(encoding="utf-8").splitlines()
        texts[name] = lines
        for entry in units_by_file[name]:
            if digest(lines[entry["line"] - 1]) != entry["digest"]:
                drift.append(f"{name}:{entry['line']}")
            if entry["kind"] == "action":
                text = action_text(lines, entry["line"], entry.get("end", entry["line"]))
                action_units.append((entry, text))
        body = blank_front_matter(lines)
        stem = name.removesuffix(".md")
        head = FRONT.format(id=stem, actions=NO_ACTIONS)
        (work / f"{stem}.md").write_text(head + "\n".join(body) + "\n", encoding="utf-8")
    if drift:
        sys.exit("source files changed under the labels (digest mismatch): " + ", ".join(drift))
    head_lines = FRONT.format(id="x", actions=NO_ACTIONS).count("\n")
    (work / "rw-actions.md").write_text(
        FRONT.format(id="rw-actions", actions=yaml_actions([t for _, t in action_units])),
        encoding="utf-8",
    )
    findings = run_bpm(bpm, work)

    prose_units: dict[str, list[tuple[dict[str, Any], Unit]]] = defaultdict(list)
    result: list[Unit] = []
    for name, entries in units_by_file.items():
        for entry in entries:
            if entry["kind"] != "prose":
                continue
            key = f"{name}:{entry['line']}" + (
                f".{entry['sentence']}" if "sentence" in entry else ""
            )
            unit = Unit(key, "prose", entry["label"], set(entry.get("also", [])))
            prose_units[name].append((entry, unit))
            result.append(unit)
    by_id: dict[str, Unit] = {}
    for number, (entry, _text) in enumerate(action_units, start=1):
        # A headline's body is judged by BPM103/108 in its own right ("Redis isolation:
        # investigating ..." is a headline and a vague item): its label counts for them.
        body = {entry["body"]} if entry.get("body") in ("vague", "exhortation") else set()
        unit = Unit(f"{entry['file']}:{entry['line']}", "action", entry["label"], body)
        by_id[f"A{number}"] = unit
        result.append(unit)

    stray: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        code, source = finding["code"], Path(finding["path"]).name
        if source == "rw-actions.md":
            ident = action_id(finding)
            if ident in by_id:
                by_id[ident].codes.add(code)
            continue
        name = source
        line = int(finding["line"]) - head_lines
        column = int(finding["column"])
        if line < 1 or name not in texts:
            continue
        if any(s["line"] <= line <= s["end"] and s["findings"] == "ignore" for s in skipped[name]):
            continue
        text = texts[name][line - 1]
        hit = False
        for entry, unit in prose_units[name]:
            if _covers(entry, line, column, texts[name]):
                unit.codes.add(code)
                hit = True
        if not hit:
            stray[code].add(f"{name}:{line}.{segment_of(text, column)}")
    return Outcome(result, stray)


def _covers(entry: dict[str, Any], line: int, column: int, lines: list[str]) -> bool:
    first, last = int(entry["line"]), int(entry.get("end", entry["line"]))
    if not first <= line <= last:
        return False
    if "sentence" not in entry or first < line < last:
        return True
    if line == last != first:  # a wrapped sentence ends in the first segment of its last line
        end_spans = segments(lines[last - 1])
        return bool(end_spans) and column - 1 <= end_spans[0][1]
    spans = segments(lines[first - 1])
    start, stop = spans[min(int(entry["sentence"]), len(spans)) - 1]
    if last > first:  # a wrapped sentence runs to the end of its first line
        stop = len(lines[first - 1])
    return start <= column - 1 <= stop


def handwritten(bpm: str, cases: dict[str, Any], work: Path) -> Outcome:
    prose = cases.get("prose", [])
    actions = cases.get("actions", [])
    head = FRONT.format(id="cases-prose", actions=NO_ACTIONS)
    lines = [*head.splitlines(), "", "## Summary", ""]
    line_of: dict[int, Unit] = {}
    result: list[Unit] = []
    for case in prose:
        text = " ".join(str(case["text"]).split())
        lines.append(text)
        unit = Unit(case["id"], "prose", case["label"], set(case.get("also", [])))
        line_of[len(lines)] = unit
        result.append(unit)
        lines.append("")
    (work / "cases-prose.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (work / "cases-actions.md").write_text(
        FRONT.format(id="cases-actions", actions=yaml_actions([str(c["text"]) for c in actions])),
        encoding="utf-8",
    )
    by_id: dict[str, Unit] = {}
    for number, case in enumerate(actions, start=1):
        unit = Unit(case["id"], "action", case["label"])
        by_id[f"A{number}"] = unit
        result.append(unit)
    stray: dict[str, set[str]] = defaultdict(set)
    for finding in run_bpm(bpm, work):
        source = Path(finding["path"]).name
        if source == "cases-actions.md":
            ident = action_id(finding)
            if ident in by_id:
                by_id[ident].codes.add(finding["code"])
        elif source == "cases-prose.md":
            found = line_of.get(int(finding["line"]))
            if found is not None:
                found.codes.add(finding["code"])
            else:
                stray[finding["code"]].add(f"cases-prose.md:{finding['line']}")
    return Outcome(result, stray)


def score(outcome: Outcome) -> list[dict[str, Any]]:
    rows = []
    for name, codes, labels, kind in GROUPS:
        units = [u for u in outcome.units if u.kind == kind]
        tp = [u.key for u in units if u.labelled(labels) and u.codes & codes]
        fn = [u.key for u in units if u.labelled(labels) and not u.codes & codes]
        fp = [u.key for u in units if not u.labelled(labels) and u.codes & codes]
        if kind == "prose":  # findings on sentences not listed at all are negatives too
            fp += sorted({k for code in codes for k in outcome.stray.get(code, set())})
        n_tp, n_fp, n_fn = len(tp), len(fp), len(fn)
        rows.append(
            {
                "rule": name,
                "positives": n_tp + n_fn,
                "tp": n_tp,
                "fp": n_fp,
                "fn": n_fn,
                "precision": round(n_tp / (n_tp + n_fp), 2) if n_tp + n_fp else None,
                "recall": round(n_tp / (n_tp + n_fn), 2) if n_tp + n_fn else None,
                "false_positives": fp,
                "false_negatives": fn,
            }
        )
    return rows


def counts(outcome: Outcome) -> dict[str, int]:
    tally: dict[str, int] = defaultdict(int)
    for unit in outcome.units:
        tally[f"{unit.kind}:{unit.label}"] += 1
    return dict(sorted(tally.items()))


def table(title: str, rows: list[dict[str, Any]], tally: dict[str, int]) -> str:
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    out = [f"{title}  ({', '.join(f'{k} {v}' for k, v in tally.items())})", ""]
    out.append(f"| {'rule':<38} | pos | TP | FP | FN | precision | recall |")
    out.append(f"|{'-' * 40}|-----|----|----|----|-----------|--------|")
    for r in rows:
        out.append(
            f"| {r['rule']:<38} | {r['positives']:>3} | {r['tp']:>2} | {r['fp']:>2} "
            f"| {r['fn']:>2} | {fmt(r['precision']):>9} | {fmt(r['recall']):>6} |"
        )
    return "\n".join(out)


def check_sources(labels: dict[str, Any], folder: Path, name: str = "unseen.yaml") -> None:
    """Stop when a file named in `sources` is missing or is not the labelled bytes."""
    bad = []
    for source in labels.get("sources", []):
        path = folder / source["file"]
        if not path.exists():
            bad.append(f"{source['file']} (missing)")
        elif "sha1" in source and hashlib.sha1(path.read_bytes()).hexdigest() != source["sha1"]:
            bad.append(
                f"{source['file']} (not the bytes of {source['repository']}@"
                f"{source['commit'][:12]}:{source['path']})"
            )
    if bad:
        sys.exit(f"unseen files in {folder} do not match {name}: " + ", ".join(bad))


LABELS = {
    "prose": {"blame", "hindsight", "none"},
    "action": {"concrete", "vague", "exhortation", "headline"},
}


def check_labels(labels: dict[str, Any], folder: Path) -> list[str]:
    """Problems with the units and skipped regions of a label file, read against the files.

    Checks that every file is named in `sources`, every line range lies in its file, every unit's
    digest matches its first line, every `sentence` exists on that line, kinds and labels are
    known, and no unit is listed twice. Does not run bpm.
    """
    named = {source["file"] for source in labels.get("sources", [])}
    problems: list[str] = []
    texts: dict[str, list[str]] = {}
    seen: set[tuple[str, int, int | None]] = set()

    def lines_of(name: str) -> list[str] | None:
        if name not in texts:
            path = folder / name
            if not path.exists():
                problems.append(f"{name}: missing in {folder}")
                texts[name] = []
            else:
                texts[name] = path.read_text(encoding="utf-8").splitlines()
        return texts[name] or None

    for entry in labels.get("skipped", []):
        where = f"{entry['file']}:{entry['line']}"
        if entry["file"] not in named:
            problems.append(f"{where}: file not in sources")
        lines = lines_of(entry["file"])
        if lines and not 1 <= entry["line"] <= entry["end"] <= len(lines):
            problems.append(f"{where}: skipped range outside the file")
        if entry.get("findings") not in ("count", "ignore"):
            problems.append(f"{where}: findings must be count or ignore")
    for entry in labels.get("units", []):
        where = f"{entry['file']}:{entry['line']}"
        if entry["file"] not in named:
            problems.append(f"{where}: file not in sources")
        kind, label = entry.get("kind"), entry.get("label")
        if label not in LABELS.get(kind, set()):
            problems.append(f"{where}: label {label!r} is not one of kind {kind!r}")
        for extra in entry.get("also", []):
            if extra not in LABELS["prose"]:
                problems.append(f"{where}: also {extra!r} is not a prose label")
        if "body" in entry and entry["body"] not in LABELS["action"]:
            problems.append(f"{where}: body {entry['body']!r} is not an action label")
        key = (entry["file"], int(entry["line"]), entry.get("sentence"))
        if key in seen:
            problems.append(f"{where}: listed twice")
        seen.add(key)
        lines = lines_of(entry["file"])
        if not lines:
            continue
        end = int(entry.get("end", entry["line"]))
        if not 1 <= entry["line"] <= end <= len(lines):
            problems.append(f"{where}: line range outside the file")
            continue
        if digest(lines[entry["line"] - 1]) != entry["digest"]:
            problems.append(f"{where}: digest mismatch")
        if "sentence" in entry and not 1 <= int(entry["sentence"]) <= len(
            segments(lines[entry["line"] - 1])
        ):
            problems.append(f"{where}: no sentence {entry['sentence']} on that line")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--verbose", action="store_true", help="list FPs and FNs")
    parser.add_argument("--bpm", help="the bpm executable (default: .venv/bin/bpm, then PATH)")
    parser.add_argument(
        "--direct", action="store_true", help="call the judges in process (no CLI): fast"
    )
    parser.add_argument(
        "--split",
        choices=("all", "tuned", "held-out"),
        default="all",
        help="real-world files: all, the tuning part, or the held-out third (HELD_OUT)",
    )
    parser.add_argument(
        "--unseen",
        metavar="DIR",
        help="also score bench/language/unseen.yaml against the files in DIR (blind set)",
    )
    parser.add_argument(
        "--unseen-labels",
        metavar="FILE",
        default=str(DATA / "unseen.yaml"),
        help="the blind label file --unseen scores (default: bench/language/unseen.yaml)",
    )
    parser.add_argument(
        "--check-labels",
        action="store_true",
        help="with --unseen: only check the labels against the files in DIR (no bpm run)",
    )
    args = parser.parse_args()
    unseen_labels = Path(args.unseen_labels)
    if args.check_labels:
        if not args.unseen:
            parser.error("--check-labels needs --unseen DIR")
        labels = yaml.safe_load(unseen_labels.read_text(encoding="utf-8"))
        check_sources(labels, Path(args.unseen), unseen_labels.name)
        problems = check_labels(labels, Path(args.unseen))
        if problems:
            print("\n".join(problems), file=sys.stderr)
            sys.exit(f"{unseen_labels}: {len(problems)} problem(s) against {args.unseen}")
        tally: dict[str, int] = defaultdict(int)
        for entry in labels.get("units", []):
            tally[f"{entry['kind']} {entry['label']}"] += 1
        print(
            f"{unseen_labels}: {len(labels.get('sources', []))} files match their sha1; "
            f"{len(labels.get('units', []))} units and {len(labels.get('skipped', []))} skipped "
            "regions check out ("
            + ", ".join(f"{k} {v}" for k, v in sorted(tally.items()))
            + "); bpm not run"
        )
        return 0
    bpm = (
        DIRECT
        if args.direct
        else args.bpm
        or (
            str(REPO / ".venv" / "bin" / "bpm")
            if (REPO / ".venv" / "bin" / "bpm").exists()
            else shutil.which("bpm")
        )
    )
    if not bpm:
        sys.exit("bpm not found: install the project (pip install -e .) or pass --bpm")
    shared = Path(os.environ.get("BPM_SHARED", REPO.parent / "shared")) / "realworld"
    results: dict[str, Any] = {}
    notes = []
    with tempfile.TemporaryDirectory(prefix="bpm-language-") as tmp:
        hand_dir = Path(tmp) / "cases"
        hand_dir.mkdir()
        cases = yaml.safe_load((DATA / "cases.yaml").read_text(encoding="utf-8"))
        hand = handwritten(bpm, cases, hand_dir)
        results["handwritten"] = {"counts": counts(hand), "rules": score(hand)}
        if shared.is_dir():
            rw_dir = Path(tmp) / "realworld"
            rw_dir.mkdir()
            labels = yaml.safe_load((DATA / "realworld.yaml").read_text(encoding="utf-8"))
            real = realworld(bpm, labels, shared, rw_dir, args.split)
            results["realworld"] = {"counts": counts(real), "rules": score(real)}
        else:
            notes.append(f"real-world set skipped: {shared} not found (set BPM_SHARED)")
        if args.unseen:
            unseen_dir = Path(tmp) / "unseen"
            unseen_dir.mkdir()
            labels = yaml.safe_load(unseen_labels.read_text(encoding="utf-8"))
            check_sources(labels, Path(args.unseen), unseen_labels.name)
            blind = realworld(bpm, labels, Path(args.unseen), unseen_dir)
            results["unseen"] = {"counts": counts(blind), "rules": score(blind)}
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    results["commit"] = commit
    results["mode"] = "direct" if args.direct else "cli"
    results["split"] = args.split
    results["notes"] = notes
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for note in notes:
        print(note, file=sys.stderr)
    print(
        f"bpm language rules at commit {commit or '?'} ({results['mode']}, real-world: {args.split})\n"
    )
    for name in ("realworld", "handwritten", "unseen"):
        if name not in results:
            continue
        print(table(name, results[name]["rules"], results[name]["counts"]))
        print()
        if args.verbose:
            for r in results[name]["rules"]:
                if r["false_positives"]:
                    print(f"  {r['rule']}: FP {', '.join(r['false_positives'])}")
                if r["false_negatives"]:
                    print(f"  {r['rule']}: FN {', '.join(r['false_negatives'])}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
