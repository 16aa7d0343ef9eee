"""BPM201-BPM203: a timeline table that tools can read, in order, with who and what."""

from __future__ import annotations

from collections.abc import Iterator

from bpmcli.format import timeline
from bpmcli.lint.rule import Context, Examples, Hit, rule
from bpmcli.times import format_minutes


def table_of(ctx: Context) -> timeline.Table | None:
    """The timeline table, read once per file for all the rules that look at it."""
    if "table" not in ctx.memo:
        section = ctx.pm.section("Timeline")
        found = None
        if section is not None:
            found = timeline.find_in(ctx.pm.outline, section)
        ctx.memo["table"] = found
    table: timeline.Table | None = ctx.memo["table"]
    return table


@rule(
    "BPM201",
    "timeline-malformed",
    "error",
    "Timeline section or table missing or malformed (wrong columns)",
    "The timeline is the heart of the review, and tools (show, the site, reports) read it "
    "as a table with the six columns of docs/format.md.",
    "Use `bpm timeline add` to add rows: it writes the table. To repair a hand-written "
    "one, give it the header `| Time (UTC) | Actor | Action or event | Outcome | "
    "Expectations | Assumptions |` and six cells per row.",
    fixable=True,
    examples=Examples(
        "timeline",
        flagged=(
            "| When | What |\n|---|---|\n| 14:03 | Pushed config v42 |",
            "- 14:03 deploy-bot pushed config v42",
        ),
        not_flagged=(
            "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |\n|---|---|---|---|---|---|\n| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |  |  |  |",
        ),
    ),
)
def check_table(ctx: Context) -> Iterator[Hit]:
    section = ctx.pm.section("Timeline")
    if section is None:
        if "timeline" not in {s.casefold() for s in ctx.config.required_sections}:
            yield Hit(ctx.pm.where.body_line, 1, "no Timeline section")
        return  # otherwise BPM402 reports the missing section
    table = table_of(ctx)
    if table is None:
        yield Hit(
            section.line, 1, "the Timeline section has no table; add rows with `bpm timeline add`"
        )
        return
    if not table.has_expected_columns():
        yield Hit(table.line, 1, timeline.wrong_columns(table))
        return
    for row in table.rows:
        if row.cells != len(timeline.FIELDS):
            yield Hit(
                row.line,
                1,
                f"timeline row has {row.cells} cells; expected {len(timeline.FIELDS)}",
                f"row {row.time}",
            )


@rule(
    "BPM202",
    "timeline-order",
    "error",
    "timeline rows out of time order, or a time that does not parse",
    "Readers and reports follow the timeline top to bottom; a row out of order or a time "
    "that is not `YYYY-MM-DD HH:MM` misleads both.",
    "Write times as `YYYY-MM-DD HH:MM` in the configured zone and keep rows in order "
    "(`bpm timeline add` places each row where it belongs).",
    fixable=True,
    needs_front_matter=False,
    examples=Examples(
        "timeline rows",
        flagged=(
            "| 2026-11-20 14:10 | alice | Paged |  |  |  |\n| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |  |  |  |",
            "| 20 Nov, 14:03 | deploy-bot | Pushed config v42 |  |  |  |",
        ),
        not_flagged=(
            "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |  |  |  |\n| 2026-11-20 14:10 | alice | Paged |  |  |  |",
        ),
    ),
)
def check_order(ctx: Context) -> Iterator[Hit]:
    table = table_of(ctx)
    if table is None or not table.has_expected_columns():
        return
    previous = None
    for row in table.rows:
        when = timeline.parse_cell_time(row.time)
        if when is None:
            yield Hit(
                row.line,
                1,
                f"timeline time {row.time!r} is not YYYY-MM-DD HH:MM",
                f"row {row.time}",
            )
            continue
        if previous is not None and when < previous:
            yield Hit(
                row.line,
                1,
                f"timeline row at {row.time} comes after a later one ({format_minutes(previous)})",
                f"row {row.time}",
            )
        previous = when if previous is None else max(previous, when)


@rule(
    "BPM203",
    "timeline-row-incomplete",
    "error",
    "a timeline row with an empty actor or event",
    "A step without an actor hides who was involved and what they knew; a step without an "
    "event says nothing.",
    "Name the person, team, bot or system that acted, and what they did or what happened.",
    needs_front_matter=False,
    examples=Examples(
        "timeline rows",
        flagged=(
            "| 2026-11-20 14:03 |  | Pushed config v42 |  |  |  |",
            "| 2026-11-20 14:03 | deploy-bot |  | Errors rose |  |  |",
        ),
        not_flagged=("| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |  |  |  |",),
    ),
)
def check_cells(ctx: Context) -> Iterator[Hit]:
    table = table_of(ctx)
    if table is None or not table.has_expected_columns():
        return
    for row in table.rows:
        missing = [
            name
            for name, value in (("actor", row.actor), ("event", row.event))
            if not value.strip()
        ]
        if missing:
            yield Hit(
                row.line, 1, f"timeline row has no {' and no '.join(missing)}", f"row {row.time}"
            )
