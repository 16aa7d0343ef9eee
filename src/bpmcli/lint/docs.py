"""docs/rules.md, generated from the rule registry: `python -m bpmcli.lint.docs > docs/rules.md`.

A test checks that the committed file matches, so the docs cannot drift from the code.
"""

from __future__ import annotations

import re

from bpmcli.lint import words
from bpmcli.lint.judge import docs as judge_docs
from bpmcli.lint.rule import PLACES, Rule
from bpmcli.lint.rules import all_rules

HEADER = """# Lint rules

`bpm lint` checks every postmortem against these rules. Codes are stable: a code is never
reused for another meaning. Severities are defaults; `[rules]` in the config changes them
(`BPM106 = "off"`, `BPM302 = "error"`), and `--select` / `--ignore` choose rules for one run.

Suppress a finding where it is deliberate, in the file:

```markdown
<!-- bpm-disable-next-line BPM302 -->
The runbook should have covered this case: quoting our old runbook verbatim.

<!-- bpm-disable BPM301 -->
... a region ...
<!-- bpm-enable BPM301 -->

<!-- bpm-disable-file BPM106 -->
```

In the front matter, the same as a YAML comment: `# bpm-disable-next-line BPM101` on the
line above. A directive without codes applies to every rule. A directive that suppresses
nothing is itself reported (BPM901).

Rules marked *fixable* have fixes that are certain: `bpm lint --fix` makes them (and
`--diff` shows them without writing), and `bpm lsp` offers them as quick fixes. A fix
changes only the text it means to; a finding whose fix is not certain keeps its finding.

"""

WITHOUT_FRONT_MATTER = """## Files without front matter

A file with no front matter, or with one that does not parse or is not a mapping of keys,
gets BPM001, and the rules that read only the body still run on it:
{codes}. So `bpm lint old-archive/` says, before `bpm import`, which
write-ups blame or judge with hindsight and which sections they lack. The body is what
follows the broken front matter's closing `---`; without an opening `---`, or without a
closing one, it is the whole file. Lines are the file's own. Suppression comments work as
in any file; BPM001 itself cannot be suppressed (the file is missing from every report
until it is fixed), and a comment for a rule that cannot run yet is not reported as
unused.

Why these and no others: the front matter rules (BPM002, the BPM1xx action rules, BPM401)
have nothing to read. BPM201 does not run either: a timeline written as bullets, or as a
table with other columns, is what `bpm import` converts into bpm's table, so the finding
would only repeat on nearly every archived file what the import does anyway. BPM202 and
BPM203 only look at a table already in bpm's shape, whose rows the import keeps as they
are. BPM402 compares headings by name: `bpm import` maps common other names (Overview,
Root cause, Lessons learned ...) to the required sections and adds the missing ones
empty, so before an import it lists both. Binary and non-UTF-8 files, and files with
nothing but a front matter, get BPM001 alone.

This page is generated from the code (`python -m bpmcli.lint.docs > docs/rules.md`).

| code | name | severity | finds | `--fix` |
|---|---|---|---|---|
"""


def render() -> str:
    rules = all_rules()
    body_rules = [r.code for r in rules.values() if not r.needs_front_matter]
    # the engine's own: BPM001 is the broken front matter, BPM901 and BPM902 read no body
    body_rules = [c for c in body_rules if c not in ("BPM001", "BPM901", "BPM902")]
    out = [HEADER, WITHOUT_FRONT_MATTER.format(codes=", ".join(body_rules))]
    out += [
        f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity} | {r.summary} |"
        f"{' fixable |' if r.fixable else ' |'}\n"
        for r in rules.values()
    ]
    for rule in rules.values():
        fixable = ", fixable" if rule.fixable else ""
        out.append(
            f"\n## {rule.code}\n\n`{rule.name}`, {rule.severity} by default{fixable}: "
            f"{rule.summary}.\n\n"
        )
        out.append(f"**Why.** {rule.why}\n\n**Fix.** {rule.fix}\n")
        out.append(_fixed(rule))
        out.append(_examples(rule))
        out.append(_extra(rule.code))
    return "".join(out)


_LANGUAGE = {"front matter": "yaml", "action item": "yaml", "action": "text", "folder": "text"}


def _fixed(rule: Rule) -> str:
    """What `bpm lint --fix` does for the rule's findings."""
    if not rule.fixable:
        return ""
    from bpmcli.lint.fixes import FIXED

    return f"\n**`--fix`.** {FIXED[rule.code][0].upper()}{FIXED[rule.code][1:]}.\n"


def _examples(rule: Rule) -> str:
    """The rule's examples (tests/lint/test_examples.py checks each one), as code blocks."""
    if rule.examples is None:
        return ""
    place = rule.examples.place
    language = _LANGUAGE.get(place, "markdown")

    def block(snippets: tuple[str, ...]) -> str:
        text = "\n\n".join(s.rstrip("\n") for s in snippets)
        runs = [len(run) for run in re.findall(r"`+", text)]
        fence = "`" * max(3, max(runs, default=0) + 1)
        return f"{fence}{language}\n{text}\n{fence}\n"

    return (
        f"\n**Examples**, as {PLACES[place]}. Flagged:\n\n{block(rule.examples.flagged)}"
        f"\nNot flagged:\n\n{block(rule.examples.not_flagged)}"
    )


def _extra(code: str) -> str:
    if code == "BPM103":
        rows = "".join(f"| {verb} | {hint} |\n" for verb, hint in words.VAGUE_VERBS.items())
        return (
            "\n" + judge_docs.VAGUE + "\nThe rewrites the message suggests per verb (add "
            "verbs of your own with `vague_verbs` in the config; replace the judge with a "
            "list of your own with `[rules.BPM103] vague_verbs = [...]`):\n\n"
            "| verb | instead |\n|---|---|\n" + rows
        )
    described = {
        "BPM107": judge_docs.HEADLINE,
        "BPM108": judge_docs.EXHORTATION,
        "BPM301": judge_docs.BLAME,
        "BPM302": judge_docs.HINDSIGHT,
    }
    scope = ""
    if code in ("BPM301", "BPM302"):
        scope = (
            "\nProse only: not inside inline code, code blocks (fenced, indented, or in a list "
            "item), block quotes (pasted logs and chat), HTML comments, link targets, or the "
            "timeline's Expectations and "
            "Assumptions columns, which record what people thought at the time.\n"
        )
    if code in described:
        return scope + "\n" + described[code]
    return ""


if __name__ == "__main__":
    print(render(), end="")
