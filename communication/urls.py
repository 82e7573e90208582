from django.urls import path

from communication import views

app_name = "communication"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("talks/", views.TalkListView.as_view(), name="talk_list"),
    path("talks/new/", views.TalkCreateView.as_view(), name="talk_create"),
    path("talks/<int:pk>/", views.TalkDetailView.as_view(), name="talk_detail"),
    path("talks/<int:pk>/edit/", views.TalkUpdateView.as_view(), name="talk_update"),
    path("talks/<int:pk>/delete/", views.TalkDeleteView.as_view(), name="talk_delete"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("meetings/<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="meeting_delete"),
    path("meetings/<int:pk>/sibitan/", views.SibitanMatrixView.as_view(), name="sibitan_matrix"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("agenda/", views.AgendaItemListView.as_view(), name="agenda_item_list"),
    path("agenda/new/", views.AgendaItemCreateView.as_view(), name="agenda_item_create"),
    path("agenda/<int:pk>/", views.AgendaItemDetailView.as_view(), name="agenda_item_detail"),
    path("opinions/", views.OpinionAwaitingView.as_view(), name="opinion_awaiting"),
    path("opinions/<int:pk>/", views.OpinionRespondView.as_view(), name="opinion_respond"),
    path("absences/", views.AbsenceListView.as_view(), name="absence_list"),
    path("absences/new/", views.AbsenceCreateView.as_view(), name="absence_create"),
    path("absences/<int:pk>/", views.AbsenceDetailView.as_view(), name="absence_detail"),
    path("absences/<int:pk>/edit/", views.AbsenceUpdateView.as_view(), name="absence_update"),
    path("absences/<int:pk>/delete/", views.AbsenceDeleteView.as_view(), name="absence_delete"),
]
