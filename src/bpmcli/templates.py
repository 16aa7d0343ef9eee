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
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from bpmcli.config import Config
from bpmcli.errors import UsageError

SUFFIXES = (".md.j2", ".md")
_KIND = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


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
    """The template's text with `variables`; UsageError naming the template and line on error."""
    import jinja2
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(template.path.parent),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["oneline"] = _oneline
    try:
        text = env.get_template(template.path.name).render(**variables)
    except jinja2.TemplateSyntaxError as exc:
        raise UsageError(f"template error: {exc.message}", template.path, exc.lineno) from exc
    except SecurityError as exc:
        line = _template_line(exc, template.path)
        raise UsageError(f"template refused by the sandbox: {exc}", template.path, line) from exc
    except jinja2.TemplateError as exc:
        line = _template_line(exc, template.path)
        raise UsageError(f"template error: {exc.message or exc}", template.path, line) from exc
    except RecursionError as exc:
        raise UsageError("template error: recursion too deep", template.path) from exc
    except Exception as exc:
        # Arithmetic or type errors raised while rendering are the template's fault too.
        line = _template_line(exc, template.path)
        raise UsageError(f"template error: {exc}", template.path, line) from exc
    return text


def _template_line(exc: BaseException, path: Path) -> int | None:
    """The template line Jinja2 mapped into the traceback, when it did."""
    wanted = {str(path), path.name}
    frames = traceback.extract_tb(exc.__traceback__ or sys.exc_info()[2])
    for frame in reversed(frames):
        if frame.filename in wanted or frame.filename.endswith(path.name):
            return frame.lineno
    return None
