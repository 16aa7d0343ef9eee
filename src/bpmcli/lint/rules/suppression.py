"""Suppression comments, and BPM901 for the ones that suppress nothing.

In the body, as HTML comments (they do not render):
    <!-- bpm-disable BPM302 --> ... <!-- bpm-enable BPM302 -->   a region (to the end without enable)
    <!-- bpm-disable-next-line BPM301 -->                         the next line
    <!-- bpm-disable-file BPM106 -->                              the whole file
In the front matter, the same as YAML comments: `# bpm-disable-next-line BPM101`.
Without codes, a directive applies to every rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bpmcli.lint.rule import Examples, engine_rule

engine_rule(
    "BPM901",
    "unused-suppression",
    "warning",
    "a `bpm-disable` comment that suppresses nothing",
    "A suppression that no longer matches anything still hides the next finding on its "
    "lines: stale suppressions quietly switch checks off.",
    "Delete the comment, or narrow it to the codes it is meant for.",
    fixable=True,
    examples=Examples(
        "prose",
        flagged=("<!-- bpm-disable-next-line BPM301 -->\nThe deploy went out at 14:03.",),
        not_flagged=("<!-- bpm-disable-next-line BPM301 -->\nThe engineer forgot the flag.",),
    ),
)


@cache  # compiled on first use: most files hold no directive
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    body = re.compile(r"<!--\s*bpm-(disable-next-line|disable-file|disable|enable)\b(.*?)-->")
    yaml = re.compile(r"#\s*bpm-(disable-next-line|disable-file|disable|enable)\b(.*)$")
    code = re.compile(r"\bBPM\d{3}\b")
    return body, yaml, code


class Directive:  # not a dataclass: ~0.3 ms to create at start-up
    __slots__ = ("codes", "kind", "line", "used")

    def __init__(self, kind: str, codes: frozenset[str] | None, line: int) -> None:
        self.kind = kind
        self.codes = codes  # None: every rule
        self.line = line
        self.used = False

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


def parse(text: str, body_line: int) -> list[Directive]:
    if "bpm-" not in text:
        return []
    found: list[Directive] = []
    body, yaml, code = _patterns()
    for number, content in enumerate(text.split("\n"), start=1):
        if "bpm-" not in content:
            continue
        pattern = yaml if number < body_line else body
        if pattern is body:
            # Past the last `-->` no comment can close; cut there so that no attempt of the
            # lazy `.*?-->` scans to the line's end (quadratic in a long line of `<!--`).
            content = content[: content.rfind("-->") + 3]
        for match in pattern.finditer(content):
            codes = frozenset(code.findall(match.group(2)))
            found.append(Directive(match.group(1), codes or None, number))
    return found


def suppressed(directives: Iterable[Directive], line: int, code: str) -> bool:
    """Whether a finding of `code` on `line` is suppressed; marks the directive that did it."""
    region: Directive | None = None
    for directive in directives:
        if not directive.covers(code):
            continue
        if directive.kind == "disable-file" or (
            directive.kind == "disable-next-line" and directive.line + 1 == line
        ):
            directive.used = True
            return True
        if directive.line < line:
            if directive.kind == "disable":
                region = directive
            elif directive.kind == "enable":
                region = None
    if region is not None:
        region.used = True
        return True
    return False
