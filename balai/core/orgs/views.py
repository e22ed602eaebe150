from django.http import HttpResponse

from balai.core.accounts.access import tenant_perm_required


@tenant_perm_required("orgs.view")
def unit_list(request):  # placeholder until the organisation structure lands
    return HttpResponse("TODO", status=501)
