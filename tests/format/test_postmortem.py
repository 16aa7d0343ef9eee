from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frontmatter
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpmcli.errors import PostmortemError
from bpmcli.format import frontmatter as fm
from bpmcli.format import postmortem as model

GOOD = """---
id: 2026-11-20-checkout-outage
title: Checkout outage after config push  # the review's name
kind: incident
status: draft
severity: SEV2
started: 2026-11-20T14:03:00Z
detected: 2026-11-20T14:10:00+01:00
review_by: 2026-11-25
facilitator: alice
services: [checkout, payments]
custom_key: {kept: true}
actions:
  - id: A1
    action: Make the delta-wave splitter idempotent
    owner: bob
    due: 2026-12-04
    kind: prevent
    status: open
  # a comment between actions
  - id: A2
    action: 'Alert when: queue depth > 10k'
    due: 2026-02-30
    kind: detect
    status: done
---
# Checkout outage after config push

## Summary

Text.

```
## Not a heading
```

## Timeline

### Detail

## Action items
"""


def parse(text: str, name: str = "pm.md") -> model.Postmortem:
    return model.parse(text.encode("utf-8"), Path(name))


def test_typed_fields() -> None:
    pm = parse(GOOD)
    assert pm.id == "2026-11-20-checkout-outage"
    assert pm.title == "Checkout outage after config push"
    assert pm.status == "draft"
    assert pm.started == dt.datetime(2026, 11, 20, 14, 3, tzinfo=dt.UTC)
    assert pm.timestamp("detected") == dt.datetime(2026, 11, 20, 13, 10, tzinfo=dt.UTC)
    assert pm.review_by == dt.date(2026, 11, 25)
    assert pm.strings("services") == ["checkout", "payments"]
    assert pm.meta["custom_key"] == {"kept": True}
    first, second = pm.actions
    assert (first.id, first.owner, first.due, first.kind) == (
        "A1",
        "bob",
        dt.date(2026, 12, 4),
        "prevent",
    )
    assert first.is_overdue(dt.date(2026, 12, 5)) and not first.is_overdue(dt.date(2026, 12, 4))
    assert second.owner is None
    assert second.action == "Alert when: queue depth > 10k"
    # Not a real date: kept as text for lint to report, not a failure of the whole file.
    assert second.due is None and second.data["due"] == "2026-02-30"


def test_sections_skip_fenced_code_and_nest() -> None:
    pm = parse(GOOD)
    titles = [(s.level, s.title) for s in pm.sections]
    assert titles == [
        (1, "Checkout outage after config push"),
        (2, "Summary"),
        (2, "Timeline"),
        (3, "Detail"),
        (2, "Action items"),
    ]
    timeline = pm.section("timeline")
    assert timeline is not None
    assert pm.text[timeline.start : timeline.end].startswith("## Timeline\n\n### Detail")
    assert pm.text.splitlines()[timeline.line - 1] == "## Timeline"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "no front matter"),
        ("# Just markdown\n", 1, "no front matter"),
        ("---\n", 1, "never closed"),
        ("---\ntitle: x\n", 1, "never closed"),
        ("---\n- a\n- b\n---\n", 2, "must be a mapping of keys, not a list"),
        ("---\njust a scalar\n---\n", 2, "not a str"),
        ("---\ntitle: x\nbad: [unclosed\n---\n", 3, "not valid YAML"),
        ("---\ntitle: x\n\tstatus: draft\n---\n", 3, "not valid YAML"),
        ("---\nx: !!python/object:os.system {}\n---\n", 2, "not valid YAML"),
    ],
)
def test_unusable_front_matter_is_one_error_with_a_line(text: str, line: int, words: str) -> None:
    with pytest.raises(model.PostmortemError) as caught:
        parse(text, "x.md")
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"x.md:{line}: ")


def test_binary_and_non_utf8_files() -> None:
    with pytest.raises(PostmortemError, match="binary"):
        model.parse(b"\x89PNG\r\n\x1a\n\x00\x00", Path("img.md"))
    with pytest.raises(PostmortemError) as caught:
        model.parse(b"---\ntitle: ok\n---\nline 4\ncaf\xe9\n", Path("latin1.md"))
    assert caught.value.line == 5
    assert "not UTF-8" in caught.value.message


def test_bom_and_crlf_are_read() -> None:
    text = "\ufeff" + GOOD.replace("\n", "\r\n")
    pm = parse(text)
    assert pm.title == "Checkout outage after config push"
    assert pm.where.newline == "\r\n"
    assert pm.section("Summary") is not None


def test_empty_front_matter_is_an_empty_mapping() -> None:
    assert parse("---\n---\n# T\n").meta == {}


# -- editing ---------------------------------------------------------------------------


def close_first_action(data: Any) -> None:
    first_open = next(a for a in data["actions"] if a["status"] == "open")
    fm.set_field(first_open, "status", "done")
    fm.set_field(first_open, "closed", dt.date(2026, 11, 23))


def test_an_edit_keeps_comments_order_quotes_and_unknown_keys() -> None:
    edited = fm.edit_text(GOOD, close_first_action)
    before, after = GOOD.splitlines(), edited.splitlines()
    assert after[18] == "    status: done"
    assert after[19] == "    closed: 2026-11-23"
    assert before[:18] == after[:18]
    assert before[19:] == after[20:]  # comments, quotes, flow lists, the body: all unchanged


def test_an_edit_keeps_crlf_and_the_body_bytes() -> None:
    crlf = GOOD.replace("\n", "\r\n")
    edited = fm.edit_text(crlf, close_first_action)
    assert "\n" not in edited.replace("\r\n", "")
    assert edited.endswith(crlf[crlf.index("# Checkout outage after") :])


def test_no_change_leaves_text_identical() -> None:
    for text in (GOOD, GOOD.replace("\n", "\r\n"), "\ufeff" + GOOD):
        assert fm.edit_text(text, lambda data: None) == text


def test_edited_text_reads_back_with_python_frontmatter() -> None:
    edited = fm.edit_text(GOOD.replace("2026-02-30", "2026-02-28"), close_first_action)
    post = frontmatter.loads(edited)
    assert post["actions"][0]["status"] == "done"
    assert post["custom_key"] == {"kept": True}


_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(title=_text, owner=_text)
def test_any_string_value_round_trips_through_an_edit(title: str, owner: str) -> None:
    def change(data: Any) -> None:
        data["title"] = title
        data["actions"][0]["owner"] = owner

    pm = parse(fm.edit_text(GOOD, change))
    assert pm.meta["title"] == title
    assert pm.meta["actions"][0]["owner"] == owner
    assert pm.body == parse(GOOD).body


def test_load_and_save_of_a_real_corpus_is_byte_identical(
    corpus_factory: Callable[[int], tuple[Path, Path]],
) -> None:
    corpus, _ = corpus_factory(60)
    files = sorted((corpus / "postmortems").rglob("*.md"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert fm.edit_text(text, lambda data: None) == text
        if any(a.status == "open" for a in model.parse(path.read_bytes(), path).actions):
            edited = fm.edit_text(text, close_first_action)
            diff = difflib.ndiff(text.splitlines(), edited.splitlines())
            changed = [line for line in diff if line[:1] in "+-"]
            assert changed == [
                "-     status: open",
                "+     status: done",
                "+     closed: 2026-11-23",
            ]


def test_the_fast_reader_gives_what_pyyaml_gives(
    corpus_factory: Callable[[int], tuple[Path, Path]],
) -> None:
    import yaml

    corpus, _ = corpus_factory(60)
    for path in sorted((corpus / "postmortems").rglob("*.md")):
        pm = model.load(path)
        source = pm.text[pm.where.yaml_start : pm.where.yaml_end]
        assert pm.meta == yaml.load(source, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize(
    "source",
    [
        "base: &b {x: 1, y: [a, b]}\nother:\n  <<: *b\n  z: 2\n",  # merge keys: PyYAML's path
        "s: !!set {a, b}\nm: !!omap [{a: 1}]\n",
        "a: &x [1, 2]\nb: *x\nc: [*x, *x]\n",
        "d: 2026-11-20\nt: 2026-11-20T14:03:00Z\nn: ~\nb: yes\nf: 1.5\ni: 0x1F\n",
    ],
)
def test_unusual_yaml_reads_like_pyyaml(source: str) -> None:
    import yaml

    data, _ = fm.parse_yaml(source, 2)
    assert data == yaml.load(source, Loader=yaml.CSafeLoader)


def test_a_billion_laughs_costs_what_its_text_costs() -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    data, _ = fm.parse_yaml("\n".join(levels) + "\n", 2)
    assert data["a9"][0][0] is data["a8"][0]  # shared, never expanded
