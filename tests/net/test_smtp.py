"""net/smtp.py against a real local SMTP server (aiosmtpd): TLS, login, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bpmcli import config
from bpmcli.errors import ConfigError, SendError, UsageError
from bpmcli.net import smtp
from conftest import Repo
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


# HOST[:PORT] as both `--smtp` and `[remind] smtp` take it (one parser, config.host_and_port):
# (address, host, port without --ssl; None: the default) or (address, None, why refused).
SERVER_ADDRESSES: list[tuple[str, str | None, int | str | None]] = [
    ("smtp.example.com", "smtp.example.com", None),
    ("smtp.example.com:587", "smtp.example.com", 587),
    ("127.0.0.1:2525", "127.0.0.1", 2525),
    ("localhost", "localhost", None),
    ("[::1]:25", "::1", 25),  # refused by the config before
    ("[::1]", "::1", None),
    ("[2001:db8::1]:587", "2001:db8::1", 587),
    (" mail_relay.internal:2525 ", "mail_relay.internal", 2525),
    ("smtp.example.com:0", None, "a port from 1 to 65535"),
    ("smtp.example.com:70000", None, "a port from 1 to 65535"),
    ("[::1]:99999", None, "a port from 1 to 65535"),
    ("smtp example.com", None, "HOST or HOST:PORT"),
    ("host:port", None, "HOST or HOST:PORT"),
    ("::1", None, "HOST or HOST:PORT"),
    ("[::1", None, "HOST or HOST:PORT"),
    ("[mail.example.com]:25", None, "HOST or HOST:PORT"),
    ("smtp.example.com:", None, "HOST or HOST:PORT"),
    ("smtp/x.example.com", None, "HOST or HOST:PORT"),
    ("bpm@smtp.example.com", None, "HOST or HOST:PORT"),
    ("smtp.example.com:\u0665\u0668\u0667", None, "HOST or HOST:PORT"),  # Arabic digits
    (":25", None, "HOST or HOST:PORT"),
]


@pytest.mark.parametrize(("address", "host", "port"), SERVER_ADDRESSES)
@pytest.mark.parametrize("ssl", [False, True])
def test_smtp_option_takes_a_server_address(
    address: str, host: str | None, port: int | str | None, ssl: bool
) -> None:
    if host is None:
        with pytest.raises(UsageError) as caught:
            smtp.server(address, ssl, NO_CREDENTIALS)
        assert caught.value.message == f"--smtp {address!r}: must be {port}" + (
            ", such as smtp.example.com:587 or [::1]:25" if port == "HOST or HOST:PORT" else ""
        )
        return
    found = smtp.server(address, ssl, NO_CREDENTIALS)
    default = smtp.SSL_PORT if ssl else smtp.PLAIN_PORT
    assert (found.host, found.port, found.ssl, found.user) == (host, port or default, ssl, None)


@pytest.mark.parametrize(("address", "host", "port"), SERVER_ADDRESSES)
def test_config_smtp_takes_the_same_addresses(
    repo: Repo, address: str, host: str | None, port: int | str | None
) -> None:
    repo.write(".bpm.toml", f"[remind]\nsmtp = {json.dumps(address)}\n")
    if host is None:
        with pytest.raises(ConfigError) as caught:
            config.load(repo.path)
        assert caught.value.message.startswith(f"remind.smtp: must be {port}")
        return
    loaded = config.load(repo.path).remind.smtp
    assert loaded == address
    assert smtp.server(loaded, False, NO_CREDENTIALS).host == host


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


def test_the_password_is_never_in_a_repr() -> None:
    from bpmcli.net.smtp import server

    found = server(
        "mail.example.com", False, {"BPM_SMTP_USER": "u", "BPM_SMTP_PASSWORD": "hunter2"}
    )
    assert found.password == "hunter2" and "hunter2" not in repr(found)
