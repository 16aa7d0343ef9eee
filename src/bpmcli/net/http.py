"""THE HTTP client: JSON over urllib, with timeouts, retries and rate limits (#18).

Trackers (GitHub, Jira) and webhooks talk through `Client`. What it does for every request:

- a timeout on every socket operation (`timeout` seconds);
- retries with exponential backoff (1 s, 2 s, 4 s, ...) on 5xx answers and on connection
  errors, for requests that are safe to repeat (GET, PUT, PATCH, DELETE); a POST is sent
  once, since a 5xx or a timeout does not say whether the server acted on it (a second
  ticket); callers that create things look for what they made before (the marker);
- on 429, and on 403 that is a rate limit (GitHub: `x-ratelimit-remaining: 0` or a
  `Retry-After`), waits as the server says: `Retry-After` in seconds or as an HTTP date,
  else GitHub's `x-ratelimit-reset` (epoch seconds), else one minute; a wait longer than
  `max_wait` fails at once, with one line saying when to retry. A POST answered 429 is
  retried: the server refused it without acting;
- a redirect to another host or port never carries the credentials, and `pages` follows
  a `Link: rel="next"` only on the base URL's own scheme, host and port;
- exception texts that may quote a header or the request line (a token) are never shown;
- errors are one line naming the method, the URL (with no credentials in it) and the
  status: `NetError`, exit 1.

The sleep and the clock are parameters only so that tests of the waits do not wait.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from email.message import Message
from typing import Any, NamedTuple
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from bpmcli.errors import BpmError

USER_AGENT = "bpm (blameless postmortems; https://github.com/bpm)"
SAFE_TO_REPEAT = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LINK = re.compile(r'<([^>]*)>\s*;\s*(?:[^,]*?;\s*)?rel="?([^",;]+)"?')


class NetError(BpmError):
    """A request that failed for good: one line, exit 1 (`status` None: no answer at all)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Response(NamedTuple):
    status: int
    headers: Message
    body: bytes
    url: str

    def json(self) -> Any:
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise NetError(f"{shown(self.url)}: the answer ({self.status}) is not JSON") from exc

    def next_page(self) -> str | None:
        """The `Link` header's rel="next" URL (RFC 8288, as GitHub paginates), or None."""
        return links(self.headers.get("Link", "")).get("next")


def links(header: str) -> dict[str, str]:
    """`<url>; rel="next", <url>; rel="last"` -> {"next": url, "last": url}."""
    return {rel: url for url, rels in _LINK.findall(header) for rel in rels.split()}


def shown(url: str) -> str:
    """`url` as an error shows it: no user or password, no query (tokens ride in some)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # `http://[::1`: an answer's link may be anything
        return "(an invalid URL)"
    host = parts.netloc.rpartition("@")[2]  # as written: `.port` raises on `host:abc`
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class Client:
    """Requests to one service, with the headers every request carries (auth, accept)."""

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock
        self.requests = 0  # how many were sent, retries included: `tickets status` reports it

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        full = urljoin(self.base_url, path.lstrip("/")) if "://" not in path else path
        if params:
            full += ("&" if "?" in full else "?") + urlencode(params)
        return full

    def get(self, path: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Response:
        return self.request("GET", path, params=params, **kw)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        accept: tuple[int, ...] = (),
        repeatable: bool | None = None,
    ) -> Response:
        """Send one request (retried as the module says); a 2xx answer, or one of `accept`
        (a 404 the caller reads as "gone"), else NetError. `repeatable` says a request is
        safe to send again after a 5xx (default: by its method; a POST that only reads,
        such as Jira's search, says True)."""
        url = self.url(path, params)
        again = method in SAFE_TO_REPEAT if repeatable is None else repeatable
        data = None if body is None else json.dumps(body).encode("utf-8")
        attempt = 0
        while True:
            attempt += 1
            answer = self._send(method, url, data)
            if isinstance(answer, Response) and (
                200 <= answer.status < 300 or answer.status in accept
            ):
                return answer
            wait = self._wait_before_retry(method, url, answer, attempt, again)
            self.sleep(wait)

    def pages(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Response]:
        """GET `path` and every page its `Link: rel="next"` headers lead to: on this
        client's own scheme, host and port only, since every request carries the
        credentials (a link elsewhere is a NetError, not followed)."""
        url: str | None = self.url(path, params)
        seen: set[str] = set()
        while url is not None and url not in seen:  # a server that links a page to itself
            seen.add(url)
            page = self.get(url)
            yield page
            following = page.next_page()
            url = self._same_origin(url, following) if following else None

    def _same_origin(self, current: str, link: str) -> str:
        try:
            following = urljoin(current, link)
        except ValueError:  # `<http://[::1>`
            following = link
        if _origin(following) != _origin(self.base_url):
            raise NetError(
                f"GET {shown(current)}: the next page is on another host "
                f"({shown(following)}); not followed, it would carry the credentials"
            )
        return following

    def _send(self, method: str, url: str, data: bytes | None) -> Response | OSError:
        import http.client
        import urllib.error
        import urllib.request

        headers = {**self.headers, "Accept": self.headers.get("Accept", "application/json")}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        self.requests += 1
        try:
            with _opener().open(request, timeout=self.timeout) as reply:
                return Response(reply.status, reply.headers, reply.read(), url)
        except urllib.error.HTTPError as exc:
            with exc:
                return Response(exc.code, exc.headers, _read(exc), url)
        except http.client.HTTPException as exc:  # a garbled answer, cut short: no answer
            # The name only: the text may quote the request line, a query's token in it
            # (InvalidURL: "URL can't contain control characters. '/x?access_token=...'").
            return ConnectionError(type(exc).__name__)
        except (OSError, ValueError) as exc:  # URLError, refused, reset, timeout; a bad URL
            if isinstance(exc, ValueError):  # its text may quote a header: the credentials
                raise NetError(
                    f"{method} {shown(url)}: not sent, the URL or a header value is invalid"
                ) from exc
            return exc

    def _wait_before_retry(
        self, method: str, url: str, answer: Response | OSError, attempt: int, again: bool
    ) -> float:
        """Seconds to wait before sending again, or NetError when bpm gives up."""
        where = f"{method} {shown(url)}"
        if isinstance(answer, OSError):
            if not again or attempt > self.retries:
                raise NetError(f"{where}: {_reason(answer)}")
            return float(2 ** (attempt - 1))
        status = answer.status
        limited = self._rate_limit_wait(answer)
        if limited is not None:
            if attempt > self.retries:
                raise NetError(
                    f"{where}: {status} rate limited, still after {attempt} tries", status
                )
            if limited > self.max_wait:
                raise NetError(
                    f"{where}: {status} rate limited; the server asks to wait {limited:.0f} s "
                    f"(more than {self.max_wait:.0f} s): retry later",
                    status,
                )
            return max(limited, 0.0)
        if status >= 500 and again and attempt <= self.retries:
            asked = retry_after(answer.headers.get("Retry-After"), self.clock())  # a 503's
            return min(asked, self.max_wait) if asked is not None else float(2 ** (attempt - 1))
        tries = f" after {attempt} tries" if attempt > 1 else ""
        raise NetError(f"{where}: {status} {_message(answer)}{tries}", status)

    def _rate_limit_wait(self, answer: Response) -> float | None:
        """How long a 429, or a 403 that is a rate limit, asks bpm to wait; None otherwise."""
        if answer.status not in (403, 429):
            return None
        headers = answer.headers
        after = retry_after(headers.get("Retry-After"), self.clock())
        if after is not None:
            return after
        if headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset"):
            try:
                return max(float(headers["x-ratelimit-reset"]) - self.clock(), 0.0) + 1.0
            except ValueError:
                pass
        return 60.0 if answer.status == 429 else None  # GitHub: "wait at least one minute"


@functools.cache
def _opener() -> Any:
    """urllib's opener, but a redirect to another host or port never carries the
    credentials: urllib copies every header, `Authorization` included, to wherever a
    server redirects."""
    import urllib.request

    class Redirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> Any:
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
            if new is not None and urlsplit(newurl).netloc != urlsplit(req.full_url).netloc:
                new.remove_header("Authorization")
            return new

    return urllib.request.build_opener(Redirect)


def _origin(url: str) -> tuple[str, str, int] | None:
    """Scheme, host and port (the scheme's default when none is written), or None when
    `url` cannot be read as one."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    except ValueError:
        return None
    return (parts.scheme, (parts.hostname or "").lower(), port) if parts.hostname else None


def retry_after(value: str | None, now: float) -> float | None:
    """`Retry-After` as seconds from `now`: a number of seconds, or an HTTP date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime

    try:
        return max(parsedate_to_datetime(text).timestamp() - now, 0.0)
    except (TypeError, ValueError):
        return None


def _read(exc: Any) -> bytes:
    try:
        return bytes(exc.read())
    except OSError:
        return b""


def _reason(exc: OSError) -> str:
    reason = getattr(exc, "reason", None) or exc.strerror or exc
    text = str(reason)
    return "timed out" if "timed out" in text else text


def _message(answer: Response) -> str:
    """The server's own short reason (GitHub `message`, Jira `errorMessages`), one line."""
    from http import HTTPStatus

    try:
        default = HTTPStatus(answer.status).phrase
    except ValueError:
        default = "error"
    try:
        data = json.loads(answer.body)
    except ValueError:
        return default
    said: Any = None
    if isinstance(data, dict):
        said = data.get("message") or data.get("errorMessages") or data.get("errors")
    if isinstance(said, list):
        said = "; ".join(str(s) for s in said[:3])
    elif isinstance(said, dict):
        said = "; ".join(f"{k}: {v}" for k, v in list(said.items())[:3])
    text = " ".join(str(said).split()) if said else ""
    return f"{default}: {text[:200]}" if text else default
