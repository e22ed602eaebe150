"""Telling a person that they now represent a business or organisation, or no longer do.

A representation belongs to no Pemda, but notifications (the in-app inbox and the outbox) are kept per
Pemda. The message goes to the person's "home" Pemda: the one of the entity's regency/city (then its
province) where the person is an active member, else the Pemda they joined first. Someone who is a member
of no Pemda has no inbox to read it in and gets no message (the audit chain still records the change).
"""

from __future__ import annotations

import logging

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

ADDED = "parties.representative_added"
ENDED = "parties.representative_ended"
# To the other current representatives: someone new may now act for the business (a take-over would not
# go unnoticed).
COLLEAGUE_ADDED = "parties.representative_colleague_added"


def register_templates() -> None:
    from balai.core.notifications.defaults import SIGNATURE_EN, SIGNATURE_ID, TemplateSpec, register

    sample = {
        "entity_name": "CV Citra Mandiri",
        "role": "Kuasa",
        "actor_name": "Budi Santoso",
        "link": "/accounts/badan/1/",
    }
    register(
        TemplateSpec(
            code=ADDED,
            label=_("Ditambahkan sebagai wakil badan usaha atau organisasi"),
            sample=sample,
            texts={
                ("", "id"): (
                    "Anda kini wakil {{ entity_name }}",
                    "Yth. {{ recipient_name }},\n\n{{ actor_name }} menambahkan Anda sebagai wakil ({{ role }}) "
                    "{{ entity_name }} di Balai. Anda kini dapat mengajukan dan mengikuti permohonan atas nama "
                    "{{ entity_name }}."
                    "\n\nBila Anda tidak mengenal {{ entity_name }} atau tidak mewakilinya, akhiri perwakilan ini "
                    "di Akun saya › Badan usaha dan organisasi{% if url %} ({{ url }}){% endif %}, lalu hubungi "
                    "kantor pelayanan." + SIGNATURE_ID,
                ),
                ("", "en"): (
                    "You now represent {{ entity_name }}",
                    "Dear {{ recipient_name }},\n\n{{ actor_name }} added you as a representative ({{ role }}) of "
                    "{{ entity_name }} on Balai. You can now submit and follow applications on behalf of "
                    "{{ entity_name }}."
                    "\n\nIf you do not know {{ entity_name }} or do not represent it, end this representation "
                    "under My account › Businesses and organisations{% if url %} ({{ url }}){% endif %}, then "
                    "contact the service office." + SIGNATURE_EN,
                ),
                ("sms", "id"): (
                    "",
                    "Balai: {{ actor_name }} menambahkan Anda sebagai wakil {{ entity_name }}.",
                ),
                ("sms", "en"): (
                    "",
                    "Balai: {{ actor_name }} added you as a representative of {{ entity_name }}.",
                ),
            },
        )
    )
    register(
        TemplateSpec(
            code=ENDED,
            label=_("Perwakilan badan usaha atau organisasi diakhiri"),
            sample=sample,
            texts={
                ("", "id"): (
                    "Perwakilan Anda untuk {{ entity_name }} diakhiri",
                    "Yth. {{ recipient_name }},\n\n{{ actor_name }} mengakhiri perwakilan Anda ({{ role }}) untuk "
                    "{{ entity_name }} di Balai. Anda tidak dapat lagi mengajukan permohonan atas nama "
                    "{{ entity_name }}; draf yang Anda siapkan untuknya tidak dapat diajukan lagi. Permohonan yang "
                    "sudah Anda ajukan tetap dapat Anda lihat."
                    "\n\nBila ini keliru, minta pengurus {{ entity_name }} menambahkan Anda kembali."
                    + SIGNATURE_ID,
                ),
                ("", "en"): (
                    "Your representation of {{ entity_name }} was ended",
                    "Dear {{ recipient_name }},\n\n{{ actor_name }} ended your representation ({{ role }}) of "
                    "{{ entity_name }} on Balai. You can no longer submit applications on behalf of "
                    "{{ entity_name }}; drafts you prepared for it can no longer be submitted. Applications you "
                    "already submitted stay visible to you."
                    "\n\nIf this is a mistake, ask an administrator of {{ entity_name }} to add you again."
                    + SIGNATURE_EN,
                ),
                ("sms", "id"): (
                    "",
                    "Balai: perwakilan Anda untuk {{ entity_name }} diakhiri oleh {{ actor_name }}.",
                ),
                ("sms", "en"): (
                    "",
                    "Balai: {{ actor_name }} ended your representation of {{ entity_name }}.",
                ),
            },
        )
    )
    register(
        TemplateSpec(
            code=COLLEAGUE_ADDED,
            label=_("Wakil baru ditambahkan pada badan usaha atau organisasi Anda"),
            sample={**sample, "new_name": "Hadi Saputra"},
            texts={
                ("", "id"): (
                    "Wakil baru untuk {{ entity_name }}: {{ new_name }}",
                    "Yth. {{ recipient_name }},\n\n{{ actor_name }} menambahkan {{ new_name }} sebagai wakil "
                    "({{ role }}) {{ entity_name }} di Balai. {{ new_name }} kini dapat mengajukan dan mengikuti "
                    "permohonan atas nama {{ entity_name }}."
                    "\n\nBila penambahan ini tidak Anda ketahui, akhiri perwakilan {{ new_name }} di Akun saya › "
                    "Badan usaha dan organisasi{% if url %} ({{ url }}){% endif %}." + SIGNATURE_ID,
                ),
                ("", "en"): (
                    "New representative of {{ entity_name }}: {{ new_name }}",
                    "Dear {{ recipient_name }},\n\n{{ actor_name }} added {{ new_name }} as a representative "
                    "({{ role }}) of {{ entity_name }} on Balai. {{ new_name }} can now submit and follow "
                    "applications on behalf of {{ entity_name }}."
                    "\n\nIf you did not know of this, end the representation of {{ new_name }} under My account "
                    "› Businesses and organisations{% if url %} ({{ url }}){% endif %}." + SIGNATURE_EN,
                ),
                ("sms", "id"): (
                    "",
                    "Balai: {{ actor_name }} menambahkan {{ new_name }} sebagai wakil {{ entity_name }}.",
                ),
                ("sms", "en"): (
                    "",
                    "Balai: {{ actor_name }} added {{ new_name }} as a representative of {{ entity_name }}.",
                ),
            },
        )
    )


def notify_colleagues(*, representative, actor) -> None:
    """Tell the entity's other current representatives (not the actor, not the new one) who was added."""
    from balai.core.notifications.services import notify

    from .models import Representative

    entity, person = representative.entity, representative.user
    colleagues = (
        Representative.objects.filter(entity=entity, until__isnull=True)
        .exclude(user_id__in=[person.pk, getattr(actor, "pk", None)])
        .select_related("user")
    )
    for colleague in colleagues:
        tenant = home_tenant(user=colleague.user, entity=entity)
        if tenant is None:
            continue
        notify(
            tenant=tenant,
            recipients=[colleague.user],
            template=COLLEAGUE_ADDED,
            actor=actor,
            context=_context(
                representative, actor, new_name=person.full_name or person.email, link=_link(entity)
            ),
        )


def home_tenant(*, user, entity):
    """The Pemda whose inbox gets a message about `entity` for `user`, or None (no active membership)."""
    from balai.core.accounts.models import Membership

    memberships = list(
        Membership.objects.filter(user=user, is_active=True, tenant__is_active=True)
        .select_related("tenant")
        .order_by("created_at", "pk")
    )
    if not memberships:
        return None
    province = entity.regency_code.split(".")[0] if entity.regency_code else ""
    for code in (entity.regency_code, province):
        found = next((m.tenant for m in memberships if code and m.tenant.code == code), None)
        if found is not None:
            return found
    return memberships[0].tenant


def _context(representative, actor, **extra) -> dict:
    """What every message about `representative` says: the entity, the role, who did it; then `extra`."""
    return {
        "entity_name": representative.entity.name,
        "role": str(representative.get_role_display()),
        "actor_name": (actor.full_name or actor.email) if actor is not None else "Balai",
        **extra,
    }


def _link(entity) -> str:
    try:
        return reverse("parties:entity_detail", kwargs={"pk": entity.pk})
    except NoReverseMatch:  # pragma: no cover - the pages are mounted
        return ""


def notify_representation(*, representative, template: str, actor) -> None:
    """Queue `template` (ADDED or ENDED) to the person of `representative`, in the caller's transaction."""
    from balai.core.notifications.services import notify

    person, entity = representative.user, representative.entity
    tenant = home_tenant(user=person, entity=entity)
    if tenant is None:
        log.info("representative %s has no Pemda to be notified in", representative.pk)
        return
    notify(
        tenant=tenant,
        recipients=[person],
        template=template,
        actor=actor,
        # The entity's page answers 404 once the representation ended: an ended one links nowhere.
        context=_context(representative, actor, link=_link(entity) if template == ADDED else ""),
    )
