"""Downloads: a stored file goes only to those its module allows, as an attachment that cannot run.

Whoever is refused meets the 404 of a file that does not exist; a refused reach for a file of this tenant
is recorded on its audit chain (`files.download_refused`)."""

from __future__ import annotations

import logging

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from balai.core.accounts.access import officer_needs_second_factor
from balai.core.accounts.selectors import membership_for
from balai.core.audit.services import audit_refusal_soon

from . import rules
from .responses import stored_file_response
from .selectors import stored_file_get, stored_file_open

log = logging.getLogger(__name__)

# Kinds a browser may show in a tab (`?lihat=1`); everything else is only ever downloaded.
INLINE_KINDS = frozenset({"pdf", "jpeg", "png"})


@require_GET
def download(request, public_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    membership = membership_for(user=request.user, tenant=request.tenant)
    if officer_needs_second_factor(request, membership):
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}")
    stored = stored_file_get(tenant=request.tenant, public_id=public_id)
    if stored is None:
        raise Http404
    if not rules.may_download(user=request.user, tenant=request.tenant, stored_file=stored):
        # Refused like a file that does not exist, but recorded: someone of or in this tenant reached for it.
        audit_refusal_soon(
            tenant=request.tenant, actor=request.user, action="files.download_refused", obj=stored,
            data={"purpose": stored.purpose}, request=request,
        )
        raise Http404
    try:
        handle = stored_file_open(stored)
    except OSError:
        log.error("Stored file %s has no blob at %s", stored.public_id, stored.storage_key)
        raise Http404 from None
    inline = request.GET.get("lihat") == "1" and stored.kind in INLINE_KINDS
    return stored_file_response(request, stored, handle, membership=membership, inline=inline)
