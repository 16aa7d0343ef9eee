"""`bpm lint --explain CODE`: one rule's documentation as plain text for a terminal.

The same registry entries as docs/rules.md (summary, why, fix, examples), wrapped at 80
columns; bold headings only when `colour` (a terminal without NO_COLOR).
"""

from __future__ import annotations

import textwrap

from bpmcli.lint.rule import PLACES, Rule

WIDTH = 80
INDENT = "  "


def explain(rule: Rule, colour: bool = False) -> str:
    def head(text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if colour else text

    def para(text: str) -> list[str]:
        return textwrap.wrap(
            text, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT, break_on_hyphens=False
        )

    out = [head(f"{rule.code} {rule.name}") + f" ({rule.severity} by default)", ""]
    out += [*para(_sentence(rule.summary)), ""]
    out += [head("Why"), *para(rule.why), ""]
    out += [head("Fix"), *para(rule.fix), ""]
    if rule.examples is not None:
        place = PLACES[rule.examples.place]
        out += [head(f"Flagged, as {place}:"), *_snippets(rule.examples.flagged), ""]
        out += [head("Not flagged:"), *_snippets(rule.examples.not_flagged), ""]
    scope = (
        "Also runs on a file whose front matter is missing or broken."
        if not rule.needs_front_matter
        else "Does not run on a file whose front matter is missing or broken."
    )
    out += textwrap.wrap(f"{scope} More in docs/rules.md#{rule.code.lower()}.", WIDTH)
    return "\n".join(out) + "\n"


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _snippets(snippets: tuple[str, ...]) -> list[str]:
    """One snippet a line; a blank line between them when one has several lines."""
    several = any("\n" in s.strip("\n") for s in snippets)
    out: list[str] = []
    for n, snippet in enumerate(snippets):
        if several and n:
            out.append("")
        out += [INDENT + line if line else "" for line in snippet.strip("\n").split("\n")]
    return out
