"""How much of a real archive `bpm import` brings over, against labels counted by reading.

    python bench/importing.py [--unseen DIR] [--realworld DIR] [--heldout DIR] [--json]
                              [--verbose]
    python bench/importing.py --set NAME LABELS DIR [--set NAME LABELS DIR ...] [--json] [--verbose]

Three sets: bench/import/unseen.yaml (real postmortems the importer was not built on, read
from DIR, default /tmp/import-eval/unseen, under `repository/path`; the fixes of #15 were
made against it, so after them it is no longer blind), bench/import/realworld.yaml
(../shared/realworld/, the archive it was built on) and bench/import/heldout.yaml (files
labelled after the fixes and measured once, default /tmp/import-eval/heldout). A set whose
folder is absent is skipped with a note; a file whose sha1 differs from its label stops the
run.

`--set NAME LABELS DIR` (repeatable) scores any label file of the same format against any folder
instead of the three sets above: each entry's `file` is read under DIR, and the importer is given
the entry's `repository/path` as the file's name when the label has both (the name a user importing
that archive would pass: its date, its year folder), else `file`. For heldout.yaml, whose `file` is
`repository/path`, `--set heldout bench/import/heldout.yaml DIR` gives the figures of `--heldout DIR`.

Every file is converted in process (`bpmcli.importer.convert`, default configuration, no
--date: a file the importer refuses loses all its rows and actions), then its imported text
is read back with bpm's own readers. Per set it prints:

- rows: timeline rows whose date+time is the one the label gives (a multiset match; the
  label's time converted to UTC when the import says it converted that zone) / rows counted.
  realworld.yaml labels a sample of rows: there, recovered rows are min(rows imported, rows
  counted) scaled by the share of the sample found;
- actions: imported actions matched to labelled ones with the same owner and status /
  actions counted;
- invented: owners or due dates in the import that the label does not give (must be 0);
- words lost: words of the original missing from the import (must be 0);
- zones: files whose timeline names a zone other than UTC, converted or flagged / all such.

Standard library, PyYAML and bpm itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

from bpmcli.config import Config  # noqa: E402
from bpmcli.errors import BpmError  # noqa: E402


@dataclass
class Score:
    files: int = 0
    refused: int = 0
    rows_counted: int = 0
    rows_right: float = 0.0
    actions_counted: int = 0
    actions_right: int = 0
    invented: int = 0
    words_lost: int = 0
    zones: int = 0
    zones_handled: int = 0
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "notes"}


def words(text: str) -> Counter[str]:
    return Counter(set(re.findall(r"\w+", text.casefold())))


def expected_actions(label: Any) -> list[tuple[str | None, str, str | None]]:
    """(owner, status, due) per labelled action, in reading order."""
    if isinstance(label, int):
        return [(None, "open", None)] * label
    count = label["count"]
    owners = label.get("owner", {})
    dues = label.get("due", {})
    done, dropped = set(label.get("done", [])), set(label.get("dropped", []))
    return [
        (
            owners.get(n),
            "done" if n in done else "dropped" if n in dropped else "open",
            str(dues[n]) if n in dues else None,
        )
        for n in range(1, count + 1)
    ]


def in_zone(stamp: str, zone: str | None, target: str) -> str:
    """A labelled `YYYY-MM-DD HH:MM` written in `zone`, as the table's `target` zone shows it."""
    if zone is None or len(stamp) != 16:
        return stamp
    local = dt.datetime.fromisoformat(stamp).replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(ZoneInfo(target)).strftime("%Y-%m-%d %H:%M")


def imported_rows(text: str, name: str) -> list[str]:
    from bpmcli.format.postmortem import parse
    from bpmcli.format.timeline import read

    return [row.time for row in read(parse(text.encode("utf-8"), Path(name)))]


def score_file(entry: dict[str, Any], raw: bytes, name: str, config: Config, score: Score) -> None:
    from bpmcli import importer

    sample = entry.get("times", entry.get("sample", []))
    counted = len(entry["times"]) if "times" in entry else entry.get("rows", 0)
    wanted_actions = expected_actions(entry.get("actions", 0))
    score.files += 1
    score.rows_counted += counted
    score.actions_counted += len(wanted_actions)
    zone_named = entry.get("zone") not in (None, "UTC")
    score.zones += zone_named
    try:
        result = importer.convert(raw, name, config, importer.Options())
    except BpmError as exc:
        score.refused += 1
        score.notes.append(f"{name}: refused: {exc}")
        return
    text = result.text_with(result.id)
    converted = entry.get("iana") if getattr(result, "zones_converted", {}) else None
    rows = Counter(imported_rows(text, name))
    wanted = Counter(in_zone(str(stamp), converted, config.timezone) for stamp in sample)
    found = sum((wanted & rows).values())
    if "times" in entry:
        score.rows_right += found
    elif sample:
        score.rows_right += min(sum(rows.values()), counted) * found / len(sample)
    if found < len(sample) or sum(rows.values()) != counted:
        missing = sorted((wanted - rows).elements())[:4]
        score.notes.append(
            f"{name}: rows {sum(rows.values())}/{counted}, sample {found}/{len(sample)}"
            + (f", missing {missing}" if missing else "")
        )
    got = [
        (a.get("owner"), a.get("status", "open"), str(a["due"]) if a.get("due") else None)
        for a in result.meta["actions"]
    ]
    matched = sum((Counter(got) & Counter(wanted_actions)).values())
    score.actions_right += matched
    if matched < len(wanted_actions) or len(got) != len(wanted_actions):
        score.notes.append(
            f"{name}: actions {matched} right of {len(wanted_actions)}, got {len(got)}"
        )
    stated_owners = {o for o, _, _ in wanted_actions if o}
    stated_dues = {d for _, _, d in wanted_actions if d}
    invented = [o for o, _, _ in got if o and o not in stated_owners]
    invented += [d for _, _, d in got if d and d not in stated_dues]
    score.invented += len(invented)
    if invented:
        score.notes.append(f"{name}: invented {invented}")
    lost = words(raw.decode("utf-8", "replace")) - words(text)
    score.words_lost += len(lost)
    if lost:
        score.notes.append(f"{name}: words lost {sorted(lost)[:8]}")
    if zone_named:
        attention = " ".join(result.attention)
        if converted or str(entry["zone"]) in attention or "not converted" in attention:
            score.zones_handled += 1
        else:
            score.notes.append(f"{name}: zone {entry['zone']} neither converted nor flagged")


def run_set(labels: Path, folder: Path, by_path: bool, source_names: bool = False) -> Score | str:
    if not folder.is_dir():
        return f"skipped: {folder} is absent"
    config = Config(root=REPO)
    score = Score()
    for entry in yaml.safe_load(labels.read_text(encoding="utf-8"))["files"]:
        if entry.get("template"):
            continue
        path = folder / entry["file"]
        raw = path.read_bytes()
        if hashlib.sha1(raw).hexdigest() != entry["sha1"]:
            raise SystemExit(f"error: {path}: sha1 differs from {labels.name}")
        if source_names and entry.get("repository") and entry.get("path"):
            name = f"{entry['repository']}/{entry['path']}"
        else:
            name = entry["file"] if by_path else path.name
        score_file(entry, raw, name, config, score)
    return score


def percent(part: float, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def show(name: str, score: Score | str, verbose: bool) -> None:
    if isinstance(score, str):
        print(f"{name}: {score}")
        return
    print(
        f"{name}: {score.files} files ({score.refused} refused)\n"
        f"  rows with the right date+time: {score.rows_right:.0f}/{score.rows_counted} "
        f"({percent(score.rows_right, score.rows_counted)})\n"
        f"  actions with owner+status as stated: {score.actions_right}/{score.actions_counted} "
        f"({percent(score.actions_right, score.actions_counted)})\n"
        f"  invented owners/dues: {score.invented}; words lost: {score.words_lost}\n"
        f"  zones converted or flagged: {score.zones_handled}/{score.zones}"
    )
    if verbose:
        print("".join(f"    {note}\n" for note in score.notes), end="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--unseen", type=Path, default=Path("/tmp/import-eval/unseen"))
    parser.add_argument("--realworld", type=Path, default=REPO.parent / "shared" / "realworld")
    parser.add_argument("--heldout", type=Path, default=Path("/tmp/import-eval/heldout"))
    parser.add_argument(
        "--set",
        nargs=3,
        action="append",
        metavar=("NAME", "LABELS", "DIR"),
        help="score the label file LABELS against the files under DIR (repeatable; replaces the "
        "three default sets)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    sets: dict[str, Score | str] = {}
    if args.set:
        for name, labels, folder in args.set:
            if name in sets:
                parser.error(f"--set {name} given twice")
            if not Path(labels).is_file():
                parser.error(f"--set {name}: no label file {labels}")
            sets[name] = run_set(Path(labels), Path(folder), by_path=True, source_names=True)
    else:
        realworld = args.realworld
        if not realworld.is_dir() and Path("/work/shared/realworld").is_dir():
            realworld = Path("/work/shared/realworld")
        sets = {
            "unseen": run_set(HERE / "import" / "unseen.yaml", args.unseen, by_path=True),
            "realworld": run_set(HERE / "import" / "realworld.yaml", realworld, by_path=False),
            "heldout": run_set(HERE / "import" / "heldout.yaml", args.heldout, by_path=True),
        }
    if args.json:
        print(json.dumps({k: v if isinstance(v, str) else v.as_json() for k, v in sets.items()}))
        return
    for name, score in sets.items():
        show(name, score, args.verbose)


if __name__ == "__main__":
    main()
