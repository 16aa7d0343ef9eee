"""Charts of `report stats` rows, drawn at build time as SVG with leather.

Why leather (bench/charts.py, figures in docs/site.md): it is small, pure Python, and
writes plain SVG with presentation attributes (no script, no inline style, so the pages'
Content Security Policy needs no exception). Drawing this site's heaviest chart it was
9.4 times faster than pygal, whose SVG was 7.2 times larger; matplotlib took a second
just to import and 13.5 times as long per chart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

COLOURS = ("#1b6ca8", "#d1495b", "#2e933c", "#8f5db7")  # distinguishable, dark enough on white
WIDTH, HEIGHT = 720, 300


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]  # one per period; None: nothing to show there


def line_chart(title: str, periods: Sequence[str], series: Sequence[Series]) -> str:
    """An SVG line chart, one line per series over the periods, labelled for screen readers."""
    import leather

    chart = leather.Chart(title)
    last = max(1, len(periods) - 1)
    highest = max([v for s in series for v in s.values if v is not None] + [0])
    top = max(4.0, _nice(highest))  # at least 0..4: whole numbers on a chart of counts
    chart.add_x_scale(0, last)
    chart.add_y_scale(0, top)
    chart.add_x_axis(
        ticks=_ticks(len(periods)), tick_formatter=lambda value, *_: periods[int(value)]
    )
    chart.add_y_axis(
        ticks=[top * i / 4 for i in range(5)], tick_formatter=lambda value, *_: f"{value:g}"
    )
    drawn = 0
    for colour, line in zip(COLOURS, series, strict=False):
        points = [(i, v) for i, v in enumerate(line.values) if v is not None]
        if points:
            chart.add_line(points, name=line.name, stroke_color=colour, width=2)
            drawn += 1
    label = f"{title}: chart; the numbers are in the table beside it"
    if not drawn:
        return (
            f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
            f'aria-label="{_attr(title)}: nothing to show yet" xmlns="http://www.w3.org/2000/svg">'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f9f9f9"/><text x="{WIDTH // 2}" '
            f'y="{HEIGHT // 2}" text-anchor="middle" fill="#555">{_attr(title)}: nothing to show '
            "yet</text></svg>"
        )
    svg: str = chart.to_svg(width=WIDTH, height=HEIGHT)
    return re.sub(
        r"^<svg ",
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{_attr(label)}" ',
        svg,
        count=1,
    )


def _nice(value: float) -> float:
    """A round upper bound for the y axis."""
    if value <= 1:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        if value <= step * 5:
            return float(step * -(-value // step))
    return float(value)


def _ticks(count: int) -> list[int]:
    """About eight evenly spread period indexes, the first and the last included."""
    if count <= 1:
        return [0]
    step = max(1, round((count - 1) / 8))
    ticks = list(range(0, count, step))
    if ticks[-1] != count - 1:
        if count - 1 - ticks[-1] < step / 2:
            ticks[-1] = count - 1
        else:
            ticks.append(count - 1)
    return ticks


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
