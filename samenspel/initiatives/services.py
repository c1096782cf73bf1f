"""The writes of track 1, one service each, and the value computations.

Every write is a keyword-only service under `transaction.atomic` that takes the acting user
and checks its own key (permissions.py), so no page, API handler or import can skip it.
Here: registering, reviewing and changing initiatives, their figures, asking for and
deciding support, the value catalogue (indicators, emission factors) and the
neighbourhoods. The growth path's own writes (criteria and support offers in the catalogue,
ticking criteria, needs and offers, mentorships) are services in growth.py."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar, cast

from django.db import transaction
from django.db.models import Max, Model, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import (
    Community,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Side,
)
from samenspel.communities.permissions import can_manage_community
from samenspel.communities.services import CommunityError
from samenspel.core.notifications import notify
from samenspel.core.sites import absolute, site_url
from samenspel.core.slugs import unique_slug
from samenspel.initiatives import permissions
from samenspel.initiatives.choices import IndicatorKind, RequestStatus, Review
from samenspel.initiatives.models import (
    EmissionFactor,
    Indicator,
    IndicatorValue,
    Initiative,
    Neighbourhood,
    SupportOffer,
    SupportRequest,
)

GAS_SAVED = "gas-saved"

M = TypeVar("M", bound=Model)


# Short names that would clash with the pages under /c/<slug>/initiatives/.
RESERVED_SLUGS = frozenset({"register", "review", "export", "import"})

# What changing an initiative may touch (the API's PATCH, the edit page, the CSV import).
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "pitch",
        "story",
        "organisation",
        "latitude",
        "longitude",
        "area",
        "phase",
        "status",
        "legal_form",
        "solutions",
        "project_role",
        "households",
        "website",
        "contact_email",
        "contact_public",
    }
)


def initiative_slug(community: Community, name: str) -> str:
    """A free short name for a new initiative of this community."""
    return unique_slug(
        name,
        fallback="initiatief",
        reserved=RESERVED_SLUGS,
        taken=lambda slug: Initiative.objects.filter(community=community, slug=slug).exists(),
    )


def _absolute(path: str) -> str:
    return absolute(path)


def _forbidden(message: str) -> CommunityError:
    return CommunityError(message, code="forbidden", status=403)


def _check_name_free(community: Community, name: str, *, but: Initiative | None = None) -> None:
    taken = Initiative.objects.filter(community=community, name__iexact=name)
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if taken.exists():
        raise CommunityError(
            _("An initiative with this name is already registered."), code="duplicate_name"
        )


def latest_version(item: Model) -> int | None:
    """The id of the newest history record: the version someone saw before a change."""
    return (
        item.history.order_by("-history_id")  # type: ignore[attr-defined]
        .values_list("history_id", flat=True)
        .first()
    )


def lock_and_check_version(item: M, seen_version: int | None) -> M:
    """The row, locked for the change, unless someone saved it after the version the actor
    based the change on (`seen_version`, the history id a form or an ETag carried): then
    nothing is overwritten (412). Without a version the change is made as asked."""
    locked = type(item)._default_manager.select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise CommunityError(_("This no longer exists."), code="gone", status=410)
    if seen_version is not None and seen_version != (latest_version(item) or 0):
        raise CommunityError(
            _("Someone changed this after your version. Reload it, then make your change."),
            code="edit_conflict",
            status=412,
        )
    return locked


# -- registering and reviewing ------------------------------------------------------------


@transaction.atomic
def register_initiative(
    *,
    actor: User,
    community: Community,
    name: str,
    neighbourhoods: Iterable[Neighbourhood] | None = None,
    **fields: object,
) -> Initiative:
    """'Meld je initiatief aan': the initiative waits for a steward's review."""
    if not permissions.can_register_initiative(actor, community):
        raise _forbidden(_("You may not register initiatives here."))
    # Who holds the keys of an initiative (its organisation) is the stewards' choice.
    unknown = set(fields) - (EDITABLE_FIELDS - {"organisation"})
    if unknown:
        raise CommunityError(
            _("These fields cannot be given here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="invalid_fields",
            status=400,
        )
    name = name.strip()
    _check_name_free(community, name)
    initiative = Initiative.objects.create(
        community=community,
        applicant=actor,
        name=name,
        slug=initiative_slug(community, name),
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


def _organisation_for(initiative: Initiative) -> Organisation:
    """The initiative's organisation, or a new one named after it. A name another
    organisation already has gets a number: joining an existing organisation by naming
    an initiative after it would hand out that organisation's keys."""
    if initiative.organisation is not None:
        return initiative.organisation
    community = initiative.community
    taken = {
        name.lower()
        for name in Organisation.objects.filter(community=community).values_list("name", flat=True)
    }
    name, n = initiative.name[:150], 2
    while name.lower() in taken:
        name, n = f"{initiative.name[:150]} ({n})", n + 1
    organisation = Organisation.objects.create(
        community=community, name=name, kind=OrganisationKind.INITIATIEF
    )
    initiative.organisation = organisation
    initiative.save(update_fields=["organisation", "updated_at"])
    return organisation


def _welcome_registrant(initiative: Initiative, *, steward: User) -> None:
    """Listing makes whoever registered the initiative the first confirmed member of its
    organisation (confirmed by the listing steward), and a member of the community if they
    were not one: otherwise they could no longer edit what they registered."""
    registrant = initiative.applicant
    if registrant is None or not registrant.is_active:
        return
    organisation = _organisation_for(initiative)
    now = timezone.now()
    membership = (
        Membership.objects.active()
        .select_for_update()
        .filter(user=registrant, community=initiative.community)
        .first()
    )
    if membership is None:
        Membership.objects.create(
            user=registrant,
            community=initiative.community,
            side=Side.INITIATIEF,
            role=Role.LID,
            organisation=organisation,
            organisation_confirmed_at=now,
            organisation_confirmed_by=steward,
        )
    elif membership.confirmed_organisation_id != organisation.pk:
        membership.organisation = organisation
        membership.organisation_confirmed_at = now
        membership.organisation_confirmed_by = steward
        membership.save(
            update_fields=["organisation", "organisation_confirmed_at", "organisation_confirmed_by"]
        )
    # The permission helpers keep the membership per request; it just changed.
    registrant.__dict__.pop("_membership_cache", None)


@transaction.atomic
def review_initiative(
    *, actor: User, initiative: Initiative, decision: str, note: str = ""
) -> Initiative:
    """List it, ask for more, or decline it with a reason; the applicant hears either way."""
    if not permissions.can_review_initiatives(actor, initiative.community):
        raise _forbidden(_("Only the stewards review initiatives."))
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
    if decision == Review.LISTED:
        _welcome_registrant(initiative, steward=actor)
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


# -- changing -----------------------------------------------------------------------------


@transaction.atomic
def change_initiative(
    *,
    actor: User,
    initiative: Initiative,
    fields: dict[str, object],
    neighbourhoods: Iterable[Neighbourhood] | None = None,
    seen_version: int | None = None,
) -> Initiative:
    """Change some fields of an initiative (and, when given, its neighbourhoods).

    `seen_version` is the history id the actor based the change on (the edit form's hidden
    field, the ETag of the API): if someone saved in the meantime, nothing is overwritten
    (412). Moving the initiative to another organisation hands its keys to other people,
    so only the stewards do that."""
    if not permissions.can_edit_initiative(actor, initiative):
        raise _forbidden(_("Only the initiative's own members and the stewards change it."))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise CommunityError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="invalid_fields",
            status=400,
        )
    community = initiative.community
    # One change at a time: the row lock makes the version check and the write one step.
    Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
    if seen_version is not None and seen_version != (latest_version(initiative) or 0):
        raise CommunityError(
            _(
                "Someone changed this initiative after your version. Fetch it again, then "
                "make your change."
            ),
            code="edit_conflict",
            status=412,
        )
    if "organisation" in fields:
        organisation = fields["organisation"]  # an Organisation (forms), an id (API) or None
        organisation_id = cast(int | None, getattr(organisation, "pk", organisation))
        current = Initiative.objects.filter(pk=initiative.pk).values_list(
            "organisation_id", flat=True
        )[0]
        if organisation_id != current:
            if not can_manage_community(actor, community):
                raise _forbidden(_("Only the stewards move an initiative to another organisation."))
            if (
                organisation_id is not None
                and not community.organisations.filter(pk=organisation_id).exists()
            ):
                raise CommunityError(
                    _("No organisation of this community has this id."),
                    code="unknown_organisation",
                    status=400,
                )
        fields = {**fields}
        fields.pop("organisation")
        initiative.organisation_id = organisation_id
    if "name" in fields:
        fields = {**fields, "name": str(fields["name"]).strip()}
        _check_name_free(community, str(fields["name"]), but=initiative)
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.save()
    if neighbourhoods is not None:
        neighbourhoods = list(neighbourhoods)
        if any(n.community_id != community.pk for n in neighbourhoods):
            raise CommunityError(
                _("This neighbourhood belongs to another community."),
                code="unknown_neighbourhood",
                status=400,
            )
        initiative.neighbourhoods.set(neighbourhoods)
    return initiative


# -- figures ------------------------------------------------------------------------------


@transaction.atomic
def record_value(
    *,
    actor: User,
    initiative: Initiative,
    indicator: Indicator,
    year: int,
    value: Decimal | None = None,
    text: str = "",
    source: str = "",
) -> IndicatorValue:
    """Enter or correct one figure; the previous value stays in the history."""
    if not permissions.can_edit_initiative(actor, initiative):
        raise _forbidden(_("Only the initiative's own members and the stewards enter figures."))
    if indicator.community_id != initiative.community_id:
        raise CommunityError(_("This indicator belongs to another community."), code="indicator")
    record, _created = IndicatorValue.objects.update_or_create(
        initiative=initiative,
        indicator=indicator,
        year=year,
        defaults={"value": value, "text": text, "source": source, "entered_by": actor},
    )
    return record


# -- support ------------------------------------------------------------------------------


def deciders(offer: SupportOffer) -> list[User]:
    """Who holds the key to this support: the offering organisation's confirmed members, or
    the stewards when no organisation offers it."""
    if offer.offered_by_id is not None:
        memberships = (
            Membership.objects.active()
            .filter(
                community_id=offer.community_id,
                organisation_id=offer.offered_by_id,
                organisation_confirmed_at__isnull=False,
            )
            .exclude(role=Role.WAARNEMER)
        )
        people = list(User.objects.filter(pk__in=memberships.values("user_id")))
        if people:
            return people
    stewards = Membership.objects.stewards().filter(community_id=offer.community_id)
    return list(User.objects.filter(pk__in=stewards.values("user_id")))


def initiative_members(initiative: Initiative) -> list[User]:
    """The people of an initiative: active, confirmed members of its organisation who take
    part."""
    if initiative.organisation_id is None:
        return []
    memberships = (
        Membership.objects.active()
        .filter(
            community_id=initiative.community_id,
            organisation_id=initiative.organisation_id,
            organisation_confirmed_at__isnull=False,
        )
        .exclude(role=Role.WAARNEMER)
    )
    return list(User.objects.filter(pk__in=memberships.values("user_id")))


@transaction.atomic
def request_support(
    *, actor: User, initiative: Initiative, offer_id: int, message: str
) -> SupportRequest:
    """Ask for support; whoever decides it hears of it."""
    if not permissions.can_edit_initiative(actor, initiative):
        raise _forbidden(_("Only the initiative's own members and the stewards ask for support."))
    if not message.strip():
        raise CommunityError(
            _("Say what you need, so the people who decide know."),
            code="message_required",
            status=400,
        )
    offer = SupportOffer.objects.filter(community=initiative.community, pk=offer_id).first()
    if offer is None:
        raise CommunityError(
            _("This support is not offered here."), code="unknown_offer", status=400
        )
    waiting = SupportRequest.objects.filter(
        initiative=initiative, offer=offer, status=RequestStatus.PENDING
    )
    if waiting.exists():
        raise CommunityError(
            _("You have already asked for this support; it is waiting for a decision."),
            code="already_requested",
        )
    support_request = SupportRequest.objects.create(
        initiative=initiative, offer=offer, message=message.strip(), requested_by=actor
    )
    notify(
        deciders(offer),
        subject=lambda: (
            _("%(initiative)s asks for support: %(offer)s")
            % {"initiative": initiative.name, "offer": _(offer.name)}
        ),
        template="initiatives/growth/email/support_request.txt",
        context={
            "support_request": support_request,
            "initiative": initiative,
            "offer": offer,
            "site_url": site_url(),
        },
    )
    return support_request


@transaction.atomic
def decide_support(
    *, actor: User, request: SupportRequest, grant: bool, reason: str = ""
) -> SupportRequest:
    """Grant or decline (with a reason); the initiative's people hear it in their language."""
    request = (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("offer__community", "initiative", "requested_by")
        .get(pk=request.pk)
    )
    offer = request.offer
    if not permissions.can_decide_support(actor, offer):
        raise _forbidden(_("Only whoever offers this support, or a steward, decides it."))
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
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    initiative = request.initiative
    recipients = {user.pk: user for user in initiative_members(initiative)}
    if request.requested_by is not None:
        recipients.setdefault(request.requested_by.pk, request.requested_by)
    notify(
        recipients.values(),
        subject=lambda: _("Your support request: %(offer)s") % {"offer": _(offer.name)},
        template="initiatives/growth/email/support_decision.txt",
        context={
            "support_request": request,
            "initiative": initiative,
            "offer": offer,
            # The template builds the link, so it opens in the recipient's language.
            "site_url": site_url(),
        },
    )
    return request


# -- the value catalogue ------------------------------------------------------------------


def _check_catalogue_keeper(actor: User, community: Community) -> None:
    if not permissions.can_keep_catalogue(actor, community):
        raise _forbidden(_("Only the stewards keep the catalogue."))


@transaction.atomic
def add_indicator(
    *,
    actor: User,
    community: Community,
    code: str,
    name: str,
    unit: str = "",
    kind: str = IndicatorKind.NUMBER,
    description: str = "",
) -> Indicator:
    """A new indicator, after the ones already there. Its code is how figures, the CSV
    import and the API name it: one per community, in lower case."""
    _check_catalogue_keeper(actor, community)
    code = code.strip().lower()
    # One new indicator at a time per community: the code check and the order are one step.
    Community.objects.select_for_update().filter(pk=community.pk).first()
    if Indicator.objects.filter(community=community, code=code).exists():
        raise CommunityError(
            _("Another indicator already uses this code."), code="duplicate_code", status=400
        )
    highest = Indicator.objects.filter(community=community).aggregate(highest=Max("order"))
    return Indicator.objects.create(
        community=community,
        code=code,
        name=name.strip(),
        unit=unit.strip(),
        kind=kind,
        description=description.strip(),
        order=0 if highest["highest"] is None else highest["highest"] + 1,
    )


@transaction.atomic
def change_indicator(
    *,
    actor: User,
    indicator: Indicator,
    name: str,
    unit: str,
    description: str,
    seen_version: int | None = None,
) -> Indicator:
    """Name, unit and description; the code and kind stay, since figures refer to them."""
    _check_catalogue_keeper(actor, indicator.community)
    indicator = lock_and_check_version(indicator, seen_version)
    indicator.name, indicator.unit = name.strip(), unit.strip()
    indicator.description = description.strip()
    indicator.save()
    return indicator


@transaction.atomic
def add_emission_factor(
    *, actor: User, community: Community, value: Decimal, source: str, valid_from: date
) -> EmissionFactor:
    """A factor valid from a date on (one per date); CO₂ is worked out with it from then."""
    _check_catalogue_keeper(actor, community)
    if not source.strip():
        raise CommunityError(
            _("Name the source of the factor."), code="source_required", status=400
        )
    if EmissionFactor.objects.filter(community=community, valid_from=valid_from).exists():
        raise CommunityError(
            _("There is already a factor valid from this date; each date has one factor."),
            code="duplicate_date",
            status=400,
        )
    return EmissionFactor.objects.create(
        community=community, value=value, source=source.strip(), valid_from=valid_from
    )


# -- neighbourhoods -----------------------------------------------------------------------


def check_neighbourhood_name(
    community: Community, name: str, *, but: Neighbourhood | None = None
) -> None:
    """A name is used once per community (whatever its capitals). The form asks too, so a
    taken name shows beside the form's other errors."""
    taken = Neighbourhood.objects.filter(community=community, name__iexact=name)
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if taken.exists():
        raise CommunityError(
            _("There is already a neighbourhood with this name."),
            code="duplicate_name",
            status=400,
        )


@transaction.atomic
def add_neighbourhood(
    *,
    actor: User,
    community: Community,
    name: str,
    homes: int | None = None,
    area: dict[str, object] | None = None,
) -> Neighbourhood:
    """A neighbourhood by hand; `area` is a checked GeoJSON shape (geojson.check_polygon)."""
    _check_catalogue_keeper(actor, community)
    name = name.strip()
    check_neighbourhood_name(community, name)
    return Neighbourhood.objects.create(community=community, name=name, homes=homes, area=area)


@transaction.atomic
def change_neighbourhood(
    *,
    actor: User,
    neighbourhood: Neighbourhood,
    name: str,
    homes: int | None,
    area: dict[str, object] | None,
    seen_version: int | None = None,
) -> Neighbourhood:
    _check_catalogue_keeper(actor, neighbourhood.community)
    neighbourhood = lock_and_check_version(neighbourhood, seen_version)
    name = name.strip()
    check_neighbourhood_name(neighbourhood.community, name, but=neighbourhood)
    neighbourhood.name, neighbourhood.homes, neighbourhood.area = name, homes, area
    neighbourhood.save()
    return neighbourhood


@transaction.atomic
def delete_neighbourhood(*, actor: User, neighbourhood: Neighbourhood) -> None:
    """Remove a neighbourhood; its initiatives stay, without it (the history keeps it)."""
    _check_catalogue_keeper(actor, neighbourhood.community)
    neighbourhood.delete()


# -- value --------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearTotals:
    year: int
    values: dict[str, Decimal]  # indicator code -> total
    co2_kg: Decimal | None

    @property
    def co2_tonnes(self) -> Decimal | None:
        """As people say it: 454 ton rather than 453,900 kg."""
        return None if self.co2_kg is None else (self.co2_kg / 1000).quantize(Decimal("1"))


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
