"""Site-wide pages: home, health check, language choice and the bench baseline."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community, Membership


def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    public = Community.objects.public().search(query).with_member_count().order_by("name", "pk")
    page = Paginator(public, 24).get_page(request.GET.get("page"))
    mine = Community.objects.none()
    if request.user.is_authenticated:
        mine = (
            Community.objects.filter(
                archived_at__isnull=True,
                pk__in=Membership.objects.active().filter(user=request.user).values("community_id"),
            )
            .with_member_count()
            .order_by("name")
        )
    # htmx asks for the list alone while someone types in the search box.
    template = "core/home.html#community-list" if request.htmx else "core/home.html"  # type: ignore[attr-defined]
    return render(request, template, {"page_obj": page, "query": query, "my_communities": mine})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, keep the same page, and remember it for the person."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    # Resolve the page in the language it was shown in, then reverse it in the new one.
    with translation.override(
        translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE
    ):
        next_url = translate_url(next_url, language)
    response = HttpResponseRedirect(next_url)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    if request.user.is_authenticated and request.user.preferred_language != language:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


def bench_baseline(request: HttpRequest) -> HttpResponse:
    """The bare baseline of `make bench`: a short text through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")
