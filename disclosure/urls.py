from django.urls import path

from disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("items/", views.ItemListView.as_view(), name="item_list"),
    path("register.xlsx", views.RegisterExportView.as_view(), name="register_export"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("archive/register.xlsx", views.ArchiveExportView.as_view(), name="archive_export"),
    path("items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/opinion/", views.PublicFeedbackView.as_view(), name="public_feedback"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item_update"),
    path("items/<int:pk>/history/", views.ItemHistoryView.as_view(), name="item_history"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("public/", views.PublicListView.as_view(), name="public"),
    path("public/feed/", views.PublicFeed(), name="public_feed"),
]
