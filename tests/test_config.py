from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bpmcli import config
from bpmcli.errors import ConfigError
from conftest import Ran, Repo

Bpm = Callable[..., Ran]


def test_defaults_without_a_config_file(repo: Repo) -> None:
    found = config.load(repo.path)
    assert found.source is None
    assert found.root == repo.path
    assert found.dir == "postmortems"
    assert found.timezone == "UTC"
    assert found.review_sla_days == 5
    assert found.severities == ("SEV1", "SEV2", "SEV3", "SEV4")
    assert dict(found.action_due_days) == {"SEV1": 15, "SEV2": 30, "SEV3": 60, "SEV4": 90}
    assert found.required_sections[0] == "Summary"
    assert found.templates_dir == ".bpm/templates"


def test_every_key_of_the_format_is_read(repo: Repo) -> None:
    repo.write(
        ".bpm.toml",
        """
dir = "docs/pm"
timezone = "Europe/Berlin"
review_sla_days = 10
severities = ["P1", "P2"]
required_sections = ["Summary", "Timeline"]
templates_dir = "tpl"
vague_verbs = ["tweak"]
allowed_verbs = ["backfill", "rate-limit"]

[action_due_days]
P1 = 7

[rules]
BPM106 = "off"
BPM302 = "error"

[rules.BPM103]
vague_verbs = ["investigate"]
""",
    )
    found = config.load(repo.path)
    assert found.postmortem_dir == repo.path / "docs/pm"
    assert found.timezone == "Europe/Berlin"
    assert found.time_header == "Time (Europe/Berlin)"
    assert found.review_sla_days == 10
    assert found.severities == ("P1", "P2")
    assert dict(found.action_due_days) == {"P1": 7}
    assert found.required_sections == ("Summary", "Timeline")
    assert found.template_dir == repo.path / "tpl"
    assert found.vague_verbs == ("tweak",)
    assert found.allowed_verbs == ("backfill", "rate-limit")
    assert found.rules["BPM106"].severity == "off"
    assert found.rules["BPM302"].severity == "error"
    assert found.rules["BPM103"].options == {"vague_verbs": ["investigate"]}


def test_found_by_walking_up_to_the_repository_root(repo: Repo) -> None:
    repo.write(".bpm.toml", 'dir = "incidents"\n')
    deep = repo.path / "a" / "b"
    deep.mkdir(parents=True)
    found = config.load(deep)
    assert found.source == repo.path / ".bpm.toml"
    assert found.postmortem_dir == repo.path / "incidents"


def test_a_config_above_the_repository_root_is_not_used(tmp_path: Path, make_repo: object) -> None:
    (tmp_path / ".bpm.toml").write_text('dir = "elsewhere"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / ".git").mkdir()
    assert config.load(inner).source is None


def test_pyproject_tool_bpm_is_read(repo: Repo) -> None:
    repo.write("pyproject.toml", '[project]\nname = "x"\n\n[tool.bpm]\nreview_sla_days = 3\n')
    found = config.load(repo.path)
    assert found.source == repo.path / "pyproject.toml"
    assert found.review_sla_days == 3


def test_pyproject_without_tool_bpm_is_skipped(repo: Repo) -> None:
    repo.write("pyproject.toml", '[project]\nname = "x"\n')
    assert config.load(repo.path).source is None


def test_dotfile_wins_over_pyproject_in_the_same_folder(repo: Repo) -> None:
    repo.write("pyproject.toml", "[tool.bpm]\nreview_sla_days = 3\n")
    repo.write(".bpm.toml", "review_sla_days = 9\n")
    assert config.load(repo.path).review_sla_days == 9


def test_nearest_config_wins(repo: Repo) -> None:
    repo.write(".bpm.toml", "review_sla_days = 9\n")
    repo.write("team/pyproject.toml", "[tool.bpm]\nreview_sla_days = 2\n")
    found = config.load(repo.path / "team")
    assert found.review_sla_days == 2
    assert found.root == repo.path / "team"


def test_follow_through_settings_are_read(repo: Repo) -> None:
    repo.write(
        ".bpm.toml",
        """
repo_url = "https://github.com/acme/ops/blob/main/"

[owners.alice]
email = "alice@example.com"
github = "alice-gh"

[owners."@payments-team"]
slack = "#payments"

[remind]
smtp = "localhost:2525"
from = "bpm@example.com"

[tickets]
tracker = "jira"
site = "https://acme.atlassian.net"
project = "OPS"
""",
    )
    found = config.load(repo.path)
    assert found.repo_url == "https://github.com/acme/ops/blob/main"
    assert found.owners == {
        "alice": config.Owner(email="alice@example.com", github="alice-gh"),
        "@payments-team": config.Owner(slack="#payments"),
    }
    assert found.remind == config.RemindSettings(smtp="localhost:2525", sender="bpm@example.com")
    assert found.remind.within_days == 7 and found.remind.escalate_after_days == 14
    assert found.tickets == config.TicketSettings(
        tracker="jira", site="https://acme.atlassian.net", project="OPS"
    )


# Values that passed validation and then crashed a command (#16): each is one line naming
# the key at load.
BAD_VALUES_AT_LOAD = [
    (
        "review_sla_days = 1000000000\n",
        1,
        "review_sla_days: must be a whole number of days from 0 to 3650",
    ),
    (
        "[action_due_days]\nSEV1 = 100000000\n",
        2,
        "action_due_days.SEV1: must be a whole number of days from 0 to 3650",
    ),
    ("severities = []\n", 1, "severities: must name at least one value"),
    ('severities = ["SEV1", "SEV1"]\n', 1, "severities: names 'SEV1' twice"),
    ("vague_verbs = 5\n", 1, "vague_verbs: must be a list of non-empty strings, got 5"),
    (
        "[rules.BPM103]\nvague_verbs = 5\n",
        2,
        "rules.BPM103.vague_verbs: must be a list of non-empty strings",
    ),
    ('[rules.BPM103]\nvague_verbs = ["", "x"]\n', 2, "rules.BPM103.vague_verbs: must be a list"),
    (
        "[rules.BPM103]\nverbs = 1\n",
        2,
        "rules.BPM103.verbs: unknown option of BPM103 (it takes: vague_verbs)",
    ),
    (
        "[rules.BPM106]\nx = 1\n",
        2,
        "rules.BPM106.x: unknown option of BPM106 (it takes: none but severity)",
    ),
    ('dir = "a\\u0000b"\n', 1, "dir: must not hold control characters"),
    (
        'required_sections = ["Time\\nline"]\n',
        1,
        "required_sections: must be a list of non-empty strings",
    ),
    # links the site and terminals open: only the web, and only with the ticket in them
    ('ticket_url = "https://tracker.example/browse/"\n', 1, "ticket_url: must hold {ticket}"),
    ('ticket_url = "javascript:alert({ticket})"\n', 1, "ticket_url: must be an http:// or"),
    ('ticket_url = "tracker.example/{ticket}"\n', 1, "ticket_url: must be an http:// or"),
    ('ticket_url = "https:///{ticket}"\n', 1, "ticket_url: must be an http:// or https://"),
    ('ticket_url = "https://x.example/a b/{ticket}"\n', 1, "ticket_url: must be an http://"),
    ('ticket_url = "https://x.example/\\u001b]8;{ticket}"\n', 1, "ticket_url: must be an"),
    ("ticket_url = 5\n", 1, "ticket_url: must be an http:// or https:// address, got 5"),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD_VALUES_AT_LOAD)
def test_bad_values_are_one_line_and_exit_2_in_every_command(
    bpm: Bpm, repo: Repo, text: str, line: int, words: str
) -> None:
    repo.write(".bpm.toml", text)
    for command in (
        ["lint"],
        ["new", "incident", "T", "--severity", "SEV1"],
        ["report", "overdue"],
    ):
        ran = bpm(*command)
        assert ran.exit_code == 2, (command, ran.stderr)
        assert ran.stderr.startswith(f"error: .bpm.toml:{line}: {words}"), ran.stderr
        assert ran.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('dir = "pm"\ndirr = "x"\n', 2, "dirr: unknown key (did you mean 'dir'?)"),
        ('review_sla_days = "five"\n', 1, "review_sla_days: must be a whole number"),
        ("review_sla_days = -1\n", 1, "review_sla_days: must be a whole number"),
        ('timezone = "Mars/Olympus_Mons"\n', 1, "timezone: unknown time zone 'Mars/Olympus_Mons'"),
        ('severities = "SEV1"\n', 1, "severities: must be a list of non-empty strings"),
        ('dir = "/etc"\n', 1, "dir: must be a folder inside the project"),
        ('templates_dir = "../../x"\n', 1, "templates_dir: must be a folder inside the project"),
        ("[action_due_days]\nSEV9 = 3\n", 2, "action_due_days.SEV9: 'SEV9' is not one of"),
        ('[action_due_days]\nSEV1 = "soon"\n', 2, "action_due_days.SEV1: must be a whole number"),
        ('[rules]\nBPM106 = "loud"\n', 2, "rules.BPM106: severity must be one of"),
        ('[rules]\nE501 = "off"\n', 2, "rules.E501: is not a rule code"),
        ('dir = "pm"\nreview_sla_days = \n', 2, "invalid TOML"),
        ('[owners.bob]\nemail = "bob"\n', 2, "owners.bob.email: must be an email address"),
        ('[owners.bob]\nfax = "1"\n', 2, "owners.bob.fax: unknown key (it takes: email, slack"),
        ('[remind]\nsmtp = "mail:70000"\n', 2, "remind.smtp: must be a port from 1 to 65535"),
        ('[remind]\nfrom = "x"\n', 2, "remind.from: must be an email address"),
        ('dir = "pm"\n[tickets]\ntracker = "gh"\n', 3, "tickets.tracker: must be one of"),
        ('repo_url = "ftp://x"\n', 1, "repo_url: must be an http:// or https:// address"),
        ('[tickets]\napi_url = "http://h:abc/"\n', 2, "tickets.api_url: must be an http://"),
        ('[tickets]\nsite = "http://[::1"\n', 2, "tickets.site: must be an http://"),
        *BAD_VALUES_AT_LOAD,
    ],
)
def test_bad_values_name_the_key_and_line(repo: Repo, text: str, line: int, words: str) -> None:
    repo.write(".bpm.toml", text)
    with pytest.raises(ConfigError) as caught:
        config.load(repo.path)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert caught.value.path == repo.path / ".bpm.toml"


def test_config_that_is_not_utf8_is_an_error(repo: Repo) -> None:
    repo.write(".bpm.toml", b"dir = '\xff\xfe'\n")
    with pytest.raises(ConfigError, match="is not UTF-8"):
        config.load(repo.path)


def test_config_that_is_a_folder_is_an_error(repo: Repo) -> None:
    (repo.path / ".bpm.toml").mkdir()
    with pytest.raises(ConfigError, match="cannot read"):
        config.load(repo.path)
