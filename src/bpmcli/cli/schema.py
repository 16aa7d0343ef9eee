"""`bpm schema`: print a JSON Schema shipped with bpm, for editors and other tools."""

# No `from __future__ import annotations`: Typer reads this signature at every run.

import sys
from enum import StrEnum
from importlib.resources import files
from typing import Annotated

import typer

app = typer.Typer()

SCHEMA_FILES = {"config": "bpm-toml.schema.json", "frontmatter": "frontmatter.schema.json"}


class Schema(StrEnum):
    config = "config"
    frontmatter = "frontmatter"


@app.command()
def schema(
    which: Annotated[
        Schema,
        typer.Argument(
            metavar="config|frontmatter",
            help="config: .bpm.toml and [tool.bpm]; frontmatter: a postmortem's YAML.",
        ),
    ],
) -> None:
    """Print the JSON Schema of the config (.bpm.toml) or of a postmortem's front matter."""
    sys.stdout.write(schema_text(which.value))


def schema_text(which: str) -> str:
    """The schema file as shipped in the package (src/bpmcli/schemas/)."""
    return (files("bpmcli") / "schemas" / SCHEMA_FILES[which]).read_text(encoding="utf-8")
