"""Track 1 pages under /c/<slug>/; each feature module brings its own patterns."""

from samenspel.initiatives.views import data, growth, registry, value

urlpatterns = [
    # data first: its initiatives/import/ would otherwise be taken for an initiative's page.
    *data.urlpatterns,
    *registry.urlpatterns,
    *value.urlpatterns,
    *growth.urlpatterns,
]
