from balai.testing.routes import Route  # noqa: F401

RULES: list = []
