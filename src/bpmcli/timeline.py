"""The timeline commands' work: when a new row happened, adding rows to a file, and
reading many rows from CSV or JSON lines. The table itself is `format.timeline`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from bpmcli.errors import PostmortemError, UsageError
from bpmcli.format.postmortem import Postmortem
from bpmcli.format.timeline import FIELDS, Row, insert_rows, make_row
from bpmcli.times import format_minutes

# -- times of new rows ---------------------------------------------------------------------

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def event_time(
    value: str, pm: Postmortem, tz: dt.tzinfo, day: dt.date | None = None
) -> dt.datetime:
    """When a row happened, from `--time` (and `--date`), in the configured zone.

    `HH:MM` is on `day`, or on the incident's start date, where a time before the start is
    refused: it is almost always a time on the next day, and the user must say which.
    """
    from bpmcli.times import parse_timestamp

    clock = _CLOCK.match(value.strip())
    if clock is None:
        if day is not None:
            raise UsageError("--date goes with a --time of the form HH:MM")
        return parse_timestamp(value, tz)
    hour, minute = int(clock.group(1)), int(clock.group(2))
    if hour > 23 or minute > 59:
        raise UsageError(f"cannot read {value!r} as a time of day")
    if day is not None:
        return dt.datetime.combine(day, dt.time(hour, minute), tz)
    started = pm.started
    if started is None:
        raise UsageError(
            "the postmortem has no valid 'started': give --date or a full date and time"
        )
    local_start = started.astimezone(tz)
    moment = dt.datetime.combine(local_start.date(), dt.time(hour, minute), tz)
    if moment < local_start.replace(second=0, microsecond=0):
        raise UsageError(
            f"{value} is before the incident started ({format_minutes(local_start)}); "
            "give --date for another day"
        )
    return moment


# -- the commands' work ----------------------------------------------------------------------


def add(path: Path, rows: Sequence[Row], zone_name: str) -> Postmortem:
    """Insert `rows` into the file at `path`: under a lock, in one atomic write."""
    from bpmcli.files import rewrite
    from bpmcli.format.postmortem import parse

    def insert(raw: bytes) -> bytes:
        return insert_rows(parse(raw, path), rows, zone_name).encode("utf-8")

    return parse(rewrite(path, insert), path)


def read_events(source: str, data: str, pm: Postmortem, tz: dt.tzinfo) -> list[Row]:
    """Rows from CSV (with a header) or JSON lines; the whole file is refused on a bad row.

    `source` names the input in errors (a path, or `-` for standard input).
    """
    stripped = data.lstrip("\ufeff")
    looks_json = source.endswith((".jsonl", ".ndjson")) or stripped.lstrip().startswith("{")
    records = _json_lines(source, stripped) if looks_json else _csv_records(source, stripped)
    rows = []
    for line, record in records:
        try:
            moment = event_time(str(record.get("time") or ""), pm, tz)
            rows.append(make_row(moment, tz, *(str(record.get(name) or "") for name in FIELDS[1:])))
        except UsageError as exc:
            raise PostmortemError(exc.message, source, line) from exc
    if not rows:
        raise PostmortemError("holds no events", source)
    return rows


def _csv_records(source: str, data: str) -> list[tuple[int, dict[str, str]]]:
    import csv
    import io

    reader = csv.reader(io.StringIO(data, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise PostmortemError("is empty", source) from None
    unknown = [name for name in header if name not in FIELDS]
    if unknown or not {"time", "actor", "event"} <= set(header):
        raise PostmortemError(
            f"the header must name columns among {','.join(FIELDS)} (time, actor and event "
            f"required), got {','.join(header)}",
            source,
            1,
        )
    records = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(cells) > len(header):
                    raise PostmortemError(
                        f"{len(cells)} cells but the header has {len(header)}", source, start
                    )
                records.append((start, dict(zip(header, cells, strict=False))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise PostmortemError(f"not valid CSV: {exc}", source, reader.line_num) from exc
    return records


def _json_lines(source: str, data: str) -> list[tuple[int, dict[str, str]]]:
    import json

    records = []
    for number, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PostmortemError(f"not valid JSON: {exc.msg}", source, number) from exc
        if not isinstance(record, dict) or not set(record) <= set(FIELDS):
            raise PostmortemError(
                f"each line must be an object with keys among {', '.join(FIELDS)}", source, number
            )
        if not all(isinstance(v, str | None) for v in record.values()):
            raise PostmortemError("every value must be a string", source, number)
        records.append((number, record))
    return records
