"""The appointments app's guard on the permit workflow, registered from its AppConfig:

    permits.appointment_attended   a file whose type needs an appointment (originals checked at the
                                   counter, e.g. SIP) has an attended booking, or an officer's logged
                                   exception with its reason; any other type passes.

The permit workflow names it on the verify actions (verify, verify_inspect, verify_recommend), so that
no file of such a type is declared complete before the applicant came in. Returning for correction and
rejecting stay possible: they do not vouch for the originals.
"""

from __future__ import annotations

GUARD = "permits.appointment_attended"


def appointment_attended(*, instance, action, actor, data):
    from balai.permits.hooks import _application

    from .selectors_file import attendance_missing_message

    application = _application(instance)
    if application is None or not application.permit_type.needs_appointment:
        return None
    return attendance_missing_message(tenant=application.tenant, application=application)


def register() -> None:
    from balai.core.workflow.definitions import register_guard

    register_guard(GUARD, appointment_attended)
