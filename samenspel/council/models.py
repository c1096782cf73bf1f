"""Track 3, the formal democratic route: where the council must decide, the group advises.
An advice dossier (CouncilAdvice) goes from a draft through the group's endorsement to the
council and its decision; every move is an AdviceEvent, like the loop's events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from samenspel.communities.models import Side


class AdviceStage(models.TextChoices):
    CONCEPT = "concept", _("Draft")
    ONDERSCHREVEN = "onderschreven", _("Endorsed by the group")
    AANGEBODEN = "aangeboden", _("Offered")
    GEAGENDEERD = "geagendeerd", _("On the agenda")
    BESLUIT = "besluit", pgettext_lazy("council stage", "Decided")
    OPVOLGING = "opvolging", _("Follow-up")
    AFGEROND = "afgerond", _("Completed")


class OfferedTo(models.TextChoices):
    COLLEGE = "college", _("The executive (college van B&W)")
    RAAD = "raad", _("The municipal council")
    COMMISSIE = "commissie", _("A council committee")


class CouncilAdvice(models.Model):
    """The group's advice on a question the council must decide, with the adjustments,
    signals and themes it comes from, written by members of either side."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="council_advices"
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("the question the council must decide"), max_length=2000)
    advice = models.TextField(_("the group's advice"), max_length=20000, blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=AdviceStage.choices, default=AdviceStage.CONCEPT
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="council_advices", verbose_name=_("authors")
    )
    adjustments = models.ManyToManyField(
        "learning.Adjustment",
        blank=True,
        related_name="council_advices",
        verbose_name=_("adjustments"),
    )
    signals = models.ManyToManyField(
        "learning.Signal", blank=True, related_name="council_advices", verbose_name=_("signals")
    )
    themes = models.ManyToManyField(
        "learning.Theme", blank=True, related_name="council_advices", verbose_name=_("themes")
    )
    offered_to = models.CharField(
        _("offered to"), max_length=12, choices=OfferedTo.choices, blank=True
    )
    offered_on = models.DateField(_("offered on"), null=True, blank=True)
    channel = models.CharField(
        _("how it was offered"),
        max_length=200,
        blank=True,
        help_text=_("For example: by letter to the griffie, at a rondetafelgesprek."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    is_example = models.BooleanField(default=False)

    history = HistoricalRecords(m2m_fields=[authors])

    class Meta:
        verbose_name = _("advice to the council")
        verbose_name_plural = _("advices to the council")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "stage"], name="advice_by_stage")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("council_advice", args=[self.community.slug, self.pk])


class AdviceEvent(models.Model):
    """One move of an advice dossier: who, when, from → to, and a note."""

    advice = models.ForeignKey(CouncilAdvice, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=16, choices=AdviceStage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=AdviceStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.advice_id}: {self.from_stage} → {self.to_stage}"


class Endorsement(models.Model):
    """A member who endorses the advice, with the side they stand on. A side counts for the
    endorsement rule only once confirmed: through a confirmed organisation of that side,
    or by a steward (members choose their own side)."""

    advice = models.ForeignKey(CouncilAdvice, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    organisation = models.ForeignKey(
        "communities.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the side is confirmed: by the organisation (at endorsing) or a steward.
    side_confirmed_at = models.DateTimeField(null=True, blank=True)
    side_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["advice", "user"], name="one_endorsement_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.advice_id}"

    @property
    def side_confirmed(self) -> bool:
        return self.side_confirmed_at is not None


class EndorsementRule(models.Model):
    """How many confirmed endorsers of each side an advice needs before the group endorses
    it (by default one of the municipality and one of the initiatives)."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="endorsement_rule"
    )
    gemeente = models.PositiveSmallIntegerField(_("of the municipality"), default=1)
    initiatief = models.PositiveSmallIntegerField(_("of the initiatives"), default=1)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(gemeente__gte=1) & Q(initiatief__gte=1), name="both_sides_endorse"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community_id}: {self.gemeente}/{self.initiatief}"


class Outcome(models.TextChoices):
    VASTGESTELD = "vastgesteld", _("Adopted")
    GEAMENDEERD = "geamendeerd-vastgesteld", _("Adopted as amended")
    VERWORPEN = "verworpen", _("Rejected")
    AANGEHOUDEN = "aangehouden", _("Postponed")
    INGETROKKEN = "ingetrokken", _("Withdrawn")


ADOPTED = {Outcome.VASTGESTELD, Outcome.GEAMENDEERD}


class Instrument(models.TextChoices):
    RAADSVOORSTEL = "raadsvoorstel", _("Council proposal (raadsvoorstel)")
    MOTIE = "motie", _("Motion (motie)")
    AMENDEMENT = "amendement", _("Amendment (amendement)")
    RAADSINFORMATIEBRIEF = "raadsinformatiebrief", _("Council information letter")
    COLLEGEBESLUIT = "collegebesluit", _("Decision of the executive (collegebesluit)")


class CouncilDecision(models.Model):
    """What the council (or the executive) decided on an advice: the outcome, the
    instrument, the text, where to read it, and when."""

    advice = models.ForeignKey(CouncilAdvice, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    instrument = models.CharField(_("instrument"), max_length=24, choices=Instrument.choices)
    text = models.TextField(_("what was decided"), max_length=8000, blank=True)
    reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("The decision's number, if any.")
    )
    link = models.URLField(_("link to the council information system"), max_length=500, blank=True)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.advice}: {self.get_outcome_display()}"

    @property
    def content_community_id(self) -> int:
        """Whose content it is (communities/versions.py)."""
        return self.advice.community_id

    @property
    def is_adopted(self) -> bool:
        return self.outcome in ADOPTED


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "klaar", _("Done")
    DROPPED = "vervallen", _("No longer needed")


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def overdue(self) -> "CommitmentQuerySet":
        return self.filter(status=CommitmentStatus.OPEN, due_on__lt=timezone.localdate())


class Commitment(models.Model):
    """A toezegging or follow-up action that comes from a decision: what, who, by when."""

    advice = models.ForeignKey(CouncilAdvice, on_delete=models.CASCADE, related_name="commitments")
    decision = models.ForeignKey(
        CouncilDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("decision"),
    )
    description = models.CharField(_("what was promised"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_commitments",
        verbose_name=_("who follows it up"),
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The last day its owner was reminded that it is overdue.
    reminded_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["reminded_on"])
    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="commitment_due")]

    def __str__(self) -> str:
        return self.description

    @property
    def content_community_id(self) -> int:
        return self.advice.community_id

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == CommitmentStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class MeetingBody(models.TextChoices):
    RAAD = "raad", _("Council meeting")
    COMMISSIE = "commissie", _("Committee meeting")
    RONDETAFEL = "rondetafel", _("Round-table talk (rondetafelgesprek)")
    INFORMATIE = "informatie", _("Information meeting")


class CouncilMeeting(models.Model):
    """A meeting of the council or one of its committees, with the advices on its agenda.
    It joins the community's calendar feed."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="council_meetings"
    )
    body = models.CharField(_("what kind of meeting"), max_length=12, choices=MeetingBody.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("The meeting in the council information system, or its live stream."),
    )
    # Grows with every change of time, place or status, as iCalendar's SEQUENCE asks.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    is_example = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["community", "-starts_at"], name="meeting_by_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("council_meeting", args=[self.community.slug, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class MeetingItem(models.Model):
    """An advice on a meeting's agenda."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="items")
    advice = models.ForeignKey(
        CouncilAdvice,
        on_delete=models.CASCADE,
        related_name="meeting_items",
        verbose_name=_("advice"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "advice"], name="advice_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.advice_id}"


class Arrangement(models.Model):
    """What has been formally established (the register): an instrument or arrangement
    such as "Opgroeirecht vastgesteld", with the decision, date and source, and whether
    it is still in force."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="arrangements"
    )
    title = models.CharField(_("what was established"), max_length=200)
    description = models.TextField(_("what it means"), max_length=4000, blank=True)
    decision = models.ForeignKey(
        CouncilDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrangements",
        verbose_name=_("decision"),
    )
    established_on = models.DateField(_("established on"))
    source = models.URLField(_("source"), max_length=500, blank=True)
    in_force = models.BooleanField(_("still in force"), default=True)
    ended_on = models.DateField(_("no longer in force since"), null=True, blank=True)
    is_example = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("established arrangement")
        verbose_name_plural = _("register of what has been established")
        ordering = ["-established_on", "-pk"]
        indexes = [
            models.Index(fields=["community", "-established_on"], name="arrangement_by_date")
        ]

    def __str__(self) -> str:
        return self.title
