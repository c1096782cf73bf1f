"""Track 1 pages under /c/<slug>/; each feature module brings its own patterns."""

from samenspel.initiatives.views import data, growth, registry, value

urlpatterns = [
    *registry.urlpatterns,
    *value.urlpatterns,
    *growth.urlpatterns,
    *data.urlpatterns,
]
