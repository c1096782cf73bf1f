"""The advice dossier as an A4 PDF (WeasyPrint), fit to send to the griffie: the question,
the advice, who endorsed it on each side, the linked signals with their practice stories,
the decisions and the history. Dutch typography (hyphenation in the reader's language,
dates written out), page numbers, and only fonts installed on the machine (DejaVu): nothing
is fetched from the web. Kept per content version and language, so a repeat download costs
nothing until the dossier (or anything in its community) changes."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samenspel.core.release import release
from samenspel.council.models import CouncilAdvice
from samenspel.council.services import endorsement_counts, linked_signals

KEPT = 60 * 60


def advice_pdf(advice: CouncilAdvice) -> bytes:
    language = translation.get_language() or "nl"
    key = f"advice-pdf:{release()}:{advice.pk}:{advice.community.content_version}:{language}"
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    content = render_pdf(advice)
    cache.set(key, content, KEPT)
    return content


def advice_html(advice: CouncilAdvice) -> str:
    endorsements = list(advice.endorsements.select_related("user", "organisation"))
    return render_to_string(
        "council/advice_pdf.html",
        {
            "advice": advice,
            "community": advice.community,
            "authors": list(advice.authors.all()),
            "counts": endorsement_counts(advice),
            "endorsements": endorsements,
            "signals": list(
                linked_signals(advice)
                .select_related("last_event", "raised_by")
                .prefetch_related("initiatives")
            ),
            "adjustments": list(advice.adjustments.select_related("policy_object")),
            "decisions": list(advice.decisions.all()),
            "events": list(advice.events.select_related("actor")),
            "printed_on": timezone.localdate(),
            "language": translation.get_language() or "nl",
        },
    )


def render_pdf(advice: CouncilAdvice) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    return HTML(string=advice_html(advice), base_url=None).write_pdf()
