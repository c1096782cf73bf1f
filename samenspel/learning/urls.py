"""Track 2 pages under /c/<slug>/; each feature module brings its own patterns."""

from samenspel.learning.views import (
    adjustments,
    catalogue,
    conversation,
    dashboard,
    following,
    signals,
    similar,
)

urlpatterns = [
    *similar.urlpatterns,
    *signals.urlpatterns,
    *conversation.urlpatterns,
    *adjustments.urlpatterns,
    *catalogue.urlpatterns,
    *dashboard.urlpatterns,
    *following.urlpatterns,
]
