"""Real local servers for the network tests: SMTP (aiosmtpd) and a webhook receiver.

Both listen on 127.0.0.1 on a free port, record what they receive and answer as told, so
the tests see exactly what went over the wire.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        body = self.message.get_body((subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content()).replace("\r\n", "\n")  # the wire has CRLF


@dataclass
class Mailbox:
    """An aiosmtpd handler: refuses the addresses in `refuse` with 550, keeps the rest."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        pair = (data.login.decode(), data.password.decode())
        self.logins.append(pair)
        return AuthResult(success=pair == ("bpm-bot", "s3cret"))

    def to(self) -> list[str]:
        return sorted(address for got in self.received for address in got.recipients)


@contextlib.contextmanager
def smtp_server(
    mailbox: Mailbox,
    *,
    starttls: ssl.SSLContext | None = None,
    implicit_tls: ssl.SSLContext | None = None,
) -> Iterator[int]:
    """A real SMTP server on 127.0.0.1; yields its port. With `starttls` it offers STARTTLS,
    requires it, and takes AUTH (only over TLS); with `implicit_tls` it speaks TLS at once."""
    port = free_port()
    extra: dict[str, Any] = {}
    if starttls is not None:
        extra = {
            "tls_context": starttls,
            "require_starttls": True,
            "authenticator": mailbox.authenticate,
            "auth_require_tls": True,
        }
    elif implicit_tls is not None:
        extra = {"authenticator": mailbox.authenticate, "auth_require_tls": False}
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, ssl_context=implicit_tls, **extra
    )
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def self_signed(folder: Path) -> tuple[Path, ssl.SSLContext]:
    """A certificate for 127.0.0.1 made with openssl, and a server context holding it.
    Clients trust it through SSL_CERT_FILE, which ssl.create_default_context() reads."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


@dataclass
class Hook:
    """What a webhook receiver got: each POST's path, headers and JSON body."""

    answer: Callable[[dict[str, Any]], int] = lambda payload: 200
    posts: list[dict[str, Any]] = field(default_factory=list)
    types: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [str(post["text"]) for post in self.posts]


@contextlib.contextmanager
def webhook_server(hook: Hook) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that records JSON POSTs; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length))
            hook.types.append(self.headers.get("Content-Type", ""))
            status = hook.answer(payload)
            if status < 300:
                hook.posts.append(payload)
            body = b"ok" if status < 300 else b"no_service: try later"
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/secret-token"
    finally:
        server.shutdown()
        server.server_close()
