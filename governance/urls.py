"""Root URLconf: accounts, admin, language switch, health check, home, and one prefix per family app."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from governance import dashboard_views, policy_views, reminder_views, views

accounts_patterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz/", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True)),
    path("overview/", dashboard_views.OverviewView.as_view(), name="overview"),
    path("overview/cell/", dashboard_views.OverviewCellView.as_view(), name="overview_cell"),
    path("overview/print/", dashboard_views.OverviewPrintView.as_view(), name="overview_print"),
    path("overview/export.xlsx", dashboard_views.OverviewExportView.as_view(), name="overview_export"),
    path(
        "overview/cell/withdraw/",
        dashboard_views.OverviewExcuseWithdrawView.as_view(),
        name="overview_excuse_withdraw",
    ),
    path("reminders/preview/", reminder_views.ReminderPreviewView.as_view(), name="reminder_preview"),
    path(
        "reminders/preview/<int:person_id>/email.html",
        reminder_views.ReminderPreviewHtmlView.as_view(),
        name="reminder_preview_html",
    ),
    path("policies/adopt/", policy_views.PolicyAdoptView.as_view(), name="policy_adopt"),
    path("", include("governance.urls_feeds")),
    path("admin/", admin.site.urls),
    # Only the account pages the portal uses: the office resets forgotten passwords in the admin.
    path("accounts/", include(accounts_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("communication/", include("communication.urls")),
    path("outreach/", include("outreach.urls")),
    path("disclosure/", include("disclosure.urls")),
    path("supervision/", include("supervision.urls")),
]
