"""The permits endpoints are in the OpenAPI schema, which validates without warnings."""

from django.core.management import call_command

PATHS = (
    "/api/v1/{tenant}/permits/types/",
    "/api/v1/{tenant}/permits/types/{code}/",
    "/api/v1/{tenant}/permits/types/{code}/quote/",
    "/api/v1/{tenant}/permits/track/{registration_number}/",
    "/api/v1/{tenant}/permits/applications/",
    "/api/v1/{tenant}/permits/applications/{id}/",
    "/api/v1/{tenant}/permits/applications/{id}/documents/",
    "/api/v1/{tenant}/permits/applications/{id}/submit/",
    "/api/v1/{tenant}/permits/applications/{id}/timeline/",
    "/api/v1/{tenant}/permits/applications/{id}/pay/",
    "/api/v1/{tenant}/permits/applications/{id}/permit/",
    "/api/v1/{tenant}/permits/applications/{id}/withdraw/",
    "/api/v1/{tenant}/permits/inbox/",
    "/api/v1/{tenant}/permits/applications/{id}/actions/{action}/",
)


def test_the_schema_lists_every_permits_endpoint_with_its_bodies(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in PATHS:
        assert f"  {path}:" in text, path
    for component in ("PermitTypeDetail:", "Quote:", "Tracking:", "Application:", "ApplicationCreateRequest:",
                      "DocumentUploadRequest:", "Payment:", "InboxRow:", "ActionRequest:"):
        assert f"    {component}" in text, component
    assert "application/pdf" in text and "multipart/form-data" in text
    assert "`all`, every unit" in text  # the inbox's unit parameter (own units by default)
