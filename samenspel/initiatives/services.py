"""Writes of track 1 that span models or send mail, and the value computations."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership
from samenspel.communities.services import CommunityError
from samenspel.core.notifications import notify
from samenspel.initiatives.choices import RequestStatus, Review
from samenspel.initiatives.models import (
    EmissionFactor,
    Indicator,
    IndicatorValue,
    Initiative,
    SupportOffer,
    SupportRequest,
)

GAS_SAVED = "gas-saved"


# Short names that would clash with the pages under /c/<slug>/initiatives/.
RESERVED_SLUGS = frozenset({"register", "review", "export", "import"})


def unique_slug(community: Community, name: str) -> str:
    base = slugify(name)[:70] or "initiatief"
    slug, n = base, 2
    while (
        slug in RESERVED_SLUGS or Initiative.objects.filter(community=community, slug=slug).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def register_initiative(*, community: Community, applicant: User, **fields: object) -> Initiative:
    """'Meld je initiatief aan': the initiative waits for a steward's review."""
    name = str(fields.pop("name")).strip()
    if Initiative.objects.filter(community=community, name__iexact=name).exists():
        raise CommunityError(
            _("An initiative with this name is already registered."), code="duplicate_name"
        )
    neighbourhoods = fields.pop("neighbourhoods", None)
    initiative = Initiative.objects.create(
        community=community,
        applicant=applicant,
        name=name,
        slug=unique_slug(community, name),
        review=Review.PENDING,
        **fields,
    )
    if neighbourhoods:
        initiative.neighbourhoods.set(neighbourhoods)  # type: ignore[arg-type]
    stewards = User.objects.filter(
        pk__in=Membership.objects.stewards().filter(community=community).values("user_id")
    )
    notify(
        stewards,
        subject=lambda: _("New initiative to review: %(name)s") % {"name": name},
        template="initiatives/email/registered.txt",
        context={
            "initiative": initiative,
            "url": _absolute(reverse("review_initiatives", args=[community.slug])),
        },
    )
    return initiative


@transaction.atomic
def review_initiative(
    *, initiative: Initiative, steward: User, decision: str, note: str = ""
) -> Initiative:
    """List it, ask for more, or decline it with a reason; the applicant hears either way."""
    if decision not in (Review.LISTED, Review.MORE_INFO, Review.DECLINED):
        raise CommunityError(_("Choose a valid decision."), code="invalid_decision", status=400)
    if decision in (Review.MORE_INFO, Review.DECLINED) and not note.strip():
        raise CommunityError(
            _("Say what is needed or why, so the initiative knows where it stands."),
            code="reason_required",
            status=400,
        )
    initiative.review = decision
    initiative.review_note = note.strip()
    initiative.save(update_fields=["review", "review_note", "updated_at"])
    if initiative.applicant is not None:
        notify(
            [initiative.applicant],
            subject=lambda: _("Your initiative %(name)s") % {"name": initiative.name},
            template="initiatives/email/reviewed.txt",
            context={
                "initiative": initiative,
                "decision": decision,
                "url": _absolute(initiative.get_absolute_url()),
            },
        )
    return initiative


@transaction.atomic
def record_value(
    *,
    initiative: Initiative,
    indicator: Indicator,
    year: int,
    entered_by: User,
    value: Decimal | None = None,
    text: str = "",
    source: str = "",
) -> IndicatorValue:
    """Enter or correct one figure; the previous value stays in the history."""
    if indicator.community_id != initiative.community_id:
        raise CommunityError(_("This indicator belongs to another community."), code="indicator")
    record, _created = IndicatorValue.objects.update_or_create(
        initiative=initiative,
        indicator=indicator,
        year=year,
        defaults={"value": value, "text": text, "source": source, "entered_by": entered_by},
    )
    return record


@transaction.atomic
def request_support(
    *, initiative: Initiative, offer_id: int, message: str, requested_by: User
) -> SupportRequest:
    offer = SupportOffer.objects.filter(community=initiative.community, pk=offer_id).first()
    if offer is None:
        raise CommunityError(
            _("This support is not offered here."), code="unknown_offer", status=400
        )
    return SupportRequest.objects.create(
        initiative=initiative, offer=offer, message=message, requested_by=requested_by
    )


@transaction.atomic
def decide_support(
    *, request: SupportRequest, decided_by: User, grant: bool, reason: str = ""
) -> SupportRequest:
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise CommunityError(_("This request has already been decided."), code="already_decided")
    if not grant and not reason.strip():
        raise CommunityError(
            _("Give a reason when you decline, so the initiative knows why."),
            code="reason_required",
            status=400,
        )
    request.status = RequestStatus.GRANTED if grant else RequestStatus.DECLINED
    request.reason = reason.strip()
    request.decided_by = decided_by
    request.decided_at = timezone.now()
    request.save()
    return request


# -- value --------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearTotals:
    year: int
    values: dict[str, Decimal]  # indicator code -> total
    co2_kg: Decimal | None


def factor_for_year(factors: list[EmissionFactor], year: int) -> EmissionFactor | None:
    """The factor valid at the start of the year (factors sorted newest first)."""
    start = date(year, 1, 1)
    return next((f for f in factors if f.valid_from <= start), factors[-1] if factors else None)


def yearly_totals(
    community: Community, *, initiative: Initiative | None = None
) -> list[YearTotals]:
    """Totals per indicator and year for the listed initiatives (or one initiative), with
    CO₂ avoided derived from gas saved and the factor of that year. Two queries."""
    values = IndicatorValue.objects.filter(
        indicator__community=community, indicator__kind="number", value__isnull=False
    )
    if initiative is not None:
        values = values.filter(initiative=initiative)
    else:
        values = values.filter(
            initiative__review=Review.LISTED, initiative__archived_at__isnull=True
        )
    rows = values.values("year", "indicator__code").annotate(total=Sum("value")).order_by("year")
    by_year: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        by_year[row["year"]][row["indicator__code"]] = row["total"]
    factors = list(EmissionFactor.objects.filter(community=community).order_by("-valid_from"))
    result = []
    for year in sorted(by_year):
        gas = by_year[year].get(GAS_SAVED)
        factor = factor_for_year(factors, year)
        co2 = (gas * factor.value).quantize(Decimal("1")) if gas is not None and factor else None
        result.append(YearTotals(year=year, values=by_year[year], co2_kg=co2))
    return result
