"""Every `--format` a command offers, end to end: the choices come from the output registries,
and each one writes its shape (JSON that parses, CSV whose columns are the JSON keys)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from enum import StrEnum

import pytest

from bpmcli.cli.options import LintFormat, ListFormat, ShowFormat, TableFormat
from bpmcli.output import lint, summary, table
from conftest import Ran, Repo

Bpm = Callable[..., Ran]

PM_ID = "2026-10-02-checkout-outage"
PM = """---
id: {id}
title: Checkout outage
kind: incident
status: draft
severity: SEV2
started: 2026-10-02T10:00:00Z
review_by: 2026-10-20
services: [checkout]
actions:
  - id: A1
    action: Make the splitter idempotent
    owner: bob
    due: 2026-11-01
    kind: prevent
    status: open
{second}---
# Checkout outage

## Summary

## Timeline
"""
SECOND = """  - id: A2
    action: Add a canary stage
    owner: ana
    due: 2026-11-02
    kind: detect
    status: open
"""


@pytest.fixture
def history(bpm: Bpm, repo: Repo) -> Repo:
    """A postmortem with an overdue action, a timeline row, and an action that vanished."""
    path = f"postmortems/2026/{PM_ID}.md"
    repo.commit("add", {path: PM.format(id=PM_ID, second=SECOND)}, date="2026-10-03T10:00:00Z")
    added = bpm("timeline", "add", PM_ID, "--time", "10:05", "--actor", "ana", "--event", "paged")
    assert added.exit_code == 0, added.stderr
    without = (repo.path / path).read_text().replace(SECOND, "")
    repo.commit("drop A2", {path: without}, date="2026-10-04T10:00:00Z")
    return repo


COMMANDS: list[tuple[tuple[str, ...], type[StrEnum]]] = [
    (("list",), ListFormat),
    (("action", "list"), ListFormat),
    (("timeline", "show", PM_ID), TableFormat),
    (("report", "overdue"), TableFormat),
    (("report", "vanished"), TableFormat),
    (("report", "sla"), TableFormat),
    (("report", "stats"), ListFormat),
    (("show", PM_ID), ShowFormat),
    (("lint",), LintFormat),
]


def test_the_choices_are_the_registries() -> None:
    assert [f.value for f in TableFormat] == list(table.FORMATS)
    assert [f.value for f in LintFormat] == list(lint.FORMATS)
    assert [f.value for f in ShowFormat] == list(summary.FORMATS)
    assert {f.value for f in ListFormat} <= set(table.FORMATS)


@pytest.mark.parametrize(("args", "formats"), COMMANDS, ids=[" ".join(c[0][:2]) for c in COMMANDS])
def test_every_format_writes_its_shape(
    bpm: Bpm, history: Repo, args: tuple[str, ...], formats: type[StrEnum]
) -> None:
    outputs = {}
    for format in formats:
        ran = bpm(*args, "--format", format.value)
        assert ran.exit_code in (0, 1), (format, ran.stderr)  # lint: 1 means findings
        assert ran.stdout.strip(), format
        outputs[format.value] = ran.stdout
    for name in ("json", "sarif", "gitlab"):
        if name in outputs:
            json.loads(outputs[name])
    if "csv" in outputs:
        data = json.loads(outputs["json"])
        rows = data["late"] if isinstance(data, dict) else data
        header = next(csv.reader(io.StringIO(outputs["csv"])))
        assert rows, "the example should give rows"
        assert header == list(rows[0]), "CSV columns are the JSON keys, in order"


def test_the_sla_table_ends_with_the_on_time_share(bpm: Bpm, history: Repo) -> None:
    for format in ("table", "markdown"):
        lines = bpm("report", "sla", "--format", format).stdout.splitlines()
        assert lines[-2:] == ["", "0 of 0 published on time (n/a)"]
    assert "published on time" not in bpm("report", "sla", "--format", "csv").stdout


def test_the_overdue_table_groups_by_owner(bpm: Bpm, history: Repo) -> None:
    out = bpm("report", "overdue").stdout
    assert "bob: 1 overdue" in out
    assert out.splitlines()[-1] == "1 overdue action, 1 owner; most overdue: bob (1)"
