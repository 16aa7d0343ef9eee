"""Local servers that implement the tracker endpoints bpm uses, as their docs describe them.

Real HTTP on 127.0.0.1 (http.server in a thread), state kept in memory, every request
recorded, and faults scripted per endpoint: `fail("POST", r"/issues$", 500, times=1)`.
GitHub: docs.github.com/rest/issues (list with Link pages, get, create, update, comments).
Jira Cloud: developer.atlassian.com REST v3 (search/jql with nextPageToken, issue,
transitions, comment).
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, dict[str, str], Any]


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    headers: dict[str, str]
    times: int
    body: Any = None


@dataclass
class Fake:
    """The shared part: recording, faults, the HTTP plumbing; subclasses answer."""

    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    skip: dict[int, int] = field(
        default_factory=dict
    )  # fault -> matching requests let through first

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        after: int = 0,
        body: Any = None,
    ) -> None:
        """The next `times` requests matching (after `after` that succeed) answer `status`."""
        self.faults.append(Fault(method, re.compile(path), status, headers or {}, times, body))
        self.skip[id(self.faults[-1])] = after

    def requests(self, method: str | None = None, path: str = "") -> list[Seen]:
        return [
            s
            for s in self.seen
            if (method is None or s.method == method) and re.search(path, s.path)
        ]

    def serve(
        self, method: str, path: str, query: dict[str, str], body: Any, headers: Any
    ) -> Answer:
        with self.lock:
            self.seen.append(
                Seen(method, path, query, body, {k.lower(): v for k, v in headers.items()})
            )
            for fault in self.faults:
                if fault.times and fault.method == method and fault.path.search(path):
                    if self.skip.get(id(fault), 0):
                        self.skip[id(fault)] -= 1
                        continue
                    fault.times -= 1
                    return fault.status, fault.headers, fault.body or {"message": "scripted"}
            if not self.authorised(headers.get("Authorization", "")):
                return 401, {}, {"message": "Bad credentials"}
            return self.answer(method, path, query, body)

    def authorised(self, header: str) -> bool:
        raise NotImplementedError

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        raise NotImplementedError


class GitHubFake(Fake):
    def __init__(self, repo: str = "acme/ops", token: str = "gh-test-token") -> None:
        super().__init__()
        self.repo = repo
        self.token = token
        self.issues: dict[int, dict[str, Any]] = {}
        self.comments: dict[int, list[str]] = {}
        self.next_number = 1

    def authorised(self, header: str) -> bool:
        return header == f"Bearer {self.token}"

    def add(
        self,
        title: str,
        *,
        body: str = "",
        labels: tuple[str, ...] = ("postmortem",),
        state: str = "open",
        pull_request: bool = False,
        state_reason: str | None = None,
        closed_at: str | None = None,
    ) -> int:
        number = self.next_number
        self.next_number += 1
        issue: dict[str, Any] = {
            "number": number,
            "title": title,
            "body": body,
            "labels": [{"name": n} for n in labels],
            "state": state,
            "state_reason": state_reason,
            "closed_at": closed_at if state == "closed" else None,
            "html_url": f"https://github.example/{self.repo}/issues/{number}",
            "assignees": [],
        }
        if pull_request:
            issue["pull_request"] = {"url": "https://github.example/pull"}
        self.issues[number] = issue
        return number

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        base = f"/repos/{self.repo}/issues"
        one = re.fullmatch(re.escape(base) + r"/(\d+)", path)
        comments = re.fullmatch(re.escape(base) + r"/(\d+)/comments", path)
        if path == base and method == "GET":
            return self.list(query)
        if path == base and method == "POST":
            number = self.add(
                body["title"], body=body.get("body", ""), labels=tuple(body.get("labels", ()))
            )
            self.issues[number]["assignees"] = [{"login": a} for a in body.get("assignees", [])]
            return 201, {}, self.issues[number]
        if one and int(one[1]) in self.issues:
            issue = self.issues[int(one[1])]
            if method == "GET":
                return 200, {}, issue
            if method == "PATCH":
                issue.update({k: v for k, v in body.items() if k in ("state", "state_reason")})
                issue["closed_at"] = "2026-11-22T10:00:00Z" if issue["state"] == "closed" else None
                return 200, {}, issue
        if comments and method == "POST" and int(comments[1]) in self.issues:
            self.comments.setdefault(int(comments[1]), []).append(body["body"])
            return 201, {}, {"id": 1, "body": body["body"]}
        return 404, {}, {"message": "Not Found"}

    def list(self, query: dict[str, str]) -> Answer:
        wanted = query.get("labels")
        state = query.get("state", "open")
        per_page = min(int(query.get("per_page", 30)), 100)
        page = int(query.get("page", 1))
        chosen = [
            i
            for _, i in sorted(self.issues.items(), reverse=True)
            if (state == "all" or i["state"] == state)
            and (not wanted or wanted in {label["name"] for label in i["labels"]})
        ]
        start = (page - 1) * per_page
        headers = {}
        if start + per_page < len(chosen):
            rest = "&".join(f"{k}={v}" for k, v in query.items() if k != "page")
            headers["Link"] = (
                f'<{self.url}/repos/{self.repo}/issues?{rest}&page={page + 1}>; rel="next", '
                f'<{self.url}/repos/{self.repo}/issues?{rest}&page=99>; rel="last"'
            )
        return 200, headers, chosen[start : start + per_page]


class JiraFake(Fake):
    PAGE = 50  # the enhanced search may send fewer than maxResults: bpm follows the token
    TRANSITIONS = (
        {"id": "11", "name": "To Do", "to": {"name": "To Do", "statusCategory": {"key": "new"}}},
        {
            "id": "21",
            "name": "In Progress",
            "to": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
        },
        {"id": "31", "name": "Done", "to": {"name": "Done", "statusCategory": {"key": "done"}}},
    )

    def __init__(
        self, project: str = "OPS", email: str = "bot@example.com", token: str = "jira-token"
    ) -> None:
        super().__init__()
        self.project = project
        self.credentials = base64.b64encode(f"{email}:{token}".encode()).decode()
        self.issues: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, list[Any]] = {}
        self.counter = 0

    def authorised(self, header: str) -> bool:
        return header == f"Basic {self.credentials}"

    def add(
        self,
        summary: str,
        *,
        description: Any = None,
        labels: tuple[str, ...] = ("postmortem",),
        category: str = "new",
        duedate: str | None = None,
    ) -> str:
        self.counter += 1
        key = f"{self.project}-{self.counter}"
        self.issues[key] = {
            "summary": summary,
            "description": description,
            "labels": list(labels),
            "status": {"name": category, "statusCategory": {"key": category}},
            "duedate": duedate,
            "resolutiondate": "2026-11-21T08:00:00.000+0000" if category == "done" else None,
        }
        return key

    def shape(self, key: str, fields: list[str]) -> dict[str, Any]:
        issue = self.issues[key]
        return {
            "id": key,
            "key": key,
            "self": f"{self.url}/rest/api/3/issue/{key}",
            "fields": {f: issue.get(f) for f in fields},
        }

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        one = re.fullmatch(r"/rest/api/3/issue/([A-Z]+-\d+)(/transitions|/comment)?", path)
        if path == "/rest/api/3/search/jql" and method == "POST":
            return self.search(body)
        if path == "/rest/api/3/issue" and method == "POST":
            fields = body["fields"]
            key = self.add(
                fields["summary"],
                description=fields.get("description"),
                labels=tuple(fields.get("labels", ())),
                duedate=fields.get("duedate"),
            )
            self.issues[key]["assignee"] = fields.get("assignee")
            return 201, {}, {"id": key, "key": key, "self": f"{self.url}/rest/api/3/issue/{key}"}
        if not one or one[1] not in self.issues:
            return (
                404,
                {},
                {
                    "errorMessages": [
                        "Issue does not exist or you do not have permission to see it."
                    ],
                    "errors": {},
                },
            )
        key, tail = one[1], one[2]
        issue = self.issues[key]
        if tail is None and method == "GET":
            return 200, {}, self.shape(key, query.get("fields", "status,duedate").split(","))
        if tail is None and method == "PUT":
            issue.update(body["fields"])
            return 204, {}, None
        if tail == "/transitions" and method == "GET":
            return 200, {}, {"transitions": list(self.TRANSITIONS)}
        if tail == "/transitions" and method == "POST":
            chosen = next(t for t in self.TRANSITIONS if t["id"] == body["transition"]["id"])
            issue["status"] = {
                "name": chosen["name"],
                "statusCategory": chosen["to"]["statusCategory"],
            }
            return 204, {}, None
        if tail == "/comment" and method == "POST":
            self.comments.setdefault(key, []).append(body["body"])
            return 201, {}, {"id": "1"}
        return 405, {}, {"errorMessages": ["method not allowed"]}

    def search(self, body: dict[str, Any]) -> Answer:
        jql = body["jql"]
        project = re.search(r'project = "([^"]+)"', jql)
        label = re.search(r'labels = "([^"]+)"', jql)
        keys = [
            k
            for k, i in self.issues.items()
            if (not project or k.startswith(project[1] + "-"))
            and (not label or label[1] in i["labels"])
        ]
        start = int(body.get("nextPageToken") or 0)
        size = min(int(body.get("maxResults", 50)), self.PAGE)
        page = keys[start : start + size]
        answer: dict[str, Any] = {"issues": [self.shape(k, body.get("fields", [])) for k in page]}
        if start + size < len(keys):
            answer["nextPageToken"] = str(start + size)
            answer["isLast"] = False
        else:
            answer["isLast"] = True
        return 200, {}, answer


def _handler(fake: Fake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _any(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            status, headers, payload = fake.serve(
                self.command, parts.path, query, body, self.headers
            )
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

    return Handler


@contextmanager
def running(fake: Fake) -> Iterator[Fake]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def gh_args(fake: GitHubFake) -> list[str]:
    return ["--tracker", "github", "--repo", fake.repo, "--api-url", fake.url]


def jira_args(fake: JiraFake) -> list[str]:
    return ["--tracker", "jira", "--site", fake.url, "--project", fake.project]
