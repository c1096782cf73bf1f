"""Track 2 pages under /c/<slug>/; each feature module brings its own patterns."""

from samenspel.learning.views import signals

urlpatterns = [
    *signals.urlpatterns,
]
