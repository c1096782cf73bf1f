"""Track 2 pages under /c/<slug>/; each feature module brings its own patterns."""

from samenspel.learning.views import (
    adjustments,
    catalogue,
    dashboard,
    following,
    signals,
    similar,
)

urlpatterns = [
    *similar.urlpatterns,
    *signals.urlpatterns,
    *adjustments.urlpatterns,
    *catalogue.urlpatterns,
    *dashboard.urlpatterns,
    *following.urlpatterns,
]
