app_name = "workflow"
urlpatterns = []
