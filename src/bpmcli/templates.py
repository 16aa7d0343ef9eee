"""The templates `bpm new` renders: built-in ones, and the repository's own.

A repository's templates are untrusted (they arrive in pull requests), so every template is
rendered in Jinja2's immutable sandbox, with `StrictUndefined`: a typo in a variable name is
an error naming the template and line, not an empty string in the postmortem.
Templates render the body only; the front matter is data dumped by a YAML library.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from bpmcli.config import Config
from bpmcli.errors import UsageError

SUFFIXES = (".md.j2", ".md")
_KIND = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Bounds on rendering an untrusted template: nested loops must not hang `bpm new`, nor
# `"x" * 10**9` or `center(2000000000)` fill the memory. A postmortem body is some KB.
MAX_SECONDS = 5.0
MAX_OUTPUT = 1_000_000  # characters
MAX_VALUE = 100_000  # characters or items a single operation or filter may make


class _Exceeded(Exception):
    """A bound on rendering was hit; the message says which (and where, when known)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Template:
    kind: str
    path: Path
    origin: str  # "built-in" or "repository"
    overrides: bool = False  # a repository template that replaces a built-in one


def builtin_dir() -> Path:
    """The templates shipped with bpm: package data in a wheel, `templates/` in a checkout."""
    packaged = Path(str(resources.files("bpmcli"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def _scan(folder: Path, origin: str) -> dict[str, Template]:
    found: dict[str, Template] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        for suffix in SUFFIXES:
            kind = path.name.removesuffix(suffix)
            if path.name.endswith(suffix) and _KIND.match(kind) and path.is_file():
                found.setdefault(kind, Template(kind, path, origin))
                break
    return found


def available(config: Config) -> dict[str, Template]:
    """Every kind `bpm new` can make; the repository's templates win over built-in ones."""
    kinds = _scan(builtin_dir(), "built-in")
    for kind, template in _scan(config.template_dir, "repository").items():
        kinds[kind] = Template(kind, template.path, template.origin, overrides=kind in kinds)
    return dict(sorted(kinds.items()))


def find(config: Config, kind: str) -> Template:
    kinds = available(config)
    if kind not in kinds:
        raise UsageError(f"unknown template {kind!r}; available: {', '.join(kinds) or 'none'}")
    return kinds[kind]


def _oneline(value: Any) -> str:
    return " ".join(str(value).split())


def render(template: Template, variables: Mapping[str, Any]) -> str:
    """The template's text with `variables`; UsageError naming the template and line on error.

    Rendering is bounded: MAX_SECONDS, MAX_OUTPUT characters, and MAX_VALUE for what one
    operator or filter makes."""
    import jinja2
    from jinja2.exceptions import SecurityError, TemplateNotFound

    env = _environment(template)
    try:
        with _deadline(MAX_SECONDS):
            text = _bounded_render(env.get_template(template.path.name), variables)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"template error: {exc.message}", template.path, exc.lineno) from exc
    except SecurityError as exc:
        line = _template_line(exc, template.path)
        raise UsageError(f"template refused by the sandbox: {exc}", template.path, line) from exc
    except TemplateNotFound as exc:
        line = _template_line(exc, template.path)
        message = f"template error: no template {exc.name!r} in {template.path.parent.name}/"
        raise UsageError(message, template.path, line) from exc
    except _Exceeded as exc:
        line = exc.line or _template_line(exc, template.path)
        raise UsageError(f"template stopped: {exc}", template.path, line) from exc
    except RecursionError as exc:
        line = _template_line(exc, template.path)
        raise UsageError("template error: recursion too deep", template.path, line) from exc
    except Exception as exc:
        # Arithmetic or type errors raised while rendering are the template's fault too;
        # some carry no message: the type then says what happened.
        line = _template_line(exc, template.path)
        if isinstance(exc, jinja2.TemplateError):
            what = exc.message or type(exc).__name__
        else:  # "KeyError: 'a'" says more than "'a'"
            what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise UsageError(f"template error: {what}", template.path, line) from exc
    return text


def _environment(template: Template) -> Any:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Bounded(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            return _binop(operator, left, right)

    env = Bounded(
        loader=jinja2.FileSystemLoader(template.path.parent),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["oneline"] = _oneline
    for name in ("center", "indent", "truncate", "wordwrap"):
        env.filters[name] = _bounded_filter(env.filters[name])
    lipsum: Any = env.globals["lipsum"]
    env.globals["lipsum"] = lambda n=5, *args, **kwargs: lipsum(_small(n, 100), *args, **kwargs)
    return env


def _small(number: Any, most: int = MAX_VALUE) -> Any:
    if isinstance(number, int) and number > most:
        raise _Exceeded(f"{number} is more than the {most:,} a template may ask for")
    return number


def _bounded_filter(inner: Any) -> Any:
    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        for number in (*args, *kwargs.values()):
            _small(number)
        return inner(value, *args, **kwargs)

    return bounded


def _binop(operator: str, left: Any, right: Any) -> Any:
    if operator == "*":
        for sized, times in ((left, right), (right, left)):
            if isinstance(sized, str | list | tuple) and isinstance(times, int):
                _small(len(sized) * times)
        return left * right
    if isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
        _small(right)  # 2 ** 100000 is fine; 10 ** 10 ** 10 is not
    return left**right


def _bounded_render(compiled: Any, variables: Mapping[str, Any]) -> str:
    pieces: list[str] = []
    size = 0
    rendering = compiled.generate(**variables)
    for piece in rendering:
        size += len(piece)
        if size > MAX_OUTPUT:
            line = _suspended_line(rendering, compiled)
            raise _Exceeded(f"its output passed {MAX_OUTPUT:,} characters", line)
        pieces.append(piece)
    return "".join(pieces)


def _suspended_line(rendering: Any, compiled: Any) -> int | None:
    """The template line a paused rendering is at: the innermost generator's line in the
    compiled code, mapped back by Jinja2."""
    frame = None
    while rendering is not None and getattr(rendering, "gi_frame", None) is not None:
        frame = rendering.gi_frame
        rendering = rendering.gi_yieldfrom
    if frame is None:
        return None
    line: int = compiled.get_corresponding_lineno(frame.f_lineno)
    return line


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Exceeded in the rendering code after `seconds`: a timer signal where there is
    one (POSIX, main thread), else a trace function that checks the clock on every line."""
    import signal
    import threading
    import time

    def expired(*_: Any) -> None:
        raise _Exceeded(f"rendering took more than {seconds:g} seconds")

    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    end = time.monotonic() + seconds  # pragma: no cover - Windows, or a thread

    def trace(frame: Any, event: str, arg: Any) -> Any:  # pragma: no cover
        if time.monotonic() > end:
            expired()
        return trace

    old = sys.gettrace()  # pragma: no cover
    sys.settrace(trace)  # pragma: no cover
    try:  # pragma: no cover
        yield
    finally:  # pragma: no cover
        sys.settrace(old)


def _template_line(exc: BaseException, path: Path) -> int | None:
    """The template line Jinja2 mapped into the traceback, when it did."""
    wanted = {str(path), path.name}
    frames = traceback.extract_tb(exc.__traceback__ or sys.exc_info()[2])
    for frame in reversed(frames):
        if frame.filename in wanted or frame.filename.endswith(path.name):
            return frame.lineno
    return None
