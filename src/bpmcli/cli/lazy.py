"""A Typer group whose commands are imported and built only when they run.

Modelled on click's documented LazyGroup (and hatch's): `list_commands` answers from a
table, `get_command` imports the command's module on demand. Typer builds a command's
parameters from its signature, which is what makes building all of them slow; the table
also keeps each command's one-line help, so a help page lists them all without building
any.
"""

from __future__ import annotations

from difflib import get_close_matches
from importlib import import_module
from typing import Any, ClassVar, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup


class Lazy(NamedTuple):
    module: str  # its `app` (a typer.Typer) holds the command
    help: str  # the first line of the command's docstring
    group: bool = False  # the app itself is the command: a group of sub-commands


class LazyGroup(TyperGroup):
    """Commands from `table`, each built the first time it is asked for."""

    table: ClassVar[dict[str, Lazy]] = {}
    listing = False  # True while a help page lists the commands: table entries will do

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.table, *(name for name in self.commands if name not in self.table)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in self.table:
            return self.commands.get(cmd_name)
        entry = self.table[cmd_name]
        if self.listing:
            return TyperCommand(cmd_name, help=entry.help)
        self.commands[cmd_name] = command = build(cmd_name, entry)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as error:  # no such command: suggest from the whole table
            close = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if close and "Did you mean" not in error.message:
                names = ", ".join(repr(name) for name in close)
                error.message = f"{error.message.rstrip('.')}. Did you mean {names}?"
            raise


def build(name: str, entry: Lazy) -> Any:
    """Import the command's module and let Typer build the command from its signature."""
    group = typer.main.get_group(import_module(entry.module).app)
    if entry.group:
        group.name = name
        return group
    return group.commands[name]
