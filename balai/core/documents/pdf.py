"""HTML to PDF: the tenant's letterhead and template, the verification QR code, WeasyPrint.

WeasyPrint is given a URL fetcher that allows `data:` URIs only, so a template or letterhead can never
make the server fetch a URL (or read a file) while rendering; the logo and the QR code are inlined.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from . import sandbox

PANGO_HINT = (
    "WeasyPrint needs the Pango text library of the operating system to make PDFs: "
    "on Debian or Ubuntu `apt-get install libpango-1.0-0 libpangoft2-1.0-0`, "
    "see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
)


class PdfEngineUnavailable(ImproperlyConfigured):
    """The PDF engine cannot load its system libraries; everything else of Balai still works."""


def pdf_engine_error() -> str | None:
    """Why PDFs cannot be made on this machine, or None when they can."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # WeasyPrint loads Pango with dlopen when it is imported
        return f"{exc}. {PANGO_HINT}"
    return None


def verify_url(code: str) -> str:
    return f"{settings.BALAI_SITE_URL}{reverse('verify:document', kwargs={'code': code})}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def document_html(
    *,
    body_source: str,
    body_context: dict[str, Any],
    letterhead_html: str,
    letterhead_css: str,
    letterhead_context: dict[str, Any],
    code: str,
    code_display: str,
    title: str,
) -> str:
    url = verify_url(code)
    return render_to_string(
        "documents/pdf/document.html",
        {
            "title": title,
            "letterhead_html": mark_safe(sandbox.render(letterhead_html, letterhead_context)),  # noqa: S308 - sandboxed
            # The CSS sits inside <style>: it must not be escaped, and must not close the element.
            "letterhead_css": mark_safe(letterhead_css.replace("</", "")),  # noqa: S308
            "body_html": mark_safe(sandbox.render(body_source, body_context)),  # noqa: S308 - sandboxed
            "qr": qr_data_uri(url),
            "verify_url": url,
            "code_display": code_display,
        },
    )


def html_to_pdf(html: str) -> bytes:
    # Imported here, not at the top: a machine without Pango still runs every page but this one step.
    error = pdf_engine_error()
    if error:
        raise PdfEngineUnavailable(error)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
