"""docs/rules.md, generated from the rule registry: `python -m bpmcli.lint.docs > docs/rules.md`.

A test checks that the committed file matches, so the docs cannot drift from the code.
"""

from __future__ import annotations

from bpmcli.lint import words
from bpmcli.lint.judge import docs as judge_docs
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

This page is generated from the code (`python -m bpmcli.lint.docs > docs/rules.md`).

| code | name | severity | finds |
|---|---|---|---|
"""


def render() -> str:
    rules = all_rules()
    out = [HEADER]
    out += [
        f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity} | {r.summary} |\n"
        for r in rules.values()
    ]
    for rule in rules.values():
        out.append(
            f"\n## {rule.code}\n\n`{rule.name}`, {rule.severity} by default: {rule.summary}.\n\n"
        )
        out.append(f"**Why.** {rule.why}\n\n**Fix.** {rule.fix}\n")
        out.append(_extra(rule.code))
    return "".join(out)


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
