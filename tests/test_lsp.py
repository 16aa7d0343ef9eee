"""`bpm lsp` end to end: the real server as a process over stdio, driven by pytest-lsp.

The file on disk and the editor's buffer differ on purpose: the findings must be the
buffer's, with the config and rule selection that apply to the file's real path.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from bpmcli.lint.fixes import Edit, apply, certain_fixes
from cli.test_entry import loaded_of, modules_loaded
from conftest import Repo
from lint.base import CLEAN, PATH

VAGUE = CLEAN.replace("action: Make the splitter idempotent", "action: Investigate the splitter")
SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "bpmcli", "lsp"],
    server_env={**os.environ, "BPM_NOW": "2026-11-23T09:30:00+00:00"},
)


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=pytest_lsp.client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


async def opened(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    uri = uri_of(path)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def changed(
    client: LanguageClient, path: Path, text: str, version: int
) -> list[types.Diagnostic]:
    uri = uri_of(path)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


def codes(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int]]:
    return [(str(d.code), d.range.start.line + 1, d.range.start.character + 1) for d in diagnostics]


@pytest.mark.asyncio
async def test_the_buffer_is_linted_on_open_change_and_save(
    client: LanguageClient, repo: Repo
) -> None:
    path = repo.write(PATH, CLEAN)  # clean on disk; the buffer is what counts
    found = await opened(client, path, VAGUE)
    assert codes(found) == [("BPM103", 11, 5)]
    (vague,) = found
    assert vague.severity == types.DiagnosticSeverity.Error and vague.source == "bpm"
    assert "vague verb 'investigate'" in vague.message
    assert vague.range.end == types.Position(10, len(VAGUE.splitlines()[10]))  # to the line's end

    assert await changed(client, path, CLEAN, 2) == []
    assert codes(await changed(client, path, VAGUE, 3)) == [("BPM103", 11, 5)]

    path.write_text(VAGUE, encoding="utf-8")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri_of(path)))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert codes(list(client.diagnostics[uri_of(path)])) == [("BPM103", 11, 5)]

    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri_of(path)))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri_of(path)]) == []


@pytest.mark.asyncio
async def test_the_config_of_the_files_path_applies(client: LanguageClient, repo: Repo) -> None:
    repo.write(".bpm.toml", 'dir = "docs/pm"\n\n[rules]\nBPM103 = "warning"\n')
    path = repo.write("docs/pm/2026/2026-11-20-checkout-outage.md", CLEAN)
    (found,) = await opened(client, path, VAGUE)
    assert (found.code, found.severity) == ("BPM103", types.DiagnosticSeverity.Warning)
    # the default folder is not the postmortem folder here, and no other Markdown is linted
    assert await opened(client, repo.write(PATH, CLEAN), VAGUE) == []
    assert await opened(client, repo.write("README.md", "# Readme\n"), "# Readme\n") == []
    hidden = repo.write("docs/pm/.drafts/2026-11-20-checkout-outage.md", CLEAN)
    assert await opened(client, hidden, VAGUE) == []


@pytest.mark.asyncio
async def test_a_broken_config_is_one_diagnostic_on_the_first_line(
    client: LanguageClient, repo: Repo
) -> None:
    repo.write(".bpm.toml", "review_sla_day = 5\n")
    path = repo.write(PATH, CLEAN)
    (found,) = await opened(client, path, VAGUE)
    assert found.range.start == types.Position(0, 0)
    assert "unknown key (did you mean 'review_sla_days'?)" in found.message
    assert ".bpm.toml" in found.message


BAD_ID = CLEAN.replace("id: 2026-11-20-checkout-outage", "id: checkout-outage-draft  # ours")
SUPPRESSION = CLEAN.replace(
    "## Impact\n\n", "## Impact\n\n<!-- bpm-disable-next-line BPM301 -->\n", 1
)
NO_REVIEW_BY = CLEAN.replace("review_by: 2026-11-25\n", "")
HEADER = "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |"
RENAMED = CLEAN.replace(HEADER, "| Time (UTC) | Who | What | Result | Expected | Assumed |")
EARLY_ROW = "| 2026-11-20 14:01 | alice | Looked at the dashboards |  |  |  |\n"
SORTED = CLEAN.replace("|---|---|---|---|---|---|\n", "|---|---|---|---|---|---|\n" + EARLY_ROW)
UNSORTED = CLEAN.replace("optional |\n", "optional |\n" + EARLY_ROW)


async def quick_fixes(
    client: LanguageClient, path: Path, diagnostics: list[types.Diagnostic]
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri_of(path)),
            range=diagnostics[0].range
            if diagnostics
            else types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


def applied(text: str, action: types.CodeAction, path: Path) -> str:
    """The text with the action's edits made (line/character positions, one line each)."""
    assert action.edit is not None and action.edit.changes is not None
    lines = text.splitlines(keepends=True)
    starts = [sum(len(line) for line in lines[:n]) for n in range(len(lines) + 1)]
    edits = tuple(
        Edit(
            starts[e.range.start.line] + e.range.start.character,
            starts[e.range.end.line] + e.range.end.character,
            e.new_text,
        )
        for e in action.edit.changes[uri_of(path)]
    )
    return apply(text, edits)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        (BAD_ID, "BPM002", CLEAN.replace("outage\ntitle", "outage  # ours\ntitle", 1)),
        (SUPPRESSION, "BPM901", CLEAN),
        (NO_REVIEW_BY, "BPM002", CLEAN),
        (RENAMED, "BPM201", CLEAN),
        (UNSORTED, "BPM202", SORTED),
    ],
    ids=["id from the file name", "unused suppression", "review_by", "header", "rows"],
)
async def test_a_certain_fix_is_a_quick_fix_that_clears_its_finding(
    client: LanguageClient, repo: Repo, text: str, code: str, expected: str
) -> None:
    path = repo.write(PATH, text)
    found = await opened(client, path, text)
    assert [d.code for d in found] == [code]
    (action,) = await quick_fixes(client, path, found)
    assert action.kind == types.CodeActionKind.QuickFix and list(action.diagnostics or []) == found
    fixed = applied(text, action, path)
    assert fixed == expected
    assert await changed(client, path, fixed, 2) == []


@pytest.mark.asyncio
async def test_no_code_action_without_a_certain_fix(client: LanguageClient, repo: Repo) -> None:
    path = repo.write(PATH, VAGUE)
    found = await opened(client, path, VAGUE)
    assert codes(found) == [("BPM103", 11, 5)]
    assert await quick_fixes(client, path, found) == []
    assert await quick_fixes(client, path, []) == []


@pytest.mark.asyncio
async def test_columns_are_utf16_units_as_the_client_counts(
    client: LanguageClient, repo: Repo
) -> None:
    text = VAGUE.replace("title: Checkout outage", "title: Checkout outage 😀").replace(
        "action: Investigate the splitter", "action: Investigate the 😀 splitter"
    )
    path = repo.write(PATH, text)
    (found,) = await opened(client, path, text)
    line = text.splitlines()[10]
    assert found.range.start == types.Position(10, 4)
    assert found.range.end == types.Position(10, len(line.encode("utf-16-le")) // 2)
    assert found.range.end.character == len(line) + 1  # the emoji is two UTF-16 units


# --- the fixes themselves, and what is not certain ----------------------------------------

NOT_CERTAIN = [
    ("quoted id", CLEAN.replace("id: 2026-11-20-checkout-outage", "id: 'checkout'", 1)),
    ("no id", CLEAN.replace("id: 2026-11-20-checkout-outage\n", "", 1)),
    ("empty id", CLEAN.replace("id: 2026-11-20-checkout-outage", "id:", 1)),
    ("id twice", CLEAN.replace("title:", "id: other\ntitle:", 1).replace("id: 2026-11-20-checkout-outage", "id: x", 1)),
    ("id on the next line", CLEAN.replace("id: 2026-11-20-checkout-outage", "id:\n  checkout", 1)),
    ("two suppressions on a line", CLEAN.replace("## Impact\n", "## Impact\n\n<!-- bpm-disable BPM301 --> <!-- bpm-enable BPM301 -->\n", 1)),
]  # fmt: skip


@pytest.mark.parametrize("text", [c[1] for c in NOT_CERTAIN], ids=[c[0] for c in NOT_CERTAIN])
def test_no_fix_where_the_edit_is_not_certain(text: str) -> None:
    assert certain_fixes(text, Path(PATH)) == []


def test_a_stem_that_would_read_back_as_a_date_gets_no_plain_fix() -> None:
    text = CLEAN.replace("id: 2026-11-20-checkout-outage", "id: checkout", 1)
    assert certain_fixes(text, Path("postmortems/2026/2026-11-20.md")) == []
    (fix,) = certain_fixes(text, Path(PATH))
    assert apply(text, fix.edits) == CLEAN


# --- cost -----------------------------------------------------------------------------------


def test_version_and_a_one_file_lint_do_not_import_the_language_server(repo: Repo) -> None:
    heavy = ("pygls", "lsprotocol", "bpmcli.cli.lsp", "bpmcli.output.lsp", "bpmcli.lint.fixes")
    assert loaded_of(modules_loaded(repo, "--version"), heavy) == []
    repo.write(PATH, CLEAN)
    assert loaded_of(modules_loaded(repo, "lint", PATH), heavy) == []


def test_without_pygls_bpm_lsp_says_how_to_install_it(repo: Repo) -> None:
    from cli.test_entry import python

    # sys.modules[name] = None makes `import name` fail, as when it is not installed
    hide = "import sys; sys.modules['pygls'] = None; sys.argv = ['bpm', 'lsp']\n"
    ran = python(hide + "from bpmcli.cli import main; main()", cwd=repo.path)
    assert ran.exit_code == 2
    assert ran.stderr == (
        "error: bpm lsp needs pygls (pygls is missing): pip install 'bpmcli[lsp]'\n"
    )
