"""The JSON Schemas shipped in the package: what bpm writes validates, and they agree with the
config loader key by key, so the schema and the loader cannot drift apart."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from bpmcli import config as loader
from bpmcli.cli.schema import SCHEMA_FILES, schema_text
from bpmcli.errors import ConfigError
from bpmcli.format.frontmatter import split
from conftest import ROOT, Ran, Repo, bpm_process, git

Bpm = Callable[..., Ran]
NOT_SOURCE = (".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", "test-artifacts", "bench")


def validator(which: str) -> Draft7Validator:
    schema = json.loads(schema_text(which))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def problems(which: str, data: Any) -> list[str]:
    return [error.message for error in validator(which).iter_errors(data)]


class _AsAnEditorSees(yaml.SafeLoader):
    """YAML as an editor's YAML 1.2 reader sees it: a date or timestamp stays its text."""


_AsAnEditorSees.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def front_matter(text: str) -> Any:
    parts = split(text)
    assert parts is not None, "no front matter"
    return yaml.load(text[parts.yaml_start : parts.yaml_end], Loader=_AsAnEditorSees)


# --- shipped ----------------------------------------------------------------------------


def test_the_schemas_are_in_the_package_and_bpm_schema_prints_them(bpm: Bpm) -> None:
    package = Path(loader.__file__).parent / "schemas"
    assert sorted(SCHEMA_FILES.values()) == sorted(p.name for p in package.glob("*.json"))
    for which, name in SCHEMA_FILES.items():
        ran = bpm("schema", which)
        assert ran.exit_code == 0
        assert ran.stdout == (package / name).read_text(encoding="utf-8")
        Draft7Validator.check_schema(json.loads(ran.stdout))
    assert bpm("schema", "nothing").exit_code == 2


def test_the_wheel_ships_the_schemas(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: the build must not leave files in the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", "dist", str(source)]
    built = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("bpmcli-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in SCHEMA_FILES.values():
        assert f"bpmcli/schemas/{name}" in names


# --- config -----------------------------------------------------------------------------


def test_every_key_the_loader_accepts_is_in_the_schema_and_no_other() -> None:
    properties = json.loads(schema_text("config"))["properties"]
    assert set(properties) == set(loader._KEYS)
    assert all(spec.get("description") for spec in properties.values())


def test_the_config_bpm_init_writes_validates_with_every_key_uncommented(
    bpm: Bpm, repo: Repo
) -> None:
    assert bpm("init").exit_code == 0
    written = (repo.path / ".bpm.toml").read_text(encoding="utf-8")
    assert problems("config", tomllib.loads(written)) == []
    uncommented = re.sub(r'^# (?=[\w]+ = |\s+")', "", written, flags=re.MULTILINE)
    table = tomllib.loads(uncommented)
    assert {"severities", "required_sections", "vague_verbs", "BPM106"} <= {
        *table,
        *table["rules"],
    }
    assert problems("config", table) == []
    (repo.path / ".bpm.toml").write_text(uncommented, encoding="utf-8")
    loader.load(repo.path)  # and the loader takes it too


EXAMPLE_CONFIG = """\
dir = "postmortems"
timezone = "UTC"
review_sla_days = 5
allowed_verbs = ["backfill", "rate-limit"]

[action_due_days]
SEV1 = 15
SEV2 = 30

[rules]
BPM106 = "off"
BPM302 = "error"

[rules.BPM103]
severity = "warning"
vague_verbs = ["look into"]
"""

FOLLOW_THROUGH = """\
repo_url = "https://github.com/acme/ops/blob/main"

[owners.alice]
email = "alice@example.com"
slack = "@alice"
github = "alice-gh"
jira = "5b10a2844c20165700ede21g"

[owners."@payments-team"]
email = "payments@example.com"

[remind]
smtp = "smtp.example.com:587"
from = "bpm@example.com"
ssl = false
within_days = 7
escalate_after_days = 14

[tickets]
tracker = "github"
repo = "acme/ops"
api_url = "https://github.example.com/api/v3"
site = "https://acme.atlassian.net"
project = "OPS"
"""

# Each case is a config the loader and the schema must judge alike: (name, toml, valid).
AGREEMENT = [
    ("the example", EXAMPLE_CONFIG, True),
    ("empty", "", True),
    ("unknown key", 'colour = "red"\n', False),
    ("misspelt key", "review_sla_day = 5\n", False),
    ("dir empty", 'dir = ""\n', False),
    ("dir blank", 'dir = "  "\n', False),
    ("dir absolute", 'dir = "/etc"\n', False),
    ("dir outside", 'dir = "../elsewhere"\n', False),
    ("dir inside with dots", 'dir = "docs/..hidden"\n', True),
    ("dir nested", 'dir = "docs/postmortems"\n', True),
    ("dir not text", "dir = 3\n", False),
    ("templates_dir outside", 'templates_dir = "a/../../b"\n', False),
    ("timezone empty", 'timezone = ""\n', False),
    ("sla negative", "review_sla_days = -1\n", False),
    ("sla zero", "review_sla_days = 0\n", True),
    ("sla boolean", "review_sla_days = true\n", False),
    ("sla float", "review_sla_days = 2.5\n", False),
    ("severities text", 'severities = "SEV1"\n', False),
    ("severities blank item", 'severities = ["SEV1", " "]\n', False),
    ("severities own", 'severities = ["P1", "P2"]\n', True),
    ("sections numbers", "required_sections = [1, 2]\n", False),
    ("vague verbs", 'vague_verbs = ["tackle"]\n', True),
    ("allowed verbs not list", 'allowed_verbs = "dedupe"\n', False),
    ("due days not table", "action_due_days = 5\n", False),
    ("due days negative", "[action_due_days]\nSEV1 = -3\n", False),
    ("due days text", '[action_due_days]\nSEV1 = "soon"\n', False),
    ("rules not table", 'rules = "off"\n', False),
    ("rule code bad", '[rules]\nBPM1 = "off"\n', False),
    ("rule name not code", '[rules]\nvague-action = "off"\n', False),
    ("rule severity bad", '[rules]\nBPM106 = "fatal"\n', False),
    ("rule table severity bad", '[rules.BPM106]\nseverity = "loud"\n', False),
    ("rule table options only", "[rules.BPM103]\nvague_verbs = []\n", True),
    ("rule number", "[rules]\nBPM106 = 1\n", False),
    ("ticket url", 'ticket_url = "https://tracker.example/browse/{ticket}"\n', True),
    ("ticket url query", 'ticket_url = "http://t.example/?q={ticket}&x=1"\n', True),
    ("ticket url no placeholder", 'ticket_url = "https://tracker.example/"\n', False),
    ("ticket url not web", 'ticket_url = "file:///tmp/{ticket}"\n', False),
    ("ticket url no host", 'ticket_url = "https:///{ticket}"\n', False),
    ("ticket url space", 'ticket_url = "https://t.example/a b/{ticket}"\n', False),
    ("ticket url escape", 'ticket_url = "https://t.example/\\u001b{ticket}"\n', False),
    ("ticket url not text", "ticket_url = 1\n", False),
    ("follow-through", FOLLOW_THROUGH, True),
    ("repo_url not a URL", 'repo_url = "github.com/acme/ops"\n', False),
    ("owners not table", 'owners = "alice"\n', False),
    ("owner unknown key", '[owners.alice]\nphone = "555"\n', False),
    ("owner email bad", '[owners.alice]\nemail = "alice at example"\n', False),
    ("owner github bad", '[owners.alice]\ngithub = "-alice"\n', False),
    ("owner team handle", '[owners."@payments-team"]\nemail = "pay@example.com"\n', True),
    ("remind unknown key", '[remind]\nwebhook = "https://hooks.example"\n', False),
    ("remind smtp bad", '[remind]\nsmtp = "smtp.example.com:port"\n', False),
    ("remind smtp IPv6", '[remind]\nsmtp = "[::1]:25"\n', True),
    ("remind smtp IPv6 open", '[remind]\nsmtp = "[::1:25"\n', False),
    ("remind ssl text", '[remind]\nssl = "yes"\n', False),
    ("remind days negative", "[remind]\nwithin_days = -1\n", False),
    ("tickets tracker bad", '[tickets]\ntracker = "trello"\n', False),
    ("tickets repo bad", '[tickets]\nrepo = "acme"\n', False),
    ("tickets project lower", '[tickets]\nproject = "ops"\n', False),
    ("tickets site not URL", '[tickets]\nsite = "acme.atlassian.net"\n', False),
]


@pytest.mark.parametrize(
    ("text", "valid"), [c[1:] for c in AGREEMENT], ids=[c[0] for c in AGREEMENT]
)
def test_the_schema_judges_a_config_as_the_loader_does(repo: Repo, text: str, valid: bool) -> None:
    (repo.path / ".bpm.toml").write_text(text, encoding="utf-8")
    try:
        loader.load(repo.path)
        loaded = True
    except ConfigError:
        loaded = False
    assert loaded is valid, "the case itself is wrong: the loader disagrees"
    assert (problems("config", tomllib.loads(text)) == []) is valid


# --- front matter -----------------------------------------------------------------------


def postmortems(folder: Path) -> list[Path]:
    return sorted((folder / "postmortems").rglob("*.md"))


@pytest.mark.parametrize(
    ("args", "config"),
    [
        (("incident", "Checkout outage"), ""),
        (
            (
                "incident",
                'Quotes "and": colons\\ and # hashes',
                "--started",
                "2026-11-20 14:03",
                "--severity",
                "SEV1",
                "--facilitator",
                "alice",
                "--service",
                "checkout",
                "--service",
                "payments",
            ),
            "",
        ),
        (("near-miss", "Expired cert caught by canary"), ""),
        (
            ("incident", "Berlin in winter", "--started", "2026-01-10 09:00"),
            'timezone = "Europe/Berlin"\n',
        ),
        (("incident", "Straße nach Łódź"), ""),
    ],
    ids=["defaults", "every option", "near-miss", "offset", "non-ascii"],
)
def test_every_front_matter_bpm_new_writes_validates(
    bpm: Bpm, repo: Repo, args: tuple[str, ...], config: str
) -> None:
    (repo.path / ".bpm.toml").write_text(config, encoding="utf-8")
    made = bpm("new", *args)
    assert made.exit_code == 0, made.stderr
    (path,) = postmortems(repo.path)
    assert problems("frontmatter", front_matter(path.read_text(encoding="utf-8"))) == []


def test_front_matter_after_action_add_done_and_drop_validates(bpm: Bpm, repo: Repo) -> None:
    assert bpm("new", "incident", "Resolver cache", "--started", "2026-11-20 09:30").exit_code == 0
    (path,) = postmortems(repo.path)
    pm = path.stem
    steps = [
        ("action", "add", pm, "Make the resolver spread expiry times", "--owner", "bob",
         "--due", "2026-12-04", "--kind", "prevent", "--ticket", "OPS-1"),
        ("action", "add", pm, "Add an alert on upstream lookups", "--owner", "@sre",
         "--kind", "detect"),
        ("action", "add", pm, "Write the cache runbook", "--owner", "alice", "--kind", "process"),
        ("action", "done", pm, "A1"),
        ("action", "drop", pm, "A3", "--reason", "The wiki page covers it"),
    ]  # fmt: skip
    for step in steps:
        ran = bpm(*step)
        assert ran.exit_code == 0, (step, ran.stderr)
        data = front_matter(path.read_text(encoding="utf-8"))
        assert problems("frontmatter", data) == [], step
    statuses = [item["status"] for item in data["actions"]]
    assert statuses == ["done", "open", "dropped"]


def test_every_version_of_every_demo_postmortem_validates(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    assert bpm_process("demo", str(target), cwd=tmp_path).returncode == 0
    checked = 0
    for commit in git(target, "rev-list", "HEAD").split():
        listed = git(target, "ls-tree", "-r", "--name-only", commit, "postmortems")
        for name in (n for n in listed.split() if n.endswith(".md")):
            text = git(target, "show", f"{commit}:{name}")
            assert problems("frontmatter", front_matter(text)) == [], (commit, name)
            checked += 1
    assert checked >= 5


BROKEN_FRONT_MATTER = [
    ("no actions", {"actions": None}),
    ("status unknown", {"status": "finished"}),
    ("started without offset", {"started": "2026-11-20T14:03:00"}),
    ("started a date", {"started": "2026-11-20"}),
    ("review_by a timestamp", {"review_by": "2026-11-25T10:00:00Z"}),
    ("review_by words", {"review_by": "next week"}),
    ("title two lines", {"title": "One\nTwo"}),
    ("services text", {"services": "checkout"}),
    ("action without owner", {"actions": [{"id": "A1", "action": "Fix", "due": "2026-12-01", "kind": "prevent", "status": "open"}]}),
    ("action kind unknown", {"actions": [{"id": "A1", "action": "Fix", "owner": "bob", "due": "2026-12-01", "kind": "hope", "status": "open"}]}),
    ("dropped without reason", {"actions": [{"id": "A1", "action": "Fix", "owner": "bob", "due": "2026-12-01", "kind": "prevent", "status": "dropped"}]}),
]  # fmt: skip

GOOD_FRONT_MATTER = {
    "id": "2026-11-20-checkout-outage",
    "title": "Checkout outage",
    "kind": "incident",
    "status": "draft",
    "severity": "SEV2",
    "started": "2026-11-20T14:03:00Z",
    "review_by": "2026-11-25",
    "actions": [],
    "x-team-field": "unknown keys are kept, so allowed",
}


@pytest.mark.parametrize(
    "change", [c[1] for c in BROKEN_FRONT_MATTER], ids=[c[0] for c in BROKEN_FRONT_MATTER]
)
def test_the_front_matter_schema_rejects_what_lint_rejects(
    bpm: Bpm, repo: Repo, change: dict[str, Any]
) -> None:
    assert problems("frontmatter", GOOD_FRONT_MATTER) == []
    assert lint_front_matter(bpm, repo, GOOD_FRONT_MATTER).exit_code == 0
    data = {k: v for k, v in {**GOOD_FRONT_MATTER, **change}.items() if v is not None}
    assert problems("frontmatter", data) != []
    # and bpm lint says so too: the schema asks for nothing that lint does not
    ran = lint_front_matter(bpm, repo, data)
    assert ran.exit_code == 1, ran.stdout


def lint_front_matter(bpm: Bpm, repo: Repo, data: dict[str, Any]) -> Ran:
    """Lint a file with this front matter (JSON is YAML; dates and timestamps left bare)."""
    bare = re.sub(r'"([0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:]+Z?)?)"', r"\1", json.dumps(data))
    path = "postmortems/2026/2026-11-20-checkout-outage.md"
    repo.write(path, f"---\n{bare}\n---\n# Checkout outage\n")
    return bpm("lint", "--format", "json", "--no-cache", "--select", "BPM0,BPM1", path)
