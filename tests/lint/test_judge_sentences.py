"""The sentence splitter the judges use: the units of docs/language.md, with offsets."""

from __future__ import annotations

import pytest

from bpmcli.lint.judge.sentences import split


def texts(text: str) -> list[str]:
    return [s.text for s in split(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("It broke! Then it healed? Yes.", ["It broke!", "Then it healed?", "Yes."]),
        ("At 10:02. 3 pods died.", ["At 10:02.", "3 pods died."]),
        ("We paged. @dkim replied.", ["We paged.", "@dkim replied."]),
        ("Use e.g. retries. Next.", ["Use e.g. retries.", "Next."]),
        ("On Sept. 18 it broke.", ["On Sept. 18 it broke."]),
        ("3. The third step.", ["3. The third step."]),
        ("a lower case. start", ["a lower case. start"]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("wrapped\nline. Next\nline.", ["wrapped\nline.", "Next\nline."]),
        ("Para one\n\nPara two", ["Para one", "Para two"]),
        ("# Heading\nText here", ["# Heading", "Text here"]),
        ("- item one\n- item two", ["- item one", "- item two"]),
        ("| cell one. Two | cell three |", ["cell one.", "Two", "cell three"]),
        ("", []),
        ("   \n  ", []),
    ],
)
def test_units_and_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_offsets_point_into_the_text() -> None:
    text = "Intro line.\n\n- First item. Second one\n  wraps here.\n| a | b. C |\n"
    for sentence in split(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_blanked_regions_do_not_join_units() -> None:
    text = "Before the code.\n          \nAfter the code."
    assert texts(text) == ["Before the code.", "After the code."]


AROUND_TEXT = (
    "# Summary\n\nThe developer forgot it. Then we fixed it.\nWrapped line here\nand more.\n\n"
    "- item one. item two\n- We should have known.\n| a cell | We had no alert. B |\n"
)


@pytest.mark.parametrize(
    "word", ["forgot", "fixed", "Wrapped", "item two", "should", "alert", "B |"]
)
def test_around_is_split_filtered_by_hits(word: str) -> None:
    from bpmcli.lint.judge.sentences import around

    hit = AROUND_TEXT.index(word)
    expected = [s for s in split(AROUND_TEXT) if s.start <= hit < s.end]
    assert around(AROUND_TEXT, [hit]) == expected
