"""Rendering of notification templates, which tenant administrators write, in a restricted engine.

The same tags and filters as document templates (balai.core.documents.sandbox_library: no
`{% load %}`, no `{% include %}`, no `|safe`) and plain data only. Notifications are plain text, so
nothing is HTML-escaped here; the inbox page escapes them when it shows them.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext as _

from balai.core.documents.sandbox import SandboxEngine, plain

MAX_TEMPLATE_CHARS = 20_000

_engine = SandboxEngine(
    builtins=["balai.core.documents.sandbox_library"],
    libraries={},
    loaders=[],
    autoescape=False,
    debug=False,
    string_if_invalid="",
)
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def compile_template(source: str):
    """The compiled template, or ValidationError saying what is wrong in words an administrator reads."""
    if len(source) > MAX_TEMPLATE_CHARS:
        raise ValidationError(
            _("Templat terlalu panjang (%(n)s karakter). Batasnya %(max)s karakter."),
            params={"n": len(source), "max": MAX_TEMPLATE_CHARS},
            code="too_long",
        )
    try:
        return _engine.from_string(source)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _("Templat tidak dapat dipakai: %(error)s. Hanya tag dan filter dasar yang diizinkan; "
              "{%% load %%}, {%% include %%} dan |safe tidak boleh dipakai."),
            params={"error": exc},
            code="syntax",
        ) from exc


def render(source: str, context: dict[str, Any], *, language: str) -> str:
    """Render a sandboxed template in `language`, with plain data, as tidy plain text."""
    template = compile_template(source)
    with translation.override(language):
        text = template.render(Context(plain(context), autoescape=False))
    return _BLANK_LINES.sub("\n\n", text.replace("\r\n", "\n")).strip()


def render_subject(source: str, context: dict[str, Any], *, language: str) -> str:
    """A one-line subject (a line break in an e-mail header would be refused)."""
    return " ".join(render(source, context, language=language).split())[:300]
