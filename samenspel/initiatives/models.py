"""Track 1, zichtbaar maken: initiatives, their neighbourhoods, the value they create
(indicators, emission factors) and their growth path (criteria, support, requests)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samenspel.communities.models import Community, Organisation
from samenspel.initiatives.choices import (
    PHASE_ORDER,
    ExchangeKind,
    IndicatorKind,
    LegalForm,
    Phase,
    ProjectRole,
    RequestStatus,
    Review,
    Status,
)


class Neighbourhood(models.Model):
    """An area of a community (buurt or wijk), optionally with its shape."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="neighbourhoods"
    )
    name = models.CharField(_("name"), max_length=120)
    area = models.JSONField(_("area (GeoJSON)"), null=True, blank=True)
    homes = models.PositiveIntegerField(_("number of homes"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="neighbourhood_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def listed(self) -> "InitiativeQuerySet":
        return self.filter(review=Review.LISTED, archived_at__isnull=True)

    def search(self, text: str) -> "InitiativeQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(pitch__icontains=text))

    def with_solution(self, solution: str) -> "InitiativeQuerySet":
        # Solutions are a JSON list of codes; a quoted code matches one element exactly.
        return self.filter(solutions__icontains=f'"{solution}"')


class Initiative(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="initiatives")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("organisation"),
        help_text=_("Members of this organisation edit the initiative."),
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("short name"), max_length=80)
    pitch = models.CharField(_("in one sentence"), max_length=280, blank=True)
    story = models.TextField(
        _("story"), max_length=20000, blank=True, help_text=_("You can use Markdown.")
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="initiatives", verbose_name=_("neighbourhoods")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    area = models.JSONField(_("area (GeoJSON polygon)"), null=True, blank=True)
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.ORIENTATIE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIEF
    )
    legal_form = models.CharField(
        _("legal form"), max_length=16, choices=LegalForm.choices, default=LegalForm.GEEN
    )
    solutions = models.JSONField(_("heat solutions"), default=list, blank=True)
    project_role = models.CharField(
        _("role in projects"), max_length=24, choices=ProjectRole.choices, blank=True
    )
    households = models.PositiveIntegerField(_("households in its area"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_public = models.BooleanField(
        _("show contact to everyone"),
        default=False,
        help_text=_("Otherwise only members of the community see the contact details."),
    )
    review = models.CharField(
        _("review"), max_length=12, choices=Review.choices, default=Review.PENDING
    )
    review_note = models.TextField(_("note from the steward"), max_length=2000, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_initiatives",
    )
    is_example = models.BooleanField(_("example content"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[neighbourhoods])
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="initiative_unique_slug"),
            models.UniqueConstraint(fields=["community", "name"], name="initiative_unique_name"),
        ]
        indexes = [models.Index(fields=["community", "review", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiative", args=[self.community.slug, self.slug])

    @property
    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)

    @property
    def next_phase(self) -> str | None:
        index = self.phase_index
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def solution_labels(self) -> list[str]:
        from samenspel.initiatives.choices import HeatSolution

        return [
            str(HeatSolution(code).label) for code in self.solutions if code in HeatSolution.values
        ]


class Indicator(models.Model):
    """What a community counts as value: a number with a unit, or a value story."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.NUMBER
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name


class IndicatorValue(models.Model):
    """One initiative's figure (or story) for one indicator in one year, with its source."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    value = models.DecimalField(
        _("value"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    text = models.TextField(_("story"), max_length=4000, blank=True)
    source = models.CharField(_("source or note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator__order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "indicator", "year"], name="indicator_value_once_a_year"
            )
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.indicator.code} · {self.year}"

    @property
    def community_id(self) -> int:
        # The content version of the community goes up when a value changes (history hook).
        return self.initiative.community_id


class EmissionFactorQuerySet(models.QuerySet["EmissionFactor"]):
    def valid_on(self, day: date) -> "EmissionFactor | None":
        return self.filter(valid_from__lte=day).order_by("-valid_from").first()


class EmissionFactor(models.Model):
    """kg CO₂ per m³ natural gas, as data with its source and the date it is valid from."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="emission_factors"
    )
    value = models.DecimalField(
        _("kg CO₂ per m³ gas"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("valid from"))

    history = HistoricalRecords()
    objects = EmissionFactorQuerySet.as_manager()

    class Meta:
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "valid_from"], name="emission_factor_one_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.value} kg CO₂/m³ ({self.source}, {self.valid_from})"


class PhaseCriterion(models.Model):
    """What an initiative shows to have reached a phase (a checklist item)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="phase_criteria"
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    text = models.CharField(_("criterion"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase criterion")
        verbose_name_plural = _("phase criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class CriterionCheck(models.Model):
    """An initiative meets a criterion (said by one of its members or a steward)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="checks")
    criterion = models.ForeignKey(PhaseCriterion, on_delete=models.CASCADE, related_name="checks")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "criterion"], name="criterion_checked_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} ✓ {self.criterion}"

    @property
    def community_id(self) -> int:
        return self.initiative.community_id


class SupportOffer(models.Model):
    """Support the municipality (or another partner) offers initiatives in a phase."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="support_offers"
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    offered_by = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("offered by")
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support offer")
        verbose_name_plural = _("support offers")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class SupportRequest(models.Model):
    """An initiative asks for support; the decision and its reason are kept and shown."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="support_requests"
    )
    offer = models.ForeignKey(
        SupportOffer, on_delete=models.CASCADE, related_name="requests", verbose_name=_("support")
    )
    message = models.TextField(_("what you need"), max_length=4000)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reason = models.TextField(_("reason"), max_length=4000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.offer}"

    @property
    def community_id(self) -> int:
        return self.initiative.community_id


class Exchange(models.Model):
    """A need (hulpvraag) or an offer (aanbod) of one initiative to others."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="exchanges")
    kind = models.CharField(_("kind"), max_length=6, choices=ExchangeKind.choices)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    solution = models.CharField(_("heat solution"), max_length=16, blank=True)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("need or offer")
        verbose_name_plural = _("needs and offers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def community_id(self) -> int:
        return self.initiative.community_id


class Mentorship(models.Model):
    """An established initiative helps a starting one."""

    mentor = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="mentoring")
    mentee = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="mentored_by")
    note = models.CharField(_("note"), max_length=300, blank=True)
    started_at = models.DateField(_("started"), auto_now_add=True)
    ended_at = models.DateField(_("ended"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="mentor_not_self")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    @property
    def community_id(self) -> int:
        return self.mentor.community_id
