from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("activities/<int:pk>/history/", views.ActivityHistoryView.as_view(), name="activity_history"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/<int:pk>/end/", views.ContactEndView.as_view(), name="contact_end"),
    path("mailbox/", views.MailboxView.as_view(), name="mailbox"),
    path("issues/", views.IssueListView.as_view(), name="issue_list"),
    path("issues/new/", views.IssueCreateView.as_view(), name="issue_create"),
    path("issues/<int:pk>/", views.IssueDetailView.as_view(), name="issue_detail"),
    path("ledger/", views.LedgerHomeView.as_view(), name="ledger_home"),
    path("ledger/<int:person_pk>/", views.LedgerView.as_view(), name="ledger"),
    path("ledger/<int:person_pk>/export/", views.LedgerExportView.as_view(), name="ledger_export"),
    path("assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("reception/", views.ReceptionScheduleView.as_view(), name="reception_schedule"),
    path("reception/rota/", views.ReceptionRotaView.as_view(), name="reception_rota"),
    path("reception/<int:pk>/", views.ReceptionSessionView.as_view(), name="reception_session"),
]
