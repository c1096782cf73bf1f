"""Site-wide pages: home, health check, language choice and the bench baseline."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from samenspel.communities.models import Community, Membership
from samenspel.core.pagecache import cache_for_visitors


def public_communities_version(request: HttpRequest, kwargs: dict) -> str:
    return Community.objects.catalogue_version()


@cache_for_visitors(public_communities_version)
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


def set_language(request: HttpRequest) -> HttpResponse:
    """Show the same page in another language and remember the choice for the person.

    A plain link (GET), so it works without JavaScript and needs no form on every page.
    """
    language = request.GET.get("language", "")
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    # Resolve the page in the language it was shown in, then reverse it in the new one.
    with translation.override(
        translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE
    ):
        next_url = translate_url(next_url, language)
    if request.user.is_authenticated and request.user.preferred_language != language:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return HttpResponseRedirect(next_url)


def bench_baseline(request: HttpRequest) -> HttpResponse:
    """The bare baseline of `make bench`: a short text through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


# -- Pages a Dutch public service must have -------------------------------------------------


def _about_site() -> dict[str, object]:
    return {
        "site_owner": settings.SITE_OWNER,
        "contact_email": settings.CONTACT_EMAIL,
        "statement_date": settings.ACCESSIBILITY_STATEMENT_DATE,
    }


def help_page(request: HttpRequest) -> HttpResponse:
    """The loop's steps and each role, in plain words."""
    from samenspel.learning.stages import NEXT_STEP, Stage

    steps = [(Stage(stage).label, NEXT_STEP[stage]) for stage in STEP_ORDER]
    return render(request, "core/pages/help.html", {"steps": steps, **_about_site()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/accessibility.html", _about_site())


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/privacy.html", _about_site())


STEP_ORDER = [
    "gemeld",
    "besproken",
    "in-verkenning",
    "aanpassing-voorgesteld",
    "besloten",
    "teruggekoppeld",
    "afgesloten",
    "niet-opgepakt",
    "heropend",
]


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors: nothing that could fail again."""
    from django.template.loader import get_template

    return HttpResponse(get_template("500.html").render({}), status=500)
