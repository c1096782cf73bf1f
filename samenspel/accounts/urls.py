from django.urls import path

from samenspel.accounts import views
from samenspel.core import inbox

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read-all/", inbox.mark_all_read, name="mark_all_notifications_read"),
    path("inbox/<int:notification_id>/", inbox.open_notification, name="open_notification"),
    path("inbox/<int:notification_id>/read/", inbox.mark_read, name="mark_notification_read"),
    path("notifications/", inbox.preferences, name="notification_preferences"),
]
