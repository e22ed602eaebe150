"""Routes of the permits module: office pages (see views/office.py)."""

urlpatterns: list = []
