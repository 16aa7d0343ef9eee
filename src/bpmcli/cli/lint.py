"""`bpm lint`: check postmortems; the findings go to output/lint.py, the verdict to the exit code."""

# No `from __future__ import annotations` here: Typer reads this signature at every run, and
# string annotations would be compiled and evaluated then (1 ms, 2% of `import typer`).

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import LintFormat

if TYPE_CHECKING:
    from types import ModuleType
    from typing import TextIO

    from bpmcli.config import Config
    from bpmcli.lint.engine import Finding
    from bpmcli.output.lint import Checked

app = typer.Typer()


def _codes(values: list[str] | None) -> list[str]:
    return [code for value in values or [] for code in value.replace(",", " ").split()]


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders; default: every postmortem.")
    ] = None,
    format: Annotated[LintFormat, typer.Option("--format", "-f")] = LintFormat("text"),
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Report, but exit 0 whatever is found.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these codes or prefixes (BPM1).")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these codes.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only lines added or changed since this revision.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            "--stdin-filename",
            metavar="PATH",
            help="With PATH '-': the file the text on stdin stands for (its config, its name).",
        ),
    ] = None,
    output_file: Annotated[
        list[str] | None,
        typer.Option(
            "--output-file",
            metavar="FORMAT=PATH",
            help="Also write this format to PATH (repeatable: sarif=bpm.sarif junit=bpm.xml).",
        ),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Counts per rule instead of the findings.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="The findings only: no summary line.")
    ] = False,
    allow_empty: Annotated[
        bool,
        typer.Option(
            "--allow-empty", help="Finding no postmortem to check is fine (exit 0, not 2)."
        ),
    ] = False,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Make the certain fixes (docs/rules.md: fixable), then lint."),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff",
            help="Print the fixes --fix would make as a diff; write nothing (exit 1 if any).",
        ),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="CODE",
            help="Print a rule's why, fix and examples (a code or a name); lint nothing.",
        ),
    ] = None,
) -> None:
    """Check postmortems: owned, dated, concrete actions; blameless language; structure."""
    if explain is not None:
        _explain(explain, paths or [])
        return
    from bpmcli.output import lint as formats
    from bpmcli.output.terminal import colour

    config = options.config()
    files: list[Path] = []
    findings: list[Finding] = []
    report, given = sys.stdout, sys.stdin.buffer.read() if paths == [Path("-")] else None
    unwritten = False
    if fix or diff:
        report, given, unwritten = _fix_first(
            config, paths or [], since, stdin_filename, (select, ignore), diff, quiet, given
        )
    if given is not None:  # an editor or a script hands the text over: no cache, no disk
        if since is not None:
            raise _usage("--since reads git's lines of files on disk: not with PATH '-'")
        files, findings = _stdin(config, stdin_filename, _codes(select), _codes(ignore), given)
        paths = files  # so that an empty run is not mistaken for a missing folder
    elif stdin_filename is not None:
        raise _usage("--stdin-filename names the text read from PATH '-': give '-' as PATH")
    for applying, group in [] if files else _by_config(config, paths or []):
        linted, found, leftovers = _run(
            applying, group, _codes(select), _codes(ignore), not no_cache
        )
        if since is not None:
            found = _since(applying, since, linted, found)
        files += linted
        findings += found + leftovers  # a temp file is untracked: --since keeps it whole
    if not files and not allow_empty and not _only_files(paths or []):
        _nothing_to_check(config, paths or [])
    failing = frozenset({"error", "warning"} if strict else {"error"})
    checked = formats.Checked(findings, files, _repository_root(config), colour(), failing)
    outputs = _outputs(output_file or [])  # checked before anything is written
    report.write(_shown(formats, checked, format.value, statistics, quiet))
    _write_outputs(formats, checked, outputs)
    if not exit_zero and (unwritten or any(f.severity in failing for f in findings)):
        raise typer.Exit(1)


def _shown(
    formats: "ModuleType", checked: "Checked", name: str, statistics: bool, quiet: bool
) -> str:
    """The output: the format's, or its text views (`--statistics`, `--quiet`)."""
    if (statistics or quiet) and name != "text":
        raise _usage("--statistics and --quiet shape the text output: not with --format")
    if statistics:
        return str(formats.statistics(checked.findings, len(checked.files)))
    out = str(formats.FORMATS[name](checked))
    if quiet:  # the summary is the last line
        lines = out.splitlines(keepends=True)
        out = "".join(lines[:-1])
    return out


def _outputs(values: list[str]) -> list[tuple[str, Path]]:
    """`--output-file FORMAT=PATH` values, each format one the registry knows."""
    from bpmcli.output.lint import FORMATS

    outputs = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not path or name not in FORMATS:
            known = ", ".join(FORMATS)
            raise _usage(f"--output-file {value!r}: give FORMAT=PATH, FORMAT one of {known}")
        outputs.append((name, Path(path)))
    return outputs


def _write_outputs(
    formats: "ModuleType", checked: "Checked", outputs: list[tuple[str, Path]]
) -> None:
    """Each extra format written whole or not at all (atomic), whatever the findings."""
    from bpmcli.files import atomic_write

    for name, path in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)  # `reports/bpm.xml` in a fresh CI job
        atomic_write(path, str(formats.FORMATS[name](checked._replace(colour=False))).encode())


def _usage(message: str) -> Exception:
    from bpmcli.errors import UsageError

    return UsageError(message)


def _stdin(
    config: "Config", name: str | None, select: list[str], ignore: list[str], given: bytes
) -> tuple[list[Path], list["Finding"]]:
    """`bpm lint -`: the text on standard input, linted as the file `name` would be (the
    config that applies to its folder; findings under its name), nothing read or written."""
    from bpmcli import config as configuration
    from bpmcli.lint import engine

    path = Path(name) if name else Path("-")
    applying = configuration.load(path.parent) if name and path.parent.is_dir() else config
    chosen = engine.settings(applying, options.today_in(applying), select, ignore)
    return [path], engine.lint_bytes(given, path, chosen)


def _only_files(paths: list[Path]) -> bool:
    """PATHs that are all files (what pre-commit passes): none of them a postmortem is fine."""
    return bool(paths) and all(not path.is_dir() for path in paths)


def _nothing_to_check(config: "Config", paths: list[Path]) -> None:
    """No postmortem under the folder searched: a typo in `dir` or a PATH would otherwise
    pass CI forever with "No problems in 0 files"."""
    from bpmcli.files import display

    where = ", ".join(display(p) for p in paths) if paths else display(config.postmortem_dir)
    raise _usage(
        f"no postmortem to check in {where} (is `dir` in .bpm.toml right?); "
        "--allow-empty makes this exit 0"
    )


def _explain(wanted: str, paths: list[Path]) -> None:
    from bpmcli.lint.rules import find
    from bpmcli.output.rules import explain
    from bpmcli.output.terminal import colour

    if paths:
        raise _usage("--explain takes a rule, not PATHs: it lints nothing")
    sys.stdout.write(explain(find(wanted), colour()))


def _by_config(config: "Config", paths: list[Path]) -> list[tuple["Config", list[Path]]]:
    """The PATHs grouped by the configuration that applies to each: in a monorepo a
    sub-folder's `.bpm.toml` governs its files when bpm runs from the root, as pre-commit
    runs it. Without PATHs, the working folder's configuration and its postmortems."""
    if not paths:
        return [(config, [])]
    from bpmcli import config as configuration

    groups: dict[tuple[Path, Path | None], tuple[Config, list[Path]]] = {}
    known = {(config.root, config.source): config}
    for path in paths:
        start = path if path.is_dir() else path.parent
        applying = configuration.load(start) if start.exists() else config
        applying = known.setdefault((applying.root, applying.source), applying)
        groups.setdefault((applying.root, applying.source), (applying, []))[1].append(path)
    return list(groups.values())


def _repository_root(config: "Config") -> Path:
    """Where machine formats' paths start: the repository root, wherever the config is."""
    from bpmcli.config import find_repo_root

    return find_repo_root(config.root) or config.root


def _run(
    config: "Config", paths: list[Path], select: list[str], ignore: list[str], use_cache: bool
) -> tuple[list[Path], list["Finding"], list["Finding"]]:
    """The files to check, their findings (the engine owns the cache policy), and BPM902
    for the temp files beside them."""
    from bpmcli.lint import engine

    chosen = engine.settings(config, options.today_in(config), select, ignore)
    files = engine.collect(paths, config)
    with options.progress(len(files) >= engine.PROGRESS_FROM) as progress:
        linted = engine.lint_cached(files, chosen, use_cache, progress=progress)
    findings = engine.per_file_ignored(linted.findings, config)
    return files, findings, _leftovers(config, paths, files, chosen.severities)


def _leftovers(
    config: "Config", paths: list[Path], files: list[Path], severities: dict[str, str]
) -> list["Finding"]:
    """BPM902 for bpm's temp files beside the files checked, and anywhere in the postmortem
    folder (or a folder PATH) — where a killed `bpm new` left nothing else."""
    from bpmcli.files import display, stale_temps, stale_temps_below
    from bpmcli.lint.engine import Finding
    from bpmcli.lint.rules.files import CODE, MESSAGE

    if CODE not in severities:
        return []
    roots = [p for p in paths if p.is_dir()] or ([] if paths else [config.postmortem_dir])
    temps = {temp for root in roots for temp in stale_temps_below(root)}
    temps |= {temp for folder in {f.parent for f in files} for temp in stale_temps(folder)}
    return [
        Finding(display(temp), 1, 1, CODE, severities[CODE], MESSAGE, temp, temp.name)
        for temp in sorted(temps)
    ]


def _since(
    config: "Config", revision: str, files: list[Path], findings: list["Finding"]
) -> list["Finding"]:
    """Only the findings on lines changed since `revision` (a file new since then counts whole)."""
    from bpmcli.lint import engine
    from bpmcli.store.workspace import Workspace

    return engine.only_changed_since(findings, Workspace(config).changed_lines(revision, files))


# -- --fix and --diff ------------------------------------------------------------------------


def _fix_first(
    config: "Config",
    paths: list[Path],
    since: str | None,
    stdin_filename: str | None,
    chosen: tuple[list[str] | None, list[str] | None],
    diff: bool,
    quiet: bool,
    given: bytes | None,
) -> "tuple[TextIO, bytes | None, bool]":
    """--fix or --diff, before the lint: --diff prints the diff and exits; --fix writes the
    fixed files, or with PATH '-' prints the fixed text (as ruff does). Returns where the
    report of what remains goes (stderr when stdout holds the fixed text) and the text on
    stdin to lint (the fixed one), and whether a fixed file was left unwritten (changed
    while it was being fixed: the run exits 1, as when findings remain)."""
    if since is not None:  # a fix edits the whole file, not only the changed lines
        raise _usage("--fix and --diff edit whole files: not with --since")
    if given is None and stdin_filename is not None:
        raise _usage("--stdin-filename names the text read from PATH '-': give '-' as PATH")
    codes = (_codes(chosen[0]), _codes(chosen[1]))
    if given is None:
        changed = _fixed_files(config, paths, *codes)
        if diff:
            _show_diff(changed)
        return sys.stdout, None, _fix_files(changed, quiet)
    changed = _fixed_stdin(config, stdin_filename, *codes, given)
    if diff:
        _show_diff(changed)
    text = changed[0][2] if changed else given.decode("utf-8")
    sys.stdout.write(text)
    return sys.stderr, text.encode("utf-8"), False


Changed = list[tuple[Path, str, str, int]]  # (path, text, fixed text, problems fixed)


def _fixed_files(
    config: "Config", paths: list[Path], select: list[str], ignore: list[str]
) -> Changed:
    """Each file that a certain fix changes, with its config's settings."""
    from bpmcli.lint import engine
    from bpmcli.lint.fixes import fix_files

    changed: Changed = []
    for applying, group in _by_config(config, paths):
        chosen = engine.settings(applying, options.today_in(applying), select, ignore)
        changed += fix_files(engine.collect(group, applying), chosen)
    return changed


def _fixed_stdin(
    config: "Config", name: str | None, select: list[str], ignore: list[str], given: bytes
) -> Changed:
    """The text on stdin with its fixes, linted as the file `name` would be (as `_stdin`)."""
    from bpmcli import config as configuration
    from bpmcli.lint import engine
    from bpmcli.lint.fixes import fix_text

    path = Path(name) if name else Path("-")
    applying = configuration.load(path.parent) if name and path.parent.is_dir() else config
    chosen = engine.settings(applying, options.today_in(applying), select, ignore)
    try:
        text = given.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _usage("the text on stdin is not UTF-8: bpm cannot fix it") from exc
    fixed = fix_text(text, path, chosen)
    return [(path, text, fixed.text, fixed.fixed)] if fixed.text != text else []


def _fix_summary(verb: str, changed: Changed) -> str:
    problems = sum(item[3] for item in changed)
    files = len(changed)
    return (
        f"{verb} {problems} problem{'s' if problems != 1 else ''} "
        f"in {files} file{'s' if files != 1 else ''}.\n"
    )


def _fix_files(changed: Changed, quiet: bool) -> bool:
    """--fix: each changed file written once, whole (atomic), if it still holds the text
    the fixes were made on; the summary on stderr, so that stdout holds the remaining
    findings in the format asked for. A file changed in the meantime is a warning and is
    not written; True when there was one (the run then exits 1, as findings remain). A
    file that cannot be written stops the run (exit 2) and is left as it was."""
    from bpmcli.errors import BpmError, UsageError
    from bpmcli.files import display
    from bpmcli.lint.fixes import write_fixed

    written: Changed = []
    for item in changed:
        path, read, fixed, _ = item
        try:
            done = write_fixed(path, read, fixed)
        except BpmError as exc:  # exit 2, not 1: with --fix, 1 says "findings remain"
            raise UsageError(exc.message, exc.path, exc.line) from exc
        if done:
            written.append(item)
        else:
            sys.stderr.write(
                f"warning: {display(path)} changed while it was being fixed; not written\n"
            )
    if written and not quiet:
        sys.stderr.write(_fix_summary("Fixed", written))
    return len(written) < len(changed)


def _show_diff(changed: Changed) -> None:
    """--diff: the fixes as a unified diff on stdout, nothing written; exit 1 when there is
    one, 0 when none (as ruff's --diff)."""
    from bpmcli.files import display
    from bpmcli.lint.fixes import unified_diff

    sys.stdout.write("".join(unified_diff(old, new, display(p)) for p, old, new, _ in changed))
    sys.stderr.write(_fix_summary("Would fix", changed) if changed else "Nothing to fix.\n")
    raise typer.Exit(1 if changed else 0)
