"""The demo catalogue of the specification (values are examples a tenant edits): Izin Reklame, PBG, SIP and
Izin Penelitian. Loaded for each demo tenant through the module manifest's `demo_loader`."""

from __future__ import annotations

from django.db import transaction

from balai.core.tenants.models import Tenant

from .models import PermitType
from .services import permit_type_save

KTP = {"code": "ktp", "label": "KTP pemohon", "kinds": ["pdf", "jpeg", "png"], "mandatory": True, "max_mb": 2}

REKLAME = dict(
    code="reklame",
    name="Izin Reklame",
    description=(
        "Izin memasang papan reklame. Pajak reklame = 25% × nilai sewa reklame (NSR); NSR = luas papan (m²) × "
        "lama pemasangan (hari) × tarif lokasi strategis. Papan lebih dari 10 m² disurvei di lapangan. "
        "Berlaku satu tahun dan dapat diperpanjang."
    ),
    sla_days=5,
    validity_months=12,
    renewable=True,
    renewal_window_days=30,
    inspection=PermitType.Inspection.BY_RULE,
    inspection_rule={"field": "lebar*tinggi", "op": ">", "value": 10},
    form_fields=[
        {"code": "judul", "label": "Naskah/judul reklame", "type": "text", "required": True, "max": 200},
        {"code": "alamat", "label": "Alamat lokasi papan", "type": "text", "required": True, "max": 300},
        {"code": "lebar", "label": "Lebar papan (m)", "type": "decimal", "required": True, "min": "0.1", "max": "50"},
        {"code": "tinggi", "label": "Tinggi papan (m)", "type": "decimal", "required": True, "min": "0.1", "max": "50"},
        {"code": "lama_hari", "label": "Lama pemasangan (hari)", "type": "integer", "required": True, "min": 1, "max": 365},
        {
            "code": "tarif_lokasi", "label": "Kelas lokasi strategis", "type": "choice", "required": True,
            "choices": [
                {"value": "A", "label": "Kelas A: jalan protokol (Rp 125.000/m²/hari)"},
                {"value": "B", "label": "Kelas B: jalan kolektor (Rp 75.000/m²/hari)"},
                {"value": "C", "label": "Kelas C: jalan lingkungan (Rp 25.000/m²/hari)"},
            ],
        },
    ],
    documents=[
        KTP,
        {"code": "desain", "label": "Desain/gambar reklame", "kinds": ["pdf", "jpeg", "png"], "mandatory": True, "max_mb": 5},
        {"code": "izin_pemilik", "label": "Surat persetujuan pemilik lahan/bangunan", "kinds": ["pdf"], "mandatory": True, "max_mb": 5},
    ],
    fee_model="formula",
    fee_config={
        "expression": "0.25 * lebar * tinggi * lama_hari * tarif_lokasi",
        "lookups": {"tarif_lokasi": {"A": 125000, "B": 75000, "C": 25000}},
        "rounding": "nearest",
    },
)

PBG = dict(
    code="pbg",
    name="Persetujuan Bangunan Gedung (PBG)",
    description=(
        "Persetujuan untuk membangun baru, mengubah, memperluas atau merawat bangunan gedung. Dinilai oleh tim "
        "teknis. Retribusi = luas lantai × indeks terpadu × harga satuan per m² (faktor 0,65 untuk perubahan). "
        "Lama proses 30 hari kerja dihitung sejak petugas menyatakan berkas lengkap."
    ),
    sla_days=30,
    sla_starts=PermitType.SlaStart.COMPLETE,
    validity_months=None,
    needs_recommendation=True,
    inspection=PermitType.Inspection.ALWAYS,
    form_fields=[
        {"code": "alamat", "label": "Alamat bangunan", "type": "text", "required": True, "max": 300},
        {"code": "fungsi", "label": "Fungsi bangunan", "type": "choice", "required": True, "choices": [
            {"value": "hunian", "label": "Hunian"}, {"value": "usaha", "label": "Usaha"},
            {"value": "sosial", "label": "Sosial dan budaya"},
        ]},
        {"code": "jenis", "label": "Jenis permohonan", "type": "choice", "required": True, "choices": [
            {"value": "baru", "label": "Bangunan baru"}, {"value": "ubah", "label": "Perubahan bentuk"},
        ]},
        {"code": "luas_lantai", "label": "Luas total lantai (m²)", "type": "decimal", "required": True, "min": "1", "max": "100000"},
        {"code": "jumlah_lantai", "label": "Jumlah lantai", "type": "integer", "required": True, "min": 1, "max": 100},
        {"code": "indeks", "label": "Indeks terpadu", "type": "decimal", "required": True, "min": "0.01", "max": "10",
         "help": "Indeks terpadu dari kelas fungsi, kompleksitas dan ketinggian bangunan; petugas memeriksanya."},
    ],
    documents=[
        KTP,
        {"code": "tanah", "label": "Bukti kepemilikan tanah", "kinds": ["pdf"], "mandatory": True, "max_mb": 10},
        {"code": "gambar", "label": "Gambar arsitektur dan struktur", "kinds": ["pdf"], "mandatory": True, "max_mb": 20},
    ],
    fee_model="formula",
    fee_config={
        "expression": "luas_lantai * indeks * 15000 * jenis",
        "lookups": {"jenis": {"baru": 1, "ubah": 0.65}},
        "rounding": "nearest",
    },
)

SIP = dict(
    code="sip",
    name="Surat Izin Praktik (SIP) Tenaga Kesehatan",
    description="Izin praktik bagi dokter, bidan dan perawat. Tanpa biaya. Membutuhkan STR dan rekomendasi organisasi profesi.",
    sla_days=5,
    validity_months=60,
    renewable=True,
    renewal_window_days=90,
    # The originals of the STR and the professional recommendation are checked at the counter.
    needs_appointment=True,
    form_fields=[
        {"code": "profesi", "label": "Profesi", "type": "choice", "required": True, "choices": [
            {"value": "dokter", "label": "Dokter"}, {"value": "bidan", "label": "Bidan"}, {"value": "perawat", "label": "Perawat"},
        ]},
        {"code": "nomor_str", "label": "Nomor STR", "type": "text", "required": True, "max": 40},
        {"code": "tempat_praktik", "label": "Nama dan alamat tempat praktik", "type": "text", "required": True, "max": 300},
    ],
    documents=[
        KTP,
        {"code": "str", "label": "Surat Tanda Registrasi (STR)", "kinds": ["pdf"], "mandatory": True, "max_mb": 5},
        {"code": "rekomendasi", "label": "Rekomendasi organisasi profesi", "kinds": ["pdf"], "mandatory": True, "max_mb": 5},
        {"code": "pas_foto", "label": "Pas foto", "kinds": ["jpeg", "png"], "mandatory": True, "max_mb": 2},
    ],
)

PENELITIAN = dict(
    code="penelitian",
    name="Izin Penelitian",
    description="Surat izin melakukan penelitian atau survei di wilayah ini. Tanpa biaya, tanpa survei lapangan.",
    sla_days=2,
    validity_months=6,
    form_fields=[
        {"code": "judul", "label": "Judul penelitian", "type": "text", "required": True, "max": 300},
        {"code": "lembaga", "label": "Lembaga/perguruan tinggi", "type": "text", "required": True, "max": 200},
        {"code": "lokasi", "label": "Lokasi penelitian", "type": "text", "required": True, "max": 300},
        {"code": "mulai", "label": "Tanggal mulai", "type": "date", "required": True},
        {"code": "selesai", "label": "Tanggal selesai", "type": "date", "required": True, "min_field": "mulai"},
    ],
    documents=[
        KTP,
        {"code": "pengantar", "label": "Surat pengantar lembaga", "kinds": ["pdf"], "mandatory": True, "max_mb": 5},
        {"code": "proposal", "label": "Proposal penelitian", "kinds": ["pdf"], "mandatory": False, "max_mb": 10},
    ],
)

CATALOGUE = (REKLAME, PBG, SIP, PENELITIAN)


DEMO_UNIT_CODE = "DPMPTSP"


@transaction.atomic
def demo_permit_catalogue(*, tenant: Tenant, actor=None) -> list[PermitType]:
    """Create the demo permit types in `tenant`, published. Idempotent: a type whose code exists is left
    as the tenant edited it."""
    from balai.core.orgs.models import Unit

    # The licensing office answers for the types, when the demo structure has one: its inbox opens on
    # them, and a late file is reported to its head.
    office = Unit.objects.filter(tenant=tenant, code=DEMO_UNIT_CODE).first()
    found = []
    existing = {t.code: t for t in PermitType.objects.filter(tenant=tenant)}
    for spec in CATALOGUE:
        if spec["code"] in existing:
            found.append(existing[spec["code"]])
            continue
        found.append(
            permit_type_save(
                tenant=tenant, actor=actor, is_published=True, note="Katalog contoh", unit=office, **spec
            )
        )
    return found
