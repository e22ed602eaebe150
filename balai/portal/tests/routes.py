from django.core.files.base import ContentFile

from balai.testing.routes import Route

# The smallest valid PNG: one transparent pixel.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

OFFICERS_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403}


def build(tw):
    tw.tenant.logo.save("logo.png", ContentFile(PNG), save=True)


RULES = [
    Route("portal:landing"),
    Route("tenant:home"),
    Route("tenant:logo"),
    Route("tenant:dashboard", get=OFFICERS_ONLY),
]
