"""Tenant pages of Perizinan Online, mounted at `/<tenant>/izin/` (namespace "permits").

The applicant's and the back office's pages are added here by their own views modules.
"""

app_name = "permits"

urlpatterns: list = []
