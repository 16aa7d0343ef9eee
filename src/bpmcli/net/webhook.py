"""A JSON POST to a webhook (Slack's incoming webhooks and the services that copy them).

The URL is a secret (whoever has it can post to the channel): it never appears in an error.
Redirects are not followed: urllib would turn the POST into a GET, and a 2xx answer to
that would look like a delivery.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from bpmcli.config import check_web_address
from bpmcli.errors import SendError, UsageError

TIMEOUT = 10.0  # seconds


def check_url(url: str) -> str:
    """The URL, checked in full before anything is sent: http(s), a host, a port that
    exists, no white space or control character (urllib would also open `file:` URLs, and
    fail on the rest only at the first POST, with the URL in its message)."""
    text = url.strip()
    if check_web_address(text) is not None:
        raise _bad_url()
    return text


def _bad_url() -> UsageError:
    return UsageError(
        "the webhook must be an http:// or https:// URL with a host, a port from 1 to 65535 "
        "if any, and no space or control character (it is not shown here)"
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx answer as an HTTPError


def post_json(url: str, payload: Any, *, timeout: float = TIMEOUT) -> None:
    """POST `payload` as JSON; a non-2xx answer or no answer raises SendError (one line)."""
    request = urllib.request.Request(
        check_url(url),
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=timeout) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        said = _without(url, " ".join(exc.read(200).decode("utf-8", errors="replace").split()))
        raise SendError(
            f"the webhook answered HTTP {exc.code}" + (f": {said}" if said else "")
        ) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise SendError(f"cannot reach the webhook: {_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    """Why no answer came, in words that cannot hold the URL: the system's text for a
    network error ("Connection refused"), else the exception's type. urllib's own texts
    (http.client.InvalidURL, for one) quote the URL, secret path and all."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, OSError) and isinstance(reason.strerror, str) and reason.strerror:
        return reason.strerror
    return type(reason).__name__ if isinstance(reason, BaseException) else type(exc).__name__


def _without(url: str, said: str) -> str:
    """The server's answer without the URL or its path: a 404 page may quote them."""
    parts = urlsplit(url.strip())
    secrets = (url.strip(), parts.path + (f"?{parts.query}" if parts.query else ""), parts.path)
    for secret in secrets:
        if len(secret) > 1:
            said = said.replace(secret, "(the URL)")
    return said
