"""Which language a request is answered in.

Pages are in Bahasa Indonesia unless the person chose English with the switch (a cookie): many
Indonesians' phones are set to English, and the interface is Indonesian first. The API follows the
client's Accept-Language, as API clients expect.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.i18n import set_language as django_set_language


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


@csrf_exempt
def set_language(request):
    """Django's language switch, CSRF-checked for signed-in people only.

    Pages for anonymous visitors carry no CSRF token so that they can be cached whole (public
    tracking); another site switching an anonymous visitor's language does no harm."""
    if request.user.is_authenticated:
        return csrf_protect(django_set_language)(request)
    return django_set_language(request)
