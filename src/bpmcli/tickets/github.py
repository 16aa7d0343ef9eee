"""GitHub Issues over the REST API (version 2022-11-28), as docs.github.com documents it.

- list: `GET /repos/{o}/{r}/issues?state=all&labels=postmortem&per_page=100`, following the
  `Link` header; the list holds pull requests too (they carry a `pull_request` key): they
  are never taken for bpm's tickets;
- one issue: `GET /repos/{o}/{r}/issues/{n}` (404, or 410 for a deleted issue: gone);
- create: `POST /repos/{o}/{r}/issues` (title, body, labels, assignees);
- close / reopen: `PATCH /repos/{o}/{r}/issues/{n}` with `state` and `state_reason`
  (`completed`, `not_planned`, `reopened`);
- comment: `POST /repos/{o}/{r}/issues/{n}/comments`.

GitHub issues have no due date: the due date is in the body's text, for people, and bpm
neither compares nor sets it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bpmcli.net.http import Client, NetError
from bpmcli.tickets.tracker import LABEL, NewTicket, Ticket, description_lines, last_marker

PUBLIC_API = "https://api.github.com"
_REF = re.compile(r"^(?:([\w.-]+/[\w.-]+))?#(\d+)$")
_URL = re.compile(r"^https?://[^/\s]+/([\w.-]+/[\w.-]+)/issues/(\d+)/?$")
_HIDDEN = re.compile(r"<!-- bpm: ([^\s/<>]+/[^\s/<>]+) -->")  # the marker, as bpm hides it


class GitHub:
    name = "github"
    has_due = False

    def __init__(self, repo: str, token: str, api_url: str | None = None, **client: Any) -> None:
        self.repo = repo
        self.client = Client(
            api_url or PUBLIC_API,
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            },
            **client,
        )

    @property
    def requests(self) -> int:
        return self.client.requests

    def reference(self, text: str) -> str | None:
        found = _REF.match(text.strip()) or _URL.match(text.strip())
        if not found:
            return None
        return f"{found.group(1) or self.repo}#{int(found.group(2))}"

    def tickets(self) -> dict[str, Ticket]:
        params = {"state": "all", "labels": LABEL, "per_page": 100}
        found: dict[str, Ticket] = {}
        for page in self.client.pages(f"repos/{self.repo}/issues", params):
            items = page.json()
            if not isinstance(items, list):
                raise NetError(f"GET {page.url}: the answer is not a list of issues")
            for item in items:
                if isinstance(item, dict) and "pull_request" not in item:
                    ticket = self._ticket(self.repo, item)
                    found[ticket.ref] = ticket
        return found

    def fetch(self, ref: str) -> Ticket | None:
        repo, number = self._split(ref)
        answer = self.client.get(f"repos/{repo}/issues/{number}", accept=(404, 410))
        if answer.status in (404, 410):
            return None
        return self._ticket(repo, answer.json())

    def create(self, new: NewTicket) -> Ticket:
        note = " (GitHub issues have no due date: bpm keeps it in the postmortem)"
        body = "\n".join(description_lines(new, note)) + f"\n\n<!-- bpm: {new.marker} -->\n"
        payload: dict[str, Any] = {
            "title": new.title,
            "body": body,
            "labels": [LABEL, *([new.kind] if new.kind else [])],
        }
        if new.assignee:
            payload["assignees"] = [new.assignee]
        answer = self.client.request("POST", f"repos/{self.repo}/issues", body=payload)
        return self._ticket(self.repo, answer.json())

    def close(self, ref: str, dropped: bool) -> None:
        reason = "not_planned" if dropped else "completed"
        self._patch(ref, {"state": "closed", "state_reason": reason})

    def reopen(self, ref: str) -> None:
        self._patch(ref, {"state": "open", "state_reason": "reopened"})

    def comment(self, ref: str, text: str) -> None:
        repo, number = self._split(ref)
        self.client.request("POST", f"repos/{repo}/issues/{number}/comments", body={"body": text})

    def set_due(self, ref: str, due: dt.date | None) -> None:
        raise NotImplementedError("GitHub issues have no due date")  # has_due is False

    def _patch(self, ref: str, fields: dict[str, str]) -> None:
        repo, number = self._split(ref)
        self.client.request("PATCH", f"repos/{repo}/issues/{number}", body=fields)

    def _split(self, ref: str) -> tuple[str, int]:
        repo, _, number = ref.rpartition("#")
        return repo, int(number)

    def _ticket(self, repo: str, item: Any) -> Ticket:
        if not isinstance(item, dict) or not isinstance(item.get("number"), int):
            raise NetError(f"GitHub answered an issue of {repo} without a number")
        body = item.get("body") if isinstance(item.get("body"), str) else ""
        closed = _day(item.get("closed_at")) if item.get("state") == "closed" else None
        return Ticket(
            ref=f"{repo}#{item['number']}",
            open=item.get("state") != "closed",
            url=str(item.get("html_url") or ""),
            marker=last_marker(body or "", _HIDDEN),
            closed=closed,
            not_planned=item.get("state_reason") == "not_planned",
        )


def _day(value: Any) -> dt.date | None:
    """The UTC day of an ISO 8601 timestamp such as 2026-11-20T14:03:00Z."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
