"""Routes of the permits module: public pages (see views/public.py)."""

urlpatterns: list = []
