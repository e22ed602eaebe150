"""`Idempotency-Key` on creating POSTs.

    class EmployeeList(TenantAPIView):
        @idempotent
        def post(self, request): ...

With a key, the first successful (2xx) response is kept for 24 hours under (tenant, caller, key):
the same key with the same request replays it (header `Idempotent-Replayed: true`), the same key
with a different request is refused (422, `idempotency_key_reused`). The record is inserted in the
same transaction as the creation, so a concurrent duplicate waits on the unique index until the
first commits and then replays it: only one creation happens. A failed attempt keeps nothing, so the
client may correct the request and retry with the same key. Without the header nothing changes.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .errors import ApiError
from .models import IdempotencyRecord
from .permissions import principal_key
from .services import IDEMPOTENCY_TTL

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"


def request_fingerprint(request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    except TypeError:  # pragma: no cover - multipart with files: fall back to the raw bytes
        body = request.body.decode("latin-1")
    return hashlib.sha256(f"{request.method}\n{request.path}\n{body}".encode()).hexdigest()


class _Discard(Exception):
    def __init__(self, response):
        self.response = response


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.request_hash != fingerprint:
        raise ApiError(
            code="idempotency_key_reused",
            message=_("Idempotency-Key ini sudah dipakai untuk permintaan lain. Pakai kunci baru untuk permintaan baru."),
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(record.response_body, status=record.response_status, headers={REPLAY_HEADER: "true"})


def idempotent(handler):
    """Decorate an API view's `post` (see the module docstring)."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > 255 or not key.isprintable():
            raise ApiError(
                code="idempotency_key_invalid",
                message=_("Idempotency-Key harus berisi 1 sampai 255 karakter yang dapat dicetak, misalnya sebuah UUID."),
            )
        tenant, principal = request.tenant, principal_key(request)
        fingerprint = request_fingerprint(request)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyRecord.objects.create(
                            tenant=tenant, principal=principal, key=key, method=request.method,
                            path=request.path[:500], request_hash=fingerprint, response_status=0,
                        )
                except IntegrityError:
                    # Taken: by an earlier request, or by a concurrent one that has now committed.
                    record = IdempotencyRecord.objects.get(tenant=tenant, principal=principal, key=key)
                    if record.created_at > timezone.now() - IDEMPOTENCY_TTL:
                        return _replay(record, fingerprint)
                    record.delete()  # expired, not yet cleaned up: the key is free again
                    record = IdempotencyRecord.objects.create(
                        tenant=tenant, principal=principal, key=key, method=request.method,
                        path=request.path[:500], request_hash=fingerprint, response_status=0,
                    )
                response = handler(view, request, *args, **kwargs)
                if not 200 <= response.status_code < 300:
                    raise _Discard(response)
                record.response_status = response.status_code
                record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
                record.save(update_fields=["response_status", "response_body"])
                return response
        except _Discard as discarded:
            return discarded.response

    wrapper.idempotent = True
    return wrapper
