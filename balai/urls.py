"""Routes. Platform pages sit at the root; every tenant page sits under `/<tenant>/` (see TenantMiddleware).

Every route here is enumerated by the isolation harness (tests/test_isolation.py): a new route fails
the suite until its access rules are declared in an app's `tests/routes.py`.
"""

from django.urls import include, path

from balai.core import ops
from balai.core.i18n import set_language

tenant_patterns = [
    path("", include("balai.portal.tenant_urls")),
    path("akun/", include("balai.core.accounts.tenant_urls")),
    path("kelola/", include("balai.core.tenants.urls")),
    path("organisasi/", include("balai.core.orgs.urls")),
    path("hari-kerja/", include("balai.core.workdays.urls")),
    path("audit/", include("balai.core.audit.tenant_urls")),
    path("berkas/", include("balai.core.files.urls")),
    path("dokumen/", include("balai.core.documents.urls")),
    path("pembayaran/", include("balai.core.payments.urls")),
    path("alur/", include("balai.core.workflow.urls")),
    path("notifikasi/", include("balai.core.notifications.urls")),
    path("integritas/", include("balai.core.integrity.urls")),
    path("pekerjaan/", include("balai.core.jobs.urls")),
    path("token-api/", include("balai.core.api.tenant_urls")),
    path("izin/", include("balai.permits.urls")),
]

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/badan/", include("balai.core.parties.urls")),
    path("accounts/", include("balai.core.accounts.urls")),
    path("audit/", include("balai.core.audit.urls")),
    path("verify/", include("balai.core.documents.verify_urls")),
    path("pay/", include("balai.core.payments.gateway_urls")),
    # Modules' API routes come before the core API's catch-all JSON 404.
    path("api/v1/<slug:tenant>/permits/", include("balai.permits.api_urls")),
    path("api/v1/", include("balai.core.api.urls")),
    path("", include("balai.portal.urls")),
    path("<slug:tenant>/", include(tenant_patterns)),
]

handler404 = "balai.core.ops.not_found"
handler403 = "balai.core.ops.forbidden"
handler500 = "balai.core.ops.server_error"
