"""Property tests: no exception but bpm's own errors ever escapes the parsers or lint.

The budget is small in the suite; a large run is documented in docs/reliability.md:
    BPM_FUZZ_EXAMPLES=20000 python -m pytest tests/robustness/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpmcli.config import Config
from bpmcli.errors import BpmError
from bpmcli.format import facts as facts_module
from bpmcli.format import postmortem as model
from bpmcli.format import timeline
from bpmcli.lint import engine
from bpmcli.lint.rules import suppression
from lint.base import CLEAN

EXAMPLES = int(os.environ.get("BPM_FUZZ_EXAMPLES", "150"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
SETTINGS = engine.settings(Config(root=Path("/nonexistent")), dt.date(2026, 11, 23))
PIECES = [
    "---",
    "\n",
    "\r\n",
    ":",
    " ",
    "- ",
    "|",
    "\\",
    "#",
    "<!--",
    "-->",
    "`",
    "```",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!!",
    "\t",
    "\ufeff",
    "\x00",
    "bpm-disable",
    "BPM101",
    "actions:",
    "  - id: A1",
    "due: 2026-02-30",
    "## Timeline",
    "| Time (UTC) |",
    "<br>",
]
text = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(PIECES)), max_size=60).map("".join)


@fuzz
@given(text)
def test_the_reader_only_raises_its_own_errors(data: str) -> None:
    try:
        pm = model.parse(data.encode("utf-8", "surrogatepass"), Path("x.md"))
    except BpmError:
        return
    pm.actions, pm.sections, pm.started, pm.review_by  # noqa: B018 - the accessors must not raise


@fuzz
@given(st.binary(max_size=300))
def test_any_bytes_lint_to_findings(data: bytes) -> None:
    for finding in engine.lint_bytes(data, Path("x.md"), SETTINGS):
        assert finding.line >= 1 and finding.column >= 1


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The clean postmortem with a few random edits: deletions, insertions, replacements."""
    data = CLEAN
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 40))
        data = (
            data[:at]
            + draw(st.one_of(st.text(max_size=10), st.sampled_from(PIECES)))
            + data[at + cut :]
        )
    return data.encode("utf-8", "surrogatepass")


@fuzz
@given(mutated())
def test_mutated_postmortems_lint_without_exceptions(data: bytes) -> None:
    engine.lint_bytes(data, Path("2026-11-20-checkout-outage.md"), SETTINGS)


@fuzz
@given(
    st.lists(
        st.one_of(
            st.text(max_size=20),
            st.sampled_from(["|", "\\|", "| a | b |", "|---|---|", "<br>", ":-:"]),
        ),
        max_size=30,
    ).map("".join)
)
def test_the_timeline_parser(cells: str) -> None:
    page = CLEAN.replace(
        "| 2026-11-20 14:03 | deploy-bot |", cells + "\n| 2026-11-20 14:03 | deploy-bot |"
    )
    try:
        pm = model.parse(page.encode("utf-8", "surrogatepass"), Path("x.md"))
        timeline.read(pm)
        timeline.insert_rows(pm, [timeline.Row("2026-11-20 14:30", "a", "b")], "UTC")
    except BpmError:
        return


@fuzz
@given(text)
def test_the_suppression_parser(data: str) -> None:
    directives = suppression.parse(data, 3)
    for line in range(1, 6):
        suppression.suppressed(directives, line, "BPM101")


@fuzz
@given(text)
def test_the_history_facts_scanner(data: str) -> None:
    lines = ("---\n" + data + "\n---\n").encode("utf-8", "surrogatepass").split(b"\n")
    facts = facts_module.front_matter_facts(lines)
    assert facts is None or isinstance(facts.actions, dict)


IMPORT_PIECES = [
    "\n",
    "# Outage\n",
    "## Timeline\n",
    "## Action items\n",
    "### 09:02 PM\n",
    "- **14:03 UTC** - ",
    "- [ ] ",
    "- [x] ",
    "* `12:00` ",
    "[11-23 14:03] ",
    "| Time | Event |\n|---|---|\n",
    "| Action Item | Owner | Type | Status |\n|---|---|---|---|\n",
    "| 2019-10-24 06:16 | a |\n",
    "| x | y | z |\n",
    "```\n",
    "+++\n",
    "---\n",
    "title: x\n",
    "date: 2024-01-02\n",
    "2024-02-30",
    "Oct 24, 2019",
    "-->",
    "<!--",
    "DONE",
    "sev2",
    "\t",
    "\ufeff",
]
fragments = st.lists(
    st.one_of(st.text(max_size=10), st.sampled_from(IMPORT_PIECES)), max_size=50
).map("".join)
# Most random text is no postmortem at all (refused early): half of it gets a title that is
markdown = st.tuples(st.booleans(), fragments).map(lambda t: ("# Outage\n" if t[0] else "") + t[1])


@fuzz
@given(markdown)
def test_the_importer(data: str) -> None:
    """Any text: an imported file that keeps every word and parses, or bpm's own error."""
    import re

    from bpmcli import importer

    config = Config(root=Path("/nonexistent"))
    raw = data.encode("utf-8", "surrogatepass")
    try:
        done = importer.convert(raw, "old.md", config, importer.Options(date=dt.date(2020, 1, 2)))
    except BpmError:
        return
    text = done.text_with(done.id)
    pm = model.parse(text.encode("utf-8"), Path(f"{done.id}.md"))
    assert pm.title == done.title and len(pm.actions) == done.actions
    original = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    assert set(re.findall(r"\w+", original.casefold())) <= set(re.findall(r"\w+", text.casefold()))
    assert timeline.find(pm) is not None  # the Timeline section, with its table
