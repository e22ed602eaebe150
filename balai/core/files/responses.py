"""The one way a stored file leaves the server: as a response that cannot run, and, when an officer reads
someone else's upload, with the reading recorded."""

from __future__ import annotations

from django.http import FileResponse

from balai.core.audit.services import audit_personal_data_read

from .models import StoredFile


def stored_file_response(
    request, stored: StoredFile, handle, *, membership, inline: bool = False, filename: str | None = None
) -> FileResponse:
    """`handle` (the open blob of `stored`) as an attachment, or shown in a tab when `inline`; an officer
    reading a file someone else uploaded is a personal-data read on the audit chain."""
    if membership is not None and membership.is_officer and stored.uploaded_by_id != request.user.pk:
        audit_personal_data_read(
            tenant=request.tenant, actor=request.user, subject=stored, fields=["file"], purpose=stored.purpose,
            request=request,
        )
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename or stored.download_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even opened in a tab, the file is a sandboxed document: no script, no same-origin access.
    response["Content-Security-Policy"] = "sandbox" if inline else "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
