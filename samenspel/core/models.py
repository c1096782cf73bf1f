"""Notifications in the in-app inbox, and each person's choice of what reaches them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person, kept in their inbox (the email goes out beside it)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=40, default="general")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What it is about, so a reminder is sent only once (e.g. "loop-event:12").
    ref = models.CharField(max_length=80, blank=True)
    # Cannot be switched off: loop outcomes for the people who raised the signal.
    always = models.BooleanField(default=False)
    emailed = models.BooleanField(default=False)
    # Its email waits for the recipient's daily or weekly digest (core/digests.py).
    digest_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["kind", "ref"]),
            models.Index(
                fields=["recipient"],
                condition=models.Q(digest_pending=True),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Every message at once")
    DAILY = "daily", _("One summary a day")
    WEEKLY = "weekly", _("One summary a week (on Monday)")


class NotificationPreference(models.Model):
    """What reaches a person; everything is on until they switch it off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(
        _("also send notifications by email"),
        default=True,
        help_text=_("When off, notifications only appear in your inbox."),
    )
    frequency = models.CharField(
        _("how often emails come"),
        max_length=12,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATELY,
        help_text=_(
            "A summary collects your messages in one email. Answers to your own signals "
            "always come at once."
        ),
    )
    community = models.BooleanField(
        _("my communities"),
        default=True,
        help_text=_("Invitations, join requests and their answers."),
    )
    initiatives = models.BooleanField(
        _("initiatives"),
        default=True,
        help_text=_("Initiatives to review, review decisions and support requests."),
    )
    loop = models.BooleanField(
        _("the loop"),
        default=True,
        help_text=_(
            "Every step of signals you raised, own or follow, and reminders when a signal "
            "waits for you."
        ),
    )
    new_signals = models.BooleanField(
        _("new signals"),
        default=True,
        help_text=_(
            "New signals in the themes and policy objects you follow. Facilitators hear of "
            "every new signal in their communities."
        ),
    )
    sessions = models.BooleanField(
        _("sessions"),
        default=True,
        help_text=_(
            "Invitations to sessions, changes, a reminder the day before, the action "
            "points you took on, and visits to initiatives."
        ),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class EmailDelivery(models.Model):
    """One email on its way: written in the same transaction as the change it tells about,
    sent by a task after commit, retried with backoff while the mail server fails. Kept
    after sending so stewards can see what did not arrive."""

    to = models.EmailField(_("to"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    kind = models.CharField(_("kind"), max_length=40, default="general")
    # One line by construction: see core.tasks.single_line.
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html_body = models.TextField(blank=True)
    from_email = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["community", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class PeriodicRun(models.Model):
    """A periodic job enqueued for one period; the unique key makes sure that several
    workers enqueue it once."""

    job = models.CharField(max_length=80)
    period = models.CharField(max_length=40)
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="periodic_run_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
