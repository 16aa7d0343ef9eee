"""Findings and fixes as Language Server Protocol values (lsprotocol types), for `bpm lsp`.

Positions here are in characters of the line (Python's str), as bpm counts columns; the
server converts them to the client's units (UTF-16 by default) with the document's codec.
A finding has a start only: its range runs to the end of its line, as most linters that
report a point do, so an editor underlines something visible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from lsprotocol import types

from bpmcli.lint.engine import Finding
from bpmcli.lint.fixes import Fix

SOURCE = "bpm"
SEVERITIES = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


def diagnostics(findings: Iterable[Finding], lines: Sequence[str]) -> list[types.Diagnostic]:
    return [diagnostic(f.line, f.column, f.code, f.severity, f.message, lines) for f in findings]


def diagnostic(
    line: int, column: int, code: str, severity: str, message: str, lines: Sequence[str]
) -> types.Diagnostic:
    row = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[row].rstrip("\r\n") if lines else ""
    start = min(max(column - 1, 0), len(text))
    return types.Diagnostic(
        range=types.Range(types.Position(row, start), types.Position(row, len(text))),
        message=message,
        severity=SEVERITIES.get(severity, types.DiagnosticSeverity.Warning),
        code=code,
        source=SOURCE,
    )


def config_problem(message: str, lines: Sequence[str]) -> types.Diagnostic:
    """A config that cannot be read: said on the first line, since no rule could run."""
    return diagnostic(1, 1, "config", "error", f"bpm cannot lint: {message}", lines)


def code_actions(
    uri: str,
    fixes: Iterable[Fix],
    asked: Iterable[types.Diagnostic],
    to_range: Callable[[int, int], types.Range],
) -> list[types.CodeAction]:
    """A quick fix for each diagnostic in `asked` that has a certain fix.

    `to_range` maps (start, end) character offsets of the text to a client `Range`.
    """
    actions: list[types.CodeAction] = []
    known = list(fixes)
    for shown in asked:
        if shown.source != SOURCE:
            continue
        line = shown.range.start.line + 1
        for fix in known:
            if fix.fixes(str(shown.code), line, shown.message):
                edits = [
                    types.TextEdit(range=to_range(e.start, e.end), new_text=e.new)
                    for e in fix.edits
                ]
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[shown],
                        is_preferred=True,
                        edit=types.WorkspaceEdit(changes={uri: edits}),
                    )
                )
    return actions
