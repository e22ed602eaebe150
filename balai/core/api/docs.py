"""Swagger UI at /api/v1/docs/, from the vendored sidecar assets and with no inline script or style,
so that it works under our Content Security Policy.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    # drf-spectacular's page carries an inline <style>; ours moves it to a static file.
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
