"""format.markdown: the one reading of Markdown structure, as CommonMark reads it (issue #13)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpmcli.format import postmortem, timeline
from bpmcli.format.markdown import Block, Heading, Outline, Table

EXAMPLES = int(os.environ.get("BPM_FUZZ_EXAMPLES", "150"))

DOC = """# Title

 ## Impact

Text `code` [link](https://example.com/blame) <!-- a note --> end.

````markdown
```sh
bpm timeline add
```

| a | b |
|---|---|
| 1 | 2 |
````

    indented code

- item
  ```
  code in a list item
  ```
  - ## not a section

> quoted
> ```
> code in a quote
> ```

<!-- a comment
over two lines -->

<details>
html
</details>

## **Timeline** ##

| Time | b |
|---|---|
| 1 | 2 |
| 3 | 4 |

Setext
------

~~~~
never closed
"""


@pytest.fixture(scope="module")
def outline() -> Outline:
    return Outline.parse(DOC)


def test_headings_atx_with_leading_spaces_and_setext(outline: Outline) -> None:
    assert [(h.level, h.text, h.line, h.last, h.nested) for h in outline.headings] == [
        (1, "Title", 1, 1, False),
        (2, "Impact", 3, 3, False),
        (2, "not a section", 23, 23, True),
        (2, "**Timeline**", 37, 37, False),
        (2, "Setext", 44, 45, False),
    ]
    assert [h.text for h in outline.sections()] == ["Title", "Impact", "**Timeline**", "Setext"]
    impact = outline.headings[1]
    assert DOC[impact.start :].startswith(" ## Impact\n")


def test_code_blocks_of_every_kind(outline: Outline) -> None:
    code = list(outline.code_blocks())
    assert [(b.kind, b.first, b.last, b.depth) for b in code] == [
        ("fenced", 7, 15, 0),  # four backticks: the ``` lines inside are its text
        ("indented", 17, 17, 0),
        ("fenced", 20, 22, 1),  # in a list item
        ("fenced", 26, 28, 1),  # in a block quote
        ("fenced", 47, 48, 0),
    ]
    assert code[0].fence == "````" and code[0].closed
    assert code[-1].fence == "~~~~" and not code[-1].closed
    assert outline.unclosed() == code[-1]
    assert all(outline.in_code(n) for n in (7, 10, 13, 17, 21, 27))
    assert not any(outline.in_code(n) for n in (5, 19, 25, 39))


def test_quotes_html_comments_and_list_items(outline: Outline) -> None:
    def blocks(kind: str) -> list[tuple[int, int, int]]:
        return [(b.first, b.last, b.depth) for b in outline.blocks if b.kind == kind]

    assert blocks("quote") == [(25, 28, 1)]
    assert blocks("comment") == [(30, 31, 0)]
    assert blocks("html") == [(33, 35, 0)]
    assert blocks("item") == [(19, 24, 1), (23, 24, 2)]  # with the blank line after


def test_tables_outside_code_only(outline: Outline) -> None:
    assert outline.tables == [Table(39, 42, (41, 42))]


def test_what_is_prose(outline: Outline) -> None:
    line = DOC.split("\n")[4]
    at = DOC.index(line)

    def prose(word: str) -> bool:
        start = at + line.index(word)
        return outline.is_prose(5, start, start + len(word))

    assert prose("Text") and prose("link") and prose("end")
    assert not prose("code") and not prose("blame") and not prose("note")
    assert outline.is_prose(5) and outline.is_prose(19) and outline.is_prose(34)
    for number in (7, 12, 17, 21, 25, 27, 30, 31):
        assert not outline.is_prose(number), number


def test_positions_are_those_of_the_whole_file_past_non_ascii_text() -> None:
    head = "---\ntitle: café\n---\n"
    body = "Ünïcode prose, ça va.\n\n## Tïmeline `ç` [x](ü)\n"
    text = head + body
    outline = Outline.parse(text, len(head), 4)
    [heading] = outline.headings
    assert heading == Heading(2, "Tïmeline `ç` [x](ü)", 6, 6, text.index("## Tï"))
    assert [text[a:b] for a, b in outline.spans] == ["`ç`", "](ü)"]


def test_crlf_and_a_lone_cr() -> None:
    text = "# A\r\n\r\n| a |\r\n|---|\r\n| 1\r2 |\r\n"
    outline = Outline.parse(text)
    assert outline.headings[0].text == "A"
    assert outline.tables == [Table(3, 5, (5,))]  # a lone CR breaks no line


def test_an_unclosed_html_block_is_reported_with_its_end_marker() -> None:
    assert Outline.parse("<!-- open\n").unclosed() == Block(
        "comment", 1, 1, closed=False, closer="-->"
    )
    assert Outline.parse("<!A\n\n## X\n").unclosed() == Block(
        "html", 1, 3, closed=False, closer=">"
    )
    assert Outline.parse("<pre>\nx\n").unclosed() == Block(
        "html", 1, 2, closed=False, closer="</pre>"
    )
    assert Outline.parse("<div>\nx\n").unclosed() is None  # a blank line ends it
    assert Outline.parse("```\nx\n```\n").unclosed() is None


PM = """---
id: x
---
# X

## Timeline

An example, from the runbook:

````markdown
```sh
$ bpm timeline show -f markdown
| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |
|---|---|---|---|---|---|
| 2026-11-20 14:03 | bot | Pushed | | | |
```
````

## Impact
"""


def test_a_table_in_a_four_backtick_block_is_no_timeline() -> None:
    pm = postmortem.parse(PM.encode(), Path("x.md"))
    assert [s.title for s in pm.sections] == ["X", "Timeline", "Impact"]
    assert timeline.find(pm) is None
    added = timeline.insert_rows(pm, [timeline.Row("2026-11-20 14:05", "a", "b")], "UTC")
    assert added.startswith(PM.split("\n## Impact")[0] + "\n| Time (UTC) |")
    assert added.endswith("| 2026-11-20 14:05 | a | b |  |  |  |\n\n## Impact\n")


def test_the_outline_is_parsed_once_per_postmortem() -> None:
    pm = postmortem.parse(PM.encode(), Path("x.md"))
    assert pm.outline is pm.outline
    assert pm.outline.first_line == 4 and pm.outline.start == pm.where.body_start


# -- the plain-body shortcut agrees with the parser ----------------------------------------

PIECES = [
    *("", "  ", "# Title", "## Timeline", "## Impact ", "##", "## ", "###### six", "## a #b"),
    *("## `code` [link](u) **bold** <!-- c --> <b>x</b>", "## a #", "#x", "####### seven"),
    *("## a\\#", "## &amp;", "##\tTab", "The text.", "It was `code | pipe`", "Plain | pipe"),
    *("A [link](https://x) and <!-- c", "x -->", "See *this*", "Z", "a\\", "B <div>"),
    *("Open `code", "close` here", "An [open", "link](u) end", "Human error here"),
    *("| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |",),
    *("|---|---|---|---|---|---|", "| 2026-11-20 14:03 | bot | Pushed `x` | a \\| b | | |"),
    *("| a | b |", "|a|b|", "| a |", "||", "| a | b", "| `x` |", "| a \\| b |", "|"),
    *("|---|---|", "|:-:|", "|---|", "|--|--|--|", "| --- | :-- |", "|---|---", "|-|"),
    *("| 1 | 2 |", "| 1 |", "| 1 | 2 | 3 |", "text row", "x | y", "| `a|b` |"),
]
TABLES = [  # whole tables, so that many examples have one
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "| a |\n|---|",
    "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |\n"
    "|---|---|---|---|---|---|\n| 2026-11-20 14:03 | bot | `x` | a \\| b | | |\ntext row",
    "| a | b |\n| :-- | --: |\n| 1 |\n| 1 | 2 | 3 |",
    "| a | b |\n|---|\n| 1 | 2 |",
]
PIECES += TABLES * 3
LISTS = [  # bullet items, alone and in lists (tight ones are plain, loose ones are not)
    *("- Item", "* Item", "- Item `code`", "- Another item | pipe", "- A [link](u)"),
    *("- Item\n- Item two", "* a\n* b\n\n## After", "- a\n\n- b", "- a\ncontinued"),
    *("- a\n* b", "-  two spaces", "- 1 digit", "- [ ] task", "- a\n  indented more"),
]
PIECES += LISTS * 2
OTHERS = [  # lines that are never plain: the parser reads the file
    *("    code", "```", "~~~", "- ", "*", "> quote", "<div>", "1. one", "---"),
    *("===", "\tx", " ## Impact", "Title\r", "[ref]: /url", "__init__", "-", "+ x"),
]


def _structure(outline: Outline) -> tuple[object, ...]:
    return outline.headings, outline.tables, outline.blocks


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        st.lists(st.sampled_from(PIECES), max_size=24),
        st.lists(st.sampled_from(PIECES + OTHERS), max_size=24),
    ).map("\n".join),
    st.sampled_from(["", "\n"]),
    st.sampled_from(["", "---\nid: x\n---\n"]),
)
def test_a_plain_body_is_read_as_the_parser_reads_it(body: str, end: str, head: str) -> None:
    text = head + body + end
    line = 1 + head.count("\n")
    plain = Outline(text, len(head), line)
    parsed = Outline(text, len(head), line, plain=False)
    assert _structure(plain) == _structure(parsed)
    numbers = range(line, plain.last_line + 1)
    free = [n for n in numbers if not plain.may_hold_inline(n)]  # before spans are asked for
    for number in free:  # no inline span reaches a line said to be free of them
        start, stop = parsed.line_start(number), parsed.line_start(number + 1)
        assert not [span for span in parsed.spans if span[0] < stop and span[1] > start]
    assert plain.spans == parsed.spans


def test_bpms_own_shape_is_plain() -> None:
    """What `bpm new` and `bpm timeline add` write is read without the parser."""
    table = "| Time (UTC) | Actor |\n|---|---|\n| 2026-11-20 14:03 | bot |\nrow\n\n## Next\n"
    outline = Outline("# X\n\n## Timeline\n\nText, `code`.\n\n" + table)
    assert outline._spans is None  # the plain reading: the parser was not called
    assert outline.tables == [Table(7, 10, (9, 10))]
    assert outline.spans == [(24, 30)]  # asked for: the parser gives them
