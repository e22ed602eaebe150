from balai.testing.routes import Route

SIGNED_IN = {"anonymous": 302}

RULES = [
    Route("accounts:login", default=302, get={"anonymous": 200}),
    Route("accounts:logout", default=405, post={}, post_default=302),
    Route("accounts:home", get=SIGNED_IN),
    Route("accounts:two_factor", default=501),
    Route("tenant_accounts:register", default=501),
    Route(
        "tenant_accounts:officer_list",
        get={"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403},
    ),
]
