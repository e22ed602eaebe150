from balai.testing.routes import Route

ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
ADMIN_POST = {**ADMIN_ONLY, "admin": frozenset({302, 400})}

RULES = [
    Route("tenant_admin:settings", get=ADMIN_ONLY),
    Route(
        "tenant_admin:module_update",
        default=405,
        post=ADMIN_POST,
        kwargs=lambda tw: {"module": "permits"},
        post_data=lambda tw: {"permits-enabled": "on", "permits-reschedules_allowed": "2", "permits-agent_booking_cap": "5"},
    ),
    Route("tenant_admin:profile_update", default=405, post=ADMIN_POST, post_data=lambda tw: {"address": "Jl. Veteran 1"}),
]
