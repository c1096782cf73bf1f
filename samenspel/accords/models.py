"""The living accord ("Het Akkoord"): a community's core statement of principles for working
together (uitgangspunten) and practical ways to give them form (werkvormen). It is
unfinished on purpose: members propose amendments, the group decides them by consent,
and a new version is published from the adopted ones. A published version never changes
again — not through a form, not through the ORM (save, delete and update() refuse) — so an
endorsement always names the exact text it endorses."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from samenspel.communities.models import Side


class PublishedVersionError(Exception):
    """Raised when something tries to change a published version or its articles."""


class Accord(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="accords"
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    is_example = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accord")
        verbose_name_plural = _("accords")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accord", args=[self.community.slug, self.pk])

    def current_version(self) -> "AccordVersion | None":
        """The latest published version."""
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class FrozenQuerySet(models.QuerySet):
    """Refuses update() and delete() of rows that belong to a published version."""

    published_filter = Q(published_at__isnull=False)

    def _touches_published(self) -> bool:
        return self.filter(self.published_filter).exists()

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        if self._touches_published():
            raise PublishedVersionError("A published version never changes.")
        return super().update(**kwargs)

    def delete(self):  # type: ignore[no-untyped-def]
        if self._touches_published():
            raise PublishedVersionError("A published version is never deleted.")
        return super().delete()


class VersionQuerySet(FrozenQuerySet):
    published_filter = Q(published_at__isnull=False)

    def published(self) -> "VersionQuerySet":
        return self.filter(published_at__isnull=False)


class AccordVersion(models.Model):
    """A numbered text of the accord. While it is a draft (only the first one ever is),
    stewards write it; once published it is frozen."""

    accord = models.ForeignKey(Accord, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    preamble = models.TextField(_("preamble"), max_length=8000, blank=True)
    notes = models.TextField(_("what changed"), max_length=4000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version of the accord")
        verbose_name_plural = _("versions of the accord")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["accord", "number"], name="one_version_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.accord} {self.number}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self._stored_published():
            raise PublishedVersionError("A published version never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self._stored_published():
            raise PublishedVersionError("A published version is never deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def _stored_published(self) -> bool:
        return (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, published_at__isnull=False).exists()
        )


class ArticleKind(models.TextChoices):
    PRINCIPLE = "uitgangspunt", _("Principle")
    FORM = "werkvorm", _("Practical form")


class ArticleQuerySet(FrozenQuerySet):
    published_filter = Q(version__published_at__isnull=False)


class Article(models.Model):
    """A principle or a practical form in one version. Its `key` stays the same from version
    to version, so an amendment and a comparison find the same article again."""

    version = models.ForeignKey(AccordVersion, on_delete=models.CASCADE, related_name="articles")
    key = models.UUIDField(default=uuid.uuid4)
    kind = models.CharField(_("kind"), max_length=12, choices=ArticleKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=8000, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_article_per_key")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self._stored_published():
            raise PublishedVersionError("A published version never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self._stored_published():
            raise PublishedVersionError("A published version is never deleted.")
        return super().delete(*args, **kwargs)

    def _stored_published(self) -> bool:
        return AccordVersion.objects.filter(pk=self.version_id, published_at__isnull=False).exists()


class AmendmentAction(models.TextChoices):
    CHANGE = "wijzigen", _("Change it")
    ADD = "toevoegen", _("Add one")
    REMOVE = "schrappen", _("Remove it")


class AmendmentStatus(models.TextChoices):
    OPEN = "open", _("Open for comments and objections")
    ADOPTED = "aangenomen", pgettext_lazy("amendment", "Adopted")
    ADOPTED_MODIFIED = "aangenomen-gewijzigd", _("Adopted as modified")
    REJECTED = "verworpen", pgettext_lazy("amendment", "Rejected")
    WITHDRAWN = "ingetrokken", pgettext_lazy("amendment", "Withdrawn")


ADOPTED_STATUSES = {AmendmentStatus.ADOPTED, AmendmentStatus.ADOPTED_MODIFIED}
# The preamble has no article key; an amendment of it names this.
PREAMBLE = "preamble"


class Amendment(models.Model):
    """A proposal to change, add or remove a principle, a form or the preamble, with its
    reasons; decided by consent after its objection period."""

    accord = models.ForeignKey(Accord, on_delete=models.CASCADE, related_name="amendments")
    based_on = models.ForeignKey(AccordVersion, on_delete=models.CASCADE, related_name="amendments")
    action = models.CharField(_("what"), max_length=12, choices=AmendmentAction.choices)
    # The article it is about (its key), or PREAMBLE; empty for an added article.
    target = models.CharField(max_length=36, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ArticleKind.choices, blank=True
    )  # of an added article
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("proposed text"), max_length=8000, blank=True)
    # What it is about, as it was called when proposed (the article's title, the preamble).
    about = models.CharField(max_length=200, blank=True)
    rationale = models.TextField(_("why"), max_length=4000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    objections_until = models.DateTimeField(_("objections until"))
    status = models.CharField(
        _("status"), max_length=24, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("reason"), max_length=2000, blank=True)
    published_in = models.ForeignKey(
        AccordVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_amendments",
    )
    is_example = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["accord", "status"], name="amendment_by_status")]

    def __str__(self) -> str:
        if self.action == AmendmentAction.ADD or not self.about:
            return self.title or self.get_action_display()
        return f"{self.get_action_display()}: {self.about}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("amendment", args=[self.accord.community.slug, self.accord_id, self.pk])

    @property
    def community_id(self) -> int:
        return self.accord.community_id

    @property
    def content_community_id(self) -> int:
        return self.accord.community_id

    @property
    def in_objection_period(self) -> bool:
        return self.status == AmendmentStatus.OPEN and timezone.now() <= self.objections_until


class AmendmentComment(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Objection(models.Model):
    """A reasoned objection: while one is not resolved, the amendment cannot be adopted."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="objections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("why you object"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolution = models.TextField(_("how it was resolved"), max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.reason[:40]

    @property
    def content_community_id(self) -> int:
        return self.amendment.accord.community_id

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class AccordSettings(models.Model):
    """How long an amendment stays open for objections (consent period), per community."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="accord_settings"
    )
    consent_days = models.PositiveSmallIntegerField(_("days for objections"), default=14)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_days__gte=1) & Q(consent_days__lte=90),
                name="consent_days_1_to_90",
            )
        ]

    def __str__(self) -> str:
        return f"{self.community_id}: {self.consent_days}"


class Endorsement(models.Model):
    """Who endorses one version: a member on their own behalf, or on behalf of their
    organisation once a steward confirmed that they may speak for it. One per person (or
    organisation) per version, enforced by the database; a withdrawn one stays, marked."""

    version = models.ForeignKey(
        AccordVersion, on_delete=models.CASCADE, related_name="endorsements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    organisation = models.ForeignKey(
        "communities.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    # For an organisation: the steward who confirmed that the member may speak for it.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("endorsement of the accord")
        verbose_name_plural = _("endorsements of the accord")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user"],
                condition=Q(organisation__isnull=True, withdrawn_at__isnull=True),
                name="one_personal_endorsement_per_version",
            ),
            models.UniqueConstraint(
                fields=["version", "organisation"],
                condition=Q(organisation__isnull=False, withdrawn_at__isnull=True),
                name="one_organisation_endorsement_per_version",
            ),
        ]
        indexes = [models.Index(fields=["version", "withdrawn_at"], name="endorsement_by_version")]

    def __str__(self) -> str:
        return f"{self.user} → {self.version}"

    @property
    def counts(self) -> bool:
        """Shown as an endorsement: personal, or for an organisation once confirmed."""
        return self.withdrawn_at is None and (
            self.organisation_id is None or self.confirmed_at is not None
        )
