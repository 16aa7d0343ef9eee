"""Everything bpm writes reads back as the string it was given, in PyYAML and ruamel alike.

Issue #16, item 2: `--owner no` read back as no owner, `--owner 12:30` as 750 (YAML 1.1
sexagesimal), `--ticket 1:05` as 65, a title `Off` as false. The values go through the real
write paths (`actions.add`, `actions.close`, `scaffold.create`: what `bpm action add|drop`
and `bpm new` call) and are read back by bpm's reader (the PyYAML C loader) and by ruamel's
safe (YAML 1.2) and round-trip loaders. Generated strings, plus the known troublemakers.

    BPM_FUZZ_EXAMPLES=5000 python -m pytest tests/format/test_written_values.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bpmcli import actions, scaffold
from bpmcli.config import Config
from bpmcli.errors import UsageError
from bpmcli.format.frontmatter import split
from bpmcli.format.postmortem import load

EXAMPLES = int(os.environ.get("BPM_FUZZ_EXAMPLES", "150"))
prop = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

# YAML 1.1 and 1.2 types, indicators, comments, spaces: each written as text by bpm.
TRICKY = [
    "no", "NO", "No", "yes", "On", "Off", "off", "y", "n", "true", "False", "12:30", "1:05",
    "190:20:30", "0o17", "017", "0x1F", "1e3", "1_000", ".inf", "-.inf", ".NaN", "~", "null",
    "Null", "", " ", "2026-12-04", "2026-02-30", "2026-11-20T14:03:00Z", "2026-11-20 14:03",
    " padded ", "trailing ", " leading", "#tag", "a #b", "a: b", "a:", ":", "- x", "? x",
    "[x]", "{x: 1}", "&anchor", "*alias", "!tag", "|", ">", "'", '"', "%", "@", "`", "=",
    "<<", "---", "...", "\t", "a\tb", "\u2028", "\u2029", "\ufeff", "\u200b", "\u202e",
]  # fmt: skip

ONE_LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\t"), max_size=30)
VALUE = st.one_of(
    st.sampled_from(TRICKY), ONE_LINE, st.sampled_from(TRICKY).map(lambda t: t + " x")
)

START = """---
id: 2026-01-05-db
title: Db
kind: incident
status: draft
severity: SEV2
started: 2026-01-05T10:00:00Z
review_by: 2026-01-10
actions: []
---
# Db
"""


def readers(path: Path) -> list[dict[str, Any]]:
    """The front matter as bpm (PyYAML C loader), ruamel safe and ruamel round-trip read it."""
    from ruamel.yaml import YAML

    text = path.read_text(encoding="utf-8")
    where = split(text)
    assert where is not None
    source = text[where.yaml_start : where.yaml_end]
    found = [load(path).meta]
    for typ in ("safe", "rt"):
        found.append(YAML(typ=typ, pure=True).load(io.StringIO(source)))
    return found


def reason_for(ticket: str) -> str:
    return ticket if ticket.strip() else "x"


def new_action(folder: Path, owner: str, ticket: str, text: str) -> list[dict[str, Any]]:
    path = folder / "pm.md"
    path.write_text(START, encoding="utf-8")
    added = actions.NewAction(text, owner, dt.date(2026, 2, 1), "prevent", ticket)
    actions.add(path, added)
    actions.close(path, "A1", "dropped", dt.date(2026, 2, 2), reason=reason_for(ticket))
    return [meta["actions"][0] for meta in readers(path)]


@prop
@given(owner=VALUE, ticket=VALUE, text=VALUE.filter(lambda t: t.strip()))
@example(owner="no", ticket="1:05", text="Off")
@example(owner="12:30", ticket="0o17", text="~")
def test_action_values_read_back_as_written(owner: str, ticket: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for action in new_action(Path(folder), owner, ticket, text):
            # bpm omits an empty owner or ticket (None), else writes it as given.
            assert action.get("owner") == (owner or None)
            assert action.get("ticket") == (ticket or None)
            assert action["action"] == text
            assert action["reason"] == reason_for(ticket).strip()


def new_postmortem(folder: Path, title: str, facilitator: str, service: str) -> list[Any]:
    config = Config(root=folder)
    request = scaffold.NewRequest(
        "incident",
        title,
        dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC),
        facilitator=facilitator,
        services=(service,),
    )
    made = scaffold.create(config, request)
    found = readers(made.path)
    assert all(meta["id"] == made.id == made.path.stem for meta in found)  # the id bpm chose
    return found


TITLE = VALUE.filter(lambda t: any(ch.isalnum() for ch in t))


@prop
@given(title=TITLE, facilitator=VALUE, service=VALUE.filter(lambda t: t.strip()))
@example(title="Off", facilitator="no", service="12:30")
@example(title="1e3", facilitator="~", service="null")
@example(title="Db", facilitator="", service=":0")  # ruamel writes `[:0]`, PyYAML refuses it
@example(title="Db", facilitator="", service="a, b")
@example(title="Db", facilitator="", service="-x")
def test_new_postmortem_values_read_back_as_written(
    title: str, facilitator: str, service: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for meta in new_postmortem(Path(folder), title, facilitator, service):
            assert meta["title"] == title
            assert meta.get("facilitator") == (facilitator or None)
            assert list(meta["services"]) == [service]


def test_an_edit_keeps_what_the_files_own_plain_values_mean(tmp_path: Path) -> None:
    """`owner: no` in the file means no owner to YAML 1.1; adding another action must not
    quietly turn it into the string 'no' (nor a key `no:` into `'no':`)."""
    path = tmp_path / "pm.md"
    path.write_text(
        START.replace(
            "actions: []",
            "extra:\n  no: on\nactions:\n  - id: A1\n    action: Fix it\n    owner: no\n",
        ),
        encoding="utf-8",
    )
    actions.add(path, actions.NewAction("Fix more", "no", dt.date(2026, 2, 1), "prevent"))
    text = path.read_text(encoding="utf-8")
    assert "  no: on\n" in text
    assert "    owner: no\n" in text
    assert "    owner: 'no'\n" in text
    first, second = load(path).actions
    assert (first.owner, second.owner) == (None, "no")


@pytest.mark.parametrize(
    "value", ["a\nb", "a\rb", "two\r\nlines", "\n", "\x00", "\x1b[31m", "\x85"]
)
def test_line_breaks_are_refused_before_anything_is_written(tmp_path: Path, value: str) -> None:
    path = tmp_path / "pm.md"
    path.write_text(START, encoding="utf-8")
    for owner, ticket, text in (
        (value, "T-1", "Fix it"),
        ("ana", value, "Fix it"),
        ("ana", "", "Fix " + value),
    ):
        with pytest.raises(UsageError, match="must be one line"):
            actions.add(
                path, actions.NewAction(text, owner, dt.date(2026, 2, 1), "prevent", ticket)
            )
    with pytest.raises(UsageError, match="must be one line"):
        new_postmortem(tmp_path, "Db " + value + " outage", "", "db")
    with pytest.raises(UsageError, match="must be one line"):
        new_postmortem(tmp_path, "Db", value, "db")
    assert path.read_text(encoding="utf-8") == START
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pm.md"]
