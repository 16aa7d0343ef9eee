"""BPM402: the sections the team agreed every postmortem has."""

from __future__ import annotations

from collections.abc import Iterator

from bpmcli.lint.rule import Context, Examples, Hit, rule


@rule(
    "BPM402",
    "missing-section",
    "error",
    "a required section missing",
    "The sections are the questions a review must answer (what happened, the impact, the "
    "timeline, why, what was learned, what will change); a missing one is a question "
    "skipped.",
    "Add the heading (`## Impact`), even with a sentence saying why it is short. The list "
    "is `required_sections` in the config.",
    needs_front_matter=False,
    examples=Examples(
        "heading",
        flagged=(
            "## Effects",
            "> ## Impact",
            "```\n## Impact\n```",
        ),
        not_flagged=(
            "## Impact",
            "### impact",
            "Impact\n------",
        ),
    ),
)
def check_sections(ctx: Context) -> Iterator[Hit]:
    present = {section.title.casefold() for section in ctx.pm.sections}
    for name in ctx.config.required_sections:
        if name.casefold() not in present:
            yield Hit(ctx.pm.where.body_line, 1, f"required section {name!r} is missing", name)
