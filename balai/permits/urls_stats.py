"""Routes of the permits module: stats pages (see views/stats.py)."""

urlpatterns: list = []
