"""URL routes: pages under i18n prefixes (nl default without prefix), API and health outside."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from samenspel.api import api
from samenspel.core import views as core_views
from samenspel.initiatives.views import registry as initiative_views
from samenspel.practice.views import questions as practice_views
from samenspel.workshops import urls as workshop_urls

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
]

if settings.BENCH_BASELINE:
    urlpatterns.append(path("bench/baseline", core_views.bench_baseline, name="bench_baseline"))

urlpatterns += i18n_patterns(
    path("", include("samenspel.core.urls")),
    path("my-work/", include("samenspel.work.urls")),
    path("accounts/", include("samenspel.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("c/", include("samenspel.communities.urls")),
    path("c/<slug:slug>/", include("samenspel.initiatives.urls")),
    path("c/<slug:slug>/", include("samenspel.learning.urls")),
    path("c/<slug:slug>/", include("samenspel.practice.urls")),
    path("c/<slug:slug>/", include("samenspel.council.urls")),
    path("c/<slug:slug>/", include("samenspel.accords.urls")),
    path("c/<slug:slug>/", include(workshop_urls.community_urlpatterns)),
    path("w/", include(workshop_urls.play_urlpatterns)),
    path("atlas/", initiative_views.national_atlas, name="national_atlas"),
    path("lessons/", practice_views.public_lesson_library, name="public_lessons"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler403 = "samenspel.core.views.permission_denied"
handler404 = "samenspel.core.views.page_not_found"
handler500 = "samenspel.core.views.server_error"
