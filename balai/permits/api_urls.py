"""REST API of Perizinan Online under /api/v1/<tenant>/permits/ (namespace "permits_api")."""

app_name = "permits_api"
urlpatterns: list = []
