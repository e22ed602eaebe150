"""What an uploaded file really is, read from its bytes: never from its name or the browser's type.

`check_upload(file, name=..., policy=...)` reads the file once in chunks (size and SHA-256), sniffs its
kind from the first bytes, then checks that the whole file really is that kind (a PDF that parses, an
image that decodes, a workbook with its parts, UTF-8 text). Anything else raises `UploadRefused`, a
`ValidationError` whose message says what is wrong and what to do, in Bahasa Indonesia.

Each use of an upload names its own `UploadPolicy` (the kinds it accepts and a size cap); the default
takes PDF, JPEG and PNG up to 5 MB.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

MB = 1024 * 1024
CHUNK = 64 * 1024
HEAD_BYTES = 8192
# A photo from a phone is 12 to 50 megapixels; anything much larger is either a mistake or a bomb.
DEFAULT_MAX_PIXELS = 60_000_000
# A workbook's parts may not unpack to more than this many times its size, nor hold too many parts.
XLSX_MAX_RATIO = 100
XLSX_MAX_MEMBERS = 10_000


@dataclass(frozen=True)
class FileKind:
    code: str
    label: object
    extension: str
    content_type: str
    # Extensions people give files of this kind (for "named .pdf but is ..." messages and `accept`).
    extensions: tuple[str, ...]
    # How a refusal names it: "Berkas ini adalah gambar PNG".
    noun: object = ""


KINDS: dict[str, FileKind] = {
    k.code: k
    for k in (
        FileKind("pdf", _("PDF"), "pdf", "application/pdf", ("pdf",), _("dokumen PDF")),
        FileKind("jpeg", _("JPEG"), "jpg", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif"), _("gambar JPEG")),
        FileKind("png", _("PNG"), "png", "image/png", ("png",), _("gambar PNG")),
        FileKind(
            "xlsx",
            _("Excel (.xlsx)"),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
            _("berkas Excel (.xlsx)"),
        ),
        FileKind("csv", _("CSV"), "csv", "text/csv", ("csv", "txt"), _("teks CSV")),
    )
}
KIND_CHOICES = [(k.code, k.label) for k in KINDS.values()]

# Things people upload by mistake (or on purpose), named so that the refusal can say what was sent.
FOREIGN_LABELS = {
    "html": _("halaman web (HTML)"),
    "exe": _("program (berkas yang dapat dijalankan)"),
    "zip": _("arsip ZIP"),
    "docx": _("dokumen Word (.docx)"),
    "ole": _("dokumen Office format lama (.doc/.xls) atau berkas Office yang dikunci kata sandi"),
    "gif": _("gambar GIF"),
    "webp": _("gambar WebP"),
    "heic": _("foto HEIC (format foto iPhone)"),
    "text": _("teks biasa"),
    "xml": _("dokumen XML atau SVG"),
    "rar": _("arsip RAR"),
    "7z": _("arsip 7-Zip"),
}


def human_size(size: int) -> str:
    """Bytes as people say them: `5 MB`, `1,5 MB`, `900 KB` (Indonesian decimal comma)."""
    if size >= MB:
        value, unit = size / MB, "MB"
    elif size >= 1024:
        value, unit = size / 1024, "KB"
    else:
        return f"{size} B"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} {unit}"


def _join_or(labels: Iterable[object]) -> str:
    words = [str(label) for label in labels]
    if len(words) <= 1:
        return "".join(words)
    return gettext("%(first)s atau %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


@dataclass(frozen=True)
class UploadPolicy:
    """What one use of an upload accepts: kinds (codes of `KINDS`) and the largest size in bytes."""

    kinds: frozenset[str] = field(default_factory=lambda: frozenset({"pdf", "jpeg", "png"}))
    max_bytes: int = 5 * MB
    max_pixels: int = DEFAULT_MAX_PIXELS

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", frozenset(self.kinds))
        unknown = self.kinds - KINDS.keys()
        if unknown or not self.kinds:
            raise ValueError(f"An upload policy needs kinds among {sorted(KINDS)}; got {sorted(self.kinds)}.")
        if self.max_bytes <= 0:
            raise ValueError("An upload policy needs a positive max_bytes.")

    @property
    def ordered_kinds(self) -> list[FileKind]:
        return [k for code, k in KINDS.items() if code in self.kinds]

    def allowed_label(self) -> str:
        """`PDF, JPEG atau PNG`"""
        return _join_or(k.label for k in self.ordered_kinds)

    def describe(self) -> str:
        """The hint shown under an upload field: `PDF, JPEG atau PNG, paling besar 5 MB.`"""
        return gettext("%(kinds)s, paling besar %(size)s.") % {
            "kinds": self.allowed_label(),
            "size": human_size(self.max_bytes),
        }

    def accept(self) -> str:
        """The `accept` attribute of a file input (a hint to the browser; the server still checks)."""
        parts = []
        for k in self.ordered_kinds:
            parts += [f".{ext}" for ext in k.extensions if ext != "txt"] + [k.content_type]
        return ",".join(parts)


DEFAULT_POLICY = UploadPolicy()
PDF_ONLY = UploadPolicy(kinds=frozenset({"pdf"}))
IMAGES_ONLY = UploadPolicy(kinds=frozenset({"jpeg", "png"}))
SPREADSHEETS = UploadPolicy(kinds=frozenset({"xlsx", "csv"}), max_bytes=10 * MB)


class UploadRefused(ValidationError):
    """An upload that is not what the use accepts; `message` says what is wrong and what to do."""


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    size: int
    sha256: str


# --- reading ---------------------------------------------------------------------------------------


def as_file(upload, name: str | None = None) -> File:
    """A Django `File` over an `UploadedFile`, a `File`, bytes or a binary stream."""
    if isinstance(upload, (bytes, bytearray, memoryview)):
        return File(io.BytesIO(bytes(upload)), name=name or "berkas")
    if isinstance(upload, File):
        return upload
    return File(upload, name=name or getattr(upload, "name", None) or "berkas")


def _rewind(f) -> None:
    f.seek(0)


def _hash_and_measure(f, *, limit: int) -> tuple[int, str]:
    """Size and SHA-256 of the whole file, read in chunks; stops as soon as the size passes `limit`."""
    _rewind(f)
    digest, size = hashlib.sha256(), 0
    while True:
        chunk = f.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            break
        digest.update(chunk)
    _rewind(f)
    return size, digest.hexdigest()


def _tail(f, size: int, n: int = 1024) -> bytes:
    f.seek(max(0, size - n))
    data = f.read(n)
    _rewind(f)
    return data


# --- sniffing --------------------------------------------------------------------------------------


def sniff(head: bytes) -> str | None:
    """The kind code (or a FOREIGN_LABELS key) that the first bytes announce; None when unknown."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return "zip"  # refined by _zip_kind
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"#!")):
        return "exe"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"mif1", b"msf1", b"hevc"}:
        return "heic"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta")):
        return "html"
    if start.startswith((b"<?xml", b"<svg")):
        return "xml"
    if b"\x00" not in head:
        try:
            # A chunk boundary may cut a multi-byte character: ignore an incomplete last one.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            return "text"
        except UnicodeDecodeError:
            return None
    return None


def _zip_kind(f) -> str:
    try:
        with zipfile.ZipFile(f) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip-broken"
    finally:
        _rewind(f)
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


# --- refusals ---------------------------------------------------------------------------------------


def _refuse(message, code: str, **params) -> UploadRefused:
    return UploadRefused(str(message) % params if params else str(message), code=code)


def _broken(kind: str) -> UploadRefused:
    messages = {
        "pdf": _("Berkas ini bukan PDF yang utuh (rusak atau terpotong). Simpan ulang dokumen sebagai PDF lalu unggah lagi."),
        "jpeg": _(
            "Berkas ini bukan gambar JPEG yang utuh (rusak atau terpotong). Simpan ulang fotonya sebagai JPEG lalu unggah lagi."
        ),
        "png": _(
            "Berkas ini bukan gambar PNG yang utuh (rusak atau terpotong). Simpan ulang gambarnya sebagai PNG lalu unggah lagi."
        ),
        "xlsx": _(
            "Berkas ini bukan berkas Excel (.xlsx) yang utuh. Buka di aplikasi lembar kerja, simpan sebagai "
            "Buku Kerja Excel (.xlsx), lalu unggah lagi."
        ),
        "csv": _(
            "Berkas ini bukan teks CSV berpengodean UTF-8. Simpan ulang sebagai “CSV UTF-8 (dipisahkan koma)”, "
            "lalu unggah lagi."
        ),
    }
    return _refuse(messages[kind], f"{kind}_broken")


def _name_extension(name: str | None) -> str:
    return os.path.splitext(name or "")[1].lstrip(".").lower()


def _wrong_kind(found: str | None, *, name: str | None, policy: UploadPolicy) -> UploadRefused:
    allowed = policy.allowed_label()
    if found in KINDS:
        return _refuse(
            _(
                "Berkas ini adalah %(found)s, sedangkan di sini hanya %(allowed)s yang diterima. "
                "Simpan atau ubah berkasnya menjadi %(allowed)s, lalu unggah lagi."
            ),
            "kind_not_allowed",
            found=KINDS[found].noun,
            allowed=allowed,
        )
    ext = _name_extension(name)
    claims = any(ext in k.extensions for k in policy.ordered_kinds)
    if found in FOREIGN_LABELS and claims:
        return _refuse(
            _(
                "Nama berkas ini berakhiran .%(ext)s, tetapi isinya %(found)s, bukan %(allowed)s. "
                "Simpan dokumen sebagai %(allowed)s, lalu unggah lagi."
            ),
            "disguised",
            ext=ext,
            found=FOREIGN_LABELS[found],
            allowed=allowed,
        )
    if found in FOREIGN_LABELS:
        return _refuse(
            _("Berkas ini berisi %(found)s, bukan %(allowed)s. Simpan dokumen sebagai %(allowed)s, lalu unggah lagi."),
            "kind_not_allowed",
            found=FOREIGN_LABELS[found],
            allowed=allowed,
        )
    return _refuse(
        _("Isi berkas ini tidak dikenali sebagai %(allowed)s. Simpan dokumen sebagai %(allowed)s, lalu unggah lagi."),
        "unknown_kind",
        allowed=allowed,
    )


# --- deep checks ------------------------------------------------------------------------------------


def _check_pdf(f, size: int) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    if b"%%EOF" not in _tail(f, size):
        raise _broken("pdf")
    try:
        reader = PdfFileReader(f, strict=False)
        encrypted = reader.encrypted
        if not encrypted:
            pages = reader.root["/Pages"]
            count = int(pages["/Count"])
            if count < 1:
                raise ValueError("a PDF without pages")
            # Resolve the first page: a cross-reference table that points into nothing fails here.
            pages["/Kids"][0]["/Type"]
    except Exception as exc:  # noqa: BLE001 - a hostile PDF may break the parser in any way; none may be a 500
        log.info("PDF refused: %s: %s", type(exc).__name__, exc)
        raise _broken("pdf") from None
    finally:
        _rewind(f)
    if encrypted:
        raise _refuse(
            _(
                "PDF ini dikunci dengan kata sandi atau enkripsi, sehingga isinya tidak dapat diperiksa. "
                "Buka PDF-nya, simpan ulang tanpa kata sandi (misalnya dengan Cetak lalu Simpan sebagai PDF), "
                "lalu unggah lagi."
            ),
            "pdf_encrypted",
        )


def _check_image(f, kind: str, size: int, policy: UploadPolicy) -> None:
    from PIL import Image

    expected = {"jpeg": "JPEG", "png": "PNG"}[kind]
    # The end-of-image marker (JPEG) or the IEND chunk (PNG) must be there: a cut-off upload lacks it.
    end = b"\xff\xd9" if kind == "jpeg" else b"IEND\xaeB`\x82"
    if end not in _tail(f, size):
        raise _broken(kind)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(f) as image:
                if image.format != expected:
                    raise ValueError(f"{image.format} is not {expected}")
                width, height = image.size
                if width * height > policy.max_pixels:
                    raise _refuse(
                        _(
                            "Resolusi gambar ini terlalu besar (%(width)s × %(height)s piksel). "
                            "Perkecil ukuran gambarnya, misalnya menjadi 4000 piksel di sisi terpanjang, lalu unggah lagi."
                        ),
                        "image_too_large",
                        width=width,
                        height=height,
                    )
                image.verify()
            _rewind(f)
            # verify() checks a PNG's chunks but not a JPEG's data: decode it (at 1/8 scale, which
            # still reads every entropy-coded segment) so that a truncated photo is caught.
            with Image.open(f) as image:
                if kind == "jpeg":
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            _("Resolusi gambar ini terlalu besar. Perkecil ukuran gambarnya, lalu unggah lagi."), "image_too_large"
        ) from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds of errors on hostile input
        log.info("%s refused: %s", expected, exc)
        raise _broken(kind) from None
    finally:
        _rewind(f)


def _check_xlsx(f, size: int) -> None:
    try:
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if len(infos) > XLSX_MAX_MEMBERS or "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise ValueError("not a workbook")
            if sum(i.file_size for i in infos) > XLSX_MAX_RATIO * max(size, MB):
                raise ValueError("unpacks too large")
            if any(i.flag_bits & 0x1 for i in infos):
                raise ValueError("encrypted members")
            content_types = archive.read("[Content_Types].xml")
            if b"spreadsheetml" not in content_types:
                raise ValueError("not a spreadsheet")
            if archive.testzip() is not None:
                raise ValueError("a corrupt member")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError):
        raise _broken("xlsx") from None
    finally:
        _rewind(f)


def _check_csv(f) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                decoder.decode(b"", final=True)
                break
            if b"\x00" in chunk:
                raise ValueError("NUL byte")
            decoder.decode(chunk)
    except (UnicodeDecodeError, ValueError):
        raise _broken("csv") from None
    finally:
        _rewind(f)


# --- the one entry point ----------------------------------------------------------------------------


def check_upload(upload, *, name: str | None = None, policy: UploadPolicy = DEFAULT_POLICY) -> CheckedUpload:
    """Check an upload against a policy by its content; return its real kind, size and SHA-256.

    Guarantees: the kind comes from the bytes only (the name and the browser's type are ignored,
    except to word a refusal); the whole file was read and checked for that kind; the size is at
    most `policy.max_bytes`. Raises `UploadRefused` otherwise. The file is left rewound.
    """
    f = as_file(upload, name)
    name = name or getattr(upload, "name", None)
    declared = getattr(f, "size", None)
    if declared is not None and declared > policy.max_bytes:
        raise _too_big(declared, policy)
    size, sha256 = _hash_and_measure(f, limit=policy.max_bytes)
    if size == 0:
        raise _refuse(
            _("Berkas ini kosong (0 bita). Periksa bahwa dokumennya tersimpan dengan benar, lalu unggah lagi."), "empty"
        )
    if size > policy.max_bytes:
        raise _too_big(size, policy)

    head = f.read(HEAD_BYTES)
    _rewind(f)
    found = sniff(head)
    if found == "zip":
        found = _zip_kind(f)
        if found == "zip-broken":
            found = "xlsx" if _name_extension(name) == "xlsx" and "xlsx" in policy.kinds else "zip"
    if found == "text" and "csv" in policy.kinds:
        found = "csv"
    if found not in policy.kinds:
        raise _wrong_kind(found, name=name, policy=policy)

    if found == "pdf":
        _check_pdf(f, size)
    elif found in ("jpeg", "png"):
        _check_image(f, found, size, policy)
    elif found == "xlsx":
        _check_xlsx(f, size)
    elif found == "csv":
        _check_csv(f)
    return CheckedUpload(kind=KINDS[found], size=size, sha256=sha256)


def _too_big(size: int, policy: UploadPolicy) -> UploadRefused:
    return _refuse(
        _(
            "Berkas ini berukuran %(size)s, melebihi batas %(limit)s. Perkecil berkasnya (misalnya kompres PDF-nya "
            "atau kecilkan resolusi fotonya), lalu unggah lagi."
        ),
        "too_large",
        size=human_size(size),
        limit=human_size(policy.max_bytes),
    )


def kind_for(code: str) -> FileKind:
    return KINDS[code]


__all__ = [
    "DEFAULT_POLICY",
    "IMAGES_ONLY",
    "KINDS",
    "PDF_ONLY",
    "SPREADSHEETS",
    "CheckedUpload",
    "FileKind",
    "UploadPolicy",
    "UploadRefused",
    "check_upload",
    "human_size",
    "sniff",
]
