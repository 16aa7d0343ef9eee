"""Lint rules, one module per family; importing a family registers its rules."""

from __future__ import annotations

from bpmcli.lint.rule import RULES, Rule


def all_rules() -> dict[str, Rule]:
    """Every rule, its family modules imported (they register on import)."""
    from bpmcli.lint.rules import actions, frontmatter, language, structure, suppression, timeline

    del actions, frontmatter, language, structure, suppression, timeline
    return dict(sorted(RULES.items()))
