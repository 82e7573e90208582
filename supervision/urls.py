from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
