"""The project's configuration: `.bpm.toml`, or `[tool.bpm]` in `pyproject.toml`.

Found by walking up from the working folder to the repository root; the first file found
wins. Paths in it are relative to the folder that holds it. Every key is optional and every
key is checked: a typo is an error naming the key, never a silently ignored setting.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from bpmcli.errors import ConfigError, UsageError

CONFIG_NAME = ".bpm.toml"
DEFAULT_SECTIONS = (
    "Summary",
    "Impact",
    "Timeline",
    "Contributing factors",
    "What we learned",
    "Action items",
)
DEFAULT_SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
DEFAULT_DUE_DAYS = {"SEV1": 15, "SEV2": 30, "SEV3": 60, "SEV4": 90}
RULE_SEVERITIES = ("off", "warning", "error")
# A day count bpm adds to a date: more than ten years is a mistake, and far more would
# overflow the calendar (Python's dates end in 9999).
MAX_DAYS = 3650
# The options each rule reads from `[rules.CODE]`, beside `severity`: all lists of words.
RULE_OPTIONS: Mapping[str, tuple[str, ...]] = {"BPM103": ("vague_verbs",)}


# NamedTuples, not frozen dataclasses: a one-file lint loads this module, and creating a
# frozen dataclass costs ~0.4 ms at start-up (docs/performance.md, "Start-up"). The repr is
# the same (Settings.fingerprint reads it). The mapping defaults are shared: read-only by
# their type (Mapping), and nothing writes to them.
class RuleSetting(NamedTuple):
    """What `[rules]` says of one rule: a severity, and options that replace its defaults."""

    severity: str | None = None
    options: Mapping[str, Any] = {}


TICKET_PLACEHOLDER = "{ticket}"
# An http(s) address with a host, no white space and no control character: the same
# pattern as `ticket_url` in schemas/bpm-toml.schema.json.
WEB_ADDRESS = re.compile(r"https?://[^\s/?#\x00-\x1f\x7f]+([/?#][^\s\x00-\x1f\x7f]*)?")


# What bpm takes for an email address (`[owners] email`, `[remind] from`, `--from`): one
# `@` between non-empty parts without space or angle brackets; the server judges the rest.
EMAIL_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+")
# A server as `[remind] smtp` and `--smtp` take it: `HOST`, `HOST:PORT`, `[IPv6]` or
# `[IPv6]:PORT`. ASCII only, as the JSON Schema's pattern (bpm-toml.schema.json) reads it.
_HOST_PORT = re.compile(r"(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+))(?::([0-9]{1,5}))?")
HOST_PORT_SHAPE = "HOST or HOST:PORT, such as smtp.example.com:587 or [::1]:25"
PORT_RANGE = "a port from 1 to 65535"


def host_and_port(address: str) -> tuple[str, int | None]:
    """(host, port or None) of `HOST[:PORT]` (an IPv6 host in brackets, returned without
    them); ValueError of HOST_PORT_SHAPE or PORT_RANGE when it is neither. The one parser
    for the config's check and net/smtp's server."""
    found = _HOST_PORT.fullmatch(address.strip())
    if found is None:
        raise ValueError(HOST_PORT_SHAPE)
    port = int(found[3]) if found[3] else None
    if port is not None and not 0 < port < 65536:
        raise ValueError(PORT_RANGE)
    return found[1] or found[2], port


class Owner(NamedTuple):
    """`[owners.NAME]`: where to reach one owner or team handle. Every field may be absent."""

    email: str | None = None
    slack: str | None = None
    github: str | None = None  # a GitHub login, for an issue's assignee
    jira: str | None = None  # a Jira Cloud account id, for an issue's assignee


class RemindSettings(NamedTuple):
    """`[remind]`: how `bpm remind` delivers digests; its options win over these."""

    smtp: str | None = None  # HOST or HOST:PORT
    sender: str | None = None  # `from`: the digest email's From address
    ssl: bool = False  # SMTP over TLS from the first byte (port 465), not STARTTLS
    within_days: int = 7  # actions due within this many days are in the digest too
    escalate_after_days: int = 14  # a facilitator hears of actions overdue this long


class TicketSettings(NamedTuple):
    """`[tickets]`: the tracker `bpm tickets` keeps in step; its options win over these."""

    tracker: str | None = None  # "github" or "jira"
    repo: str | None = None  # GitHub: owner/name
    api_url: str | None = None  # GitHub: the REST API root (Enterprise, a test server)
    site: str | None = None  # Jira Cloud: https://acme.atlassian.net
    project: str | None = None  # Jira: the project key


class Config(NamedTuple):
    root: Path  # the folder paths are relative to: the config's folder, or the repository root
    source: Path | None = None  # the file the settings came from, None for defaults
    dir: str = "postmortems"
    timezone: str = "UTC"
    review_sla_days: int = 5
    severities: tuple[str, ...] = DEFAULT_SEVERITIES
    action_due_days: Mapping[str, int] = DEFAULT_DUE_DAYS
    required_sections: tuple[str, ...] = DEFAULT_SECTIONS
    templates_dir: str = ".bpm/templates"
    vague_verbs: tuple[str, ...] = ()
    allowed_verbs: tuple[str, ...] = ()
    rules: Mapping[str, RuleSetting] = {}
    exclude: tuple[str, ...] = ()  # globs of files lint skips, relative to `root`
    per_file_ignores: Mapping[str, tuple[str, ...]] = {}  # glob -> codes lint skips there
    ticket_url: str | None = None  # "https://tracker.example/browse/{ticket}"
    repo_url: str | None = None  # a file's web page is repo_url + "/" + its path
    owners: Mapping[str, Owner] = {}  # owner as the files write it -> where to reach them
    remind: RemindSettings = RemindSettings()
    tickets: TicketSettings = TicketSettings()

    @property
    def postmortem_dir(self) -> Path:
        return self.root / self.dir

    @property
    def template_dir(self) -> Path:
        return self.root / self.templates_dir

    @property
    def time_header(self) -> str:
        return f"Time ({self.timezone})"

    def file_link(self, repo_path: str) -> str | None:
        """A file's web page: `repo_url`, `/`, its repository-relative path; else None."""
        from urllib.parse import quote

        return f"{self.repo_url}/{quote(repo_path)}" if self.repo_url else None

    def ticket_link(self, ticket: str | None) -> str | None:
        """The tracker's page of an action's `ticket`: `ticket_url` with the ticket
        percent-encoded (a `/`, `?`, `#` or space in it cannot change where the link goes),
        or the ticket itself when it is a web address already; else None."""
        if not ticket:
            return None
        if WEB_ADDRESS.fullmatch(ticket):
            return ticket
        if self.ticket_url is None:
            return None
        from urllib.parse import quote

        return self.ticket_url.replace(TICKET_PLACEHOLDER, quote(ticket.strip(), safe=""))


def find_repo_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds `.git` (a folder, or a worktree file)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def load(start: Path | None = None) -> Config:
    """The configuration that applies to `start` (the working folder by default)."""
    here = (start or Path.cwd()).resolve()
    repo = find_repo_root(here)
    stop = repo or here
    for folder in (here, *here.parents):
        found = _read_config_in(folder)
        if found is not None:
            path, table, text = found
            return _build(folder, path, table, text)
        if folder == stop:
            break
    return Config(root=stop)


def _read_config_in(folder: Path) -> tuple[Path, dict[str, Any], str] | None:
    dotfile = folder / CONFIG_NAME
    if dotfile.exists():
        text = _read_text(dotfile)
        return dotfile, _parse_toml(dotfile, text), text
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        text = _read_text(pyproject)
        tool = _parse_toml(pyproject, text).get("tool", {})
        if isinstance(tool, dict) and isinstance(tool.get("bpm"), dict):
            return pyproject, tool["bpm"], text
    return None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError("is not UTF-8 text", path) from exc
    except IsADirectoryError as exc:
        raise ConfigError("cannot read: it is a folder, not a file", path) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from exc


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"invalid TOML: {reason}", path, int(line[1]) if line else None) from exc


class _Checker:
    """Reads one config table, naming the key and its line in every error."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", self.path, self.line_of(key))

    def line_of(self, key: str) -> int | None:
        name = key.rsplit(".", 1)[-1]
        pattern = re.compile(rf"^\s*(\[+\s*)?([\w.\-]+\.)?\"?{re.escape(name)}\"?\s*(=|\])")
        for number, line in enumerate(self.lines, 1):
            if pattern.match(line):
                return number
        return None

    def positive_int(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
            raise self.fail(
                key, f"must be a whole number of days from 0 to {MAX_DAYS}, got {_short(value)}"
            )
        return value

    def text(self, table: Mapping[str, Any], key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, got {_short(value)}")
        if _has_control(value):
            raise self.fail(key, f"must not hold control characters, got {_short(value)}")
        return value

    def strings(
        self,
        table: Mapping[str, Any],
        key: str,
        default: tuple[str, ...],
        *,
        at_least_one: bool = False,
    ) -> tuple[str, ...]:
        return self.words(key, table.get(key, default), at_least_one=at_least_one)

    def words(self, key: str, value: Any, *, at_least_one: bool = False) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, str) and v.strip() and not _has_control(v) for v in value
        ):
            raise self.fail(key, f"must be a list of non-empty strings, got {_short(value)}")
        if at_least_one and not value:
            raise self.fail(key, "must name at least one value, got []")
        twice = sorted({v for v in value if value.count(v) > 1})
        if twice:
            raise self.fail(key, f"names {twice[0]!r} twice")
        return tuple(value)


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text)


def _short(value: Any) -> str:
    """`value` as the error shows it: repr, cut to one readable piece."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


_KEYS = (
    "dir",
    "timezone",
    "review_sla_days",
    "severities",
    "action_due_days",
    "required_sections",
    "templates_dir",
    "vague_verbs",
    "allowed_verbs",
    "rules",
    "exclude",
    "per-file-ignores",
    "ticket_url",
    "repo_url",
    "owners",
    "remind",
    "tickets",
)


def _build(folder: Path, path: Path, table: dict[str, Any], text: str) -> Config:
    check = _Checker(path, text)
    for key in table:
        if key not in _KEYS:
            import difflib

            hint = difflib.get_close_matches(key, _KEYS, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise check.fail(key, f"unknown key{suggestion}")
    severities = check.strings(table, "severities", DEFAULT_SEVERITIES, at_least_one=True)
    timezone = check.text(table, "timezone", "UTC")
    _check_timezone(check, timezone)
    return Config(
        root=folder,
        source=path,
        dir=_relative_path(check, "dir", check.text(table, "dir", "postmortems")),
        timezone=timezone,
        review_sla_days=check.positive_int("review_sla_days", table.get("review_sla_days", 5)),
        severities=severities,
        action_due_days=_due_days(check, table.get("action_due_days", {}), severities),
        required_sections=check.strings(table, "required_sections", DEFAULT_SECTIONS),
        templates_dir=_relative_path(
            check, "templates_dir", check.text(table, "templates_dir", ".bpm/templates")
        ),
        vague_verbs=check.strings(table, "vague_verbs", ()),
        allowed_verbs=check.strings(table, "allowed_verbs", ()),
        rules=_rules(check, table.get("rules", {})),
        exclude=check.strings(table, "exclude", ()),
        per_file_ignores=_per_file_ignores(check, table.get("per-file-ignores", {})),
        ticket_url=_ticket_url(check, table.get("ticket_url")),
        repo_url=_base_url(check, "repo_url", table.get("repo_url")),
        owners=_owners(check, table.get("owners", {})),
        remind=_remind(check, table.get("remind", {})),
        tickets=_tickets(check, table.get("tickets", {})),
    )


def _ticket_url(check: _Checker, value: Any) -> str | None:
    """`ticket_url`: an http(s) address with `{ticket}` where the ticket goes."""
    url = _url(check, "ticket_url", value)
    if url is not None and TICKET_PLACEHOLDER not in url:
        raise check.fail(
            "ticket_url",
            f"must hold {TICKET_PLACEHOLDER} where the ticket goes, such as "
            f"'https://tracker.example/browse/{TICKET_PLACEHOLDER}', got {_short(value)}",
        )
    return url


def _per_file_ignores(check: _Checker, value: Any) -> dict[str, tuple[str, ...]]:
    """`[per-file-ignores]`: glob = ["BPM301", "BPM1"], as ruff has it."""
    if not isinstance(value, dict):
        raise check.fail("per-file-ignores", 'must be a table such as "archive/*" = ["BPM301"]')
    ignores: dict[str, tuple[str, ...]] = {}
    for glob, codes in value.items():
        key = f"per-file-ignores.{glob}"
        found = check.words(key, codes, at_least_one=True)
        for code in found:
            if not re.match(r"^BPM\d{0,3}$", code):
                raise check.fail(key, f"{code!r} is not a rule code or prefix (BPM301, BPM1)")
        ignores[glob] = found
    return ignores


def _check_timezone(check: _Checker, name: str) -> None:
    from bpmcli.times import zone  # zoneinfo is only needed once a zone is named

    try:
        zone(name)
    except UsageError as exc:
        raise check.fail("timezone", f"unknown time zone {name!r} (use an IANA name)") from exc


def _relative_path(check: _Checker, key: str, value: str) -> str:
    # A hostile config must not point bpm at folders outside the project.
    parts = Path(value).parts
    if Path(value).is_absolute() or ".." in parts:
        raise check.fail(key, f"must be a folder inside the project, got {value!r}")
    return value


def _due_days(check: _Checker, value: Any, severities: tuple[str, ...]) -> dict[str, int]:
    if not isinstance(value, dict):
        raise check.fail("action_due_days", "must be a table of severity = days")
    days = {s: d for s, d in DEFAULT_DUE_DAYS.items() if s in severities}
    for severity, number in value.items():
        if severity not in severities:
            raise check.fail(
                f"action_due_days.{severity}",
                f"{severity!r} is not one of the severities {list(severities)}",
            )
        days[severity] = check.positive_int(f"action_due_days.{severity}", number)
    return days


def _rules(check: _Checker, value: Any) -> dict[str, RuleSetting]:
    if not isinstance(value, dict):
        raise check.fail("rules", 'must be a table such as BPM106 = "off"')
    rules: dict[str, RuleSetting] = {}
    for code, setting in value.items():
        key = f"rules.{code}"
        if not re.match(r"^BPM\d{3}$", code):  # compiled on use: most configs name no rule
            raise check.fail(key, "is not a rule code (BPM followed by three digits)")
        if isinstance(setting, str):
            setting = {"severity": setting}
        if not isinstance(setting, dict):
            raise check.fail(key, 'must be "off", "warning", "error" or a table of options')
        severity = setting.get("severity")
        if severity is not None and severity not in RULE_SEVERITIES:
            raise check.fail(
                key, f"severity must be one of {list(RULE_SEVERITIES)}, got {severity!r}"
            )
        options = {k: v for k, v in setting.items() if k != "severity"}
        for name in options:
            if name not in RULE_OPTIONS.get(code, ()):
                known = ", ".join(RULE_OPTIONS.get(code, ())) or "none but severity"
                raise check.fail(f"{key}.{name}", f"unknown option of {code} (it takes: {known})")
            check.words(f"{key}.{name}", options[name])
        rules[code] = RuleSetting(severity, options)
    return rules


# --- follow-through: [owners], [remind], [tickets] ----------------------------------------

_OWNER_KEYS = Owner._fields
_REMIND_KEYS = ("smtp", "from", "ssl", "within_days", "escalate_after_days")
_TICKET_KEYS = TicketSettings._fields
TRACKERS = ("github", "jira")
# Checked at load so a typo fails the first run, not the first send. Loose on purpose where
# the service decides (a Slack handle, a Jira account id): only the shape that cannot work.
_SHAPES = {
    "email": (rf"^{EMAIL_ADDRESS.pattern}$", "an email address such as alice@example.com"),
    "from": (rf"^{EMAIL_ADDRESS.pattern}$", "an email address such as bpm@example.com"),
    "github": (r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$", "a GitHub login such as alice-gh"),
    "repo": (r"^[\w.-]+/[\w.-]+$", "owner/name, such as acme/ops"),
    "project": (r"^[A-Z][A-Z0-9_]{0,254}$", "a Jira project key such as OPS"),
}


def check_web_address(text: str) -> str | None:
    """Why `text` is not an http(s) address bpm can send requests to, or None when it is.

    THE check for every address a setting or an option gives ([tickets] api_url and site,
    --api-url, --site, the webhook): the pattern, and a host and port that urllib can read (`[::1` or
    `host:abc` pass the pattern but fail at the first request)."""
    from urllib.parse import urlsplit

    shape = "must be an http:// or https:// address"
    if not WEB_ADDRESS.fullmatch(text):
        return shape
    try:
        parts = urlsplit(text)
        port = parts.port  # a port past 65535 or not a number raises
    except ValueError:
        port = 0
    if port == 0:  # 0 reads as a port, and no server listens there
        return f"{shape} with a valid host and port"
    return None if parts.hostname else f"{shape} with a host"


def check_shape(name: str, text: str) -> str | None:
    """Why `text` is not a valid `name` setting (a key of `_SHAPES`: repo, project, email,
    ...), or None when it is; shared by the config and the options that override it."""
    pattern, shape = _SHAPES.get(name, (r"", ""))  # slack, jira: the service decides
    return None if re.match(pattern, text) else f"must be {shape}"


def check_tracker(value: object) -> str | None:
    """Why `value` is not a tracker bpm knows, or None when it is."""
    return None if value in TRACKERS else f"must be one of {list(TRACKERS)}"


def _table(check: _Checker, key: str, value: Any, known: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise check.fail(key, "must be a table")
    for name in value:
        if name not in known:
            raise check.fail(f"{key}.{name}", f"unknown key (it takes: {', '.join(known)})")
    return value


def _shaped(check: _Checker, key: str, value: Any) -> str | None:
    """A string setting with the shape `_SHAPES` names for its last part, or None if absent."""
    if value is None:
        return None
    text = check.text({key: value}, key, "")
    reason = check_shape(key.rsplit(".", 1)[-1], text)
    if reason is not None:
        raise check.fail(key, f"{reason}, got {_short(value)}")
    return text


def _server(check: _Checker, key: str, value: Any) -> str | None:
    """`HOST[:PORT]` as written (checked by `host_and_port`), or None if absent."""
    if value is None:
        return None
    text = check.text({key: value}, key, "")
    try:
        host_and_port(text)
    except ValueError as exc:
        raise check.fail(key, f"must be {exc}, got {_short(value)}") from None
    return text


def _url(check: _Checker, key: str, value: Any) -> str | None:
    """An http(s) address as written, or None when the key is absent."""
    if value is None:
        return None
    text = value if isinstance(value, str) else ""  # not a string: fails as "" does
    reason = check_web_address(text)
    if reason is not None:
        raise check.fail(key, f"{reason}, got {_short(value)}")
    return text


def _base_url(check: _Checker, key: str, value: Any) -> str | None:
    """An address that paths are appended to: without its trailing `/`."""
    url = _url(check, key, value)
    return url.rstrip("/") if url is not None else None


def _owners(check: _Checker, value: Any) -> dict[str, Owner]:
    """`[owners.alice]` / `[owners."@payments-team"]`: email, slack, github, jira."""
    if not isinstance(value, dict):
        raise check.fail("owners", 'must be a table such as [owners.alice] email = "..."')
    owners: dict[str, Owner] = {}
    for name, entry in value.items():
        key = f"owners.{name}"
        fields = _table(check, key, entry, _OWNER_KEYS)
        owners[name] = Owner(**{f: _shaped(check, f"{key}.{f}", v) for f, v in fields.items()})
    return owners


def _remind(check: _Checker, value: Any) -> RemindSettings:
    given = _table(check, "remind", value, _REMIND_KEYS)
    ssl = given.get("ssl", False)
    if not isinstance(ssl, bool):
        raise check.fail("remind.ssl", f"must be true or false, got {_short(ssl)}")
    return RemindSettings(
        smtp=_server(check, "remind.smtp", given.get("smtp")),
        sender=_shaped(check, "remind.from", given.get("from")),
        ssl=ssl,
        within_days=check.positive_int("remind.within_days", given.get("within_days", 7)),
        escalate_after_days=check.positive_int(
            "remind.escalate_after_days", given.get("escalate_after_days", 14)
        ),
    )


def _tickets(check: _Checker, value: Any) -> TicketSettings:
    given = _table(check, "tickets", value, _TICKET_KEYS)
    tracker = given.get("tracker")
    reason = None if tracker is None else check_tracker(tracker)
    if reason is not None:
        raise check.fail("tickets.tracker", f"{reason}, got {_short(tracker)}")
    return TicketSettings(
        tracker=tracker,
        repo=_shaped(check, "tickets.repo", given.get("repo")),
        api_url=_base_url(check, "tickets.api_url", given.get("api_url")),
        site=_base_url(check, "tickets.site", given.get("site")),
        project=_shaped(check, "tickets.project", given.get("project")),
    )
