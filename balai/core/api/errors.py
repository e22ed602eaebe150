"""JSON errors: `{"error": {"code", "message", "fields"}}` with a stable code and a message in the
request's language (Indonesian unless the request asks for English).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response


class ApiError(exceptions.APIException):
    """An error with our own stable code; `message` is shown as given (translate it where raised)."""

    def __init__(self, *, code: str, message, status_code: int = status.HTTP_400_BAD_REQUEST, fields=None):
        super().__init__(detail=str(message), code=code)
        self.status_code = status_code
        self.error_code = code
        self.message = message
        self.fields = fields


class TokenWrongTenant(exceptions.PermissionDenied):
    default_code = "token_wrong_tenant"
    default_detail = gettext_lazy("Token ini tidak berlaku untuk Pemda ini. Pakai token yang dibuat di Pemda yang Anda tuju.")


class TokenInvalid(exceptions.AuthenticationFailed):
    default_code = "token_invalid"
    default_detail = gettext_lazy("Token tidak dikenal. Periksa token yang Anda kirim atau buat token baru.")


class TokenExpired(exceptions.AuthenticationFailed):
    default_code = "token_expired"
    default_detail = gettext_lazy("Token sudah berakhir atau dicabut. Buat token baru di halaman Token API.")


class ScopeMissing(exceptions.PermissionDenied):
    default_code = "scope_missing"


class SecondFactorRequired(exceptions.PermissionDenied):
    default_code = "second_factor_required"
    default_detail = gettext_lazy("Petugas harus masuk dengan verifikasi dua langkah sebelum memakai API lewat sesi peramban.")


def _messages():
    # Looked up at response time, so that each message comes in the request's language.
    return {
        "not_found": _("Data yang diminta tidak ada, atau Anda tidak berhak melihatnya. Periksa alamat dan nomornya."),
        "not_authenticated": _("Anda belum masuk. Kirim token API di kepala Authorization: Bearer balai_…"),
        "authentication_failed": _("Token tidak dikenal. Periksa token yang Anda kirim atau buat token baru."),
        "permission_denied": _("Anda tidak berhak melakukan ini di Pemda ini. Minta administrator memberi peran yang sesuai."),
        "validation_failed": _("Ada isian yang belum benar. Perbaiki isian yang disebut di bagian fields, lalu kirim lagi."),
        "method_not_allowed": _("Metode %(method)s tidak dipakai di alamat ini. Lihat dokumentasi API untuk metode yang tersedia."),
        "not_acceptable": _("Format jawaban yang diminta tidak tersedia. Minta application/json."),
        "unsupported_media_type": _("Isi permintaan harus berformat JSON (Content-Type: application/json)."),
        "parse_error": _("Isi permintaan bukan JSON yang sah. Periksa tanda kutip, koma dan kurungnya."),
        "throttled": _("Terlalu banyak permintaan. Coba lagi dalam %(seconds)s detik."),
        "tenant_not_found": _("Pemda %(slug)s tidak dikenal. Lihat daftar Pemda di /api/v1/tenants/."),
    }


def error_body(code: str, message, fields: dict | None = None) -> dict:
    error = {"code": code, "message": str(message)}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _fields_from(detail) -> dict:
    """DRF's nested error detail as `{field: [messages]}`; non-field errors go under `non_field_errors`."""
    if isinstance(detail, dict):
        found = {}
        for name, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _fields_from(value).items():
                    found[f"{name}.{sub}"] = messages
            else:
                found[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return found
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every API error as our JSON shape."""
    # Imported here: rest_framework.views imports our authentication classes, which import this module.
    from rest_framework.views import set_rollback

    messages = _messages()
    headers: dict[str, str] = {}
    fields = None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        fields = {("non_field_errors" if k == "__all__" else k): [str(m) for m in v] for k, v in detail.items()}
        exc = exceptions.ValidationError(detail)
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 handler takes it, and the error is logged

    if isinstance(exc, ApiError):
        code, message, fields = exc.error_code, exc.message, exc.fields
    elif isinstance(exc, exceptions.ValidationError):
        code, message = "validation_failed", messages["validation_failed"]
        fields = fields or _fields_from(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        code, message = "throttled", messages["throttled"] % {"seconds": max(wait, 1)}
    elif isinstance(exc, exceptions.MethodNotAllowed):
        request = context.get("request")
        code, message = "method_not_allowed", messages["method_not_allowed"] % {"method": getattr(request, "method", "")}
    elif isinstance(exc, TokenWrongTenant | TokenInvalid | TokenExpired | ScopeMissing | SecondFactorRequired):
        code, message = exc.default_code, str(exc.detail)
    else:
        code = {
            exceptions.NotFound: "not_found",
            exceptions.NotAuthenticated: "not_authenticated",
            exceptions.AuthenticationFailed: "authentication_failed",
            exceptions.PermissionDenied: "permission_denied",
            exceptions.NotAcceptable: "not_acceptable",
            exceptions.UnsupportedMediaType: "unsupported_media_type",
            exceptions.ParseError: "parse_error",
        }.get(type(exc), getattr(exc, "default_code", "error"))
        message = messages.get(code, str(exc.detail))

    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    return Response(error_body(code, message, fields), status=exc.status_code, headers=headers)


def unknown_tenant_response(request, slug: str) -> JsonResponse:
    """The API's answer for an address naming no known Pemda (TenantMiddleware calls it for /api/ paths)."""
    return JsonResponse(error_body("tenant_not_found", _messages()["tenant_not_found"] % {"slug": slug}), status=404)


def not_found(request, path: str = ""):
    """Any other address under /api/v1/: a JSON 404 instead of the HTML page."""
    return JsonResponse(error_body("not_found", _messages()["not_found"]), status=404)
