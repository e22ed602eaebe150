"""Routes of the permits module: catalogue pages (see views/catalogue.py)."""

urlpatterns: list = []
