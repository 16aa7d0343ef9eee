"""`bench/language.py --direct`: the judges called in process, no CLI and no lint engine.

Each temporary postmortem bench/language.py writes is read back: its prose (front matter,
code, quotes, comments and link targets blanked, offsets kept) goes sentence by sentence
to the blame and hindsight judges, its front-matter actions to the action judges. The
findings come back in the CLI's JSON shape, so scoring is shared with the CLI mode.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bpmcli.lint.judge import actions
from bpmcli.lint.judge.prose import judge_prose

_FENCE = re.compile(r"^\s*(```+|~~~+)")
_QUOTE = re.compile(r"^\s{0,3}>")
_INLINE = re.compile(r"`[^`\n]*`")
_TARGET = re.compile(r"\]\([^)\n]*\)|<https?://[^>\n]*>|https?://\S+")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def prose(text: str) -> str:
    """The file with everything that is not the author's prose blanked (same offsets)."""
    text = _COMMENT.sub(lambda m: _blank(m.group()), text)
    out: list[str] = []
    fence: str | None = None
    in_quote = False
    in_front = text.startswith("---")
    for number, line in enumerate(text.split("\n")):
        if in_front:
            out.append(_blank(line))
            in_front = not (number > 0 and line.strip() == "---")
            continue
        marker = _FENCE.match(line)
        if fence is not None or marker:
            if marker and (fence is None or marker.group(1)[0] == fence[0]):
                fence = None if fence else marker.group(1)
            out.append(_blank(line))
            continue
        in_quote = bool(_QUOTE.match(line)) or (in_quote and bool(line.strip()))
        if in_quote:  # a quote's lazy continuation lines are quoted too
            out.append(_blank(line))
            continue
        line = _INLINE.sub(lambda m: _blank(m.group()), line)
        out.append(_TARGET.sub(lambda m: _blank(m.group()), line))
    return "\n".join(out)


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    import bisect

    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def findings(folder: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        found.extend(_prose_findings(path, text))
        found.extend(_action_findings(path, text))
    return found


def _prose_findings(path: Path, text: str) -> list[dict[str, Any]]:
    masked = prose(text)
    starts = [0] + [i + 1 for i, ch in enumerate(masked) if ch == "\n"]
    out = []
    codes = {"blame": "BPM301", "hindsight": "BPM302"}
    for finding in judge_prose(masked):
        line, column = _position(starts, finding.start)
        message = finding.judgement.message
        code = codes[finding.kind]
        out.append(
            {"path": str(path), "line": line, "column": column, "code": code, "message": message}
        )
    return out


def _action_findings(path: Path, text: str) -> list[dict[str, Any]]:
    head = text.split("\n---", 1)[0].removeprefix("---")
    data = yaml.safe_load(head) or {}
    out = []
    for item in data.get("actions") or []:
        words = str(item.get("action", ""))
        for code, judge in (
            ("BPM103", actions.find_vague),
            ("BPM108", actions.find_exhortation),
            ("BPM107", actions.find_headline),
        ):
            for j in judge(words):
                out.append(
                    {
                        "path": str(path),
                        "line": 1,
                        "column": 1,
                        "code": code,
                        "message": f"action {item['id']} {j.message}",
                    }
                )
    return out
