"""URL patterns of the communication records pages. No app_name: communication/urls.py includes this module inside
its own "communication" namespace, so the names are reversed as "communication:talk_list" and so on."""

from django.urls import path

from communication import pages

urlpatterns = [
    path("talks/", pages.TalkListView.as_view(), name="talk_list"),
    path("talks/new/", pages.TalkCreateView.as_view(), name="talk_create"),
    path("talks/<int:pk>/", pages.TalkDetailView.as_view(), name="talk_detail"),
    path("meetings/", pages.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", pages.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", pages.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/sibitan/", pages.SibitanMatrixView.as_view(), name="sibitan_matrix"),
    path("attachments/<int:pk>/", pages.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("agenda/", pages.AgendaItemListView.as_view(), name="agenda_item_list"),
    path("agenda/new/", pages.AgendaItemCreateView.as_view(), name="agenda_item_create"),
    path("agenda/<int:pk>/", pages.AgendaItemDetailView.as_view(), name="agenda_item_detail"),
    path("opinions/", pages.OpinionAwaitingView.as_view(), name="opinion_awaiting"),
    path("opinions/<int:pk>/", pages.OpinionRespondView.as_view(), name="opinion_respond"),
    path("absences/", pages.AbsenceListView.as_view(), name="absence_list"),
    path("absences/new/", pages.AbsenceCreateView.as_view(), name="absence_create"),
]
