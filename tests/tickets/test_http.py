"""net/http.py against a real local server: retries, rate limits, pages, one-line errors.

The sleep is a recorder, so the waits the client chooses are read, not waited for."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email.utils import formatdate

import pytest

from bpmcli.net.http import Client, NetError, links, retry_after, shown
from tickets.servers import GitHubFake, running

TOKEN = "gh-test-token"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubFake]:
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with running(GitHubFake()) as server:
        assert isinstance(server, GitHubFake)
        server.add("one")
        yield server


def client(url: str, slept: list[float], **kw: object) -> Client:
    return Client(url, {"Authorization": f"Bearer {TOKEN}"}, sleep=slept.append, **kw)  # type: ignore[arg-type]


ISSUE = "/repos/acme/ops/issues/1"


def test_a_5xx_is_retried_with_exponential_backoff(fake: GitHubFake) -> None:
    fake.fail("GET", ISSUE, 500, times=2)
    fake.fail("GET", ISSUE, 503, times=1)
    slept: list[float] = []
    answer = client(fake.url, slept).get(ISSUE)
    assert answer.status == 200 and answer.json()["number"] == 1
    assert slept == [1.0, 2.0, 4.0]
    assert len(fake.requests("GET", ISSUE)) == 4


def test_after_the_retries_one_line_names_method_url_and_status_never_the_token(
    fake: GitHubFake,
) -> None:
    fake.fail("GET", ISSUE, 502, times=10)
    slept: list[float] = []
    with pytest.raises(NetError) as failed:
        client(fake.url + "/?access_token=secret", slept, retries=2).get(ISSUE)
    message = str(failed.value)
    assert message == f"GET {fake.url}{ISSUE}: 502 Bad Gateway: scripted after 3 tries"
    assert "\n" not in message and TOKEN not in message and "secret" not in message
    assert failed.value.status == 502 and slept == [1.0, 2.0]


def test_a_post_is_sent_once_on_a_5xx_the_server_may_have_acted(fake: GitHubFake) -> None:
    fake.fail("POST", "/issues$", 500, times=1)
    slept: list[float] = []
    with pytest.raises(NetError, match=r"^POST .*/repos/acme/ops/issues: 500"):
        client(fake.url, slept).request("POST", "/repos/acme/ops/issues", body={"title": "x"})
    assert len(fake.requests("POST")) == 1 and slept == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000030"}, 31.0),
        ({}, 60.0),  # a 429 that says nothing: GitHub's "wait at least one minute"
    ],
    ids=["retry-after seconds", "github reset", "bare 429"],
)
def test_429_waits_as_the_server_asks(
    fake: GitHubFake, headers: dict[str, str], expected: float
) -> None:
    fake.fail("POST", "/comments$", 429, headers=headers)
    slept: list[float] = []
    made = client(fake.url, slept, clock=lambda: 1_000_000.0)
    answer = made.request("POST", ISSUE + "/comments", body={"body": "hi"})
    assert answer.status == 201 and slept == [expected]  # a refused POST is sent again
    assert fake.comments == {1: ["hi"]}


def test_retry_after_as_an_http_date() -> None:
    assert retry_after(formatdate(1_000_090, usegmt=True), 1_000_000.0) == 90.0
    assert retry_after("soon", 0.0) is None and retry_after(None, 0.0) is None


def test_a_403_rate_limit_is_waited_for_a_403_refusal_is_not(fake: GitHubFake) -> None:
    fake.fail("GET", ISSUE, 403, headers={"Retry-After": "3"})
    slept: list[float] = []
    assert client(fake.url, slept).get(ISSUE).status == 200 and slept == [3.0]
    fake.fail("GET", ISSUE, 403, body={"message": "Resource not accessible by integration"})
    with pytest.raises(NetError, match=r": 403 Forbidden: Resource not accessible by integration$"):
        client(fake.url, slept).get(ISSUE)
    assert slept == [3.0]


def test_a_wait_beyond_the_cap_fails_at_once_in_one_line(fake: GitHubFake) -> None:
    fake.fail("GET", ISSUE, 429, headers={"Retry-After": "3600"})
    slept: list[float] = []
    with pytest.raises(NetError) as failed:
        client(fake.url, slept, max_wait=60).get(ISSUE)
    assert str(failed.value).endswith(
        "429 rate limited; the server asks to wait 3600 s (more than 60 s): retry later"
    )
    assert slept == [] and len(fake.requests("GET", ISSUE)) == 1


def test_a_refused_connection_is_retried_then_one_line() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    slept: list[float] = []
    with pytest.raises(NetError, match=rf"^GET http://127.0.0.1:{port}/x: .*refused"):
        client(f"http://127.0.0.1:{port}", slept, retries=2).get("/x")
    assert slept == [1.0, 2.0]


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepts connections (the backlog), never answers
        port = silent.getsockname()[1]
        slept: list[float] = []
        with pytest.raises(NetError, match=r": timed out$"):
            client(f"http://127.0.0.1:{port}", slept, retries=0, timeout=0.2).get("/x")


def test_pages_follow_the_link_header(fake: GitHubFake) -> None:
    for n in range(2, 8):
        fake.add(f"issue {n}")
    slept: list[float] = []
    pages = list(client(fake.url, slept).pages("/repos/acme/ops/issues", {"per_page": 3}))
    assert [len(p.json()) for p in pages] == [3, 3, 1]
    assert [p.json()[0]["number"] for p in pages] == [7, 4, 1]


def test_links_reads_rfc_8288_headers() -> None:
    header = (
        '<https://api.example/x?page=2>; rel="next", <https://api.example/x?page=5>; rel="last"'
    )
    assert links(header) == {
        "next": "https://api.example/x?page=2",
        "last": "https://api.example/x?page=5",
    }
    assert links("") == {}


def test_a_redirect_to_another_host_never_carries_the_token(fake: GitHubFake) -> None:
    with running(GitHubFake()) as elsewhere:
        fake.fail("GET", "/moved$", 301, headers={"Location": elsewhere.url + ISSUE})
        fake.fail("GET", "/here$", 307, headers={"Location": fake.url + ISSUE})
        slept: list[float] = []
        assert client(fake.url, slept).get("/here").status == 200  # same host: still signed
        with pytest.raises(NetError, match=r": 401 Unauthorized: Bad credentials$"):
            client(fake.url, slept).get("/moved")
        (followed,) = elsewhere.seen
        assert followed.path == ISSUE and "authorization" not in followed.headers
        assert fake.requests("GET", ISSUE)[-1].headers["authorization"] == f"Bearer {TOKEN}"


def test_pages_never_follow_a_link_to_another_port(fake: GitHubFake) -> None:
    """The token rides on every page: a `Link` to another host or port is not followed."""
    with running(GitHubFake()) as elsewhere:
        link = f'<{elsewhere.url}/repos/acme/ops/issues?page=2>; rel="next"'
        fake.fail("GET", "/repos/acme/ops/issues$", 200, headers={"Link": link}, body=[{}])
        slept: list[float] = []
        pages = client(fake.url, slept).pages("/repos/acme/ops/issues")
        assert next(pages).json() == [{}]
        with pytest.raises(NetError) as failed:
            next(pages)
        assert str(failed.value) == (
            f"GET {fake.url}/repos/acme/ops/issues: the next page is on another host "
            f"({elsewhere.url}/repos/acme/ops/issues); not followed, it would carry the "
            "credentials"
        )
        assert elsewhere.seen == []


def test_a_header_value_urllib_refuses_is_one_line_without_the_value(fake: GitHubFake) -> None:
    secret = "ghp_SE\nCRET"
    with pytest.raises(NetError) as failed:
        Client(fake.url, {"Authorization": f"Bearer {secret}"}).get(ISSUE)
    message = str(failed.value)
    assert message == f"GET {fake.url}{ISSUE}: not sent, the URL or a header value is invalid"
    assert "SE" not in message and "CRET" not in message and fake.seen == []


def test_a_url_http_client_refuses_is_shown_without_its_query() -> None:
    """http.client's InvalidURL quotes the whole request line, the query's token in it."""
    with pytest.raises(NetError) as failed:
        client("http://127.0.0.1:9", [], retries=0).get("/x y", {"access_token": "secret"})
    assert str(failed.value) == "GET http://127.0.0.1:9/x y: InvalidURL"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://bot:s3cret@api.example:8443/repos/a/b?access_token=t0k",
            "https://api.example:8443/repos/a/b",
        ),
        ("http://127.0.0.1:5000/x#frag", "http://127.0.0.1:5000/x"),
        ("http://host:abc/x?t=1", "http://host:abc/x"),  # `.port` raises on it: not read
        ("http://[::1", "(an invalid URL)"),
    ],
)
def test_urls_in_errors_carry_no_credentials(url: str, expected: str) -> None:
    assert shown(url) == expected


def test_a_garbled_answer_is_retried_then_one_line() -> None:
    import threading

    with socket.socket() as garbler:
        garbler.bind(("127.0.0.1", 0))
        garbler.listen(8)
        port = garbler.getsockname()[1]

        def answer_garbage() -> None:
            for _ in range(3):
                connection, _ = garbler.accept()
                with connection:
                    connection.recv(65536)
                    connection.sendall(b"NOT-HTTP garbage\r\n\r\n")

        thread = threading.Thread(target=answer_garbage, daemon=True)
        thread.start()
        slept: list[float] = []
        with pytest.raises(NetError, match=rf"^GET http://127.0.0.1:{port}/x: BadStatusLine"):
            client(f"http://127.0.0.1:{port}", slept, retries=2).get("/x")
        thread.join(timeout=10)
    assert slept == [1.0, 2.0]
