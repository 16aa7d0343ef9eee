"""The facts reports and caches keep of one version of a postmortem's front matter.

There is one reading of the front matter: `format.postmortem` (the model's typed accessors
over `frontmatter.parse_yaml`). `facts_of` projects a Postmortem onto Facts, so whatever the
model says an action's id, due, status, kind, text and owner are, the facts say too.

The history pass reads thousands of versions, so `front_matter_facts` first tries a fast
line scanner, `_scan_facts`. It recognises the block shape bpm writes (and a little more:
comments, CRLF, flow lists of plain words, quoted scalars without escapes), builds the same
keys and values the YAML reader would (plain scalars go through the reader's own resolver
and constructors, `frontmatter.plain_scalar`), and feeds them to the same `facts_of`. For
anything else it raises `_Unusual` and the full reader takes over. tests/format/
test_facts.py proves the agreement with a property test: the scanner returns what the full
reader returns, or hands over.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bpmcli.errors import PostmortemError
from bpmcli.format.frontmatter import Split, plain_scalar
from bpmcli.format.postmortem import Action, Postmortem, read_meta

_T = TypeVar("_T")


class ActionFacts(NamedTuple):
    due: str | None  # ISO date, only when written as a real date (as the model reads it)
    status: str | None
    kind: str | None
    text: str | None
    owner: str | None


class Facts(NamedTuple):
    """What reports need of one version of a postmortem's front matter."""

    status: str | None
    actions: dict[str, ActionFacts]
    started: str | None = None  # the date part of `started`, in its own offset
    review_by: str | None = None
    severity: str | None = None
    services: tuple[str, ...] = ()
    facilitator: str | None = None


# -- the one definition: facts are the model's accessors ------------------------------------


def action_facts(action: Action) -> ActionFacts:
    """What reports keep of one action: its typed accessors, nothing read on the side."""
    due = action.due
    return ActionFacts(
        due.isoformat() if due else None, action.status, action.kind, action.action, action.owner
    )


def facts_of(pm: Postmortem) -> Facts:
    """The facts of a postmortem as the model reads it; a repeated action id: the last wins."""
    actions: dict[str, ActionFacts] = {}
    for action in pm.actions:
        key = action.id
        if key is not None:
            actions[key] = action_facts(action)
    return _facts(_postmortem_facts(pm), actions)


_Own = tuple[str | None, str | None, str | None, str | None, tuple[str, ...], str | None]


def _postmortem_facts(pm: Postmortem) -> _Own:
    """The postmortem's own facts: status, started, review_by, severity, services, facilitator."""
    started, review_by = pm.started, pm.review_by
    return (
        pm.status,
        started.date().isoformat() if started else None,
        review_by.isoformat() if review_by else None,
        pm.severity,
        tuple(pm.strings("services")),
        pm.facilitator,
    )


def _facts(own: _Own, actions: dict[str, ActionFacts]) -> Facts:
    status, started, review_by, severity, services, facilitator = own
    return Facts(status, actions, started, review_by, severity, services, facilitator)


_NOWHERE = Split(0, 0, 0, 2, 2, "\n")  # facts need the keys only: no text, no line numbers
_NO_PATH = Path()


def _model(meta: dict[str, Any]) -> Postmortem:
    return Postmortem(_NO_PATH, "", meta, _NOWHERE)


# -- reading a version of a file ------------------------------------------------------------


def front_matter_facts(lines: list[bytes]) -> Facts | None:
    """The facts of a version of a file; None when its front matter is unusable."""
    yaml = _front_matter(lines)[1]
    if yaml is None:
        return None
    source = yaml.decode("utf-8", "replace")
    try:
        return _scan_facts(source.split("\n") if source else [])
    except _Unusual:
        return _yaml_facts(source + "\n")


def front_matter_end(lines: list[bytes]) -> int:
    """The 1-based line of the closing `---`; 0 without front matter.

    The same delimiters as `frontmatter.split`: `---`, then spaces or tabs, then CR or not.
    """
    return _front_matter(lines)[0]


def _front_matter(lines: list[bytes]) -> tuple[int, bytes | None]:
    """front_matter_end, and the YAML's bytes between the delimiters (None: not closed)."""
    if not lines or lines[0].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r").rstrip(b" \t") != b"---":
        return 0, None
    try:
        end = lines.index(b"---", 1)  # the line bpm writes, found in C
    except ValueError:
        end = len(lines)
    yaml = b"\n".join(lines[1:end])
    if yaml[:3] == b"---" or b"\n---" in yaml:  # `---  ` or `---\r` may close it earlier
        end = next((i for i in range(1, end) if _is_closing(lines[i])), end)
        yaml = b"\n".join(lines[1:end])
    if end == len(lines):
        return end, None  # never closed
    return end + 1, yaml


def _is_closing(line: bytes) -> bool:
    return (
        line[:3] == b"---" and (line[:-1] if line[-1:] == b"\r" else line).rstrip(b" \t") == b"---"
    )


def _yaml_facts(source: str) -> Facts | None:
    """The full reader: the model's own reading of the YAML (merge keys, flow style, ...)."""
    try:
        meta, _ = read_meta(source, 2)
    except PostmortemError:
        return None  # unusable in this version: the commit is skipped
    return facts_of(_model(meta))


# -- the fast scanner -------------------------------------------------------------------------


class _Unusual(Exception):
    """Front matter outside the shapes the scanner knows: the full reader reads it instead."""


def _scan_facts(lines: list[str]) -> Facts:
    """The facts of the YAML `lines`, exactly as `_yaml_facts` gives them; or _Unusual."""
    meta, own_lines = _scan(lines)
    actions: dict[str, ActionFacts] = {}
    entries = meta.get("actions")
    known = _ENTRIES.get
    for entry in entries if isinstance(entries, list) else ():
        if type(entry) is list:  # a mapping entry, as its lines
            lines_of = tuple(entry)
            key, facts = known(lines_of) or _entry_facts(lines_of)
            if key is not None:
                actions[key] = facts
    # The postmortem's own facts depend on its own keys' lines only: remembered by them.
    seen = tuple(own_lines)
    own = _OWN.get(seen)
    if own is None:
        own = _remember(_OWN, seen, _postmortem_facts(_model(meta)))
    return _facts(own, actions)


# Memos of the scanner: what a line, an action's lines and a postmortem's own lines read
# as. The same lines recur in version after version of a file. A plain dict, emptied when
# full: a hit is one lookup (an LRU's bookkeeping on every hit costs more than it saves).
_MEMO_SIZE = 1 << 16
_LINES: dict[str, _Line] = {}
_ENTRIES: dict[tuple[str, ...], tuple[str | None, ActionFacts]] = {}
_OWN: dict[tuple[str, ...], _Own] = {}


def _remember(memo: dict[Any, Any], key: Any, value: _T) -> _T:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


# The keys `_postmortem_facts` reads (and of those, only `services` reads into a block).
_OWN_KEYS = frozenset(("status", "started", "review_by", "severity", "services", "facilitator"))


class _Line(NamedTuple):
    """One significant line of block YAML, read on its own."""

    indent: int  # the column of its first character (a dash, a key)
    dash: bool  # a sequence entry, `- ...`
    column: int  # the column of the key or value (after the dash and its spaces)
    key: str | None  # None: a scalar entry, `- value`
    value: Any  # as the YAML reader builds it (a flow list: a tuple)
    open: bool  # nothing after the colon: a nested block may follow


# What a line may follow: a top-level key whose value is complete; one with nothing after
# its colon; a block sequence; a block mapping.
_CLOSED, _OPEN, _SEQUENCE, _MAPPING = range(4)


def _scan(lines: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The top-level keys of block YAML of the simple shapes; _Unusual for anything else.

    The structure is checked strictly (every entry of a block at the same column, nothing
    nested deeper than a sequence of flat mappings, no value continued on the next line),
    so that whatever is accepted means the same to YAML. The values are YAML's, except
    inside block sequences: a mapping entry is the list of its lines (`_entry_facts` reads
    and remembers it), a flow list stays a tuple; the model's accessors read neither.
    Also the lines the postmortem's own facts are read from: its own keys, and the entries
    of a `services` block.
    """
    meta: dict[str, Any] = {}
    own: list[str] = []
    key = ""
    state = _CLOSED
    column = inner = -1  # the column of a block's entries; of the current entry's keys
    block: Any = None
    entry: list[str] | None = None
    known = _LINES.get  # a local: this loop runs for every line of every version
    for raw in lines:
        line = known(raw) or _line(raw)
        if line is _BLANK:
            continue
        indent, dash, _, name, value, is_open = line
        if indent == inner and not dash and entry is not None:  # most lines: an action's key
            entry.append(raw)
            continue
        if indent == 0 and not dash:  # a top-level key
            if name is None:
                raise _Unusual
            key = name
            meta[key] = list(value) if type(value) is tuple else value  # a flow list
            state = _OPEN if is_open else _CLOSED
            entry = None
            if key in _OWN_KEYS:
                own.append(raw)
        elif dash and indent == column and state == _SEQUENCE:
            entry, inner = _add_entry(block, raw, line, value)
            if key == "services":
                own.append(raw)
        elif state == _MAPPING and indent == column and not dash:
            block[name] = list(value) if type(value) is tuple else value
        elif state == _OPEN and dash:
            block, column, state = [], indent, _SEQUENCE
            meta[key] = block
            entry, inner = _add_entry(block, raw, line, value)
            if key == "services":
                own.append(raw)
        elif state == _OPEN and name is not None:  # indented: a nested mapping
            block, column, state = {}, indent, _MAPPING
            meta[key] = block
            block[name] = list(value) if type(value) is tuple else value
        else:  # deeper nesting, a value continued on this line, a misaligned entry
            raise _Unusual
    return meta, own


def _add_entry(block: list[Any], raw: str, line: _Line, value: Any) -> tuple[list[str] | None, int]:
    """Add the entry that `line` starts to `block`; the entry, and the column of its keys."""
    if line.key is None:
        block.append(value)
        return None, -1
    entry = [raw]
    block.append(entry)
    return entry, line.column


def _entry_facts(lines: tuple[str, ...]) -> tuple[str | None, ActionFacts]:
    """An action's id and facts, from its lines (all known: `_scan` has read them)."""
    data: dict[Any, Any] = {}
    for raw in lines:
        _, _, _, key, value, _ = _LINES.get(raw) or _line(raw)
        data[key] = list(value) if type(value) is tuple else value
    action = Action(data, 0)
    return _remember(_ENTRIES, lines, (action.id, action_facts(action)))


# Characters that cannot start a plain scalar (or start something the scanner leaves alone).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# In a flow list, items are plain words: anything else goes to the full reader.
_NOT_IN_FLOW = frozenset("[]{}#&*!|>'\"%@`?:\\")


_BLANK = _Line(-1, False, -1, None, None, True)  # a blank line, or a comment


def _line(raw: str) -> _Line:
    return _remember(_LINES, raw, _classify(raw))


def _classify(raw: str) -> _Line:
    """One line: _BLANK when blank or a comment; _Unusual when not of the simple shapes."""
    line = raw[:-1] if raw[-1:] == "\r" else raw
    # Tabs, control characters, NEL and the Unicode line breaks (line breaks to YAML),
    # a BOM, private-use and unassigned characters: all unusual. Conservative, and C-fast.
    if not line.isprintable():
        raise _Unusual
    body = line.lstrip(" ")
    if not body or body[0] == "#":
        return _BLANK
    indent = len(line) - len(body)
    dash = body[0] == "-" and body[1:2] in ("", " ")
    if dash:
        rest = body[1:].lstrip(" ")
        if not rest or rest[0] == "#":
            raise _Unusual  # the entry's value starts on a later line
        column = len(line) - len(rest)
        body = rest
    else:
        column = indent
    key, colon, after = body.partition(":")
    if colon and (not after or after[0] == " ") and _SIMPLE_KEY.fullmatch(key):
        value, is_open = _value(after.lstrip(" "))
        return _Line(indent, dash, column, key, value, is_open)
    if not dash:
        raise _Unusual  # a scalar on a line of its own: a continued value, or not YAML
    value, is_open = _value(body)
    return _Line(indent, dash, column, None, value, is_open)


# A key of letters, digits, `_` and `-`, starting with a letter or `_`: always a string to
# YAML (`yes`, `on` and `null` too are keys no fact reads). At most 128 characters: YAML
# limits an implicit key's length.
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,127}")


def _value(text: str) -> tuple[Any, bool]:
    """The value after a colon (or a dash), spaces before it removed; (value, nothing there)."""
    if not text or text[0] == "#":
        return None, True
    first = text[0]
    if first == '"':
        close = text.find('"', 1)
        if close < 0 or "\\" in text[1:close]:
            raise _Unusual  # escapes, or a string continued on the next line
        _end_of_value(text, close + 1)
        return text[1:close], False
    if first == "'":
        return _single_quoted(text), False
    if first == "[":
        return _flow_list(text), False
    if first in _INDICATORS and (first not in "-?:" or text[1:2] in ("", " ")):
        raise _Unusual  # anchors, aliases, tags, block scalars, flow mappings, ...
    cut = text.find(" #")
    if cut >= 0:
        text = text[:cut]
    text = text.rstrip(" ")
    if ": " in text or text[-1] == ":":
        raise _Unusual  # a mapping in a scalar's place: an error to YAML
    return _plain(text), False


def _plain(text: str) -> Any:
    try:
        return plain_scalar(text)
    except ValueError as exc:
        raise _Unusual from exc


def _single_quoted(text: str) -> str:
    start = 1
    while True:
        close = text.find("'", start)
        if close < 0:
            raise _Unusual  # continued on the next line
        if text[close + 1 : close + 2] != "'":
            break
        start = close + 2
    _end_of_value(text, close + 1)
    return text[1:close].replace("''", "'")


def _flow_list(text: str) -> tuple[Any, ...]:
    """`[a, b]` on one line, with plain items; _Unusual for anything richer."""
    close = text.find("]")
    if close < 0:
        raise _Unusual  # continued on the next line
    _end_of_value(text, close + 1)
    inner = text[1:close]
    if not _NOT_IN_FLOW.isdisjoint(inner):
        raise _Unusual
    items = [item.strip(" ") for item in inner.split(",")]
    if not items[-1]:
        items.pop()  # `[]`, `[ ]` and a trailing comma, `[a, b, ]`
    if not all(item and item[0] not in "-," for item in items):
        raise _Unusual  # `[a, , b]` is an error; `[-1]` is left to YAML
    return tuple(_plain(item) for item in items)


def _end_of_value(text: str, start: int) -> None:
    """After a quoted scalar or a flow list: nothing, or spaces and a comment."""
    tail = text[start:].lstrip(" ")
    if tail and (tail[0] != "#" or len(tail) == len(text) - start):
        raise _Unusual
