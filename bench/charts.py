#!/usr/bin/env python3
"""Which charting library draws the site's charts: speed and output size, side by side.

    python3 bench/charts.py        # in a venv with leather, pygal and matplotlib installed

Draws the follow-through page's heaviest chart (three series over 72 months, as six years
of monthly `report stats` give) with each library that is installed, as SVG; prints the
import time, the median time per chart and the SVG size, and ratios to leather.
"""

from __future__ import annotations

import importlib
import io
import random
import statistics
import sys
import time
from collections.abc import Callable

PERIODS = [f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(72)]
rng = random.Random(7)
SERIES = {name: [rng.randint(0, 250) for _ in PERIODS] for name in ("opened", "done", "dropped")}


def leather_chart() -> str:
    import leather

    chart = leather.Chart("Actions opened and closed")
    for name, values in SERIES.items():
        chart.add_line(list(enumerate(values)), name=name)
    svg: str = chart.to_svg(width=720, height=300)
    return svg


def pygal_chart() -> str:
    import pygal

    chart = pygal.Line(js=[], width=720, height=300, title="Actions opened and closed")
    chart.x_labels = PERIODS
    for name, values in SERIES.items():
        chart.add(name, values)
    svg: str = chart.render(is_unicode=True)
    return svg


def matplotlib_chart() -> str:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7.2, 3.0))
    for name, values in SERIES.items():
        axes.plot(range(len(PERIODS)), values, label=name)
    axes.set_title("Actions opened and closed")
    axes.legend()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    return buffer.getvalue()


def main() -> None:
    candidates: dict[str, tuple[str, Callable[[], str]]] = {
        "leather": ("leather", leather_chart),
        "pygal": ("pygal", pygal_chart),
        "matplotlib": ("matplotlib.pyplot", matplotlib_chart),
    }
    found = {}
    for name, (module, draw) in candidates.items():
        try:
            start = time.perf_counter()
            importlib.import_module(module)
            imported = time.perf_counter() - start
        except ImportError:
            print(f"{name}: not installed")
            continue
        draw()
        times = []
        for _ in range(15):
            start = time.perf_counter()
            svg = draw()
            times.append(time.perf_counter() - start)
        found[name] = (imported, statistics.median(times), len(svg.encode()))
    base = found.get("leather")
    print(f"python {sys.version.split()[0]}; one chart, 3 series x 72 periods, median of 15")
    for name, (imported, per_chart, size) in found.items():
        ratio = f"  {per_chart / base[1]:5.1f}x time, {size / base[2]:5.1f}x size" if base else ""
        print(
            f"{name:<11} import {imported * 1000:6.0f} ms   chart {per_chart * 1000:6.1f} ms"
            f"   SVG {size / 1024:6.1f} KB{ratio}"
        )


if __name__ == "__main__":
    main()
