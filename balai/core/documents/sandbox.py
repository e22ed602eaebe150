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


_engine = SandboxEngine(
    builtins=["balai.core.documents.sandbox_library"],
    libraries={},
    loaders=[],
    autoescape=True,
    debug=False,
    string_if_invalid="",
)


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
    template = compile_template(source)
    with translation.override("id"):
        return template.render(Context(plain(context), autoescape=True))
