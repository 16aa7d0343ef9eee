"""The facts of a file version: one reading (the model's), and a fast scanner that agrees.

The property tests generate front matter in many shapes (the block shape bpm writes, flow
style, quoting, YAML 1.1 booleans, dates valid and not, anchors and merge keys, comments,
CRLF, odd indentation, ...) and check that the scanner either hands over (`_Unusual`) or
returns exactly what the full reader returns; and that a whole file's facts are the facts
of the model bpm reads it into. The suite runs a few hundred examples; a long run:
    BPM_FACTS_EXAMPLES=20000 python -m pytest tests/format/test_facts.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bpmcli.errors import PostmortemError
from bpmcli.format import facts as facts_module
from bpmcli.format import frontmatter, postmortem
from bpmcli.format.facts import ActionFacts, Facts, facts_of, front_matter_facts
from bpmcli.format.frontmatter import dump_front_matter
from conftest import REALWORLD

EXAMPLES = int(os.environ.get("BPM_FACTS_EXAMPLES", "300"))
prop = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

# -- the generator ----------------------------------------------------------------------------

SCALARS = [
    # the values bpm writes
    "open", "done", "dropped", "prevent", "mitigate", "detect", "process", "draft",
    "published", "in-review", "SEV2", "A1", "A2", "alice", "@payments-team", "checkout",
    "Make the delta-wave splitter idempotent", "Set a 2 s timeout on calls to the ledger",
    "2026-12-04", "2026-11-20T14:03:00Z", "2026-11-25",
    # YAML 1.1 types, as PyYAML reads them
    "yes", "no", "on", "off", "Yes", "NO", "On", "true", "False", "y", "n", "~", "null",
    "Null", "NULL", "", "1", "0", "-1", "+7", "007", "0x1F", "0o17", "0b101", "1_000", "1:20",
    "3.0", ".5", "1e3", "1.0e+3", ".inf", "-.inf", ".NaN", "0x_", "0b_",
    # dates and timestamps, real and not
    "2026-02-30", "2026-13-01", "2026-1-4", "20261204", "2026-12-04T10:00:00",
    "2026-12-04 10:00:00", "2026-12-04T10:00:00+01:00", "2026-12-04t10:00:00.5-05:00",
    "2026-12-04T25:00:00Z", "2026-12-04 10:00:00 +01:00", "2026-11-20T23:30:00-05:00",
    "1999-12-31T23:59:59.999999Z", "0000-01-01",
    # indicators and other sharp edges
    "<<", "=", "a #b", "a#b", "a: b", "a:b", "a:", ":a", "-a", "- a", "?a", "? a", "a,b",
    "[a]", "{a}", "a]", "a}", "@x", "`x`", "%x", "!x", "&x", "*x", "|", ">", "#x", "a  b",
    "A1 ", " A1", "  padded  ", "...", "---x", "a - b", "a [b]", "a {b}", "x!y", "R&D",
    # unicode, controls and the YAML 1.1 line breaks
    "é", "日本", "emoji 🚀", "nbsp\u00a0x", "\u00a0", "tab\tx", "nel\x85x", "ls\u2028x",
    "ps\u2029x", "bom\ufeffx", "ctl\x07x", "del\x7fx", "cr\rx", "zwsp\u200bx", "pua\ue000x",
    "back\\slash", "quote'in", 'quote"in', "a\\nb",
]  # fmt: skip
CHARS = list("aA1 -_:#'\"[]{},&*!|>%@`?~.\\é\t<=")
TOP_KEYS = ["status", "started", "review_by", "severity", "services", "facilitator", "actions"]
OTHER_TOP_KEYS = ["id", "title", "kind", "detected", "tags", "base", "x-note", "yes", "Status"]
ACTION_KEYS = ["id", "action", "owner", "due", "kind", "status", "ticket", "closed", "reason"]
IDS = [
    "A1",
    "A2",
    "A3",
    "A1",
    "a1",
    "3",
    "'A1'",
    '"A2 "',
    "' A3'",
    "A1 # first",
    "1.0",
    "2026-12-04",
]
ODD_KEYS = ['"status"', "'id'", "? status", "<<", "status ", "on", "null", "a b", "k" * 130]

raw_scalar = st.one_of(
    st.sampled_from(SCALARS), st.text(alphabet=st.sampled_from(CHARS), max_size=10)
)


TAME = [
    text
    for text in SCALARS
    if text.isprintable()
    and not set(text) & set("#:[]{}&*!|>%@`'\"")
    and text[1:2] != " "
    and text not in ("<<", "=", "0x_", "0b_")  # values the reader refuses: handed over
]
tame_scalar = st.sampled_from(TAME)


@st.composite
def scalar(draw: st.DrawFn, tame: bool = False) -> str:
    """A scalar as written: plain, quoted (well or badly), decorated, with a comment."""
    text = draw(tame_scalar if tame else raw_scalar)
    styles = ["plain"] * 5 + ["single", "double"] + ([] if tame else ["odd"])
    style = draw(st.sampled_from(styles))
    if style == "single":
        text = "'" + text.replace("'", "''") + "'"
    elif style == "double":
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        text = (
            '"'
            + (
                escaped
                if tame
                else draw(st.sampled_from([escaped, text, escaped + "\\x41", "\\u00e9"]))
            )
            + '"'
        )
    elif style == "odd":
        text = draw(
            st.sampled_from(
                [
                    f"&a {text}", "*a", f"!!str {text}", "!!int 3", f"'{text}", f'"{text}',
                    f"'{text}'x", f"'{text}' x", f"'{text}'#c", "|", ">-", "{}", "[]",
                    f"{{id: {text}}}", f"[{text}", f"[{text}, [b]]", f"[{text},]", "[,]",
                    f"[{text}, , b]", "[a, b] x", "[ ]", "[a:b]", f"[{text}] # c", "[-1]",
                    "['a', b]", "[yes, 1, ~, 2026-12-04]",
                ]
            )
        )  # fmt: skip
    spaces = draw(st.sampled_from(["", "", " ", "  "]))
    comment = draw(
        st.sampled_from(["", "", "", " # note", "  #: x"] + ([] if tame else ["#c", " #"]))
    )
    return text + spaces + comment


def flow_action(draw: st.DrawFn) -> str:
    keys = draw(st.lists(st.sampled_from(ACTION_KEYS), min_size=1, max_size=6))
    return "{" + ", ".join(f"{key}: {draw(raw_scalar)}" for key in keys) + "}"


@st.composite
def action_lines(draw: st.DrawFn, dash: int, tame: bool) -> list[str]:
    """One action entry of a block sequence whose dashes are at column `dash`."""
    pad = " " * dash
    kinds = ["block"] * 6 + ([] if tame else ["flow", "merge", "scalar", "empty"])
    kind = draw(st.sampled_from(kinds))
    if kind == "flow":
        return [f"{pad}- {flow_action(draw)}"]
    if kind == "scalar":
        return [f"{pad}- {draw(scalar())}"]
    if kind == "empty":
        return [f"{pad}-", f"{pad}  id: A9"]
    gap = " " * draw(st.sampled_from([1, 1, 1, 2, 3]))
    column = " " * (dash + 1 + len(gap))
    names = ACTION_KEYS + ([] if tame else ODD_KEYS[:2])
    keys = draw(st.lists(st.sampled_from(names), min_size=1, max_size=7))
    lines = [f"{column}{key}: {draw(scalar(tame))}" for key in keys]
    if draw(st.integers(0, 4)):  # most actions have an id that reads as one
        lines.insert(0, f"{column}id: {draw(st.sampled_from(IDS))}")
    if kind == "merge":
        lines.insert(draw(st.integers(0, len(lines))), f"{column}<<: *base")
    if not tame and draw(st.booleans()) and len(lines) > 1:  # a block under the last key
        lines[-1] = lines[-1].split(":")[0] + ":"
        lines.append(column + draw(st.sampled_from(["  - x", "- x", "  a: b", "  x"])))
    first = lines[0][len(column) :]
    return [f"{pad}-{gap}{first}", *lines[1:]]


@st.composite
def top_entry(draw: st.DrawFn, tame: bool) -> list[str]:
    """One top-level key and its value: a scalar, or a block below it."""
    key = draw(
        st.one_of(
            st.sampled_from(TOP_KEYS),
            st.sampled_from(OTHER_TOP_KEYS),
            st.sampled_from(["status"] if tame else ODD_KEYS),
        )
    )
    shapes = ["scalar", "scalar", "sequence", "actions", "mapping"] + ([] if tame else ["anchor"])
    shape = draw(st.sampled_from(shapes))
    if key == "actions" and draw(st.booleans()):
        shape = "actions"
    if shape == "scalar":
        return [f"{key}: {draw(scalar(tame))}"]
    head = f"{key}:" + draw(st.sampled_from(["", "", " ", "  # list"]))
    if shape == "anchor":  # what a merge key refers to
        body = [f"  {k}: {draw(scalar())}" for k in draw(st.lists(st.sampled_from(ACTION_KEYS)))]
        return [f"{key}: &base", *body]
    if shape == "mapping":
        column = " " * draw(st.sampled_from([1, 2, 2, 4]))
        keys = draw(st.lists(st.sampled_from(ACTION_KEYS + OTHER_TOP_KEYS), max_size=4))
        return [head, *(f"{column}{k}: {draw(scalar(tame))}" for k in keys)]
    dash = draw(st.sampled_from([0, 2, 2, 2, 4]))
    if shape == "sequence":
        items = draw(st.lists(scalar(tame), max_size=4))
        return [head, *(f"{' ' * dash}- {item}" for item in items)]
    entries = draw(st.lists(action_lines(dash, tame), max_size=4))
    return [head, *(line for entry in entries for line in entry)]


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """YAML between the delimiters, without them: often well formed, often not quite."""
    tame = draw(st.booleans())  # tame: the shapes the scanner reads, with tricky values
    entries = draw(st.lists(top_entry(tame), max_size=8))
    if draw(st.booleans()):  # an actions block, somewhere
        dash = draw(st.sampled_from([0, 2, 2, 4]))
        actions = draw(st.lists(action_lines(dash, tame), min_size=1, max_size=4))
        block = ["actions:", *(line for entry in actions for line in entry)]
        entries.insert(draw(st.integers(0, len(entries))), block)
    lines = [line for entry in entries for line in entry]
    for _ in range(draw(st.integers(0, 1 if tame else 3))):  # damage, as hands edit files
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        changes = ["comment", "blank", "spaces", "copy"]
        if not tame:
            changes += ["trail", "indent", "dedent", "drop"]
        change = draw(st.sampled_from(changes))
        if change == "comment":
            lines.insert(at, draw(st.sampled_from(["# c", "  # c", "#", "    # id: A7"])))
        elif change == "blank":
            lines.insert(at, "")
        elif change == "spaces":
            lines.insert(at, "   ")
        elif change == "trail":
            lines[at] += draw(st.sampled_from([" ", "  ", "\t", " # x"]))
        elif change == "indent":
            lines[at] = " " + lines[at]
        elif change == "dedent":
            lines[at] = lines[at].removeprefix(" ")
        elif change == "copy":
            lines.insert(at, lines[at])
        else:
            del lines[at]
    if draw(st.integers(0, 9)) == 0:
        lines = [line + "\r" for line in lines]  # CRLF
    return "\n".join(lines)


# -- the properties ---------------------------------------------------------------------------


def full_reader(text: str) -> Facts | None:
    return facts_module._yaml_facts(text + "\n")


def scanner(text: str) -> Facts | None:
    """The scanner's answer; None when it hands over to the full reader."""
    try:
        found = facts_module._scan_facts(text.split("\n") if text else [])
    except facts_module._Unusual:
        event("handed over")
        return None
    event("scanned, with actions" if found.actions else "scanned")
    return found


@prop
@given(front_matter())
def test_the_scanner_returns_what_the_full_reader_returns_or_hands_over(text: str) -> None:
    scanned = scanner(text)
    if scanned is not None:
        assert scanned == full_reader(text)


def model_facts(raw: bytes) -> Facts | None:
    """The facts of the model that `bpm lint` and `bpm report overdue` read the file into."""
    try:
        return facts_of(postmortem.parse(raw, Path("2026-11-20-x.md")))
    except PostmortemError:
        return None


@prop
@given(front_matter(), st.sampled_from(["\n", "\r\n"]), st.sampled_from(["---", "--- ", "---\t"]))
def test_a_files_facts_are_the_facts_of_its_model(text: str, newline: str, closing: str) -> None:
    raw = ("---" + newline + text + newline + closing + newline + "# Title" + newline).encode()
    assert front_matter_facts(raw.split(b"\n")) == model_facts(raw)


# -- the shape bpm writes stays on the fast path ------------------------------------------------

safe_word = st.text(alphabet=st.sampled_from(list("abcdefghij -_.@ABC")), min_size=1, max_size=20)


@st.composite
def bpm_written(draw: st.DrawFn) -> str:
    """Front matter as bpm writes it (ruamel, FORMAT.md order), with varied plain values."""
    actions = [
        {
            "id": f"A{i + 1}",
            "action": draw(safe_word).strip() or "Fix it",
            "owner": draw(st.sampled_from(["bob", "@payments-team", "Ana Okafor"])),
            "due": draw(st.dates()),
            "kind": draw(st.sampled_from(["prevent", "mitigate", "detect", "process"])),
            "status": draw(st.sampled_from(["open", "done", "dropped"])),
        }
        for i in range(draw(st.integers(0, 6)))
    ]
    data = {
        "id": "2026-11-20-checkout-outage",
        "title": draw(safe_word),
        "kind": "incident",
        "status": draw(st.sampled_from(["draft", "in-review", "published"])),
        "severity": "SEV2",
        "review_by": draw(st.dates()),
        "facilitator": "alice",
        "services": draw(st.lists(st.sampled_from(["checkout", "payments", "dns"]), max_size=3)),
        "actions": actions,
    }
    return dump_front_matter(data).rstrip("\n")


@prop
@given(bpm_written())
def test_what_bpm_writes_is_read_by_the_scanner_without_handing_over(text: str) -> None:
    scanned = facts_module._scan_facts(text.split("\n"))
    assert scanned == full_reader(text)


# -- the cases the issues name ------------------------------------------------------------------

BLOCK = """\
status: draft
started: 2026-11-20T14:03:00Z
review_by: 2026-11-25
severity: SEV2
facilitator: alice
services: [checkout, payments]
actions:
  - id: A1
    action: Make the delta-wave splitter idempotent
    owner: bob
    due: 2026-12-04
    kind: prevent
    status: open"""

A1 = ActionFacts("2026-12-04", "open", "prevent", "Make the delta-wave splitter idempotent", "bob")


def test_the_block_shape_bpm_writes_is_scanned() -> None:
    scanned = facts_module._scan_facts(BLOCK.split("\n"))
    assert scanned == Facts(
        "draft", {"A1": A1}, "2026-11-20", "2026-11-25", "SEV2", ("checkout", "payments"), "alice"
    )
    assert scanned == full_reader(BLOCK)


@pytest.mark.parametrize(
    "action",
    [
        "  - {id: A1, action: Make the delta-wave splitter idempotent, owner: bob, due: 2026-12-04, kind: prevent, status: open}",
        '  - {"id": "A1", "action": "Make the delta-wave splitter idempotent", "owner": "bob",\n'
        '     "due": 2026-12-04, "kind": "prevent", "status": "open"}',
        "  - id: A1\n    <<: {action: Make the delta-wave splitter idempotent, owner: bob}\n"
        "    due: 2026-12-04\n    kind: prevent\n    status: open",
        '  - id: "A1 "\n    action: Make the delta-wave splitter idempotent\n    owner: bob\n'
        "    due: 2026-12-04\n    kind: prevent\n    status: open",
        "  - id: ' A1'\n    action: '  Make the delta-wave splitter idempotent '\n    owner: bob\n"
        "    due: 2026-12-04\n    kind: prevent\n    status: open",
    ],
    ids=["flow", "flow-multiline", "merge", "id-trailing-space", "single-quoted-padding"],
)
def test_actions_of_every_shape_are_read_as_the_model_reads_them(action: str) -> None:
    text = "status: draft\nactions:\n" + action
    lines = ("---\n" + text + "\n---\n").encode().split(b"\n")
    assert front_matter_facts(lines) == Facts("draft", {"A1": A1})
    assert front_matter_facts(lines) == model_facts(b"\n".join(lines))


def test_a_merge_key_from_an_anchor_gives_the_action_its_fields() -> None:
    text = (
        "base: &base\n  owner: bob\n  kind: prevent\n  status: open\n  due: 2026-12-04\n"
        "actions:\n  - <<: *base\n    id: A1\n    action: Make the delta-wave splitter idempotent"
    )
    lines = ("---\n" + text + "\n---\n").encode().split(b"\n")
    assert front_matter_facts(lines) == Facts(None, {"A1": A1})


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("id: 3", "3"),
        ("id: 3.0", "3.0"),
        ("id: 1_000", "1000"),
        ("id: yes", None),  # a boolean is no text to the model
        ("id: ~", None),
        ("id: '  '", None),
        ("id: 2026-12-04", "2026-12-04"),
    ],
)
def test_ids_are_what_the_model_says(written: str, read: str | None) -> None:
    text = f"actions:\n  - {written}\n    status: open"
    scanned = facts_module._scan_facts(text.split("\n"))
    assert scanned == full_reader(text)
    assert list(scanned.actions) == ([read] if read else [])


@pytest.mark.parametrize(
    ("written", "due"),
    [
        ("due: 2026-12-04", "2026-12-04"),
        ("due: '2026-12-04'", None),  # a string that looks like a date is no date to the model
        ("due: 2026-02-30", None),
        ("due: 2026-12-04T10:00:00Z", None),  # a timestamp where a date belongs
        ("due: 2026-12-04 # moved", "2026-12-04"),
    ],
)
def test_due_dates_are_what_the_model_says(written: str, due: str | None) -> None:
    text = f"actions:\n  - id: A1\n    {written}"
    scanned = facts_module._scan_facts(text.split("\n"))
    assert scanned == full_reader(text)
    assert scanned.actions["A1"].due == due


@pytest.mark.parametrize(
    "text",
    [
        "actions:\n  - id: A1\n    reason: |\n      status: done",  # a block scalar
        "title: x\n  status: done",  # a value continued on the next line
        'title: "a\nstatus: published"',  # a quoted value continued
        "actions:\n- id: A1\n  tags:\n  - x",  # a sequence inside an action
        "actions:\n  - id: A1\n     status: done",  # misaligned
        "services: [a,\n  b]",  # a flow list over two lines
        "status: draft\nstatus\u2028: published",  # a YAML 1.1 line break
    ],
)
def test_shapes_the_scanner_does_not_know_are_handed_over(text: str) -> None:
    with pytest.raises(facts_module._Unusual):
        facts_module._scan_facts(text.split("\n"))


def test_the_closing_delimiter_is_the_one_the_model_sees() -> None:
    for closing in (b"---", b"---  ", b"---\r", b"--- \t\r"):
        lines = [b"---", b"status: draft", closing, b"body"]
        assert facts_module.front_matter_end(lines) == 3
        assert front_matter_facts(lines) == Facts("draft", {})
    lines = [b"---", b"status: draft", b"---x", b"status: published", b"---"]
    assert facts_module.front_matter_end(lines) == 5
    assert facts_module.front_matter_end([b"---", b"status: draft"]) == 2
    assert front_matter_facts([b"---", b"status: draft"]) is None
    assert facts_module.front_matter_end([b"# no front matter"]) == 0


REALWORLD_FILES = sorted(p for p in REALWORLD.glob("*.md") if p.name != "SOURCES.md")


@pytest.mark.shared("realworld")
@pytest.mark.parametrize("path", REALWORLD_FILES, ids=lambda p: p.stem)
def test_real_postmortems_have_their_models_facts(path: Path) -> None:
    raw = path.read_bytes()
    assert front_matter_facts(raw.split(b"\n")) == model_facts(raw)


# -- the reader's fast timestamps are PyYAML's ---------------------------------------------------

TIMESTAMP = "tag:yaml.org,2002:timestamp"
two = st.integers(0, 99)
timestamp_text = st.one_of(
    st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), two, two),
    st.builds("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format, st.integers(0, 9999), two, two, two, two, two),
    st.sampled_from([text for text in SCALARS if text[:1].isdigit()]),
)  # fmt: skip


@prop
@given(timestamp_text)
def test_the_readers_fast_timestamps_are_what_pyyaml_builds(text: str) -> None:
    if not yaml.SafeLoader.timestamp_regexp.match(text):
        return
    loader = frontmatter._scalar_loader()
    node = yaml.ScalarNode(TIMESTAMP, text)
    try:
        expected = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        expected = text
    found = frontmatter._tolerant_timestamp(loader, node)
    assert (type(found), found) == (type(expected), expected)
    assert getattr(found, "tzinfo", None) == getattr(expected, "tzinfo", None)
