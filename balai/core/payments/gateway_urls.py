app_name = "pay"
urlpatterns = []
