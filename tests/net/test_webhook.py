"""net/webhook.py against a real local HTTP server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bpmcli.errors import SendError, UsageError
from bpmcli.net import webhook
from net.servers import Hook, free_port, webhook_server


def test_posts_json() -> None:
    hook = Hook()
    with webhook_server(hook) as url:
        webhook.post_json(url, {"text": "é & <x>"}, timeout=5)
    assert hook.posts == [{"text": "é & <x>"}]
    assert hook.types == ["application/json; charset=utf-8"]


def test_a_non_2xx_answer_fails_with_its_status_and_never_the_url() -> None:
    with (
        webhook_server(Hook(answer=lambda payload: 500)) as url,
        pytest.raises(SendError) as caught,
    ):
        webhook.post_json(url, {"text": "x"}, timeout=5)
    assert caught.value.message == "the webhook answered HTTP 500: no_service: try later"
    assert "secret-token" not in str(caught.value)


def test_a_redirect_is_not_followed() -> None:
    """urllib would repeat a 302'd POST as a GET: its 200 must not count as delivered."""

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(SendError, match="HTTP 302"):
            webhook.post_json(f"http://127.0.0.1:{server.server_address[1]}/hook", {}, timeout=5)
    finally:
        server.shutdown()
        server.server_close()


def test_nothing_listening() -> None:
    with pytest.raises(SendError, match=r"^cannot reach the webhook: "):
        webhook.post_json(f"http://127.0.0.1:{free_port()}/hook", {}, timeout=5)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/SECRET",
        "ftp://example.com/SECRET",
        "https:///SECRET",
        "hooks/SECRET",
        "https://h.example/a SECRET",
        "https://h.example/SECRET\x7f",
        "https://[::1/SECRET",
        "https://h.example:65536/SECRET",
        "https://h.example:0/SECRET",
        "https://user@/SECRET",
    ],
)
def test_only_whole_http_urls(url: str) -> None:
    with pytest.raises(UsageError, match=r"^the webhook must be an http:// or https:// URL ") as e:
        webhook.post_json(url, {}, timeout=5)
    assert "SECRET" not in str(e.value)


@pytest.mark.parametrize(
    "url", ["https://h.example/hook\n", " http://[::1]:8080/x", "http://h.example:65535"]
)
def test_whole_urls_pass_trimmed(url: str) -> None:
    assert webhook.check_url(url) == url.strip()


def test_an_answer_quoting_the_url_is_shown_without_it() -> None:
    """Some servers' 404 page quotes the path asked for: the secret part of the URL."""

    class NotFound(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = f"The requested URL {self.path} was not found on this server.".encode()
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/services/T0/secret-token?x=1"
    try:
        with pytest.raises(SendError) as caught:
            webhook.post_json(url, {}, timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert caught.value.message == (
        "the webhook answered HTTP 404: The requested URL (the URL) was not found on this server."
    )
