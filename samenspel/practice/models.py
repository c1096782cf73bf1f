"""The group's own practice: its sessions (agenda, invitations and answers, attendance,
minutes, decisions and action points) and the questions it learns from.

Sessions and learning questions began in the communities app; their tables keep the names
they had there (``communities_session``…), so moving them here moved no data."""

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from samenspel.core.fulltext import DutchDocument


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self) -> "SessionQuerySet":
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self) -> "SessionQuerySet":
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")


class Session(models.Model):
    """A meeting of the group: when and where, what is on the agenda, who comes, and what
    was said and agreed."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    about = models.TextField(_("what it is about"), max_length=4000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    is_example = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Grows with every change of time, place or status, as iCalendar's SEQUENCE asks.
    sequence = models.PositiveIntegerField(default=0)
    # When the reminder of the day before went out (once per session).
    reminded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(
        table_name="communities_historicalsession", excluded_fields=["reminded_at"]
    )
    objects = SessionQuerySet.as_manager()

    class Meta:
        db_table = "communities_session"
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["community", "-starts_at"], name="session_by_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("session", args=[self.community.slug, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class AgendaItem(models.Model):
    """A point on a session's agenda; it may be about a signal or a learning question.
    Discussing a signal's item moves the signal to "discussed" through the loop."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    signal = models.ForeignKey(
        "learning.Signal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("signal"),
    )
    learning_question = models.ForeignKey(
        "LearningQuestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("learning question"),
    )
    # Something an app above adds to agendas (an advice to the council): practice/agenda.py.
    subject_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    notes = models.TextField(_("what was said"), max_length=4000, blank=True)
    discussed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="agenda_by_subject")]

    def __str__(self) -> str:
        return self.title


class Answer(models.TextChoices):
    """A member's answer to the invitation to a session."""

    YES = "ja", _("I am coming")
    MAYBE = "misschien", _("Maybe")
    NO = "nee", _("I am not coming")


class SessionResponse(models.Model):
    """Whether a member comes to a session (one answer per person, which they may change)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer to an invitation")
        verbose_name_plural = _("answers to invitations")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_answer_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.session}: {self.answer}"


class Attendance(models.Model):
    """Who was there (recorded by a facilitator after the session)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attended_once")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session}"


class SessionDecision(models.Model):
    """Something the group agreed at a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("decision"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "klaar", _("Done")
    DROPPED = "vervallen", _("No longer needed")


class ActionPointQuerySet(models.QuerySet["ActionPoint"]):
    def overdue(self) -> "ActionPointQuerySet":
        return self.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())


class ActionPoint(models.Model):
    """Something someone takes on at a session: what, who and by when."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="action_points")
    description = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("who"),
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The last day its owner was reminded that it is overdue.
    reminded_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["reminded_on"])
    objects = ActionPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="actionpoint_due")]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ActionStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A member's private address of a community's calendar, for a calendar app that cannot
    sign in. It works while they are a member; they can replace it with a new one."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True, default=new_feed_key)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_feed_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.community}"


class GroundRuleQuerySet(models.QuerySet["GroundRule"]):
    def in_force(self) -> "GroundRuleQuerySet":
        return self.filter(retired_at__isnull=True)


class GroundRule(models.Model):
    """One of the group's rules of play (spelregels), with the session where it was agreed.
    A change keeps the earlier wording in its history; a rule no longer used is retired,
    not deleted."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="ground_rules"
    )
    text = models.CharField(_("rule"), max_length=300)
    explanation = models.TextField(_("explanation"), max_length=2000, blank=True)
    agreed_at = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ground_rules",
        verbose_name=_("agreed at the session"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    is_example = models.BooleanField(default=False)

    history = HistoricalRecords()
    objects = GroundRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("ground rule")
        verbose_name_plural = _("ground rules")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class TermStatus(models.TextChoices):
    IN_DISCUSSION = "in-bespreking", _("In discussion")
    AGREED = "afgesproken", _("Agreed")


class GlossaryTerm(models.Model):
    """A word of the group's shared language: how the municipality understands it, how the
    initiatives understand it, and — once agreed — what the group means by it. Agreed terms
    are explained wherever they appear in the community's texts."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="glossary_terms"
    )
    term = models.CharField(_("term"), max_length=100)
    variants = models.CharField(
        _("other forms"),
        max_length=300,
        blank=True,
        help_text=_("Other forms of the word, separated by commas: a plural, a spelling."),
    )
    municipality_view = models.TextField(_("how the municipality understands it"), blank=True)
    initiatives_view = models.TextField(_("how the initiatives understand it"), blank=True)
    definition = models.TextField(_("what we agreed"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TermStatus.choices, default=TermStatus.IN_DISCUSSION
    )
    slug = models.SlugField(max_length=120)
    is_example = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="one_term_per_slug")
        ]

    def __str__(self) -> str:
        return self.term

    def forms(self) -> list[str]:
        """The term and its other forms, as written."""
        return [self.term, *(v.strip() for v in self.variants.split(",") if v.strip())]


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    EXPLORING = "in-onderzoek", _("Being explored")
    ANSWERED = "beantwoord", _("Answered")


class LearningQuestion(models.Model):
    """A question the group wants to learn about: raised by a member, linked to the signals
    it comes from, discussed at sessions, and answered in lessons."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="learning_questions"
    )
    question = models.CharField(_("question"), max_length=300)
    explanation = models.TextField(_("explanation"), max_length=4000, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    signals = models.ManyToManyField(
        "learning.Signal", blank=True, related_name="learning_questions", verbose_name=_("signals")
    )
    visit = models.ForeignKey(
        "FieldVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_questions",
        verbose_name=_("visit"),
    )
    is_example = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(table_name="communities_historicallearningquestion")

    class Meta:
        db_table = "communities_learningquestion"
        verbose_name = _("learning question")
        verbose_name_plural = _("learning questions")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("learning_question", args=[self.community.slug, self.pk])


class Lesson(models.Model):
    """What the group learned (a les), written down: from a learning question, a session, or
    practice. Searchable in the community's library of lessons."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="lessons"
    )
    title = models.CharField(_("lesson"), max_length=200)
    text = models.TextField(_("what we learned"), max_length=4000, blank=True)
    question = models.ForeignKey(
        LearningQuestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("learning question"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("session"),
    )
    consultation = models.ForeignKey(
        "PeerConsultation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("peer consultation"),
    )
    visit = models.ForeignKey(
        "FieldVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("visit"),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Others outside the group may read it, also when the group is private."),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_example = models.BooleanField(default=False)
    # Kept by the database (PostgreSQL; NULL on SQLite), for the library's search.
    search_document = models.GeneratedField(
        expression=DutchDocument("title", "text"),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "-created_at"], name="lesson_by_date"),
            GinIndex(fields=["search_document"], name="lesson_search_document"),
        ]

    def __str__(self) -> str:
        return self.title


class PulseReceipt(models.Model):
    """That a member answered a session's pulse — never what: the answer (PulseResponse)
    has no link to a person, no time and a random id, so nobody (stewards, admins,
    exports) can tell whose it is. This row only stops a second answer."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_pulse_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}"


class PulseResponse(models.Model):
    """An anonymous answer to the pulse after a session: trust, mutual understanding and
    usefulness on 1–5, a comment, and the side the person stood on (figures per side are
    shown only when at least three people of that side answered)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="pulses")
    side = models.CharField(_("side"), max_length=12)
    trust = models.PositiveSmallIntegerField(_("trust"))
    understanding = models.PositiveSmallIntegerField(_("mutual understanding"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness"))
    comment = models.TextField(_("comment"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("pulse")
        verbose_name_plural = _("pulses")
        constraints = [
            models.CheckConstraint(
                condition=Q(trust__range=(1, 5))
                & Q(understanding__range=(1, 5))
                & Q(usefulness__range=(1, 5)),
                name="pulse_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.trust}/{self.understanding}/{self.usefulness}"


class CommunityStage(models.TextChoices):
    """The stages of a community of practice (Wenger, McDermott & Snyder, 2002)."""

    POTENTIAL = "potentieel", _("Potential: people find each other")
    COALESCING = "samensmelten", _("Coalescing: we start to work together")
    MATURING = "rijpen", _("Maturing: we take on more, and set our course")
    STEWARDSHIP = "actief", _("Stewardship: we keep it going and renew")
    TRANSFORMATION = "transformatie", _("Transformation: it changes into something else, or ends")


class StageAssessment(models.Model):
    """Where the group thinks it stands, as it assessed itself at a moment."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="stage_assessments"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=CommunityStage.choices)
    note = models.TextField(_("why"), max_length=2000, blank=True)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage assessment")
        verbose_name_plural = _("stage assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.community_id}: {self.stage} ({self.assessed_on})"


class ConsultationMethod(models.Model):
    """A way to run a peer consultation (intervisie): its rounds in order, each with a title
    and what the facilitator asks. Methods without a community are offered to every
    community; a community can add its own."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consultation_methods",
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # [{"title": "...", "prompt": "..."}, ...], in the order the rounds are run.
    rounds = models.JSONField(_("rounds"), default=list)

    class Meta:
        verbose_name = _("consultation method")
        verbose_name_plural = _("consultation methods")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class PeerConsultation(models.Model):
    """A practice case brought into a session by one member, worked through in rounds by
    the others, ending in lessons."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="consultations")
    # Its rounds are copied when it starts, so the method may go later.
    method = models.ForeignKey(
        ConsultationMethod, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    case_bringer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who brings the case"),
    )
    case = models.TextField(_("the case"), max_length=4000)
    question = models.CharField(_("the question"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peer consultation")
        verbose_name_plural = _("peer consultations")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("consultation", args=[self.session.community.slug, self.session_id, self.pk])

    @property
    def content_community_id(self) -> int:
        """Whose content it is (communities/versions.py)."""
        return self.session.community_id


class ConsultationRound(models.Model):
    """One round of a consultation, captured briefly."""

    consultation = models.ForeignKey(
        PeerConsultation, on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(_("round"), max_length=120)
    prompt = models.CharField(max_length=300, blank=True)
    notes = models.TextField(_("what was said"), max_length=4000, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="one_round_per_number")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def content_community_id(self) -> int:
        """Whose content it is (communities/versions.py)."""
        return self.consultation.session.community_id


class VisitKind(models.TextChoices):
    """What kind of activity of an initiative someone joins."""

    RESIDENTS_EVENING = "bewonersavond", _("A residents' evening")
    SITE_VISIT = "locatiebezoek", _("A visit on site")
    BOARD_MEETING = "bestuursvergadering", _("A board meeting")
    WORK_MEETING = "werkgroep", _("A working group")
    OTHER = "anders", _("Something else")


class FieldVisitQuerySet(models.QuerySet["FieldVisit"]):
    def planned(self) -> "FieldVisitQuerySet":
        return self.filter(cancelled_at__isnull=True)

    def upcoming(self) -> "FieldVisitQuerySet":
        return self.planned().filter(visit_on__gte=timezone.localdate()).order_by("visit_on", "pk")

    def past(self) -> "FieldVisitQuerySet":
        return self.planned().filter(visit_on__lt=timezone.localdate()).order_by("-visit_on", "-pk")


class FieldVisit(models.Model):
    """Policy makers in practice (meelopen): someone of the group — often a civil servant —
    joins an activity of an initiative, and afterwards writes down what they learned: in a
    few words here, and as lessons, learning questions or signals linked to the visit."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="field_visits"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        related_name="field_visits",
        verbose_name=_("initiative"),
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="field_visits",
        verbose_name=_("who joins"),
    )
    kind = models.CharField(_("what kind of activity"), max_length=20, choices=VisitKind.choices)
    visit_on = models.DateField(_("date"))
    about = models.CharField(_("what happens there"), max_length=300)
    notes = models.TextField(_("what I saw and learned"), max_length=4000, blank=True)
    signals = models.ManyToManyField(
        "learning.Signal", blank=True, related_name="field_visits", verbose_name=_("signals")
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the visitor was asked, the day after, to write down what they learned (once).
    reminded_at = models.DateTimeField(null=True, blank=True)
    is_example = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=["reminded_at"])
    objects = FieldVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit to an initiative")
        verbose_name_plural = _("visits to initiatives")
        ordering = ["-visit_on", "-pk"]
        indexes = [
            models.Index(fields=["community", "-visit_on"], name="visit_by_date"),
            models.Index(fields=["initiative", "-visit_on"], name="visit_by_initiative"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} ({self.visit_on:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("field_visit", args=[self.community.slug, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_past(self) -> bool:
        return self.visit_on < timezone.localdate()

    @property
    def has_begun(self) -> bool:
        """From the day itself, what was learned can be written down."""
        return self.visit_on <= timezone.localdate()
