"""A version of the accord as an A4 PDF (WeasyPrint) with its endorsers, kept for good once
made per language: a published version never changes (endorsements do: they are part of
the key through the community's content version)."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samenspel.accords.models import AccordVersion
from samenspel.core.release import release

KEPT = 60 * 60


def version_pdf(version: AccordVersion) -> bytes:
    language = translation.get_language() or "nl"
    community = version.accord.community
    key = f"accord-pdf:{release()}:{version.pk}:{community.content_version}:{language}"
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    from weasyprint import HTML  # loading Pango takes a moment

    html = render_to_string(
        "accords/version_pdf.html",
        {
            "version": version,
            "accord": version.accord,
            "community": community,
            "principles": list(version.articles.filter(kind="uitgangspunt")),
            "forms_": list(version.articles.filter(kind="werkvorm")),
            "endorsements": list(
                version.endorsements.filter(withdrawn_at__isnull=True).select_related(
                    "user", "organisation"
                )
            ),
            "printed_on": timezone.localdate(),
            "language": language,
        },
    )
    content = HTML(string=html, base_url=None).write_pdf()
    cache.set(key, content, KEPT)
    return content
