"""Rendering of tenant-written templates (document bodies and letterheads) in a restricted engine.

A tenant administrator writes these templates, and applicants' data flows into them, so the engine
knows only the tags and filters of `sandbox_library` (no `{% load %}`, no `{% include %}` of files,
no `|safe`), autoescapes every value, and is given plain data only: strings, numbers, dates, lists and
dicts, never model instances whose methods a template could call.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext as _

MAX_TEMPLATE_CHARS = 100_000
_PLAIN = (str, int, bool, Decimal, datetime.date, datetime.datetime, datetime.time, type(None))


class SandboxEngine(Engine):
    # Django's own builtins (every default tag, `load` and `include` among them) are not loaded.
    default_builtins: list[str] = []


class Sandbox:
    """A restricted engine with its size limit: HTML-escaping for documents, plain text for messages."""

    def __init__(self, *, autoescape: bool, max_chars: int):
        self.autoescape = autoescape
        self.max_chars = max_chars
        self.engine = SandboxEngine(
            builtins=["balai.core.documents.sandbox_library"],
            libraries={},
            loaders=[],
            autoescape=autoescape,
            debug=False,
            string_if_invalid="",
        )

    def compile_template(self, source: str):
        """The compiled template, or ValidationError saying what is wrong in words an administrator reads."""
        if len(source) > self.max_chars:
            raise ValidationError(
                _("Templat terlalu panjang (%(n)s karakter). Batasnya %(max)s karakter."),
                params={"n": len(source), "max": self.max_chars},
                code="too_long",
            )
        try:
            return self.engine.from_string(source)
        except TemplateSyntaxError as exc:
            raise ValidationError(
                _("Templat tidak dapat dipakai: %(error)s. Hanya tag dan filter dasar yang diizinkan; "
                  "{%% load %%}, {%% include %%} dan |safe tidak boleh dipakai."),
                params={"error": exc},
                code="syntax",
            ) from exc

    def render(self, source: str, context: dict[str, Any], *, language: str) -> str:
        with translation.override(language):
            return self.compile_template(source).render(Context(plain(context), autoescape=self.autoescape))


DOCUMENTS = Sandbox(autoescape=True, max_chars=MAX_TEMPLATE_CHARS)
compile_template = DOCUMENTS.compile_template


def plain(value: Any, *, path: str = "context") -> Any:
    """`value` checked to be plain data (and copied), else TypeError naming where it is not."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v, path=f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, path=f"{path}[{i}]") for i, v in enumerate(value)]
    raise TypeError(f"{path} is a {type(value).__name__}; document templates take plain data only.")


def render(source: str, context: dict[str, Any]) -> str:
    """Render a sandboxed template in Indonesian (official documents are Indonesian) with plain data."""
    return DOCUMENTS.render(source, context, language="id")
