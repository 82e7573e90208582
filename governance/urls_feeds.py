"""Calendar subscription URLs. Included from governance/urls.py as `path("", include("governance.urls_feeds"))`.

/calendar/                the signed-in person's subscription page (copy, regenerate or stop the address)
/calendar/<token>.ics     the feed itself: no login, the token is the secret
"""

from django.urls import path

from governance import feeds

app_name = "calendar"

urlpatterns = [
    path("calendar/", feeds.CalendarFeedPageView.as_view(), name="page"),
    path("calendar/<str:token>.ics", feeds.calendar_feed, name="feed"),
]
