"""The output formats of `bpm lint`. Every one is documented in docs/cli.md.

Messages can quote text from postmortems, which strangers write in pull requests: every
format escapes it for its reader (workflow commands for GitHub, XML for JUnit, JSON for
the rest), and terminal output has control characters removed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from bpmcli import __version__
from bpmcli.output import terminal
from bpmcli.output.terminal import clean

if TYPE_CHECKING:
    from bpmcli.lint.engine import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _repo_relative(finding: Finding, root: Path) -> str:
    """The file relative to `root` (the repository), `/`-separated; as given if outside it.

    May hold surrogates: a file name that is not UTF-8 comes from the file system as such.
    """
    absolute = finding.file.resolve() if finding.file != Path() else Path(finding.path).resolve()
    try:
        relative = Path(os.path.relpath(absolute, root))
    except ValueError:  # another drive (Windows)
        return absolute.as_posix()
    return absolute.as_posix() if relative.parts[:1] == ("..",) else relative.as_posix()


def _uri(path: str) -> str:
    """A SARIF `uri` (RFC 3986 reference): the file name's bytes, percent-encoded but `/`.

    A space, a non-ASCII letter, `%`, `#`, `?` or a `:` (which would read as a scheme) are
    encoded; a name that is not UTF-8 keeps its own bytes.
    """
    from urllib.parse import quote

    encoded = quote(os.fsencode(path), safe="/")
    return "file://" + encoded if path.startswith("/") else encoded


def _readable(path: str) -> str:
    """A JSON-safe path: a byte that is not UTF-8 is shown as \\xNN instead of crashing."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _identities(findings: Sequence[Finding], root: Path) -> list[tuple[str, str]]:
    """(path, fingerprint) per finding. The fingerprint hashes what the finding is about:
    the rule, the file, its subject (an action and key, a field, a phrase) and which
    occurrence of that it is, in file order; never the message, which may change each day
    (BPM401 says "overdue by 3 days"), nor the line, which moves with edits above it."""
    import hashlib

    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for f in findings:
        path = _repo_relative(f, root)
        subject = (path, f.code, f.subject)
        seen[subject] = seen.get(subject, 0) + 1
        raw = "\0".join([*subject, str(seen[subject])]).encode("utf-8", "surrogateescape")
        out.append((path, hashlib.sha256(raw).hexdigest()[:32]))
    return out


def summary(findings: Sequence[Finding], files: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if not findings:
        return f"No problems in {terminal.plural(files, 'file')}."
    with_findings = len({f.path for f in findings})
    return (
        f"Found {terminal.plural(errors, 'error')} and {terminal.plural(warnings, 'warning')} "
        f"in {with_findings} of {terminal.plural(files, 'file')}."
    )


def text(findings: Sequence[Finding], files: int, colour: bool) -> str:
    """`path:line:col: error CODE message`: the severity word where GCC and problem
    matchers put it, after the position (docs/ci.md has a matcher for it)."""
    lines = [
        f"{clean(f.path)}:{f.line}:{f.column}: {f.severity} {f.code} {clean(f.message)}"
        for f in findings
    ]
    if colour:
        lines = [_coloured(f) for f in findings]
    return "\n".join([*lines, summary(findings, files)]) + "\n"


def statistics(findings: Sequence[Finding], files: int) -> str:
    """`--statistics`: how many findings per rule, most first, then the summary line."""
    from collections import Counter

    from bpmcli.lint.rules import all_rules

    rules = all_rules()
    counts = Counter((f.code, f.severity) for f in findings)
    width = len(str(max(counts.values(), default=0)))
    lines = [
        f"{count:>{width}}  {code}  {severity:<7}  {rules[code].name if code in rules else ''}"
        for (code, severity), count in sorted(counts.items(), key=lambda c: (-c[1], c[0]))
    ]
    return "\n".join([*(line.rstrip() for line in lines), summary(findings, files)]) + "\n"


def _coloured(f: Finding) -> str:
    colour = "\x1b[31m" if f.severity == "error" else "\x1b[33m"
    where = f"\x1b[1m{clean(f.path)}:{f.line}:{f.column}:\x1b[0m"
    return f"{where} {colour}{f.severity}\x1b[0m {f.code} {clean(f.message)}"


def as_json(findings: Sequence[Finding]) -> str:
    from bpmcli.output.terminal import to_json

    return to_json([f.as_json() | {"path": _readable(f.path)} for f in findings]) + "\n"


def _github_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(value: str) -> str:
    return _github_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding], root: Path) -> str:
    """GitHub Actions workflow commands: one annotation per finding, injection-safe; the
    file relative to the repository root, as GitHub places annotations."""
    out = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        path = _readable(_repo_relative(f, root))
        props = f"file={_github_property(path)},line={f.line},col={f.column},title={f.code}"
        out.append(f"::{level} {props}::{_github_data(clean(f.message))}")
    return "".join(line + "\n" for line in out)


def sarif(findings: Sequence[Finding], root: Path) -> str:
    """SARIF 2.1.0, as GitHub code scanning takes it; locations relative to `root` (the
    repository), percent-encoded as RFC 3986 asks of a `uri`."""
    from bpmcli.lint.rules import all_rules

    rules = all_rules()
    index = {code: i for i, code in enumerate(rules)}
    driver = {
        "name": "bpm",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.why},
                "help": {
                    "text": rule.fix,
                    "markdown": f"**{rule.code}** {rule.summary}\n\n{rule.why}\n\n**Fix:** {rule.fix}",
                },
                "defaultConfiguration": {"level": rule.severity},
                "properties": {"tags": ["postmortem"]},
            }
            for rule in rules.values()
        ],
    }
    results = []
    for f, (path, fingerprint) in zip(findings, _identities(findings, root), strict=True):
        location: dict[str, str] = {"uri": _uri(path)}
        if not path.startswith("/"):
            location["uriBaseId"] = "%SRCROOT%"
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": "error" if f.severity == "error" else "warning",
                "message": {"text": clean(f.message)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": {"startLine": f.line, "startColumn": f.column},
                        }
                    }
                ],
                "partialFingerprints": {"bpmFinding/v2": fingerprint},
            }
        )
    import json

    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def gitlab(findings: Sequence[Finding], root: Path) -> str:
    """A GitLab Code Quality report; paths relative to the repository root."""
    report: list[dict[str, Any]] = [
        {
            "description": f"{f.code} {clean(f.message)}",
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": "major" if f.severity == "error" else "minor",
            "location": {"path": _readable(path), "lines": {"begin": f.line}},
        }
        for f, (path, fingerprint) in zip(findings, _identities(findings, root), strict=True)
    ]
    import json

    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def junit(
    findings: Sequence[Finding],
    files: Sequence[Path],
    failing: frozenset[str] = frozenset({"error"}),
) -> str:
    """JUnit XML: a test case per file checked, with one failure per finding that fails the
    run (errors; warnings too under --strict). A file with warnings only passes, its
    warnings in the case's `system-out`: JUnit has no warning state, and CI dashboards count
    failures as broken builds."""
    import xml.etree.ElementTree as ET

    from bpmcli.files import display

    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    shown = [display(p) for p in files]
    failed = sum(1 for name in shown if any(f.severity in failing for f in by_file.get(name, [])))
    counts = {"tests": str(len(shown)), "failures": str(failed), "errors": "0"}
    suites = ET.Element("testsuites", {"name": "bpm lint", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "bpm lint", **counts, "skipped": "0"})
    for name in shown:
        case = ET.SubElement(suite, "testcase", classname="bpm.lint", name=clean(name))
        passing = []
        for f in by_file.get(name, []):
            where = f"{clean(f.path)}:{f.line}:{f.column}"
            line = f"{where}: {f.code} {clean(f.message)} ({f.severity})"
            if f.severity not in failing:
                passing.append(line)
                continue
            failure = ET.SubElement(case, "failure", type=f.code, message=clean(f.message))
            failure.text = line
        if passing:
            ET.SubElement(case, "system-out").text = "\n".join(passing)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


class Checked(NamedTuple):  # not a dataclass: creating one costs ~0.5 ms at start-up
    """What any format needs: the findings, the files checked, where the project starts."""

    findings: Sequence[Finding]
    files: Sequence[Path]
    root: Path  # the repository root: SARIF and GitLab locations are relative to it
    colour: bool  # text on a terminal without NO_COLOR
    failing: frozenset[str] = frozenset({"error"})  # the severities that fail the run


#: `bpm lint --format`: name -> the whole output, as one string.
FORMATS: dict[str, Callable[[Checked], str]] = {
    "text": lambda run: text(run.findings, len(run.files), run.colour),
    "json": lambda run: as_json(run.findings),
    "github": lambda run: github(run.findings, run.root),
    "sarif": lambda run: sarif(run.findings, run.root),
    "gitlab": lambda run: gitlab(run.findings, run.root),
    "junit": lambda run: junit(run.findings, run.files, run.failing),
}
