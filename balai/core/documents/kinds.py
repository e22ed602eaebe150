"""Kinds of document a module issues (`permits.permit`, `grants.nphd`, ...), with their defaults.

A module registers its kinds in its AppConfig.ready(): the name people read, the classification
prefix of its numbers (the archive code, `503` for permits) and the default body a tenant starts
from. A kind nobody registered still works, with the generic defaults below.

A module whose documents end a case of its own (a permit ends a permit file) may say that they are
revoked only through its own flow (`revoke_via`): revoking one here directly would skip that flow's
reason, state, notifications and tracking. `revoke_via(document)` returns the URL of the module's page
where that document is revoked, or None when the module does not own this one (then the
administrator's own revocation applies).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

KIND_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
DEFAULT_PATTERN = "{prefix}/{seq:04d}/{unit}/{year}"

DEFAULT_BODY = """<h1 class="judul">{{ title|upper }}</h1>
<p class="nomor">Nomor: {{ number }}</p>
<p>Diberikan kepada:</p>
<table class="data">
  <tr><th>Nama</th><td>{{ recipient_name }}</td></tr>
  {% if recipient_id %}<tr><th>Nomor identitas</th><td>{{ recipient_id }}</td></tr>{% endif %}
  {% for label, value in fields %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}
</table>
{% if body %}<p>{{ body|linebreaksbr }}</p>{% endif %}
{% if valid_until %}<p>Berlaku sampai dengan {{ valid_until|date:"j F Y" }}.</p>{% endif %}
<div class="ttd">
  <p>{{ place }}, {{ issued_at|date:"j F Y" }}</p>
  <p>{{ signer_position }}</p>
  <p class="ttd-elektronik">Ditandatangani secara elektronik</p>
  <p class="ttd-nama">{{ signer_name }}</p>
</div>
"""


@dataclass(frozen=True)
class DocumentKind:
    code: str
    name: str
    prefix: str = "000"
    pattern: str = DEFAULT_PATTERN
    default_body: str = DEFAULT_BODY
    # document -> URL of the issuing module's revocation page, or None (see the module docstring).
    revoke_via: Callable[[object], str | None] | None = None


_KINDS: dict[str, DocumentKind] = {}


def kind_register(kind: DocumentKind) -> None:
    if not KIND_RE.match(kind.code):
        raise ValueError(f"Document kind {kind.code!r} must look like 'module.name'.")
    _KINDS[kind.code] = kind


def kind_get(code: str) -> DocumentKind:
    """The registered kind, or the generic defaults for a kind nobody registered."""
    if not KIND_RE.match(code):
        raise ValueError(f"Document kind {code!r} must look like 'module.name'.")
    return _KINDS.get(code) or DocumentKind(code=code, name=code)


def kinds() -> list[DocumentKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def revoke_page(document) -> str | None:
    """The issuing module's page where `document` must be revoked, or None when the administrator may
    revoke it here (its kind declares no `revoke_via`, or the module does not own this document)."""
    kind = _KINDS.get(document.kind)
    if kind is None or kind.revoke_via is None:
        return None
    return kind.revoke_via(document) or None


kind_register(DocumentKind(code="core.letter", name="Surat"))
