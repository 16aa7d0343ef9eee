"""net/smtp.py against a real local SMTP server (aiosmtpd): TLS, login, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpmcli.errors import SendError, UsageError
from bpmcli.net import smtp
from net.servers import Mailbox, free_port, self_signed, smtp_server

NO_CREDENTIALS: dict[str, str] = {}
CREDENTIALS = {"BPM_SMTP_USER": "bpm-bot", "BPM_SMTP_PASSWORD": "s3cret"}


def _mail(to: str) -> smtp.EmailMessage:
    return smtp.message(
        "bpm@example.com", to, "bpm: 1 overdue action for x", "text\n", "<p>x</p>\n"
    )


def _send_one(port: int, ssl: bool) -> None:
    with smtp.Mailer(smtp.server(f"127.0.0.1:{port}", ssl, CREDENTIALS)) as mailer:
        mailer.send(_mail("alice@example.com"))


@pytest.mark.parametrize(
    ("address", "ssl", "host", "port"),
    [
        ("smtp.example.com", False, "smtp.example.com", 25),
        ("smtp.example.com", True, "smtp.example.com", 465),
        ("smtp.example.com:587", False, "smtp.example.com", 587),
        ("[::1]:2525", False, "::1", 2525),
        ("127.0.0.1:2525", True, "127.0.0.1", 2525),
    ],
)
def test_server_address(address: str, ssl: bool, host: str, port: int) -> None:
    found = smtp.server(address, ssl, NO_CREDENTIALS)
    assert (found.host, found.port, found.ssl, found.user) == (host, port, ssl, None)


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("smtp.example.com:0", "the port must be 1-65535"),
        ("smtp.example.com:70000", "the port must be 1-65535"),
        ("smtp example.com", "is not HOST or HOST:PORT"),
        ("host:port", "is not HOST or HOST:PORT"),
    ],
)
def test_bad_server_address(address: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        smtp.server(address, False, NO_CREDENTIALS)


def test_a_user_without_a_password_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="BPM_SMTP_USER is set but BPM_SMTP_PASSWORD is not"):
        smtp.server("localhost", False, {"BPM_SMTP_USER": "bot"})


def test_one_refused_recipient_does_not_spoil_the_connection() -> None:
    mailbox = Mailbox(refuse={"gone@example.com"})
    with (
        smtp_server(mailbox) as port,
        smtp.Mailer(smtp.server(f"127.0.0.1:{port}", False, {})) as mailer,
    ):
        mailer.send(_mail("alice@example.com"))
        with pytest.raises(
            SendError, match=r"^recipient refused: 550 5\.1\.1 mailbox unavailable$"
        ):
            mailer.send(_mail("gone@example.com"))
        mailer.send(_mail("bob@example.com"))
    assert mailbox.to() == ["alice@example.com", "bob@example.com"]
    got = mailbox.received[0]
    assert got.sender == "bpm@example.com"
    assert got.message["Subject"] == "bpm: 1 overdue action for x"
    assert (got.part("plain"), got.part("html")) == ("text\n", "<p>x</p>\n")


def test_starttls_when_offered_and_login_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, context = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test's own CA
    mailbox = Mailbox()
    with smtp_server(mailbox, starttls=context) as port:  # it refuses mail before STARTTLS
        _send_one(port, False)
    assert mailbox.logins == [("bpm-bot", "s3cret")]
    assert mailbox.to() == ["alice@example.com"]


def test_starttls_checks_the_certificate(tmp_path: Path) -> None:
    """Without SSL_CERT_FILE the self-signed certificate is not trusted: nothing is sent."""
    _, context = self_signed(tmp_path)
    mailbox = Mailbox()
    with (
        smtp_server(mailbox, starttls=context) as port,
        pytest.raises(SendError, match="certificate verify failed"),
    ):
        _send_one(port, False)
    assert (mailbox.logins, mailbox.received) == ([], [])


def test_ssl_from_the_first_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, context = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    mailbox = Mailbox()
    with smtp_server(mailbox, implicit_tls=context) as port:
        _send_one(port, True)
    assert mailbox.logins == [("bpm-bot", "s3cret")]
    assert mailbox.to() == ["alice@example.com"]


def test_no_password_in_the_clear() -> None:
    """A server without STARTTLS never sees the credentials; every message fails alike."""
    mailbox = Mailbox()
    with (
        smtp_server(mailbox) as port,
        smtp.Mailer(smtp.server(f"127.0.0.1:{port}", False, CREDENTIALS)) as mailer,
    ):
        for to in ("alice@example.com", "bob@example.com"):
            with pytest.raises(SendError, match="offers no STARTTLS: the password is not sent"):
                mailer.send(_mail(to))
    assert (mailbox.logins, mailbox.received) == ([], [])


def test_nothing_listening_is_one_line_per_message() -> None:
    port = free_port()  # closed again: nothing listens there
    with smtp.Mailer(smtp.server(f"127.0.0.1:{port}", False, {})) as mailer:
        for to in ("alice@example.com", "bob@example.com"):
            with pytest.raises(SendError, match=rf"^cannot connect to 127\.0\.0\.1:{port}: "):
                mailer.send(_mail(to))
