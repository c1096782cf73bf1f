"""Track 2, beleidsleren: themes, policy objects, signals from practice and the loop events
that carry them to an adjustment and back, adjustments and external developments."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samenspel.communities.models import Community, Organisation
from samenspel.core.fulltext import DutchDocument
from samenspel.initiatives.models import Initiative
from samenspel.learning.stages import Outcome, Stage


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PolicyKind(models.TextChoices):
    """The seed's four words for what may have to change."""

    INSTRUMENT = "instrument", _("Instrument")
    REGEL = "regel", _("Rule")
    PROCEDURE = "procedure", _("Procedure")
    KADER = "kader", _("Framework")


class Theme(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("short name"), max_length=80)
    description = models.TextField(_("description"), max_length=4000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="theme_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class PolicyObject(models.Model):
    """A concrete instrument, rule, procedure or framework of the municipality."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="policy_objects"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PolicyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("owning department"),
    )
    reference = models.CharField(_("reference or link"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy object")
        verbose_name_plural = _("policy objects")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="policy_object_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SignalQuerySet(models.QuerySet["Signal"]):
    def in_stage(self, stage: str) -> "SignalQuerySet":
        return self.filter(last_event__to_stage=stage)

    def open(self) -> "SignalQuerySet":
        return self.exclude(last_event__to_stage=Stage.AFGESLOTEN)


class SignalManager(models.Manager.from_queryset(SignalQuerySet)):  # type: ignore[misc]
    """Signals without their search document: only the database reads it (to match)."""

    def get_queryset(self) -> SignalQuerySet:
        return super().get_queryset().defer("search_document")


class Signal(models.Model):
    """A barrier met in practice: the start of the loop.

    The current stage is not stored here: it is the `to_stage` of the newest LoopEvent, which
    `last_event` points at. Moving a signal swaps that pointer only if it still points at
    the event the mover saw, so two people moving at once cannot overwrite each other.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="signals")
    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened in practice"), max_length=10000)
    initiatives = models.ManyToManyField(
        Initiative, blank=True, related_name="signals", verbose_name=_("initiatives")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="signals", verbose_name=_("themes")
    )
    policy_objects = models.ManyToManyField(
        PolicyObject, blank=True, related_name="signals", verbose_name=_("policy objects")
    )
    impact = models.CharField(
        _("impact"), max_length=8, choices=Level.choices, default=Level.MEDIUM
    )
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Level.choices, default=Level.MEDIUM
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="signals"
    )
    on_behalf_of = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signals_raised",
        verbose_name=_("on behalf of"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_signals",
        verbose_name=_("policy owner"),
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    last_event = models.OneToOneField(
        "LoopEvent", on_delete=models.RESTRICT, null=True, related_name="+", editable=False
    )
    is_example = models.BooleanField(_("example content"), default=False)
    # How many other initiatives said "wij lopen hier ook tegenaan" (SignalSupport rows, kept
    # in step by learning/conversation.py), so lists sort on it without counting.
    support_count = models.PositiveIntegerField(_("initiatives that run into this too"), default=0)
    # Kept by the database (PostgreSQL; NULL on SQLite), for search and similar signals.
    search_document = models.GeneratedField(
        expression=DutchDocument("title", "what_happened"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["last_event", "search_document", "support_count"])
    objects = SignalManager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["community", "raised_at"]),
            # The list sorted by how many initiatives run into a signal.
            models.Index(fields=["community", "-support_count", "-raised_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("signal", args=[self.community.slug, self.pk])

    @property
    def stage(self) -> str:
        return self.last_event.to_stage if self.last_event else Stage.GEMELD


class DecisionBasis(models.TextChoices):
    """Who took the decision a signal's "decided" rests on."""

    COLLEGE = "college", _("The executive (college van B&W)")
    AMBTELIJK = "ambtelijk", _("Civil servants, under mandate")
    RAAD = "raad", _("The municipal council")


class LoopEvent(models.Model):
    """One move of a signal through the loop: who, when, from → to, and why."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=24, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=24, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    # A steward closed it after the initiative did not answer for the community's waiting time.
    closed_without_answer = models.BooleanField(default=False)
    session = models.ForeignKey(
        "practice.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    learning_question = models.ForeignKey(
        "practice.LearningQuestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    adjustment = models.ForeignKey(
        "Adjustment", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    # A decision (to "decided"): on what basis it holds, and its reference (a decision number).
    decision_basis = models.CharField(
        _("decided by"), max_length=12, choices=DecisionBasis.choices, blank=True
    )
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("loop event")
        verbose_name_plural = _("loop events")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["signal", "at"]),
            models.Index(fields=["to_stage", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.from_stage} → {self.to_stage}"


class AdjustmentStage(models.TextChoices):
    VERKEND = "verkend", _("Explored")
    VOORGESTELD = "voorgesteld", _("Proposed")
    BESLOTEN_COLLEGE = "besloten-college", _("Decided by the executive")
    BESLOTEN_AMBTELIJK = "besloten-ambtelijk", _("Decided by civil servants")
    NAAR_DE_RAAD = "naar-de-raad", _("Sent to the council")
    BESLOTEN_RAAD = "besloten-raad", _("Decided by the council")
    INGEVOERD = "ingevoerd", _("Implemented")
    GEEVALUEERD = "geevalueerd", _("Evaluated")


DECIDED_ADJUSTMENT_STAGES = {
    AdjustmentStage.BESLOTEN_COLLEGE,
    AdjustmentStage.BESLOTEN_AMBTELIJK,
    AdjustmentStage.BESLOTEN_RAAD,
    AdjustmentStage.INGEVOERD,
}


class Adjustment(models.Model):
    """A proposed change to one policy object, linked to the signals that asked for it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="adjustments")
    policy_object = models.ForeignKey(
        PolicyObject,
        on_delete=models.RESTRICT,
        related_name="adjustments",
        verbose_name=_("policy object"),
    )
    title = models.CharField(_("title"), max_length=200)
    current = models.TextField(_("what it is now"), max_length=4000, blank=True)
    proposed = models.TextField(_("what it should become"), max_length=4000)
    why = models.TextField(_("why"), max_length=4000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="adjustments",
        verbose_name=_("owner"),
    )
    signals = models.ManyToManyField(
        Signal, blank=True, related_name="adjustments", verbose_name=_("signals")
    )
    # A new adjustment is a proposal ("verkend" remains for adjustments made before).
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=AdjustmentStage.choices,
        default=AdjustmentStage.VOORGESTELD,
    )
    # The decision: when, its number (besluit- or zaaknummer) and where to read it.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    decision_link = models.URLField(_("link to the decision"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[signals])

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class ExternalDevelopment(models.Model):
    """Something outside the CoP that it should know about, e.g. a new law."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="external_developments"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    happened_on = models.DateField(_("date"), null=True, blank=True)
    link = models.URLField(_("link"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    on_agenda = models.BooleanField(_("on the CoP's agenda"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("external development")
        verbose_name_plural = _("external developments")
        ordering = ["-happened_on", "-created_at"]

    def __str__(self) -> str:
        return self.title


class LoopSettings(models.Model):
    """A community's waiting times for the loop."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="loop_settings"
    )
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind owners after (days in one stage)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    close_without_answer_after_days = models.PositiveSmallIntegerField(
        _("a steward may close after (days without an answer)"),
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.community}: {self.remind_after_days}/{self.close_without_answer_after_days}"


class Follow(models.Model):
    """A member follows a theme, a policy object or one signal: they hear of new signals in
    the first two, and of every step of the third."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    policy_object = models.ForeignKey(
        PolicyObject, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("followed subject")
        verbose_name_plural = _("followed subjects")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(theme__isnull=False, policy_object__isnull=True, signal__isnull=True)
                    | models.Q(theme__isnull=True, policy_object__isnull=False, signal__isnull=True)
                    | models.Q(theme__isnull=True, policy_object__isnull=True, signal__isnull=False)
                ),
                name="follow_exactly_one_subject",
            ),
            models.UniqueConstraint(fields=["user", "theme"], name="follow_theme_once"),
            models.UniqueConstraint(
                fields=["user", "policy_object"], name="follow_policy_object_once"
            ),
            models.UniqueConstraint(fields=["user", "signal"], name="follow_signal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.theme or self.policy_object or self.signal}"


class StageTarget(models.Model):
    """How many days a stage may take before the answer is late: set by the stewards. A
    stage without a row uses DEFAULT_TARGET_DAYS (learning/targets.py)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer time")
        verbose_name_plural = _("answer times")
        constraints = [
            models.UniqueConstraint(fields=["community", "stage"], name="stage_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.stage}: {self.days}"


class SignalMessage(models.Model):
    """A question or an answer on a signal's page, between who raised it, its owner and the
    group; it does not move the signal."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["signal", "created_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class SignalSupport(models.Model):
    """ "Wij lopen hier ook tegenaan": another initiative adds its weight to a signal; once per
    initiative."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="supports")
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="+", verbose_name=_("initiative")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("how it plays out for you"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("initiative that runs into this too")
        verbose_name_plural = _("initiatives that run into this too")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["signal", "initiative"], name="signal_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.signal_id}"


def attachment_path(instance: "SignalAttachment", filename: str) -> str:
    """A name nobody can guess or choose: the upload's own name is kept apart (`name`)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"signals/{instance.signal_id}/{uuid.uuid4().hex}.{extension}"


class SignalAttachment(models.Model):
    """A letter, a photo or a PDF with a signal: stored through Django's storage API (local
    files by default, S3-compatible storage by configuration) and served only to who may
    see the signal (learning/views/conversation.py)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
