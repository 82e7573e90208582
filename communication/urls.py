from django.urls import include, path

from communication import views

app_name = "communication"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("", include("communication.urls_records")),
]
