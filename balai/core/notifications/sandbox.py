"""Rendering of notification templates, which tenant administrators write, in a restricted engine.

The same tags and filters as document templates (balai.core.documents.sandbox_library: no
`{% load %}`, no `{% include %}`, no `|safe`) and plain data only. Notifications are plain text, so
nothing is HTML-escaped here; the inbox page escapes them when it shows them.
"""

from __future__ import annotations

import re
from typing import Any

from balai.core.documents.sandbox import Sandbox

MAX_TEMPLATE_CHARS = 20_000

_SANDBOX = Sandbox(autoescape=False, max_chars=MAX_TEMPLATE_CHARS)
compile_template = _SANDBOX.compile_template
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def render(source: str, context: dict[str, Any], *, language: str) -> str:
    """Render a sandboxed template in `language`, with plain data, as tidy plain text."""
    text = _SANDBOX.render(source, context, language=language)
    return _BLANK_LINES.sub("\n\n", text.replace("\r\n", "\n")).strip()


def render_subject(source: str, context: dict[str, Any], *, language: str) -> str:
    """A one-line subject (a line break in an e-mail header would be refused)."""
    return " ".join(render(source, context, language=language).split())[:300]
