"""Lint rules, one module per family; importing a family registers its rules."""

from __future__ import annotations

from bpmcli.lint.rule import RULES, Rule


def all_rules() -> dict[str, Rule]:
    """Every rule, its family modules imported (they register on import)."""
    from bpmcli.lint.rules import (
        actions,
        files,
        frontmatter,
        language,
        structure,
        suppression,
        timeline,
    )

    del actions, files, frontmatter, language, structure, suppression, timeline
    return dict(sorted(RULES.items()))


def find(wanted: str) -> Rule:
    """The rule with this code or name (`BPM301`, `blaming-language`), in any case."""
    from bpmcli.errors import UsageError

    key = wanted.strip().casefold()
    for rule in all_rules().values():
        if key in (rule.code.casefold(), rule.name.casefold()):
            return rule
    raise UsageError(
        f"unknown rule {wanted!r} (--explain takes a code such as BPM301 or a name such as "
        "blaming-language; see docs/rules.md)"
    )
