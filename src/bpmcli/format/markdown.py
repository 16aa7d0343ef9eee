"""ONE reading of a postmortem's Markdown structure, from a real CommonMark parser.

Every reader of the body (sections, the timeline table, lint's prose scope, the importer,
the site) asks this module, so they agree with each other and with what GitHub or the site
shows: a table inside a four-backtick block is code, ` ## Impact` is a heading, a code
block in a list item is code. The parser is pyromark (pulldown-cmark, in Rust; the choice
and its figures are in docs/performance.md, "Markdown parser"), with GFM tables on.

Positions are 1-based line numbers of the whole file and character offsets into its text.
Lines are split on `\\n` only, as `format.frontmatter.lines` does (a `\\r\\n` line is one
line; a lone `\\r`, which CommonMark also takes as a line ending, is read as a space, so
that every reader of the file sees the same lines).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from functools import cache, cached_property
from typing import Any, NamedTuple

CODE_KINDS = ("fenced", "indented")
# Events no reader needs (nothing inside them is a heading's or a link's text either)
_SKIPPED = (
    {"Start": "TableCell"},
    {"End": "TableCell"},
    {"End": "TableRow"},
    {"Start": "Paragraph"},
    {"End": "Paragraph"},
    {"Start": "TableHead"},
    {"End": "TableHead"},
)


class Heading(NamedTuple):
    level: int
    text: str  # the heading's inline Markdown as written, without the `#`s or the underline
    line: int  # its first line
    last: int  # its last line: the underline of a setext heading, else `line`
    start: int  # character offset of its first line
    nested: bool = False  # inside a list item or a block quote: no section of the file


class Block(NamedTuple):
    """A block as a range of whole lines (`first`..`last`, inclusive)."""

    kind: str  # "fenced", "indented", "quote", "html", "comment", "item"
    first: int
    last: int
    depth: int = 0  # list items and block quotes around it (an item counts itself)
    fence: str = ""  # fenced code: the opening fence, "```" or "~~~~"...
    closed: bool = True  # False when the document's end ended it (fenced code, some HTML)
    closer: str = ""  # what ends it: the fence, `-->`, `</pre>`... ("" for a blank line)


class Table(NamedTuple):
    """A GFM table: its header line, the delimiter row after it, one line per row."""

    first: int  # the header line
    last: int
    rows: tuple[int, ...]  # the line of each body row
    nested: bool = False  # inside a list item or a block quote


_HTML_ENDS = ((b"<!--", "-->"), (b"<?", "?>"), (b"<![CDATA[", "]]>"))


@cache  # compiled on first use, as is the one below: few bodies need them
def _raw_html() -> re.Pattern[bytes]:
    return re.compile(rb"<(script|pre|style|textarea)(?=[\s>]|$)", re.IGNORECASE)


@cache
def _lone_cr() -> re.Pattern[str]:
    return re.compile(r"\r(?!\n)")


def _html_closer(chunk: bytes) -> str:
    """The end marker of an HTML block of CommonMark's kinds 1 to 5; "" for kinds 6 and 7,
    which end at a blank line."""
    for opener, closer in _HTML_ENDS:
        if chunk.startswith(opener):
            return closer
    if chunk.startswith(b"<!") and chunk[2:3].isalpha():
        return ">"
    raw = _raw_html().match(chunk)
    return f"</{raw.group(1).decode().lower()}>" if raw else ""


def _is_heading_end(event: Mapping[str, Any]) -> bool:
    tag = event.get("End")
    return type(tag) is dict and "Heading" in tag


class _Builder:  # not a dataclass: ~0.3 ms to create at start-up
    """State while walking the parser's events."""

    __slots__ = (
        "comment_start",
        "containers",
        "heading",
        "link_text_end",
        "table_rows",
        "table_start",
    )

    def __init__(self) -> None:
        self.containers: list[str] = []  # "quote" / "item", innermost last
        self.heading: tuple[int, int, int, int] | None = None  # level, range, inline start, end
        self.table_start = -1
        self.table_rows: list[int] = []
        self.link_text_end: list[int] = []
        self.comment_start = -1


class Outline:
    """The structure of text[start:] (a body), read when made (`Postmortem.outline` makes
    it on first use, once per file). Plain bodies are read without the parser, which then
    gives the inline spans only if they are asked for."""

    def __init__(self, text: str, start: int = 0, first_line: int = 1, plain: bool = True):
        self.text, self.start, self.first_line = text, start, first_line
        self.headings: list[Heading] = []
        self.blocks: list[Block] = []  # in document order: a container before what it holds
        self.tables: list[Table] = []
        self._spans: list[tuple[int, int]] | None = []
        if plain and _read_plain(self):
            self._spans = None  # the parser gives them, if anyone asks
        else:
            self.headings, self.tables, self.blocks = [], [], []  # what a plain reading began
            self._parse()

    @classmethod
    def parse(cls, text: str, start: int = 0, first_line: int = 1) -> Outline:
        """The outline of text[start:], whose first line is line `first_line` of the file."""
        return cls(text, start, first_line)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Inline code, link targets and inline comments: character ranges, in order."""
        if self._spans is None:
            self._spans = Outline(self.text, self.start, self.first_line, plain=False).spans
        return self._spans

    # -- positions -------------------------------------------------------------------------

    @cached_property
    def _data(self) -> bytes:
        return self.text[self.start :].encode("utf-8", "surrogatepass")

    @cached_property
    def _ascii(self) -> bool:
        return len(self._data) == len(self.text) - self.start

    @cached_property
    def _line_bytes(self) -> list[int]:
        """Byte offset (in the body's UTF-8) where each line of the body starts."""
        data, starts, at = self._data, [0], self._data.find(b"\n")
        while at != -1:
            starts.append(at + 1)
            at = data.find(b"\n", at + 1)
        return starts

    @cached_property
    def line_starts(self) -> list[int]:
        """Character offset (in the whole text) where each line of the body starts."""
        if self._ascii:
            return [self.start + b for b in self._line_bytes]
        text, starts, at = self.text, [self.start], self.text.find("\n", self.start)
        while at != -1:
            starts.append(at + 1)
            at = text.find("\n", at + 1)
        return starts

    def _index(self, byte: int) -> int:
        """0-based line index of the body holding byte offset `byte`."""
        return bisect.bisect_right(self._line_bytes, byte) - 1

    def _line(self, byte: int) -> int:
        return self.first_line + self._index(byte)

    def _last_line(self, end: int) -> int:
        """The line of a range's last byte (the range ends after it)."""
        return self._line(max(end - 1, 0))

    def _offset(self, byte: int) -> int:
        """Character offset in the whole text of byte offset `byte` of the body."""
        if self._ascii:
            return self.start + byte
        index = self._index(byte)
        line_byte = self._line_bytes[index]
        column = len(self._data[line_byte:byte].decode("utf-8", "replace"))
        return self.line_starts[index] + column

    def line_start(self, line: int) -> int:
        """Character offset where `line` starts (the text's end past the last line)."""
        index = line - self.first_line
        return self.line_starts[index] if index < len(self.line_starts) else len(self.text)

    @property
    def last_line(self) -> int:
        return self.first_line + len(self.line_starts) - 1

    # -- questions -------------------------------------------------------------------------

    def code_blocks(self) -> Iterator[Block]:
        return (b for b in self.blocks if b.kind in CODE_KINDS)

    @cached_property
    def code_lines(self) -> frozenset[int]:
        """Every line of every code block (fences included)."""
        return frozenset(n for b in self.code_blocks() for n in range(b.first, b.last + 1))

    def in_code(self, line: int) -> bool:
        return line in self.code_lines

    @cached_property
    def not_prose_lines(self) -> frozenset[int]:
        """Lines that are not the author's own prose: code, HTML comments, block quotes."""
        kinds = (*CODE_KINDS, "comment", "quote")
        return frozenset(
            n for b in self.blocks if b.kind in kinds for n in range(b.first, b.last + 1)
        )

    def is_prose(self, line: int, start: int | None = None, end: int | None = None) -> bool:
        """Whether `line` (or the characters start:end of the text, on it) is prose."""
        if line in self.not_prose_lines:
            return False
        if start is None:
            return True
        stop = start + 1 if end is None else end
        return not any(a < stop and start < b for a, b in self.spans)

    def may_hold_inline(self, line: int) -> bool:
        """Whether inline code, a link or inline HTML may reach `line`. False only for a
        plain body whose block around the line (its paragraph, table row or heading) has
        no backtick, `<` or `[`: then nobody needs to ask the parser for spans there."""
        if self._spans is not None:
            return True
        lines = self.text[self.start :].split("\n")
        index = line - self.first_line
        if not 0 <= index < len(lines):
            return False
        first = last = index
        if self._in_paragraph(lines, index):
            while first > 0 and self._in_paragraph(lines, first - 1):
                first -= 1
            while last + 1 < len(lines) and self._in_paragraph(lines, last + 1):
                last += 1
        block = lines[first : last + 1]
        return any(c in text for text in block for c in "`<[")

    def _in_paragraph(self, lines: list[str], index: int) -> bool:
        """In a plain body: whether line `index` (0-based) is a paragraph's."""
        number = self.first_line + index
        if not lines[index].strip(" ") or lines[index].startswith("#"):
            return False
        return not any(t.first <= number <= t.last for t in self.tables)

    def sections(self) -> list[Heading]:
        """The headings that make sections: those outside list items and block quotes."""
        return [h for h in self.headings if not h.nested]

    def unclosed(self) -> Block | None:
        """A top-level block that only the document's end ended: a code fence never closed,
        an HTML comment never closed... Text appended after it would be inside it."""
        return next((b for b in self.blocks if not b.closed and b.depth == 0), None)

    # -- reading the events ----------------------------------------------------------------

    def _parse(self) -> None:
        import pyromark  # here: only the commands that read a body pay for the import

        body = self.text[self.start :] if self.start else self.text
        if "\r" in body:  # a lone CR is no line ending here (see above): same length, no break
            body = _lone_cr().sub(" ", body)
        events = pyromark.events_with_range(body, options=pyromark.Options.ENABLE_TABLES)
        state = _Builder()
        for event, where in events:
            # Most events are text, table cells and paragraphs: skip them here, cheaply
            # (lint reads every file: this loop is on the path of a cold lint).
            if not isinstance(event, dict) or event in _SKIPPED:
                continue
            if "Text" in event and state.heading is None and not state.link_text_end:
                continue
            self._event(state, event, where["start"], where["end"])
        self.spans.sort()

    def _event(self, state: _Builder, event: Mapping[str, Any], start: int, end: int) -> None:
        if state.heading is not None and not _is_heading_end(event):
            self._heading_inline(state, start, end)  # the heading's inline content, as written
        if state.link_text_end and "End" not in event:
            state.link_text_end[-1] = max(state.link_text_end[-1], end)
        if "Start" in event:
            self._start(state, event["Start"], start, end)
        elif "End" in event:
            self._end(state, event["End"], start, end)
        elif "Code" in event:
            self.spans.append((self._offset(start), self._offset(end)))
        elif "InlineHtml" in event:
            self._inline_html(state, event["InlineHtml"], start, end)

    def _start(self, state: _Builder, tag: Any, start: int, end: int) -> None:
        if type(tag) is str:
            if tag == "Item":
                state.containers.append("item")
                self._block("item", start, end, len(state.containers))
            elif tag == "HtmlBlock":
                self._html(start, end, len(state.containers))
            elif tag == "TableRow":
                state.table_rows.append(self._line(start))
            return
        if "Heading" in tag:
            state.heading = (int(tag["Heading"]["level"][1]), start, -1, -1)
        elif "CodeBlock" in tag:
            self._code(state, tag["CodeBlock"], start, end)
        elif "BlockQuote" in tag:
            state.containers.append("quote")
            self._block("quote", start, end, len(state.containers))
        elif "Table" in tag:
            state.table_start, state.table_rows = start, []
        elif "Link" in tag or "Image" in tag:
            data = tag.get("Link") or tag.get("Image")
            if data["link_type"] in ("Autolink", "Email"):
                self.spans.append((self._offset(start), self._offset(end)))
            state.link_text_end.append(start + (2 if "Image" in tag else 1))

    def _end(self, state: _Builder, tag: Any, start: int, end: int) -> None:
        if type(tag) is str:
            if tag == "Item":
                state.containers.pop()
            elif tag == "Table":
                self._table(state, start, end)
            elif tag in ("Link", "Image"):
                text_end = state.link_text_end.pop()
                if text_end < end:  # `[text](target)`: the target is not prose
                    self.spans.append((self._offset(text_end), self._offset(end)))
                if state.link_text_end:  # an image in a link's text
                    state.link_text_end[-1] = max(state.link_text_end[-1], end)
            return
        if "Heading" in tag and state.heading is not None:
            self._heading(state, end)
        elif "BlockQuote" in tag:
            state.containers.pop()

    def _block(self, kind: str, start: int, end: int, depth: int, **more: Any) -> None:
        self.blocks.append(Block(kind, self._line(start), self._last_line(end), depth, **more))

    def _code(self, state: _Builder, kind: Any, start: int, end: int) -> None:
        depth = len(state.containers)
        if kind == "Indented":
            self._block("indented", start, end, depth)
            return
        data = self._data
        mark = data[start : start + 1]
        size = len(data[start:end]) - len(data[start:end].lstrip(mark))
        fence = mark.decode() * size
        last = data[data.rfind(b"\n", start, max(end - 1, start)) + 1 : end].strip()
        closed = (
            self._line(start) != self._last_line(end)
            and last.lstrip(b"> \t").startswith(mark * size)
            and not last.lstrip(b"> \t").strip(mark).strip()
        )
        self._block("fenced", start, end, depth, fence=fence, closed=closed, closer=fence)

    def _html(self, start: int, end: int, depth: int) -> None:
        """An HTML block; CommonMark's kinds 1 to 5 end only at their end marker."""
        chunk = self._data[start:end]
        closer = _html_closer(chunk)
        closed = not closer or chunk.find(closer.encode(), 2) != -1
        kind = "comment" if chunk.startswith(b"<!--") else "html"
        self._block(kind, start, end, depth, closed=closed, closer=closer)

    def _heading_inline(self, state: _Builder, start: int, end: int) -> None:
        assert state.heading is not None
        level, begin, first, last = state.heading
        state.heading = (level, begin, start if first < 0 else first, max(last, end))

    def _heading(self, state: _Builder, end: int) -> None:
        assert state.heading is not None
        level, begin, first, last = state.heading
        state.heading = None
        raw = self._data[first:last].decode("utf-8", "replace") if first >= 0 else ""
        text = " ".join(part.strip() for part in raw.split("\n")) if "\n" in raw else raw.strip()
        line = self._line(begin)
        self.headings.append(
            Heading(
                level,
                text,
                line,
                self._last_line(end),
                self.line_start(line),
                nested=bool(state.containers),
            )
        )

    def _table(self, state: _Builder, start: int, end: int) -> None:
        self.tables.append(
            Table(
                self._line(state.table_start),
                self._last_line(end),
                tuple(state.table_rows),
                nested=bool(state.containers),
            )
        )

    def _inline_html(self, state: _Builder, html: str, start: int, end: int) -> None:
        """Inline comments `<!-- ... -->` are not prose (they may come in pieces)."""
        if state.comment_start < 0 and html.startswith("<!--"):
            state.comment_start = start
        if state.comment_start >= 0 and html.rstrip().endswith("-->"):
            self.spans.append((self._offset(state.comment_start), self._offset(end)))
            state.comment_start = -1


# -- plain bodies, read without the parser -------------------------------------------------

_PLAIN_DELIMITER = re.compile(r"\|(?: *:?-+:? *\|)+ *")


def _is_item(line: str) -> bool:
    """A one-line bullet item of the plain shape: `- Text` or `* Text`."""
    return line[:1] in "-*" and line[1:2] == " " and _is_letter(line[2:3])


def _plain_heading(line: str) -> tuple[int, str] | None:
    """An ATX heading's level and words, when the plain path may read it: 1-6 `#`, then
    nothing or a space, no `\\` or `&` in it, no closing `#`s. String methods, not a regex:
    `(#{1,6})(?: +([^\\&]*?))? *` took time cubic in a long line of spaces (#16)."""
    level = len(line) - len(line.lstrip("#"))
    rest = line[level:]
    if not 1 <= level <= 6 or rest[:1] not in ("", " "):
        return None
    words = rest.strip(" ")
    if "\\" in words or "&" in words or words.endswith("#"):
        return None
    return level, words


def _is_letter(char: str) -> bool:
    return "a" <= char <= "z" or "A" <= char <= "Z"


def _header_cells(line: str) -> int:
    """How many cells a plain table header has (no escapes, no code spans in it); 0 when
    one is empty (the parser's rules for those are not worth copying)."""
    inner = line.strip(" ")[1:]
    cells = (inner[:-1] if inner.endswith("|") else inner).split("|")
    return len(cells) if all(cell.strip(" ") for cell in cells) else 0


def _read_plain(outline: Outline) -> bool:
    """Fill `outline` without the parser when its body is plain; False when it is not.

    Plain: no tab and no CR; every line blank, an ATX heading at the line's start (no
    closing `#`s, no `\\` or `&` in it), a paragraph line that starts with an ASCII letter,
    a table: a `|` header after a blank line or a heading, a delimiter row with as many
    cells, then rows up to a blank line or a heading; or a tight bullet list: one-line items
    `- Text` (or `* Text`, one space, a letter), ended by a blank line or a heading and not
    continued by another item after that blank line (a loose list). That is the shape bpm
    writes and most files keep; on it the parser reads exactly this
    (tests/format/test_markdown.py checks it against pyromark, property-based), and a cold
    lint reads every file's structure. Anything else (code, quotes, other lists, HTML,
    setext...) goes to the parser.
    """
    text = outline.text[outline.start :]
    if "\t" in text or "\r" in text:
        return False
    lines = text.split("\n")
    offset, number, index = outline.start, outline.first_line, 0
    after_block = True  # after a blank line, a heading, or at the start: a table may begin
    table: list[int] = []  # header line, then the rows' lines, of the table being read
    marker = ""  # the bullet of the list being read ("" outside a list)
    ended = ""  # the bullet of a list a blank line just ended: another item makes it loose
    while index < len(lines):
        line = lines[index]
        char = line[:1]
        if marker and not (_is_item(line) and line[0] == marker):
            if line.strip(" ") and char != "#":
                return False  # a lazy continuation, or another list or block right after
            ended = marker if not line.strip(" ") else ""
            marker = ""
        elif ended and line.strip(" ") and not _is_item(line):
            ended = ""  # past the blank lines after a list: a later list is a new one
        if _is_item(line):
            if table or (ended and line[0] == ended):
                return False  # an item in a table's rows, or a loose list
            outline.blocks.append(Block("item", number, number, 1))
            marker, ended, after_block = line[0], "", False
        elif not line.strip(" ") or char == "#":
            if char == "#" or line.strip(" "):
                ended = ""
            elif ended and (line or index < len(lines) - 1):
                # the parser gives a list's last item the blank lines after it
                outline.blocks[-1] = outline.blocks[-1]._replace(last=number)
            if table:
                outline.tables.append(Table(table[0], number - 1, tuple(table[1:])))
                table = []
            if char == "#":
                heading = _plain_heading(line)
                if heading is None:
                    return False
                level, words = heading
                outline.headings.append(Heading(level, words, number, number, offset))
            after_block = True
        elif table:
            if (char != "|" and not _is_letter(char)) or not line.strip(" |"):
                return False  # a row of pipes alone: the parser's rules are not worth copying
            table.append(number)
        elif char == "|":
            delimiter = lines[index + 1] if index + 1 < len(lines) else ""
            if (
                not after_block
                or "\\" in line
                or "`" in line
                or not _PLAIN_DELIMITER.fullmatch(delimiter)
                or _header_cells(line) != delimiter.count("|") - 1
            ):
                return False
            table = [number]
            offset, number, index = offset + len(line) + 1, number + 1, index + 1
            line = delimiter
        elif _is_letter(char):
            after_block = False
        else:
            return False
        offset, number, index = offset + len(line) + 1, number + 1, index + 1
    if table:
        outline.tables.append(Table(table[0], number - 1, tuple(table[1:])))
    return True
