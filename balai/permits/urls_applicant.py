"""Routes of the permits module: applicant pages (see views/applicant.py)."""

urlpatterns: list = []
