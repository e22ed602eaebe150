from balai.testing.routes import Route

RULES = [
    Route("orgs:unit_list", default=501, get={"anonymous": 302, "outsider": 403, "citizen": 403}),
]
