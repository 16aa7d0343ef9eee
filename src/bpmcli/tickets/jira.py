"""Jira Cloud over its REST API v3, as developer.atlassian.com documents it.

- list: `POST /rest/api/3/search/jql` (the enhanced search; `/rest/api/3/search` was
  removed in 2025) with `jql`, `fields`, `maxResults` and the `nextPageToken` of the
  page before, until `isLast` (or no token);
- one issue: `GET /rest/api/3/issue/{key}` (404: gone);
- create: `POST /rest/api/3/issue` with `project.key`, `summary`, `issuetype` Task,
  `labels`, `assignee.accountId`, `duedate`, and the `description` in the Atlassian
  Document Format (ADF);
- close / reopen: `GET /rest/api/3/issue/{key}/transitions`, then `POST` the one that
  leads to a status of the category `done` (close) or out of it (reopen);
- due date: `PUT /rest/api/3/issue/{key}` with `fields.duedate`;
- comment: `POST /rest/api/3/issue/{key}/comment` (an ADF body).

ADF has no hidden text: the marker is the description's last paragraph, `bpm: <pm>/<A1>`.
Authentication is Basic: the account's email and an API token.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from bpmcli.net.http import Client, NetError
from bpmcli.tickets.tracker import LABEL, NewTicket, Ticket, description_lines, last_marker

FIELDS = ["status", "duedate", "description", "resolutiondate"]
PAGE = 100  # maxResults asked for; the server may send fewer, the token says if more
_KEY = re.compile(r"^([A-Z][A-Z0-9_]*-\d+)$")
_URL = re.compile(r"^https?://[^/\s]+/browse/([A-Z][A-Z0-9_]*-\d+)/?$")


class Jira:
    name = "jira"
    has_due = True

    def __init__(self, site: str, project: str, email: str, token: str, **client: Any) -> None:
        self.site = site.rstrip("/")
        self.project = project
        basic = base64.b64encode(f"{email}:{token}".encode()).decode("ascii")
        self.client = Client(
            self.site, {"Authorization": f"Basic {basic}", "Accept": "application/json"}, **client
        )

    @property
    def requests(self) -> int:
        return self.client.requests

    def reference(self, text: str) -> str | None:
        found = _KEY.match(text.strip()) or _URL.match(text.strip())
        return found.group(1) if found else None

    def tickets(self) -> dict[str, Ticket]:
        jql = f'project = "{self.project}" AND labels = "{LABEL}"'
        found: dict[str, Ticket] = {}
        for item in self._search(jql):
            ticket = self._ticket(item)
            found[ticket.ref] = ticket
        return found

    def _search(self, jql: str) -> Iterator[Any]:
        token: str | None = None
        while True:
            body: dict[str, Any] = {"jql": jql, "fields": FIELDS, "maxResults": PAGE}
            if token:
                body["nextPageToken"] = token
            # A POST that only reads: sent again after a 5xx like a GET.
            page = self.client.request("POST", "rest/api/3/search/jql", body=body, repeatable=True)
            data = page.json()
            if not isinstance(data, dict) or not isinstance(data.get("issues"), list):
                raise NetError(f"POST {self.site}/rest/api/3/search/jql: no issues in the answer")
            yield from data["issues"]
            token = data.get("nextPageToken")
            if data.get("isLast", not token) or not token:
                return

    def fetch(self, ref: str) -> Ticket | None:
        answer = self.client.get(
            f"rest/api/3/issue/{ref}", {"fields": ",".join(FIELDS)}, accept=(404,)
        )
        return None if answer.status == 404 else self._ticket(answer.json())

    def create(self, new: NewTicket) -> Ticket:
        fields: dict[str, Any] = {
            "project": {"key": self.project},
            "summary": new.title,
            "issuetype": {"name": "Task"},
            "labels": [LABEL, *([new.kind] if new.kind else [])],
            "description": adf([*description_lines(new), "", f"bpm: {new.marker}"]),
        }
        if new.assignee:
            fields["assignee"] = {"accountId": new.assignee}
        if new.due is not None:
            fields["duedate"] = new.due.isoformat()
        answer = self.client.request("POST", "rest/api/3/issue", body={"fields": fields})
        made = answer.json()
        if not isinstance(made, dict) or not isinstance(made.get("key"), str):
            raise NetError(f"POST {self.site}/rest/api/3/issue: no key in the answer")
        key = made["key"]
        return Ticket(key, True, f"{self.site}/browse/{key}", new.due, new.marker)

    def close(self, ref: str, dropped: bool) -> None:
        self._transition(ref, to_done=True)

    def reopen(self, ref: str) -> None:
        self._transition(ref, to_done=False)

    def comment(self, ref: str, text: str) -> None:
        self.client.request("POST", f"rest/api/3/issue/{ref}/comment", body={"body": adf([text])})

    def set_due(self, ref: str, due: dt.date | None) -> None:
        value = due.isoformat() if due else None
        self.client.request("PUT", f"rest/api/3/issue/{ref}", body={"fields": {"duedate": value}})

    def _transition(self, ref: str, to_done: bool) -> None:
        answer = self.client.get(f"rest/api/3/issue/{ref}/transitions")
        offered = (answer.json() or {}).get("transitions") or []
        chosen = _pick(offered, to_done)
        if chosen is None:
            names = ", ".join(str(t.get("name")) for t in offered if isinstance(t, dict)) or "none"
            goal = "to a done status" if to_done else "out of the done statuses"
            raise NetError(f"{ref}: no transition leads {goal} (offered: {names})")
        body = {"transition": {"id": str(chosen["id"])}}
        self.client.request("POST", f"rest/api/3/issue/{ref}/transitions", body=body)

    def _ticket(self, item: Any) -> Ticket:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise NetError(f"{self.site}: Jira answered an issue without a key")
        given = item.get("fields")
        fields: dict[str, Any] = given if isinstance(given, dict) else {}
        done = _category(fields.get("status")) == "done"
        return Ticket(
            ref=item["key"],
            open=not done,
            url=f"{self.site}/browse/{item['key']}",
            due=_date(fields.get("duedate")),
            marker=last_marker(" ".join(_texts(fields.get("description")))),
            closed=_date(str(fields.get("resolutiondate") or "")[:10]) if done else None,
        )


def _pick(offered: list[Any], to_done: bool) -> dict[str, Any] | None:
    """The transition to take: into the `done` category, or out of it (To Do first)."""
    ranked = []
    for transition in offered:
        if not isinstance(transition, dict) or "id" not in transition:
            continue
        category = _category(transition.get("to"))
        if to_done and category == "done":
            ranked.append((0, transition))
        elif not to_done and category not in ("done", None):
            ranked.append((0 if category == "new" else 1, transition))
    return min(ranked, key=lambda pair: pair[0])[1] if ranked else None


def _category(status: Any) -> str | None:
    if not isinstance(status, dict) or not isinstance(status.get("statusCategory"), dict):
        return None
    key = status["statusCategory"].get("key")
    return key if isinstance(key, str) else None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def adf(lines: list[str]) -> dict[str, Any]:
    """Lines as an ADF document: one paragraph per run of lines, an empty line between."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    content = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        inline: list[dict[str, Any]] = []
        for number, line in enumerate(paragraph):
            if number:
                inline.append({"type": "hardBreak"})
            inline.append({"type": "text", "text": line})
        content.append({"type": "paragraph", "content": inline})
    return {"type": "doc", "version": 1, "content": content}


def _texts(node: Any) -> Iterator[str]:
    """Every text of an ADF document (or a plain string, as Jira's v2 API answers)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        if isinstance(node.get("text"), str):
            yield node["text"]
        yield from _texts(node.get("content"))
    elif isinstance(node, list):
        for child in node:
            yield from _texts(child)
