"""Which language a request is answered in.

Pages are in Bahasa Indonesia unless the person chose English with the switch (a cookie): many
Indonesians' phones are set to English, and the interface is Indonesian first. The API follows the
client's Accept-Language, as API clients expect.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


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
