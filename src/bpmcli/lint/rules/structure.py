"""BPM402, BPM403: the sections the team agreed every postmortem has, each saying something."""

from __future__ import annotations

from collections.abc import Iterator

from bpmcli.lint.rule import Context, Examples, Hit, rule
from bpmcli.lint.rules.timeline import table_of


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
    fixable=True,
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


@rule(
    "BPM403",
    "empty-section",
    "warning",
    "a required section present but empty (template guidance in an HTML comment counts as empty)",
    "A heading with nothing under it answers no question, and it hides the gap from "
    "BPM402: an import that found no timeline or no action items, or a template whose "
    "guidance was never replaced, looks complete. Drafts are left alone: there the empty "
    "sections are the work still to do.",
    "Write what the section asks, even one sentence (`None: no customer saw it.`); delete "
    "the guidance comment once it is answered. Action items may live in the front matter "
    "only; a Timeline needs at least one row.",
    examples=Examples(
        "heading",
        flagged=(
            "## Impact\n\n<!-- Who was affected, for how long, how badly? -->\n\n## Effects",
            "## Impact\n\n### Customers\n\n### Staff\n\n## Effects",
        ),
        not_flagged=(
            "## Impact\n\n<!-- Who was affected, for how long, how badly? -->",
            "## Impact\n\nNone: the retries hid it.\n\n## Effects",
        ),
    ),
)
def check_empty_sections(ctx: Context) -> Iterator[Hit]:
    if ctx.pm.status == "draft":
        return
    required = {name.casefold() for name in ctx.config.required_sections}
    seen: set[str] = set()
    for section in ctx.pm.sections:
        name = section.title.strip().casefold()
        if name not in required or name in seen:
            continue
        seen.add(name)
        if name == "action items" and ctx.pm.actions:
            continue  # the actions live in the front matter
        if name == "timeline" and table_of(ctx) is None:
            continue  # BPM201 says the table is missing
        if not _says_something(ctx.pm.text[section.start : section.end]):
            yield Hit(section.line, 1, f"required section {section.title!r} is empty", name)


def _says_something(text: str) -> bool:
    """Whether a section (its heading first) holds more than HTML comments, sub-headings
    and a table header without rows."""
    lines = _without_comments(text).split("\n")[1:]
    if lines and lines[0].strip() and not lines[0].strip(" =-"):
        lines = lines[1:]  # a setext heading's underline
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        is_rule = stripped.startswith("|") and not stripped.strip("|-: ")
        heads_a_table = stripped.startswith("|") and following.startswith("|")
        if is_rule or (heads_a_table and not following.strip("|-: ")):
            continue
        return True
    return False


def _without_comments(text: str) -> str:
    """`text` without its HTML comments (a scan, not a pattern: linear on any input)."""
    out: list[str] = []
    at = 0
    while (start := text.find("<!--", at)) != -1:
        out.append(text[at:start])
        end = text.find("-->", start + 4)
        if end == -1:
            return "".join(out)
        out.append("\n" * text.count("\n", start, end))  # keep the line structure
        at = end + 3
    out.append(text[at:])
    return "".join(out)
