app_name = "audit_tenant"
urlpatterns = []
