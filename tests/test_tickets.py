"""An action's `ticket` as a link to the tracker (`ticket_url`, issue #17): in `bpm show`,
`bpm report overdue` (terminal hyperlinks, JSON and CSV) and the site's pages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bpmcli import config
from conftest import Ran, Repo, act, pm_text

Bpm = Callable[..., Ran]
PM_ID = "2026-01-05-checkout"
TRACKER = 'ticket_url = "https://tracker.example/browse/{ticket}"\n'
# the ticket as written -> where its link goes (percent-encoded: it cannot leave the path)
TICKETS = {
    "OPS-412": "https://tracker.example/browse/OPS-412",
    'A/B?x=1#"><script>': "https://tracker.example/browse/A%2FB%3Fx%3D1%23%22%3E%3Cscript%3E",
    "https://other.example/t/9": "https://other.example/t/9",  # an address is its own link
}
OSC8 = "\x1b]8;"


def _commit(repo: Repo, settings: str = TRACKER) -> None:
    actions = [
        act(f"A{n}", "2026-01-20") | {"ticket": json.dumps(t)} for n, t in enumerate(TICKETS, 1)
    ]
    actions.append(act(f"A{len(actions) + 1}", "2026-01-20"))  # no ticket: no link
    repo.commit(
        "add", {".bpm.toml": settings, f"postmortems/2026/{PM_ID}.md": pm_text(PM_ID, actions)}
    )


@pytest.mark.parametrize(("ticket", "url"), TICKETS.items())
def test_the_link_is_the_template_with_the_ticket_percent_encoded(
    repo: Repo, ticket: str, url: str
) -> None:
    repo.write(".bpm.toml", TRACKER)
    assert config.load(repo.path).ticket_link(ticket) == url


def test_without_ticket_url_only_an_address_is_a_link(repo: Repo) -> None:
    loaded = config.load(repo.path)
    assert loaded.ticket_url is None
    assert [loaded.ticket_link(t) for t in TICKETS] == [None, None, "https://other.example/t/9"]
    assert loaded.ticket_link(None) is None and loaded.ticket_link("") is None


def test_show_json_appends_ticket_url_to_each_action(bpm: Bpm, repo: Repo) -> None:
    _commit(repo)
    shown = json.loads(bpm("show", PM_ID, "--format", "json").stdout)
    for action in shown["actions"]:
        assert list(action)[-2:] == ["ticket", "ticket_url"]  # appended: old keys keep places
    assert [a["ticket_url"] for a in shown["actions"]] == [*TICKETS.values(), None]


def test_report_overdue_json_and_csv_append_ticket_url(bpm: Bpm, repo: Repo) -> None:
    _commit(repo)
    rows = json.loads(bpm("report", "overdue", "--format", "json", "--no-history").stdout)
    assert [row["ticket_url"] for row in rows] == [*TICKETS.values(), None]
    assert list(rows[0])[-2:] == ["ticket", "ticket_url"]
    table = bpm("report", "overdue", "--format", "csv", "--no-history").stdout
    read = list(csv.DictReader(io.StringIO(table)))
    assert table.splitlines()[0].endswith(",ticket,ticket_url")
    assert [row["ticket_url"] for row in read] == [*TICKETS.values(), ""]


@pytest.mark.parametrize("command", [["show", PM_ID], ["report", "overdue", "--no-history"]])
def test_a_terminal_shows_the_ticket_as_a_hyperlink(
    bpm: Bpm, repo: Repo, command: list[str]
) -> None:
    _commit(repo)
    wide = {"COLUMNS": "200"}
    coloured = bpm(*command, env=wide | {"FORCE_COLOR": "1"}).stdout
    for url in TICKETS.values():
        assert f";{url}\x1b\\" in coloured, url  # OSC 8: ESC ] 8 ; params ; URL ST
    assert coloured.count(OSC8) == 2 * len(TICKETS)  # each link opened and closed; no other
    assert "<script>" in coloured  # the label is the ticket as written
    piped = bpm(*command, env=wide).stdout
    assert OSC8 not in piped and "\x1b" not in piped and "OPS-412" in piped
    no_colour = bpm(*command, env=wide | {"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert OSC8 not in no_colour


def test_the_site_links_each_ticket_escaped_and_encoded(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    _commit(repo)
    out = tmp_path / "site"
    ran = bpm("site", str(out), "--as-of", "2026-03-31")
    assert ran.exit_code == 0, ran.stderr
    page = (out / "pm" / f"{PM_ID}.html").read_text()
    owners = (out / "owners.html").read_text()
    for html in (page, owners):
        assert '<a href="https://tracker.example/browse/OPS-412" rel="noopener">OPS-412</a>' in html
        assert (
            '<a href="https://tracker.example/browse/A%2FB%3Fx%3D1%23%22%3E%3Cscript%3E" '
            'rel="noopener">A/B?x=1#&#34;&gt;&lt;script&gt;</a>' in html
        )
        assert '"><script>' not in html  # the hostile ticket, escaped everywhere
        assert html.count('rel="noopener"') == len(TICKETS)


def test_the_site_shows_a_ticket_without_ticket_url_as_text(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    _commit(repo, settings="")
    out = tmp_path / "site"
    assert bpm("site", str(out), "--as-of", "2026-03-31").exit_code == 0
    page = (out / "pm" / f"{PM_ID}.html").read_text()
    assert '<span class="ticket">OPS-412</span>' in page
    assert page.count('rel="noopener"') == 1  # the address that is its own link
