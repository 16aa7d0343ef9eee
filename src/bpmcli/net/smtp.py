"""Email over SMTP: one connection for a run's messages, TLS whenever the server has it.

STARTTLS is used when the server offers it (after EHLO); `ssl` speaks TLS from the first
byte (port 465). Credentials are only ever sent over TLS. Every failure is a `SendError`
of one line; a failure to connect or log in is remembered, so the other messages of the
run fail at once with the same reason instead of each waiting for its own timeout.
"""

from __future__ import annotations

import smtplib
import ssl as tls
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType

from bpmcli.config import host_and_port
from bpmcli.errors import SendError, UsageError

USER_VARIABLE = "BPM_SMTP_USER"
PASSWORD_VARIABLE = "BPM_SMTP_PASSWORD"
PLAIN_PORT = 25
SSL_PORT = 465
TIMEOUT = 30.0  # seconds, for the connection and each command


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    ssl: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a repr or a log
    timeout: float = TIMEOUT

    @property
    def shown(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def server(address: str, ssl: bool, environ: Mapping[str, str]) -> Server:
    """`HOST`, `HOST:PORT` or `[IPv6]:PORT`, with the credentials of the environment."""
    try:
        host, given = host_and_port(address)
    except ValueError as exc:
        raise UsageError(f"--smtp {address!r}: must be {exc}") from None
    port = given if given is not None else (SSL_PORT if ssl else PLAIN_PORT)
    user = environ.get(USER_VARIABLE) or None
    password = environ.get(PASSWORD_VARIABLE) or None
    if user is not None and password is None:
        raise UsageError(f"{USER_VARIABLE} is set but {PASSWORD_VARIABLE} is not")
    return Server(host, port, ssl, user, password)


def message(sender: str, to: str, subject: str, text: str, html: str) -> EmailMessage:
    """A text/plain email with a text/html alternative."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reason(exc: BaseException) -> str:
    """What the server (or the network) said, as one line."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        said = [
            f"{code} {answer.decode(errors='replace')}" for code, answer in exc.recipients.values()
        ]
        return _one_line("recipient refused: " + "; ".join(said))
    if isinstance(exc, smtplib.SMTPResponseException):
        answer = exc.smtp_error
        text = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
        return _one_line(f"{exc.smtp_code} {text}")
    if isinstance(exc, OSError) and exc.strerror:
        return _one_line(exc.strerror)
    return _one_line(str(exc)) or type(exc).__name__


class Mailer:
    """Sends messages over one connection, opened at the first message."""

    def __init__(self, server: Server):
        self.server = server
        self._smtp: smtplib.SMTP | None = None
        self._broken: SendError | None = None  # a connect or login failure, for every message

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, mail: EmailMessage) -> None:
        """Deliver `mail` to its To address, or raise SendError saying why not."""
        smtp = self._connection()
        try:
            smtp.send_message(mail)
        except (
            smtplib.SMTPRecipientsRefused,
            smtplib.SMTPSenderRefused,
            smtplib.SMTPDataError,
        ) as exc:
            raise SendError(
                _reason(exc)
            ) from exc  # the connection is still good (smtplib reset it)
        except (smtplib.SMTPException, OSError) as exc:
            self.close()  # a broken connection: the next message opens a new one
            raise SendError(_reason(exc)) from exc

    def _connection(self) -> smtplib.SMTP:
        if self._broken is not None:
            raise self._broken
        if self._smtp is None:
            try:
                self._smtp = self._open()
            except SendError as exc:
                self._broken = exc
                raise
        return self._smtp

    def _open(self) -> smtplib.SMTP:
        where = self.server
        smtp: smtplib.SMTP
        try:
            if where.ssl:
                smtp = smtplib.SMTP_SSL(
                    where.host,
                    where.port,
                    timeout=where.timeout,
                    context=tls.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(where.host, where.port, timeout=where.timeout)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"cannot connect to {where.shown}: {_reason(exc)}") from exc
        try:
            self._secure_and_log_in(smtp)
        except BaseException:
            _quietly_close(smtp)
            raise
        return smtp

    def _secure_and_log_in(self, smtp: smtplib.SMTP) -> None:
        where = self.server
        try:
            smtp.ehlo()
            secure = where.ssl
            if not secure and smtp.has_extn("starttls"):
                smtp.starttls(context=tls.create_default_context())
                smtp.ehlo()
                secure = True
            if where.user is not None and where.password is not None:
                if not secure:
                    raise SendError(
                        f"{where.shown} offers no STARTTLS: the password is not sent in the "
                        "clear (use --ssl, or a server that offers STARTTLS)"
                    )
                smtp.login(where.user, where.password)
        except SendError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(f"{where.shown} refused the login: {_reason(exc)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"{where.shown}: {_reason(exc)}") from exc

    def close(self) -> None:
        if self._smtp is not None:
            _quietly_close(self._smtp)
            self._smtp = None


def _quietly_close(smtp: smtplib.SMTP) -> None:
    """QUIT, or just drop the connection: closing must not raise over the real error."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
