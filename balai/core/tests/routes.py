from balai.testing.routes import Route

RULES = [
    Route("healthz"),
    # GET only redirects back; the switch itself is a POST (see test_language.py).
    Route("set_language", default=302, post={}, post_default=302, post_data=lambda tw: {"language": "en", "next": "/"}),
]
