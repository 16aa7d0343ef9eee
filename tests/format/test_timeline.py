"""The timeline table: cell encoding, tolerant reading, inserting rows byte-exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpmcli import timeline as feature
from bpmcli.errors import PostmortemError
from bpmcli.format import postmortem as model
from bpmcli.format import timeline

HEAD = """---
id: 2026-11-20-x
title: X  # comment kept
started: 2026-11-20T14:03:00Z
actions: []
---
# X

## Summary

Some text | with a pipe.

## Timeline

Intro prose.

"""
TABLE = """| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |
|---|---|---|---|---|---|
"""
TAIL = """
## Contributing factors

| not | the timeline |
|---|---|
| a | b |
"""


def pm_of(text: str) -> model.Postmortem:
    return model.parse(text.encode("utf-8"), Path("x.md"))


def row(time: str, actor: str = "a", event: str = "e", **rest: str) -> timeline.Row:
    return timeline.Row(time, actor, event, **rest)


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("a | b", "a \\| b"),
        ("line1\nline2", "line1<br>line2"),
        ("cr\r\nlf\rx", "cr<br>lf<br>x"),
        ("  padded  ", "padded"),
        ("C:\\path", "C:\\\\path"),
        ("literal <br> tag", "literal \\<br> tag"),
        ("<BR/>", "\\<BR/>"),
        ("`code | span`", "`code \\| span`"),
    ],
)
def test_escape_and_back(text: str, cell: str) -> None:
    assert timeline.escape(text) == cell
    assert timeline.unescape(cell) == timeline.normalize(text)


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b | c |", ["a", "b", "c"]),
        ("a | b | c", ["a", "b", "c"]),
        ("|a|b|c", ["a", "b", "c"]),
        ("  |  a  |   b |  ", ["a", "b"]),
        ("| a \\| b | c |", ["a \\| b", "c"]),
        ("| ends with backslash \\\\| c |", ["ends with backslash \\\\", "c"]),
        ("| a |  | c |", ["a", "", "c"]),
    ],
)
def test_split_cells_tolerates_hand_written_rows(line: str, cells: list[str]) -> None:
    assert timeline.split_cells(line) == cells


def test_reads_hand_written_tables() -> None:
    text = (
        HEAD
        + (
            "Time (UTC)|Actor|Action or event|Outcome|Expectations|Assumptions\n"
            ":---|:-:|---:|---|---|---\n"
            "2026-11-20 14:03 | bot | Pushed <br/> v42 | errors | canary | optional\n"
            "| 2026-11-20 14:05 | alice | Paged |\n"
        )
        + TAIL
    )
    rows = timeline.read(pm_of(text))
    assert [r.as_json() for r in rows] == [
        {
            "time": "2026-11-20 14:03",
            "actor": "bot",
            "event": "Pushed \n v42",
            "outcome": "errors",
            "expected": "canary",
            "assumed": "optional",
        },
        {
            "time": "2026-11-20 14:05",
            "actor": "alice",
            "event": "Paged",
            "outcome": "",
            "expected": "",
            "assumed": "",
        },
    ]
    assert [r.line for r in rows] == [19, 20]
    assert [r.cells for r in rows] == [6, 3]


def test_a_table_in_a_code_block_is_not_the_timeline() -> None:
    text = HEAD + "```\n" + TABLE + "```\n" + TAIL
    assert timeline.find(pm_of(text)) is None


def test_wrong_columns_are_an_error_naming_the_line() -> None:
    text = HEAD + "| When | Who | What |\n|---|---|---|\n| 14:00 | a | b |\n" + TAIL
    with pytest.raises(PostmortemError) as caught:
        timeline.read(pm_of(text))
    assert caught.value.line == 17
    assert "columns When | Who | What; expected Time | Actor" in caught.value.message


def test_no_timeline_section_is_an_error() -> None:
    with pytest.raises(PostmortemError, match="no '## Timeline' section"):
        timeline.read(pm_of("---\ntitle: x\n---\n# X\n\n## Summary\n"))


def test_insert_keeps_every_byte_outside_the_table() -> None:
    text = HEAD + TABLE + "| 2026-11-20 14:05 | b | second |  |  |  |\n" + TAIL
    new = timeline.insert_rows(pm_of(text), [row("2026-11-20 14:04", "c", "first")], "UTC")
    assert new == text.replace(
        "| 2026-11-20 14:05", "| 2026-11-20 14:04 | c | first |  |  |  |\n| 2026-11-20 14:05"
    )


def test_insert_keeps_crlf_and_hand_written_rows_verbatim() -> None:
    hand = "2026-11-20 14:05|b|  odd   spacing |x|y|z\n"
    text = (HEAD + TABLE + hand + TAIL).replace("\n", "\r\n")
    new = timeline.insert_rows(pm_of(text), [row("2026-11-20 14:09")], "UTC")
    assert new == text.replace(
        hand.replace("\n", "\r\n"),
        hand.replace("\n", "\r\n") + "| 2026-11-20 14:09 | a | e |  |  |  |\r\n",
    )


def test_insert_into_a_table_at_the_end_of_a_file_without_final_newline() -> None:
    text = HEAD + TABLE.rstrip("\n")
    new = timeline.insert_rows(pm_of(text), [row("2026-11-20 14:09")], "UTC")
    assert new == text + "\n| 2026-11-20 14:09 | a | e |  |  |  |"
    again = timeline.insert_rows(pm_of(new), [row("2026-11-20 14:10")], "UTC")
    assert again == new + "\n| 2026-11-20 14:10 | a | e |  |  |  |"


def test_a_section_without_a_table_gets_one() -> None:
    text = HEAD + "### Detail\n\nmore\n" + TAIL
    new = timeline.insert_rows(pm_of(text), [row("2026-11-20 14:09")], "UTC")
    assert (
        new == HEAD + TABLE + "| 2026-11-20 14:09 | a | e |  |  |  |\n\n### Detail\n\nmore\n" + TAIL
    )
    assert [r.time for r in timeline.read(pm_of(new))] == ["2026-11-20 14:09"]


def test_a_table_in_another_zone_is_refused() -> None:
    text = HEAD + TABLE.replace("Time (UTC)", "Time (Europe/Berlin)") + TAIL
    with pytest.raises(
        PostmortemError, match="times are in Europe/Berlin but the config's timezone is UTC"
    ):
        timeline.insert_rows(pm_of(text), [row("2026-11-20 14:09")], "UTC")


@pytest.mark.parametrize(
    ("value", "date", "expected"),
    [
        ("14:30", None, "2026-11-20 14:30"),
        ("14:03", None, "2026-11-20 14:03"),
        ("09:00", dt.date(2026, 11, 21), "2026-11-21 09:00"),
        ("2026-11-19 23:00", None, "2026-11-19 23:00"),
        ("2026-11-20T16:00:00+02:00", None, "2026-11-20 14:00"),
    ],
)
def test_event_times(value: str, date: dt.date | None, expected: str) -> None:
    moment = feature.event_time(value, pm_of(HEAD + TAIL), dt.UTC, date)
    assert moment.strftime(timeline.CELL_TIME) == expected


@pytest.mark.parametrize(
    ("value", "date", "words"),
    [
        ("14:02", None, "before the incident started (2026-11-20 14:03)"),
        ("25:00", None, "cannot read '25:00' as a time of day"),
        ("half past two", None, "cannot read 'half past two' as a time"),
        ("2026-11-20 14:00", dt.date(2026, 11, 21), "--date goes with a --time of the form HH:MM"),
    ],
)
def test_bad_event_times(value: str, date: dt.date | None, words: str) -> None:
    from bpmcli.errors import UsageError

    with pytest.raises(UsageError, match=words.replace("(", r"\(").replace(")", r"\)")):
        feature.event_time(value, pm_of(HEAD + TAIL), dt.UTC, date)


# -- the property of issue #4 --------------------------------------------------------------

_cell_text = st.lists(
    st.one_of(
        st.characters(exclude_categories=("Cs", "Cc")),
        st.sampled_from(["|", "\\", "\n", "\r\n", "\r", "\t", "<br>", "<BR />", " ", "`", "\\|"]),
    ),
    max_size=25,
).map("".join)
_required = _cell_text.filter(lambda t: timeline.normalize(t) != "")
_times = st.sampled_from([f"2026-11-20 {h:02d}:{m:02d}" for h in (14, 15) for m in (3, 30, 59)])
_rows = st.lists(
    st.tuples(_times, _required, _required, _cell_text, _cell_text, _cell_text), max_size=8
)


@settings(max_examples=300, deadline=None)
@given(rows=_rows, crlf=st.booleans(), with_table=st.booleans())
def test_any_rows_read_back_in_time_order_and_nothing_else_changes(
    rows: list[tuple[str, ...]], crlf: bool, with_table: bool
) -> None:
    text = HEAD + (TABLE if with_table else "") + TAIL
    if crlf:
        text = text.replace("\n", "\r\n")
    for values in rows:
        one = timeline.make_row(
            dt.datetime.strptime(values[0], timeline.CELL_TIME).replace(tzinfo=dt.UTC),
            dt.UTC,
            *values[1:],
        )
        text = timeline.insert_rows(pm_of(text), [one], "UTC")
    expected = sorted(
        ((v[0], *(timeline.normalize(t) for t in v[1:])) for v in rows), key=lambda r: r[0]
    )
    pm = pm_of(text)
    assert [r.values() for r in timeline.read(pm)] == expected
    if rows:
        table = timeline.find(pm)
        assert table is not None
        nl = "\r\n" if crlf else "\n"
        head, tail = HEAD.replace("\n", nl), TAIL.replace("\n", nl)
        if with_table:
            assert text[: table.rows_start] == head + TABLE.replace("\n", nl)
            assert text[table.end :] == tail
        else:
            assert text[: table.start] == head
            assert text[table.end :] == tail
