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

from bpmcli.errors import SendError, UsageError

TIMEOUT = 10.0  # seconds


def check_url(url: str) -> str:
    """The URL if it is http(s) with a host (urllib would also open `file:` URLs)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError("the webhook must be an http:// or https:// URL (it is not shown here)")
    return url.strip()


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
        said = " ".join(exc.read(200).decode("utf-8", errors="replace").split())
        raise SendError(
            f"the webhook answered HTTP {exc.code}" + (f": {said}" if said else "")
        ) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        raise SendError(f"cannot reach the webhook: {reason}") from exc
