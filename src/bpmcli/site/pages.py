"""What the follow-through, owner and service pages show, as plain values for templates."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from bpmcli.site.charts import Series, line_chart


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    why: str
    names: list[str]  # the series, in the table's column order
    keys: list[str]  # the `report stats` key of each series
    percent: bool = False  # shares shown as percentages


CHARTS = (
    Chart(
        "opened-closed",
        "Actions opened and closed",
        "Commitments made against commitments kept (or declined in the open).",
        ["opened", "done", "dropped"],
        ["actions_added", "actions_done", "actions_dropped"],
    ),
    Chart(
        "overdue",
        "Open and overdue actions at each period's end",
        "The backlog of promises, and the part of it already past its deadline.",
        ["open", "overdue"],
        ["open_at_end", "overdue_at_end"],
    ),
    Chart(
        "days-to-close",
        "Median days to close an action",
        "How long fixes take in practice, from the commit that added one to the one that closed it.",
        ["median days"],
        ["median_days_to_close"],
    ),
    Chart(
        "on-time",
        "Postmortems published on time (%)",
        "The postmortem SLA: published on or before review_by, while memories are fresh.",
        ["on time %"],
        ["on_time_share"],
        percent=True,
    ),
    Chart(
        "postponements",
        "Postponements",
        "Commits that moved an open action's due date later.",
        ["postponements"],
        ["postponements"],
    ),
    Chart(
        "prevent-share",
        "Permanent fixes among new actions (%)",
        "Actions of kind prevent: a team that only mitigates meets the same incident again.",
        ["prevent %"],
        ["prevent_share"],
        percent=True,
    ),
)


def _value(row: dict[str, Any], key: str, percent: bool) -> float | int | None:
    value: float | int | None
    if key == "on_time_share":
        value = row["published_on_time"] / row["published"] if row["published"] else None
    else:
        value = row[key]
    if value is None or not percent:
        return value
    return round(float(value) * 100, 1)


def charts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each chart of the follow-through page: its SVG and its numbers."""
    periods = [str(row["period"]) for row in rows]
    found = []
    for chart in CHARTS:
        columns = [[_value(row, key, chart.percent) for row in rows] for key in chart.keys]
        series = [Series(name, values) for name, values in zip(chart.names, columns, strict=True)]
        found.append(
            {
                "slug": chart.slug,
                "title": chart.title,
                "why": chart.why,
                "names": chart.names,
                "svg": Markup(line_chart(chart.title, periods, series)),  # leather escapes text
                "table": list(zip(periods, zip(*columns, strict=True), strict=True)),
            }
        )
    return found


def people(
    cards: list[dict[str, Any]], groups_of: Callable[[dict[str, Any], dict[str, Any]], list[str]]
) -> list[dict[str, Any]]:
    """Open actions by owner (or service): overdue first, then by due date."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for card in cards:
        for action in card["actions"]:
            if action["status"] != "open":
                continue
            shown = {**action, "postmortem": card["id"], "href": card["href"]}
            for name in groups_of(card, action):
                grouped.setdefault(name, []).append(shown)
    found = []
    anchors: set[str] = set()
    for name, actions in grouped.items():
        actions.sort(key=lambda a: (not a["overdue"], a["due"] or "9999", a["postmortem"]))
        found.append(
            {
                "name": name,
                "anchor": _anchor(name, anchors),
                "open": len(actions),
                "overdue": sum(a["overdue"] for a in actions),
                "actions": actions,
            }
        )
    found.sort(key=lambda g: (-g["overdue"], -g["open"], g["name"]))
    return found


def _anchor(name: str, taken: set[str]) -> str:
    base = "g-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower() or "x")
    anchor, number = base, 2
    while anchor in taken:
        anchor, number = f"{base}-{number}", number + 1
    taken.add(anchor)
    return anchor
