"""A postmortem's Markdown as safe HTML.

Postmortem text is untrusted: it may come from anyone who can open a pull request. The
renderer is markdown-it-py (CommonMark, plus tables) with raw HTML turned off, so
`<script>` and every other tag arrive as text; its link check refuses `javascript:`,
`vbscript:`, `file:` and `data:` links (they stay text). Images are turned into plain
links, so that viewing the site fetches nothing from anywhere. The pages' Content
Security Policy (no inline script, nothing from other origins) is the second wall.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.add_render_rule("image", _image_as_link)
    return md


def _image_as_link(
    self: Any, tokens: Sequence[Token], index: int, options: OptionsDict, env: EnvType
) -> str:
    from markdown_it.common.utils import escapeHtml

    token = tokens[index]
    alt = escapeHtml("".join(child.content for child in token.children or []))
    source = escapeHtml(str(token.attrGet("src") or ""))
    return f'<a class="image" href="{source}">[image: {alt or source}]</a>'


def to_html(markdown: str) -> str:
    """Safe HTML for a piece of a postmortem's Markdown."""
    html: str = _markdown().render(markdown)
    return html
