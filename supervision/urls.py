from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="task_list"),
    path("ledger.xlsx", views.LedgerExportView.as_view(), name="ledger_export"),
    path("import/", views.LedgerImportView.as_view(), name="ledger_import"),
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("regulation/", views.IndexView.as_view(), name="index"),
    path("tasks/new/", views.TaskCreateView.as_view(), name="task_create"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/notice/", views.NoticePrintView.as_view(), name="notice_print"),
    path("tasks/<int:pk>/notice.pdf", views.NoticePdfView.as_view(), name="notice_pdf"),
    path("tasks/<int:pk>/warnings/<int:warning>/", views.WarningPrintView.as_view(), name="warning_print"),
    path("tasks/<int:pk>/warnings/<int:warning>.pdf", views.WarningPdfView.as_view(), name="warning_pdf"),
    path("tasks/<int:pk>/history/", views.TaskHistoryView.as_view(), name="task_history"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
]
