"""Running the rules over files: selection, suppression, the cache, and two processes.

`lint` returns findings as values; the CLI renders them. A file that cannot be read as a
postmortem (empty, binary, not UTF-8, no or broken front matter) gets a BPM001 finding,
never an exception; when it has a body, the rules that need no front matter run on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from bpmcli import __version__
from bpmcli.config import Config
from bpmcli.errors import BpmError, UsageError
from bpmcli.files import display
from bpmcli.progress import SILENT, Advance, Progress, nothing

PARALLEL_FROM = 64  # fewer cache misses than this are linted in this process
PROGRESS_FROM = 200  # fewer cache misses than this take under a second: no progress shown
CACHE_FROM = 32  # fewer files than this are linted without the cache: loading it costs more


# NamedTuples, not dataclasses: a one-file lint loads this module, and creating a frozen
# dataclass costs ~0.4 ms at start-up (docs/performance.md, "Start-up").


class Finding(NamedTuple):
    """One finding; the JSON shape (`as_json`) is documented in docs/cli.md and stable.

    Findings sort by path and position, then code, severity and message; `file` comes
    last, and the findings of one file share it.
    """

    path: str  # as shown to users: relative to the working folder
    line: int  # 1-based, in the whole file (the opening `---` is line 1)
    column: int  # 1-based
    code: str
    severity: str  # "error" or "warning"
    message: str
    file: Path = Path()
    subject: str = ""  # what it is about (rule.Hit.subject): the machine formats' identity

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class Settings(NamedTuple):
    config: Config
    today: dt.date
    severities: dict[str, str]  # enabled rule -> effective severity
    options: dict[str, dict[str, Any]]

    def fingerprint(self) -> str:
        import hashlib
        import json

        data = {
            "version": __version__,
            "today": self.today.isoformat(),
            "severities": self.severities,
            "options": self.options,
            "config": repr(self.config),
            "config_file": _file_digest(self.config.source),
        }
        return hashlib.blake2b(
            json.dumps(data, sort_keys=True, default=str).encode(), digest_size=16
        ).hexdigest()


def _file_digest(path: Path | None) -> str:
    import hashlib

    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() if path else ""
    except OSError:
        return ""


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())


def settings(
    config: Config, today: dt.date, select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> Settings:
    """The rules to run and their severities: defaults, then `[rules]`, then --select/--ignore."""
    from bpmcli.lint.rules import all_rules

    rules = all_rules()
    for code in [*config.rules, *select, *ignore]:
        if not any(known.startswith(code.strip().upper()) for known in rules):
            raise UsageError(f"unknown rule code {code!r} (see docs/rules.md)")
    severities: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    for code, rule in rules.items():
        setting = config.rules.get(code)
        severity = (setting.severity if setting else None) or rule.severity
        if setting and setting.options:
            options[code] = dict(setting.options)
        if severity == "off" or (select and not _matches(code, select)) or _matches(code, ignore):
            continue
        severities[code] = severity
    return Settings(config, today, severities, options)


def collect(paths: Sequence[Path], config: Config) -> list[Path]:
    """The files to lint: every postmortem without PATHs; folders are searched for `*.md`;
    the config's `exclude` globs are left out either way."""
    found = _collected(paths, config)
    if not config.exclude:
        return found
    return [path for path in found if not _in_globs(path, config, config.exclude)]


def _in_globs(path: Path, config: Config, globs: Sequence[str]) -> bool:
    """Whether `path`, relative to the config's folder, matches a glob (`*` crosses folders,
    as in fnmatch: `archive/*` is everything below archive/)."""
    from fnmatch import fnmatchcase

    try:
        relative = path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(fnmatchcase(relative, glob) for glob in globs)


def per_file_ignored(findings: Sequence[Finding], config: Config) -> list[Finding]:
    """Findings without those `[per-file-ignores]` drops for their file (codes or prefixes)."""
    if not config.per_file_ignores:
        return list(findings)
    kept = []
    for finding in findings:
        where = finding.file if finding.file != Path() else Path(finding.path)
        codes = [
            code
            for glob, listed in config.per_file_ignores.items()
            if _in_globs(where, config, [glob])
            for code in listed
        ]
        if not _matches(finding.code, codes):
            kept.append(finding)
    return kept


def _collected(paths: Sequence[Path], config: Config) -> list[Path]:
    if not paths:
        from bpmcli.store.workspace import Workspace

        return Workspace(config).postmortems()
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*.md")
                    if not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    return list(dict.fromkeys(found))


def lint_bytes(raw: bytes, path: Path, settings: Settings) -> list[Finding]:
    """Every finding for one file's bytes, suppressions applied, sorted by position."""
    from bpmcli.format.postmortem import parse, parse_body
    from bpmcli.lint.rule import Context
    from bpmcli.lint.rules import all_rules, suppression

    shown = display(path)
    severities = settings.severities
    unreadable: list[Finding] = []  # BPM001, which no comment suppresses
    broken = False
    try:
        pm = parse(raw, path)
    except BpmError as exc:
        broken = True
        if "BPM001" in severities:
            unreadable.append(
                Finding(shown, exc.line or 1, 1, "BPM001", severities["BPM001"], exc.message, path)
            )
        # no front matter, or a broken one: the rules that read only the body still run
        body = parse_body(raw, path)
        if body is None:
            return unreadable
        pm = body
    rules = all_rules()
    skipped = {c for c, r in rules.items() if r.needs_front_matter} if broken else set()
    context = Context(pm, settings.config, settings.today, settings.options)
    found: list[Finding] = []
    for code, rule in rules.items():
        if code in severities and code not in ("BPM001", "BPM901") and code not in skipped:
            for hit in rule.check(context):
                found.append(
                    Finding(
                        shown,
                        hit.line,
                        hit.column,
                        code,
                        severities[code],
                        hit.message,
                        path,
                        hit.subject,
                    )
                )
    directives = suppression.parse(pm.text, pm.where.body_line)
    if directives:
        found = [f for f in found if not suppression.suppressed(directives, f.line, f.code)]
        if "BPM901" in severities:
            found += [
                Finding(
                    shown,
                    d.line,
                    1,
                    "BPM901",
                    severities["BPM901"],
                    "this bpm-disable comment suppresses nothing; delete it",
                    path,
                )
                for d in directives
                if d.kind != "enable" and not d.used and not any(map(d.covers, skipped))
            ]
    return sorted(found + unreadable)


def _read(path: Path) -> bytes | BpmError:
    from bpmcli.files import read_bytes

    try:
        return read_bytes(path)
    except BpmError as exc:
        return exc


def lint_file(path: Path, settings: Settings, keyed: bool = False) -> Keyed:
    """The file's findings; with `keyed`, the cache key of the very bytes they were found
    in (the file may change between the parent's hashing and this read)."""
    data = _read(path)
    if isinstance(data, BpmError):
        if "BPM001" not in settings.severities:
            return Keyed(None, [])
        found = Finding(
            display(path), 1, 1, "BPM001", settings.severities["BPM001"], data.message, path
        )
        return Keyed(None, [found])
    if not keyed:
        return Keyed(None, lint_bytes(data, path, settings))
    from bpmcli.lint.cache import key

    return Keyed(key(path.name, data), lint_bytes(data, path, settings))


class Keyed(NamedTuple):
    digest: str | None  # the cache key of the bytes linted; None: not asked, or unreadable
    findings: list[Finding]


def _lint_paths(chosen: Settings, keyed: bool, paths: list[Path]) -> list[Keyed]:
    return [lint_file(path, chosen, keyed) for path in paths]


class Result(NamedTuple):
    findings: list[Finding]
    files: int


def lint(
    paths: Sequence[Path],
    chosen: Settings,
    cache: Any | None = None,
    jobs: int | None = None,
    progress: Progress = SILENT,
) -> Result:
    """Lint `paths`; with a cache, unchanged files are not read as YAML again. `progress`
    counts the files linted (the cache's misses), from PROGRESS_FROM of them."""
    if cache is not None:  # hashlib loads OpenSSL: a run without the cache does without it
        from bpmcli.lint.cache import key

    results: dict[Path, list[Finding]] = {}
    misses: list[tuple[Path, str | None]] = []
    for path in paths:
        digest = None
        if cache is not None:
            digest = _digest(path, cache, key)
            if digest is not None:
                entry = cache.get(digest)
                if entry is not None:
                    shown = display(path)
                    results[path] = [
                        Finding(shown, line, column, code, severity, message, path, subject)
                        for line, column, code, severity, message, subject in entry
                    ]
                    continue
        misses.append((path, digest))
    advance = progress.task("linting", len(misses)) if len(misses) >= PROGRESS_FROM else nothing
    linted = _run([p for p, _ in misses], chosen, jobs, cache is not None, advance)
    for (path, digest), (read, found) in zip(misses, linted, strict=True):
        results[path] = found
        if cache is not None and digest is not None and read is not None:
            # Stored under the key of the bytes linted, which are the bytes hashed unless
            # the file was saved in between: then the findings of its new content.
            cache.put(
                read,
                [[f.line, f.column, f.code, f.severity, f.message, f.subject] for f in found],
            )
    findings = [f for path in paths for f in results[path]]
    return Result(findings, len(paths))


def lint_cached(
    paths: Sequence[Path],
    chosen: Settings,
    use_cache: bool = True,
    jobs: int | None = None,
    progress: Progress = SILENT,
) -> Result:
    """`lint`, with the cache when it pays (from CACHE_FROM files on) and `use_cache` allows:
    `--no-cache` reads and writes no cache at all."""
    cache = None
    if use_cache and len(paths) >= CACHE_FROM:
        from bpmcli.lint.cache import LintCache, location

        cache = LintCache(location(chosen.config), chosen.fingerprint())
    result = lint(paths, chosen, cache, jobs, progress)
    if cache is not None:
        cache.save()
    return result


def only_changed_since(
    findings: list[Finding], changed: dict[Path, set[int] | None]
) -> list[Finding]:
    """The findings on lines added or changed (`lint --since`, from
    `Workspace.changed_lines`); in files new since then (None), all of them."""
    return [f for f in findings if _on_changed_line(changed, f)]


def _on_changed_line(changed: dict[Path, set[int] | None], finding: Finding) -> bool:
    key = finding.file.resolve()
    if key not in changed:
        return False
    lines = changed[key]
    return lines is None or finding.line in lines


def _digest(path: Path, cache: Any, key: Any) -> str | None:
    """The file's content digest: from the cache when its stat is unchanged, else hashed.

    The stat is taken before the read and again after: a file saved in between is
    hashed, but its stat is not recorded as describing those bytes (the racy-clean rule,
    with the run's start as its clock, covers a save after both)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    name = str(path)
    known: str | None = cache.known_digest(name, stat)
    if known is not None:
        return known
    data = _read(path)
    if isinstance(data, BpmError):
        return None
    digest: str = key(path.name, data)
    from bpmcli.store.cache import stat_key

    try:
        after = path.stat()
    except OSError:
        return digest
    if stat_key(after) == stat_key(stat):
        cache.remember(name, stat, digest)
    return digest


def _run(
    paths: list[Path], chosen: Settings, jobs: int | None, keyed: bool, advance: Advance
) -> list[Keyed]:
    from functools import partial

    from bpmcli.lint.rules import all_rules
    from bpmcli.parallel import map_chunks

    all_rules()  # import the rules once, before forking
    return map_chunks(partial(_lint_paths, chosen, keyed), paths, PARALLEL_FROM, jobs, advance)
