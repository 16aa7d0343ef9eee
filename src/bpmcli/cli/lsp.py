"""`bpm lsp`: a language server on stdin/stdout, for editors (docs/editors.md)."""

# No `from __future__ import annotations`: Typer reads this signature at every run.

import typer

app = typer.Typer()


@app.command()
def lsp() -> None:
    """A language server (stdio) that shows bpm lint's findings in editors, with safe fixes."""
    from bpmcli.errors import UsageError

    try:
        from bpmcli.cli import lsp_server
    except ImportError as exc:  # pygls is the optional extra `lsp`
        missing = (exc.name or "pygls").split(".")[0]
        raise UsageError(
            f"bpm lsp needs pygls ({missing} is missing): pip install 'bpmcli[lsp]'"
        ) from exc
    lsp_server.serve()
