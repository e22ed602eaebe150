"""Reads of a business's files for its representatives: the current representatives (pengurus or kuasa, in
the registry of core.parties) of a business may follow the files submitted for it, whoever submitted them.

Read only: the file stays its applicant's to change, pay, withdraw or complain about (the services check
`applicant`). A draft stays its author's until it is submitted. A file is the business's when it is
linked to it (`Application.legal_entity`, set from its NIB and checked at submission). Everything is scoped
to the tenant; anyone else gets a 404, as for a file that does not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from balai.core.parties.models import LegalEntity
from balai.core.parties.selectors import entities_represented_by
from balai.core.tenants.models import Tenant

from .models import Application
from .selectors import _APP_RELATED


def _represented(user) -> QuerySet:
    return entities_represented_by(user=user, kind=LegalEntity.Kind.BUSINESS).order_by().values("pk")


def business_applications_for(*, tenant: Tenant, user) -> QuerySet[Application]:
    """The submitted files of the businesses `user` currently represents, in the tenant, that someone else
    applied for (their own are in their list already), newest first."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(tenant=tenant, legal_entity__in=_represented(user))
        .exclude(registration_number="")
        .exclude(applicant=user)
        .select_related(
            "permit_type", "workflow", "workflow__definition", "bill", "permit_document", "legal_entity"
        )
        .order_by("-created_at")
    )


def application_for_viewer(*, tenant: Tenant, user, pk: int) -> Application:
    """One file `user` may read in the tenant: their own (drafts included), or a submitted file of a
    business they currently represent. 404 otherwise (missing, foreign, or not theirs alike)."""
    if user is None or not user.is_authenticated:
        raise Http404
    rows = Application.objects.filter(tenant=tenant, pk=pk).select_related(*_APP_RELATED, "legal_entity")
    found = rows.filter(applicant=user).first()
    if found is None:
        found = rows.filter(legal_entity__in=_represented(user)).exclude(registration_number="").first()
    if found is None:
        raise Http404
    return found


def may_follow(*, user, application: Application) -> bool:
    """Whether `user` currently represents the business a submitted file is linked to."""
    if not application.legal_entity_id or not application.registration_number:
        return False
    return _represented(user).filter(pk=application.legal_entity_id).exists()
