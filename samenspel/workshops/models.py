"""Live workshops ("De Komedie" and other formats). A template is a sequence of acts, each
with its story, the facilitator's instructions, a suggested duration and prompts (for
everyone, or for one side). A workshop copies its template's acts when it is made, so a
later edit of the template never changes a workshop that was played. Participants join
with a short code — with their account, or with a name and a side only — and write cards
per act; the facilitator reveals, groups, hides and opens dot-voting.

Live state lives in the database: every change raises the workshop's `revision` and
stamps the rows it changed with it, so any app server answers "what changed since
revision R?" with one indexed query (workshops/live.py)."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Join codes: no 0/O, 1/I/L, so a code read from a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
CARD_MAX_LENGTH = 280
NAME_MAX_LENGTH = 40


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_key() -> str:
    return secrets.token_urlsafe(18)


class ParticipantSide(models.TextChoices):
    """Where a participant stands, for the two columns of the projector."""

    GEMEENTE = "gemeente", _("Municipality")
    INITIATIEF = "initiatief", _("Initiative")
    ANDERS = "anders", _("Other")


class PromptSide(models.TextChoices):
    """Whom a prompt asks: everyone, or one side (act 1 asks each side about the other)."""

    EVERYONE = "", _("Everyone")
    GEMEENTE = "gemeente", _("Municipality")
    INITIATIEF = "initiatief", _("Initiative")


class WorkshopTemplate(models.Model):
    """A community's own workshop format: a copy of the Komedie, or one written anew (an
    intervision, a retrospective). The built-in Komedie lives in workshops/komedie.py."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="workshop_templates"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    is_example = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workshop template")
        verbose_name_plural = _("workshop templates")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class TemplateAct(models.Model):
    template = models.ForeignKey(WorkshopTemplate, on_delete=models.CASCADE, related_name="acts")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("story"), blank=True)
    instructions = models.TextField(_("instructions for the facilitator"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("suggested duration in minutes"), default=15)
    # [{"side": "" | "gemeente" | "initiatief", "text": "…"}]
    prompts = models.JSONField(default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def content_community_id(self) -> int:
        return self.template.community_id


class Audience(models.TextChoices):
    MEMBERS = "members", _("Members of the community (with their account)")
    OPEN = "open", _("Anyone with the code (a mixed audience)")


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended")


class VotingState(models.TextChoices):
    CLOSED = "closed", _("Not open")
    OPEN = "open", _("Open")
    DONE = "done", _("Closed")


class Workshop(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="workshops"
    )
    title = models.CharField(_("title"), max_length=200)
    template_name = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.OPEN)
    status = models.CharField(
        max_length=10, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED
    )
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code)
    screen_key = models.CharField(max_length=40, default=new_key)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # 0: the welcome screen (people join); 1…n: the act being played.
    current_position = models.PositiveSmallIntegerField(default=0)
    hold_cards = models.BooleanField(
        _("keep cards hidden until I reveal them"),
        default=True,
        help_text=_("Everyone writes first; then all cards appear together."),
    )
    votes_per_participant = models.PositiveSmallIntegerField(_("votes per participant"), default=3)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_paused_left = models.PositiveIntegerField(null=True, blank=True)  # seconds
    revision = models.BigIntegerField(default=0)
    is_example = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("workshop", args=[self.community.slug, self.pk])

    @property
    def is_running(self) -> bool:
        return self.status == WorkshopStatus.RUNNING

    @property
    def code_expires_at(self):  # type: ignore[no-untyped-def]
        """A code works until the workshop ends, and at most a day after it started."""
        if self.status == WorkshopStatus.ENDED:
            return self.ended_at
        if self.opened_at is None:
            return None
        return self.opened_at + settings.WORKSHOP_CODE_VALID

    def code_works(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        if self.status == WorkshopStatus.ENDED:
            return False
        expires = self.code_expires_at
        return expires is None or (now or timezone.now()) < expires

    def timer_left(self, now=None) -> int | None:  # type: ignore[no-untyped-def]
        """Seconds left on the timer (0 when it ran out), or None without a timer."""
        if self.timer_paused_left is not None:
            return self.timer_paused_left
        if self.timer_ends_at is None:
            return None
        left = (self.timer_ends_at - (now or timezone.now())).total_seconds()
        return max(0, int(left + 0.999))


class WorkshopAct(models.Model):
    """An act as it is played: copied from the template when the workshop was made."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="acts")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    story = models.TextField(blank=True)
    instructions = models.TextField(blank=True)
    minutes = models.PositiveSmallIntegerField(default=15)
    prompts = models.JSONField(default=list, blank=True)
    revealed = models.BooleanField(default=False)
    voting = models.CharField(max_length=10, choices=VotingState.choices, default="closed")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "position"], name="one_act_per_position")
        ]

    def __str__(self) -> str:
        return self.title

    def prompts_for(self, side: str) -> list[dict[str, str]]:
        """The prompts a participant of this side answers ('anders' sees them all)."""
        if side not in (PromptSide.GEMEENTE, PromptSide.INITIATIEF):
            return list(self.prompts)
        return [p for p in self.prompts if p.get("side", "") in ("", side)]


class Participant(models.Model):
    """Someone in the workshop: with their account, or a name and side alone. The name is
    kept with the workshop only and goes when it is removed."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    side = models.CharField(max_length=12, choices=ParticipantSide.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=Q(user__isnull=False),
                name="one_participant_per_account",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Cluster(models.Model):
    """A group of cards the facilitator made (keyboard: tick cards, choose a group)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="clusters")
    act = models.ForeignKey(WorkshopAct, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(_("title"), max_length=120)
    votes = models.PositiveIntegerField(default=0)
    dissolved = models.BooleanField(default=False)
    revision = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["workshop", "revision"], name="cluster_changes")]

    def __str__(self) -> str:
        return self.title

    @property
    def vote_key(self) -> str:
        return f"cluster-{self.pk}"


class Card(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cards")
    act = models.ForeignKey(WorkshopAct, on_delete=models.CASCADE, related_name="cards")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="cards")
    side = models.CharField(max_length=12, choices=ParticipantSide.choices)
    prompt = models.PositiveSmallIntegerField(null=True, blank=True)  # index in act.prompts
    text = models.CharField(max_length=CARD_MAX_LENGTH)
    hidden = models.BooleanField(default=False)  # by the facilitator: out of sight
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="cards"
    )
    votes = models.PositiveIntegerField(default=0)
    revision = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["workshop", "revision"], name="card_changes")]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def vote_key(self) -> str:
        return f"card-{self.pk}"


class Vote(models.Model):
    """One dot, on a card or on a group. A participant may put several on one."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    act = models.ForeignKey(WorkshopAct, on_delete=models.CASCADE, related_name="votes")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, null=True, related_name="+")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(card__isnull=True) ^ Q(cluster__isnull=True),
                name="vote_on_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class HarvestKind(models.TextChoices):
    SIGNAL = "signal", _("Signal")
    QUESTION = "question", _("Learning question")
    AMENDMENT = "amendment", _("Proposal to amend the accord")
    TERM = "term", _("Word for the glossary")


class Harvest(models.Model):
    """What a card or group became: a signal, a learning question, an amendment proposal or
    a glossary word. The item itself lives in its own app and names the workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="harvest")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, null=True, related_name="harvest")
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, null=True, related_name="harvest"
    )
    kind = models.CharField(max_length=12, choices=HarvestKind.choices)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    title = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def target_url(self) -> str:
        from django.urls import reverse

        target = self.target
        if target is None:
            return ""
        if self.kind == HarvestKind.TERM:
            return reverse("glossary", args=[target.community.slug]) + f"#{target.slug}"
        return str(target.get_absolute_url())
