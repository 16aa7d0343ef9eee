#!/usr/bin/env python3
"""Which CommonMark parser reads Markdown structure for bpm: import time and parse time.

    python3 bench/markdown.py FILE_OR_FOLDER...   # in a venv with the candidates installed

For each parser that is installed: the import time (a fresh interpreter, median of 5) and
the median time to parse one file's body (front matter cut off) over all the files given,
round-robin (file 1 by every parser, then file 2, ...: one run, so a noisy moment hits
every parser alike), with ratios to pyromark. `bpm-outline` is bpm's own
`format.markdown.Outline` built from pyromark's events; `bpm-outline-plain` the same with
its shortcut for plain bodies (headings, paragraphs, tables): what lint really pays.
What each parser can tell (source positions of code blocks, headings, tables...) was
checked by hand and is written in docs/performance.md, "Markdown parser".
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

Parse = Callable[[str], Any]


def _pyromark() -> Parse:
    import pyromark

    options = pyromark.Options.ENABLE_TABLES
    # consumed, not kept: what a reader does (a tuple of every event is mostly allocation)
    return lambda text: deque(pyromark.events_with_range(text, options=options), maxlen=0)


def _outline() -> Parse:
    from bpmcli.format.markdown import Outline

    return lambda text: Outline(text, plain=False).headings


def _outline_plain() -> Parse:
    from bpmcli.format.markdown import Outline

    return lambda text: Outline(text).headings  # plain bodies without the parser


def _markdown_it() -> Parse:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    return md.parse


def _mistune() -> Parse:
    import mistune

    md = mistune.create_markdown(renderer=None, plugins=["table"])
    return md  # type: ignore[no-any-return]


def _marko() -> Parse:
    from marko.ext.gfm import gfm

    return gfm.parse


def _commonmark() -> Parse:
    import commonmark

    return lambda text: commonmark.Parser().parse(text)


def _cmarkgfm() -> Parse:
    import cmarkgfm

    # HTML only: its Python API has no tree; here for the C library's speed, for reference
    return cmarkgfm.github_flavored_markdown_to_html


CANDIDATES: dict[str, tuple[str, Callable[[], Parse]]] = {
    "pyromark": ("pyromark", _pyromark),
    "bpm-outline": ("bpmcli.format.markdown", _outline),
    "bpm-outline-plain": ("bpmcli.format.markdown", _outline_plain),
    "markdown-it-py": ("markdown_it", _markdown_it),
    "mistune": ("mistune", _mistune),
    "marko": ("marko.ext.gfm", _marko),
    "commonmark": ("commonmark", _commonmark),
    "cmarkgfm": ("cmarkgfm", _cmarkgfm),
}


def import_time(module: str) -> float | None:
    """Seconds to import `module` in a fresh interpreter (median of 5); None if absent."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = []
    for _ in range(5):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            return None
        runs.append(float(done.stdout))
    return statistics.median(runs)


def body_of(text: str) -> str:
    """The Markdown after a YAML front matter, if the file has one."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


def files_of(arguments: list[str]) -> list[Path]:
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        found += sorted(path.rglob("*.md")) if path.is_dir() else [path]
    return found


def main() -> None:
    paths = files_of(sys.argv[1:])
    if not paths:
        sys.exit("usage: bench/markdown.py FILE_OR_FOLDER...")
    texts = [body_of(p.read_text(encoding="utf-8")) for p in paths]
    parsers: dict[str, Parse] = {}
    imports: dict[str, float] = {}
    for name, (module, make) in CANDIDATES.items():
        seconds = import_time(module)
        if seconds is None:
            print(f"{name}: not installed")
            continue
        imports[name], parsers[name] = seconds, make()
        parsers[name](texts[0])  # warm up: lazy tables, caches
    times: dict[str, list[float]] = {name: [] for name in parsers}
    for text in texts:
        for name, parse in parsers.items():
            start = time.perf_counter()
            parse(text)
            times[name].append(time.perf_counter() - start)
    size = statistics.median(len(t.encode()) for t in texts)
    print(f"python {sys.version.split()[0]}; {len(texts)} files, median body {size / 1024:.1f} KB")
    base = statistics.median(times["pyromark"]) if "pyromark" in times else None
    for name, runs in times.items():
        median = statistics.median(runs)
        ratio = f"{median / base:7.1f}x" if base else ""
        print(
            f"{name:<18} import {imports[name] * 1000:6.1f} ms   parse {median * 1000:8.3f} ms"
            f"   {ratio}"
        )


if __name__ == "__main__":
    main()
