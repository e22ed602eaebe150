import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from balai.testing.personas import build_world


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Tenant lookups are cached; the database rolls back between tests, so the caches must too.
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware activates a request's language in the test's own thread and never resets it:
    # without this, a test after an English request would read English messages.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WAIVE_OFFICER_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db):
    return build_world()
