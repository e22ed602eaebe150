"""Writes on the registry of legal persons: register an entity, change it, add and end representatives.

Every service runs in one transaction and writes its entry on the platform audit chain (an entity belongs
to no Pemda, like an account). Refusals are `ValidationError`s keyed by form field, in Indonesian, saying
what to do; nothing is saved on a refusal. Only a current representative may change an entity or its
representatives (PermissionDenied otherwise; the pages answer 404 before it comes to that).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.accounts.models import User
from balai.core.accounts.phone import normalize_phone
from balai.core.audit.services import audit_record, audit_refusal_soon, snapshot
from balai.core.tenants import regions

from . import notices
from .identifiers import nib_clean, npwp_clean
from .models import LegalEntity, Representative

log = logging.getLogger(__name__)

ENTITY_FIELDS = ["kind", "name", "nib", "npwp", "address", "regency_code"]
NAME_MAX = 200
ADDRESS_MAX = 300


class NibTaken(ValidationError):
    """The NIB belongs to a registered business; carries the audit entry of the refused attempt."""

    def __init__(self, message, *, audit_entry: dict):
        super().__init__(message)
        self.audit_entry = audit_entry




def _nib_taken_message() -> str:
    return _(
        "NIB ini sudah terdaftar di Balai. Jika Anda mengurus badan usaha ini, minta salah satu wakilnya yang sudah "
        "terdaftar menambahkan Anda (dengan surel atau nomor ponsel akun Anda) lewat Akun saya › Badan usaha "
        "dan organisasi › Tambah wakil. Jika NIB ini milik usaha Anda tetapi Anda tidak mengenal wakilnya, "
        "hubungi kantor DPMPTSP."
    )


def _clean_entity(
    *, kind: str, name: str, nib: str | None, npwp: str | None, address: str, regency_code: str
) -> dict[str, str]:
    """The entity's fields cleaned; every refusal at once, keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned = {
        "kind": kind,
        "name": " ".join((name or "").split()),
        "address": " ".join((address or "").split()),
        "regency_code": (regency_code or "").strip(),
    }
    if kind not in LegalEntity.Kind.values:
        errors["kind"] = [_("Pilih jenisnya: badan usaha atau organisasi.")]
    if not cleaned["name"]:
        errors["name"] = [
            _("Tulis nama badan usaha seperti di NIB, misalnya CV Maju Jaya.")
            if kind == LegalEntity.Kind.BUSINESS
            else _("Tulis nama organisasi seperti di akta pendirian, misalnya Yayasan Peduli Sesama.")
        ]
    elif len(cleaned["name"]) > NAME_MAX:
        errors["name"] = [_("Nama paling panjang %(max)d karakter.") % {"max": NAME_MAX}]
    try:
        cleaned["nib"] = nib_clean(nib)
    except ValidationError as exc:
        errors["nib"] = exc.messages
    else:
        if kind == LegalEntity.Kind.BUSINESS and not cleaned["nib"]:
            errors["nib"] = [
                _("Tulis NIB badan usaha: 13 angka dari OSS. Belum punya NIB? Buat gratis di oss.go.id, lalu kembali ke sini.")
            ]
        elif kind == LegalEntity.Kind.ORGANISATION and cleaned["nib"]:
            errors["nib"] = [_("NIB hanya untuk badan usaha. Kosongkan NIB, atau daftarkan sebagai badan usaha.")]
    try:
        cleaned["npwp"] = npwp_clean(npwp)
    except ValidationError as exc:
        errors["npwp"] = exc.messages
    if not cleaned["address"]:
        errors["address"] = [_("Tulis alamat lengkap: jalan, nomor, RT/RW, kelurahan dan kecamatan.")]
    elif len(cleaned["address"]) > ADDRESS_MAX:
        errors["address"] = [_("Alamat paling panjang %(max)d karakter.") % {"max": ADDRESS_MAX}]
    region = regions.get(cleaned["regency_code"]) if cleaned["regency_code"] else None
    if region is None or region.level != 2:
        errors["regency_code"] = [_("Pilih kabupaten atau kota tempat alamat itu berada.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_nib_free(*, nib: str, actor, entity: LegalEntity | None = None) -> None:
    others = LegalEntity.objects.filter(kind=LegalEntity.Kind.BUSINESS, nib=nib)
    if entity is not None:
        others = others.exclude(pk=entity.pk)
    existing = others.first()
    if existing is not None:
        raise NibTaken(
            {"nib": [_nib_taken_message()]},
            audit_entry={
                "tenant": None, "actor": actor, "action": "parties.entity_nib_refused", "obj": existing,
                "data": {"reason": "nib_taken"},
            },
        )


def _require_representative(*, entity: LegalEntity, actor) -> None:
    if actor is None or not Representative.objects.filter(entity=entity, user=actor, until__isnull=True).exists():
        raise PermissionDenied


def _keeping_nib_refusals(fn, **kwargs):
    """Run `fn` atomically; a refused NIB (someone claiming a registered business) stays on the audit chain."""
    try:
        with transaction.atomic():
            return fn(**kwargs)
    except NibTaken as taken:
        audit_refusal_soon(**taken.audit_entry)
        raise ValidationError(taken.error_dict) from None
    except IntegrityError as exc:
        # Two people registering the same NIB at once: the second one meets the unique constraint.
        if "legalentity_business_nib_unique" not in str(exc) and "parties_legalentity.nib" not in str(exc):
            raise
        raise ValidationError({"nib": [_nib_taken_message()]}) from None


# --- entities ----------------------------------------------------------------------------------------


def entity_register(
    *,
    kind: str,
    name: str,
    nib: str | None = "",
    npwp: str | None = "",
    address: str,
    regency_code: str,
    actor: User,
    role: str = Representative.Role.PENGURUS,
) -> LegalEntity:
    """Register a business or an organisation, with `actor` as its first representative (`role`).

    Guarantees: a business has a valid NIB that no other registered business has (a taken NIB is refused
    with what to do instead, and the attempt is kept on the audit chain); an organisation has no NIB; a
    given NPWP passes its check digit; the regency/city is one of the Kemendagri list. Nothing is saved on
    a refusal.
    """
    return _keeping_nib_refusals(
        _entity_register, kind=kind, name=name, nib=nib, npwp=npwp, address=address, regency_code=regency_code,
        actor=actor, role=role,
    )


def _entity_register(*, kind, name, nib, npwp, address, regency_code, actor, role) -> LegalEntity:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    errors = {}
    try:
        cleaned = _clean_entity(kind=kind, name=name, nib=nib, npwp=npwp, address=address, regency_code=regency_code)
    except ValidationError as exc:
        errors, cleaned = exc.message_dict, None
    if role not in Representative.Role.values:
        errors["role"] = [_("Pilih peran Anda: pengurus atau kuasa.")]
    if errors:
        raise ValidationError(errors)
    if cleaned["nib"]:
        _check_nib_free(nib=cleaned["nib"], actor=actor)
    entity = LegalEntity.objects.create(**cleaned, created_by=actor)
    representative = Representative.objects.create(entity=entity, user=actor, role=role, since=entity.created_at, added_by=actor)
    audit_record(
        tenant=None, actor=actor, action="parties.entity_register", obj=entity,
        data={"kind": entity.kind, "regency_code": entity.regency_code, "representative": representative.pk, "role": role},
        after=snapshot(entity, ENTITY_FIELDS),
    )
    log.info("legal entity registered", extra={"entity_id": entity.pk, "user_id": actor.pk})
    return entity


def entity_update(
    *,
    entity: LegalEntity,
    name: str,
    nib: str | None = None,
    npwp: str | None = "",
    address: str,
    regency_code: str,
    actor: User,
) -> LegalEntity:
    """Correct an entity's name, NIB (a business's, to a free one), NPWP, address or regency/city.

    Only a current representative may; the kind never changes. `nib=None` keeps the NIB as it is.
    Guarantees as `entity_register`.
    """
    return _keeping_nib_refusals(
        _entity_update, entity=entity, name=name, nib=nib, npwp=npwp, address=address, regency_code=regency_code,
        actor=actor,
    )


def _entity_update(*, entity, name, nib, npwp, address, regency_code, actor) -> LegalEntity:
    entity = LegalEntity.objects.select_for_update().get(pk=entity.pk)
    _require_representative(entity=entity, actor=actor)
    cleaned = _clean_entity(
        kind=entity.kind, name=name, nib=entity.nib if nib is None else nib, npwp=npwp, address=address,
        regency_code=regency_code,
    )
    if cleaned["nib"] and cleaned["nib"] != entity.nib:
        _check_nib_free(nib=cleaned["nib"], actor=actor, entity=entity)
    before = snapshot(entity, ENTITY_FIELDS)
    changed = [f for f in ENTITY_FIELDS if getattr(entity, f) != cleaned[f]]
    if not changed:
        return entity
    for field in changed:
        setattr(entity, field, cleaned[field])
    entity.save(update_fields=changed)
    audit_record(
        tenant=None, actor=actor, action="parties.entity_update", obj=entity,
        before=before, after=snapshot(entity, ENTITY_FIELDS),
    )
    return entity


# --- representatives -----------------------------------------------------------------------------------


def _person_by_contact(contact: str) -> User | None:
    contact = (contact or "").strip()
    if "@" in contact:
        return User.objects.filter(email__iexact=contact, is_active=True).first()
    phone = normalize_phone(contact)
    return User.objects.filter(phone=phone, is_active=True).first() if phone else None


@transaction.atomic
def representative_add(*, entity: LegalEntity, contact: str, role: str, actor: User) -> Representative:
    """Make the person with this e-mail address or phone number (an existing account) a representative, and
    tell them (in-app and by e-mail, in their home Pemda: see notices.py).

    Only a current representative may. Refused (keyed "contact") when no active account has that address or
    number, or when the person already represents the entity; (keyed "role") for an unknown role.
    """
    entity = LegalEntity.objects.select_for_update().get(pk=entity.pk)
    _require_representative(entity=entity, actor=actor)
    errors: dict[str, list[str]] = {}
    person = None
    if not (contact or "").strip():
        errors["contact"] = [_("Tulis surel atau nomor ponsel akun Balai orang yang ingin Anda tambahkan.")]
    else:
        person = _person_by_contact(contact)
        if person is None:
            errors["contact"] = [
                _(
                    "Tidak ada akun Balai dengan surel atau nomor ponsel ini. Periksa penulisannya, atau minta orang "
                    "itu mendaftar di Balai lebih dahulu, lalu tambahkan lagi."
                )
            ]
        elif Representative.objects.filter(entity=entity, user=person, until__isnull=True).exists():
            errors["contact"] = [
                _("%(name)s sudah menjadi wakil %(entity)s.") % {"name": person.full_name, "entity": entity.name}
            ]
    if role not in Representative.Role.values:
        errors["role"] = [_("Pilih perannya: pengurus atau kuasa.")]
    if errors:
        raise ValidationError(errors)
    representative = Representative.objects.create(entity=entity, user=person, role=role, added_by=actor)
    audit_record(
        tenant=None, actor=actor, action="parties.representative_add", obj=representative,
        data={"entity": entity.pk, "user": person.pk, "role": role},
    )
    notices.notify_representation(representative=representative, template=notices.ADDED, actor=actor)
    notices.notify_colleagues(representative=representative, actor=actor)
    return representative


@transaction.atomic
def representative_end(*, representative: Representative, actor: User) -> Representative:
    """End a current representation (the row stays, with `until`, as history); one may end one's own. The
    person is told when someone else ended it.

    Only a current representative of the same entity may. The entity keeps at least one representative:
    ending the last one is refused (ValidationError) with what to do instead.
    """
    # The entity's row lock serialises representative changes, so two people cannot end each other at once.
    entity = LegalEntity.objects.select_for_update().get(pk=representative.entity_id)
    _require_representative(entity=entity, actor=actor)
    representative = Representative.objects.select_related("user").get(pk=representative.pk)
    if representative.until is not None:
        raise ValidationError(_("Perwakilan ini sudah berakhir."))
    if not Representative.objects.filter(entity=entity, until__isnull=True).exclude(pk=representative.pk).exists():
        raise ValidationError(
            _(
                "%(name)s adalah satu-satunya wakil %(entity)s. Tambahkan wakil lain lebih dahulu, lalu akhiri "
                "perwakilan ini."
            )
            % {"name": representative.user.full_name, "entity": entity.name}
        )
    representative.until, representative.ended_by = timezone.now(), actor
    representative.save(update_fields=["until", "ended_by"])
    audit_record(
        tenant=None, actor=actor, action="parties.representative_end", obj=representative,
        data={"entity": entity.pk, "user": representative.user_id, "role": representative.role},
    )
    if representative.user_id != actor.pk:  # one who ends one's own knows it already
        notices.notify_representation(representative=representative, template=notices.ENDED, actor=actor)
    return representative
