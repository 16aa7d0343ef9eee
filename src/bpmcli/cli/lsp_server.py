"""The language server behind `bpm lsp` (pygls): lint's findings on open, change and save.

The editor's buffer is linted, not the file on disk, through the engine's own entry point
(`engine.lint_bytes`), with the file's real path: the config is the one that applies to
that path, so the rules, severities and options are what `bpm lint FILE` would use. Only
files `bpm lint` checks without PATHs (Markdown under the postmortem folder, outside hidden
folders) get findings; any other file gets none. Code actions are the certain fixes of
lint/fixes.py, offered beside the findings they fix.

Imported only by `bpm lsp`: pygls and lsprotocol cost ~250 ms to import
(docs/performance.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import ServerTextPosition, ServerTextRange, TextDocument

from bpmcli import __version__
from bpmcli.errors import BpmError
from bpmcli.output import lsp as shown

server = LanguageServer("bpm", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)


def serve() -> None:
    server.start_io()


def postmortem_path(document: TextDocument) -> tuple[Path, Any] | None:
    """The file's path and its config, when `bpm lint` would check it; else None."""
    from bpmcli import config as configuration

    if not document.uri.startswith("file:") or document.path is None:
        return None
    path = Path(document.path)
    config = configuration.load(path.parent)
    try:
        inside = path.resolve().relative_to(config.postmortem_dir.resolve())
    except ValueError:
        return None
    if path.suffix != ".md" or any(part.startswith(".") for part in inside.parts[:-1]):
        return None
    return path, config


def lint(document: TextDocument) -> list[types.Diagnostic]:
    from bpmcli.cli.options import today_in
    from bpmcli.lint import engine

    lines = document.lines
    try:
        found = postmortem_path(document)
        if found is None:
            return []
        path, config = found
        chosen = engine.settings(config, today_in(config))
        findings = engine.lint_bytes(document.source.encode("utf-8"), path, chosen)
    except BpmError as exc:  # a config that cannot be read, an unknown rule in it
        return [to_client(document, shown.config_problem(str(exc), lines))]
    return [to_client(document, d) for d in shown.diagnostics(findings, lines)]


def to_client(document: TextDocument, diagnostic: types.Diagnostic) -> types.Diagnostic:
    start, end = diagnostic.range.start, diagnostic.range.end
    diagnostic.range = document.range_to_client_units(
        ServerTextRange(
            ServerTextPosition(start.line, start.character),
            ServerTextPosition(end.line, end.character),
        )
    )
    return diagnostic


def publish(ls: LanguageServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=lint(document)
        )
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: LanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    from bpmcli.lint.fixes import certain_fixes

    document = ls.workspace.get_text_document(params.text_document.uri)
    found = postmortem_path(document)
    if found is None or not params.context.diagnostics:
        return []
    text = document.source

    def to_range(start: int, end: int) -> types.Range:
        return types.Range(
            document.client_position_at_offset(start), document.client_position_at_offset(end)
        )

    asked = [from_client(document, d) for d in params.context.diagnostics]
    fixes = certain_fixes(text, found[0], found[1])
    return shown.code_actions(document.uri, fixes, asked, to_range)


def from_client(document: TextDocument, diagnostic: types.Diagnostic) -> types.Diagnostic:
    """The diagnostic with its range in characters, as bpm counts (the fixes' lines)."""
    where = document.range_from_client_units(diagnostic.range)
    return types.Diagnostic(
        range=types.Range(
            types.Position(where.start.line, where.start.character),
            types.Position(where.end.line, where.end.character),
        ),
        message=diagnostic.message,
        severity=diagnostic.severity,
        code=diagnostic.code,
        source=diagnostic.source,
    )
