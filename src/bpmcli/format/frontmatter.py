"""The front matter: split it from the body, read it fast, edit it round-trip.

Reading uses PyYAML's C loader (a subclass: memoised tag resolution, a lean constructor over
the composed nodes, which are kept for line numbers). Editing goes through ruamel.yaml's
round-trip mode, so comments, key order, quoting and unknown keys survive, and only the
front matter is re-emitted: the body's bytes are never touched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bpmcli.errors import PostmortemError, UsageError

BOM = "\ufeff"


class _Loader(yaml.CSafeLoader):
    """The C safe loader, with two changes that keep it fast and forgiving.

    - A timestamp that is no real date stays a string: `due: 2026-02-30` must become a lint
      finding on that action, not a failure of the whole file.
    - Tag resolution is memoised: front matter repeats the same keys and values in every
      file, and PyYAML resolves each scalar with regular expressions in Python.
    """

    _resolved: ClassVar[dict[tuple[str, bool], str]] = {}  # shared by every load, on purpose

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        key = (value, implicit[0])
        tag = self._resolved.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            if len(self._resolved) < 50_000:
                self._resolved[key] = tag
        return tag


def _tolerant_timestamp(loader: _Loader, node: yaml.Node) -> object:
    value = node.value
    if _BPM_DATE.fullmatch(value) or _BPM_TIMESTAMP.fullmatch(value):
        return _bpm_timestamp(value)
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # type: ignore[arg-type]


# The two shapes bpm writes, `2026-12-04` and `2026-11-20T14:03:00Z`, built directly: what
# PyYAML's constructor builds for them (a date; a datetime in UTC), in a fifth of the time.
_BPM_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BPM_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _bpm_timestamp(value: str) -> object:
    try:
        day = dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        if len(value) == 10:
            return day
        return dt.datetime(
            day.year, day.month, day.day, int(value[11:13]), int(value[14:16]),
            int(value[17:19]), tzinfo=dt.UTC,
        )  # fmt: skip
    except ValueError:
        return value  # 2026-02-30: kept as text, as for every timestamp that is no real one


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _tolerant_timestamp)

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class _Unusual(Exception):
    """A construct the fast path leaves to PyYAML's own constructor (merge keys, odd tags)."""


def _build(loader: _Loader, node: Node, memo: dict[int, Any]) -> Any:
    """The value of `node`: what PyYAML's constructor gives, in a third of the time.

    Aliases share one node object; the memo builds each node once, so a "billion laughs"
    document costs what its text costs, not what it expands to.
    """
    done = memo.get(id(node))
    if done is not None:
        return done
    kind = type(node)
    if kind is ScalarNode:
        if node.tag == _STR:
            return node.value
        construct = loader.yaml_constructors.get(node.tag) or loader.yaml_constructors[None]
        value = construct(loader, node)
    elif kind is MappingNode:
        if node.tag != _MAP:
            raise _Unusual
        value = {}
        memo[id(node)] = value
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise _Unusual
            value[_build(loader, key_node, memo)] = _build(loader, value_node, memo)
    elif kind is SequenceNode:
        if node.tag != _SEQ:
            raise _Unusual
        value = []
        memo[id(node)] = value
        value.extend(_build(loader, item, memo) for item in node.value)
    else:
        raise _Unusual
    memo[id(node)] = value
    return value


@cache
def _scalar_loader() -> _Loader:
    return _Loader("")  # a loader for its resolver and constructors; it never reads a stream


def plain_scalar(text: str) -> Any:
    """The value `parse_yaml` gives `text` written as a plain (unquoted) scalar.

    The same resolver and the same constructors, so `yes`, `1_000`, `~` or `2026-02-30`
    mean to the history scanner exactly what they mean to the model. Raises ValueError for
    a scalar the reader refuses (`0x_`, a merge key `<<` used as a value).
    """
    resolvers = _Loader.yaml_implicit_resolvers
    if text and text[0] not in resolvers and None not in resolvers:
        return text  # no implicit type starts with this character: the resolver's answer
    return _typed_scalar(text)


@lru_cache(maxsize=1 << 16)  # `open`, `2026-12-04`, `yes`: the same values in every version
def _typed_scalar(text: str) -> Any:
    loader = _scalar_loader()
    # The resolver unmemoised (this function is memoised): the loader's own memo is kept
    # for the front matter keys and values lint reads, not filled with every action's text.
    tag = yaml.resolver.BaseResolver.resolve(loader, ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag == _STR:
        return text
    construct = loader.yaml_constructors.get(tag)
    if construct is None:
        raise ValueError(f"the reader has no value for a plain {tag} scalar")
    try:
        return construct(loader, ScalarNode(tag, text))
    except (yaml.YAMLError, ArithmeticError) as exc:
        raise ValueError(str(exc)) from exc


class Split(NamedTuple):  # not a frozen dataclass: ~0.4 ms to create, at every start-up
    """Where the front matter and the body sit in the text (character offsets)."""

    yaml_start: int  # first character of the YAML, after the opening `---` line
    yaml_end: int  # first character of the closing `---` line
    body_start: int  # first character after the closing `---` line
    yaml_line: int  # 1-based line number of the YAML's first line
    body_line: int  # 1-based line number of the body's first line
    newline: str  # the line ending of the opening delimiter: the file's convention


def lines(text: str, start: int = 0) -> Iterator[tuple[int, int, str]]:
    """(offset, offset of the next line, content without its line ending) for each line."""
    position, size = start, len(text)
    for piece in text[start:].split("\n"):
        if position >= size:
            return
        stop = min(position + len(piece) + 1, size)
        yield position, stop, piece[:-1] if piece.endswith("\r") else piece
        position = stop


_CLOSING = re.compile(r"^---[ \t]*\r?$", re.M)


def split(text: str) -> Split | None:
    """Locate the front matter; None when the file does not start with a `---` line.

    Raises PostmortemError when the front matter is opened but never closed.
    """
    start = 1 if text.startswith(BOM) else 0
    first_end = text.find("\n", start)
    first = text[start:] if first_end == -1 else text[start:first_end]
    if first.rstrip("\r").rstrip(" \t") != "---":
        return None
    yaml_start = len(text) if first_end == -1 else first_end + 1
    newline = "\r\n" if first.endswith("\r") else "\n"
    closing = _CLOSING.search(text, yaml_start)
    if closing is None:
        raise PostmortemError("front matter opened with '---' on line 1 is never closed", line=1)
    end = text.find("\n", closing.end())
    body_start = len(text) if end == -1 else end + 1
    body_line = text.count("\n", 0, closing.start()) + 2
    return Split(yaml_start, closing.start(), body_start, 2, body_line, newline)


def parse_yaml(source: str, first_line: int) -> tuple[Any, Node | None]:
    """Load YAML with the C safe loader: the data, and the node tree for line numbers.

    Errors carry the line in the whole file (`first_line` is the YAML's first line).
    """
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        try:
            return _build(loader, node, {}), node
        except _Unusual:
            return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or quote, or an error found only at the end, is better shown
        # where its construct began than where PyYAML noticed it.
        mark = exc.problem_mark or exc.context_mark
        context = exc.context or ""
        if exc.context_mark and (
            "flow" in context or "quoted" in context or (mark and mark.line >= source.count("\n"))
        ):
            mark = exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or "invalid YAML"
        raise PostmortemError(f"front matter is not valid YAML: {problem}", line=line) from exc
    except TypeError as exc:  # a list or mapping used as a key
        raise PostmortemError(f"front matter is not valid YAML: {exc}", line=first_line) from exc
    except RecursionError as exc:
        raise PostmortemError("front matter is nested too deeply", line=first_line) from exc
    except (yaml.YAMLError, ValueError) as exc:
        raise PostmortemError(f"front matter is not valid YAML: {exc}", line=first_line) from exc
    finally:
        loader.dispose()


# -- editing ------------------------------------------------------------------------------

Mutation = Callable[[Any], None]


class Timestamp(str):
    """A timestamp already formatted as the file wants it (`2026-11-20T14:03:00Z`).

    Emitted plain, with YAML's timestamp tag, so readers load it as a timestamp again.
    """

    __slots__ = ()


def _represent_timestamp(representer: Any, value: Timestamp) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


@cache
def _risky() -> re.Pattern[str]:
    # Compiled on first use: a Unicode-range pattern costs ~14 ms, and only edits need it.
    return re.compile(
        "[^\\t\\n\\x20-\\x7e\\xa0-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd\\U00010000-\\U0010ffff]"
    )


def _represent_str(representer: Any, value: str) -> Any:
    # Control characters, NEL and the Unicode line separators read differently in YAML 1.1
    # (PyYAML) and 1.2 (ruamel): write them as double-quoted escapes that both read alike.
    # ruamel quotes what YAML 1.2 would read as another type; `no`, `Off`, `12:30` (1.1
    # sexagesimal) and `=` are plain strings to it but not to PyYAML: quoted here.
    if _risky().search(value):
        style: str | None = '"'
    elif value and not _plain_in_yaml_1_1(value):
        style = "'"
    else:
        style = None
    return representer.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _plain_in_yaml_1_1(value: str) -> bool:
    """Whether PyYAML (bpm's reader, YAML 1.1) reads `value` written plain as a string."""
    tag = yaml.resolver.BaseResolver.resolve(  # type: ignore[no-untyped-call]
        _scalar_loader(), ScalarNode, value, (True, False)
    )
    return bool(tag == _STR)


def one_line(what: str, value: str | None) -> None:
    """Refuse a value bpm is asked to write that holds a line break or another control
    character (UsageError, exit 2): `--owner` is one handle, a title one line, and a title
    is written into the body too, where a NUL would make the file binary."""
    if value is None:
        return
    if "\n" in value or "\r" in value:
        raise UsageError(f"{what} must be one line: {value!r} holds a line break")
    bad = _CONTROL.search(value)
    if bad:
        raise UsageError(f"{what} must be one line of text: {value!r} holds {bad.group()!r}")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab, DEL, C1 (NEL)


# What ends or breaks a plain item of a flow list for one of the readers (PyYAML reads
# YAML 1.1, stricter than ruamel's 1.2 emitter: `[:0]` is an error to it).
_FLOW_UNSAFE = re.compile(r"[,:\[\]{}#]|^[-?!&*|>'\"%@`]|^\s|\s$")


def dump_front_matter(data: dict[str, Any]) -> str:
    """The YAML for a new file's front matter, in the style bpm writes (FORMAT.md order)."""
    import io

    out = io.StringIO()
    _round_trip_yaml().dump(data, out)
    return out.getvalue()


def _round_trip_yaml(indent: int = 2, sequence: int = 4, offset: int = 2) -> Any:
    from ruamel.yaml import YAML

    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 4096  # never fold a long action into two lines
    handler.indent(mapping=indent, sequence=sequence, offset=offset)
    handler.Representer = _representer_class()
    handler.Constructor = _constructor_class()
    handler.allow_duplicate_keys = True  # ... and the last value wins, as for the reader
    handler.representer.add_representer(Timestamp, _represent_timestamp)
    handler.representer.add_representer(str, _represent_str)
    handler.constructor.add_constructor("tag:yaml.org,2002:timestamp", _tolerant_rt_timestamp)
    return handler


@cache
def _representer_class() -> type:
    from ruamel.yaml.representer import RoundTripRepresenter

    class Representer(RoundTripRepresenter):
        """Keys are written as ruamel writes them: bpm's own keys never need quotes, and a
        file's key `no:` must not become the string `'no'` because bpm edited a value."""

        def represent_sequence(self, tag: Any, sequence: Any, flow_style: Any = None) -> Any:
            """A flow list's new string items (`services: [db, api]`) are quoted when they
            hold what would end or break a flow item: they read back as written."""
            node = super().represent_sequence(tag, sequence, flow_style)
            if node.flow_style:
                for value, item in zip(sequence, node.value, strict=False):
                    if type(value) is str and not item.style and _FLOW_UNSAFE.search(value):
                        item.style = "'"
            return node

        def represent_key(self, data: Any) -> Any:
            if type(data) is str and not _risky().search(data):
                return self.represent_scalar("tag:yaml.org,2002:str", data)
            return super().represent_key(data)

    return Representer


@cache
def _constructor_class() -> type:
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        """A repeated key keeps its last value, as PyYAML (the reader) and lint's BPM002
        say: an edit works on what every other command read. ruamel would keep the first."""

        def check_mapping_key(
            self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any
        ) -> bool:
            if key in mapping:
                mapping[key] = value
                return False
            return True

    return Constructor


def _keep_plain(data: Any, seen: set[int] | None = None) -> None:
    """Mark the file's own plain values that `_represent_str` would quote (`owner: no`) to
    be written plain again: an edit never changes what another value means to a reader."""
    from ruamel.yaml.scalarstring import PlainScalarString

    seen = set() if seen is None else seen
    if id(data) in seen or not isinstance(data, dict | list):
        return  # an alias, maybe of itself (`&a [*a]`), is visited once
    seen.add(id(data))
    slots: Any = data.items() if isinstance(data, dict) else enumerate(data)
    for slot, value in list(slots):
        if type(value) is str and value and not _plain_in_yaml_1_1(value):
            data[slot] = PlainScalarString(value)
        elif isinstance(value, dict | list):
            _keep_plain(value, seen)


def _tolerant_rt_timestamp(constructor: Any, node: Any) -> Any:
    """ruamel's timestamp, but `2026-02-30` stays as written instead of failing the edit."""
    from ruamel.yaml.constructor import RoundTripConstructor

    try:
        return RoundTripConstructor.construct_yaml_timestamp(constructor, node)
    except (ValueError, OverflowError):
        return Timestamp(node.value)


def _guess_indent(source: str) -> tuple[int, int, int]:
    """The sequence style the file uses, so that edited lists keep it."""
    match = re.search(r"^( *)(\w[\w-]*):[ \t]*\r?\n( *)- ", source, re.M)
    if not match:
        return 2, 4, 2
    offset = len(match.group(3)) - len(match.group(1))
    offset = max(offset, 0)
    return 2, offset + 2, offset


def edit_text(text: str, mutate: Mutation, path: Path | str = "") -> str:
    """Apply `mutate` to the front matter of `text` and return the new text.

    Only the YAML between the delimiters is re-emitted, in the file's own line endings; the
    body is kept byte for byte. When `mutate` changes nothing the text comes back unchanged.
    """
    import io

    from ruamel.yaml.error import YAMLError

    where = split(text)
    if where is None:
        raise PostmortemError("no front matter: the file must start with a '---' line", path, 1)
    source = text[where.yaml_start : where.yaml_end]
    unified = source.replace("\r\n", "\n")
    handler = _round_trip_yaml(*_guess_indent(unified))
    try:
        data = handler.load(unified)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = where.yaml_line + mark.line if mark else where.yaml_line
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PostmortemError(f"front matter is not valid YAML: {problem}", path, line) from exc
    if not isinstance(data, dict):
        raise PostmortemError("front matter must be a mapping of keys", path, where.yaml_line)
    _keep_plain(data)
    before = _plain(data)
    mutate(data)
    if _plain(data) == before:
        return text
    out = io.StringIO()
    handler.dump(data, out)
    emitted = out.getvalue()
    if where.newline != "\n":
        emitted = emitted.replace("\n", where.newline)
    return text[: where.yaml_start] + emitted + text[where.yaml_end :]


def set_field(mapping: Any, key: str, value: Any) -> None:
    """Set `key` in a round-trip mapping; a new key goes last, above any trailing comment.

    ruamel attaches a comment that follows a mapping to its last key, so a key simply
    appended would land below that comment, separated from its siblings.
    """
    if key in mapping or not mapping:
        mapping[key] = value
        return
    last = list(mapping)[-1]
    entry = mapping.ca.items.get(last)
    trailing = entry[2] if entry and len(entry) > 2 else None
    if trailing is not None:
        entry[2] = None
        if not any(entry):
            del mapping.ca.items[last]
    mapping[key] = value
    if trailing is not None:
        mapping.ca.items[key] = [None, None, trailing, None]


def _plain(value: Any) -> Any:
    """A comparable copy of ruamel's data: only values, no comments or styles."""
    if isinstance(value, dict):
        return [(k, _plain(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return (type(value).__name__, str(value))
