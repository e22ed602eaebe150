"""Real files for the tests: PDFs from WeasyPrint, images from Pillow, workbooks from openpyxl."""

from __future__ import annotations

import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile


@functools.cache
def pdf_bytes(text: str = "Surat pernyataan") -> bytes:
    import weasyprint

    return weasyprint.HTML(string=f"<h1>{text}</h1><p>Balai</p>").write_pdf()


def encrypted_pdf_bytes(user_password: str = "rahasia") -> bytes:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("pemilik", user_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (120, 80)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(out, fmt)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["kode", "nama"])
    book.active.append(["DPMPTSP", "Dinas Penanaman Modal"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def upload(data: bytes, name: str, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """As the browser sends it: the content type is whatever the browser claims."""
    return SimpleUploadedFile(name, data, content_type=content_type)
