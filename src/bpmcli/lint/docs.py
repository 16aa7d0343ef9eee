"""docs/rules.md, generated from the rule registry: `python -m bpmcli.lint.docs > docs/rules.md`.

A test checks that the committed file matches, so the docs cannot drift from the code.
"""

from __future__ import annotations

from bpmcli.lint import words
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
            "\nVague verbs (add your own with `vague_verbs` in the config; replace the list "
            "with `[rules.BPM103] vague_verbs = [...]`):\n\n| verb | instead |\n|---|---|\n" + rows
        )
    if code == "BPM107":
        return (
            "\nA word counts as a verb in its base form when the English lexicon of "
            "[lemminflect](https://github.com/bjascob/LemmInflect) lists it so. A hyphenated "
            "word is judged by its last part (`rate-limit`). Words that are verbs to the "
            "lexicon but read as adjectives at the start of an action are not accepted: "
            + ", ".join(sorted(words.NOT_IMPERATIVE))
            + ".\n"
        )
    lists = {"BPM108": words.EXHORTATIONS, "BPM301": words.BLAME, "BPM302": words.HINDSIGHT}
    scope = ""
    if code in ("BPM301", "BPM302"):
        scope = (
            "\nProse only: not inside inline code, code blocks (fenced, indented, or in a list "
            "item), block quotes (pasted logs and chat), HTML comments, link targets, or the "
            "timeline's Expectations and "
            "Assumptions columns, which record what people thought at the time.\n"
        )
    if code in lists:
        return scope + "\nPhrases: " + ", ".join(f'"{p}"' for p in lists[code]) + ".\n"
    return ""


if __name__ == "__main__":
    print(render(), end="")
