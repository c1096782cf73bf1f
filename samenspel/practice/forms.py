"""Forms of the group's practice: they parse; the services in sessions.py decide."""

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership, Role
from samenspel.initiatives.models import Initiative
from samenspel.learning.models import Signal
from samenspel.learning.stages import Stage
from samenspel.practice.agenda import subject_kinds
from samenspel.practice.models import (
    Answer,
    CommunityStage,
    ConsultationMethod,
    FieldVisit,
    GlossaryTerm,
    LearningQuestion,
    PeerConsultation,
    Session,
    TermStatus,
    VisitKind,
)


def members_of(community: Community) -> Any:
    return User.objects.filter(
        pk__in=Membership.objects.active().filter(community=community).values("user_id")
    ).order_by("display_name", "email")


class WhenForm(forms.Form):
    """A date with a start and an end time, in the site's time zone (sessions, council
    meetings)."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    @staticmethod
    def initial_times(starts_at: datetime, ends_at: datetime) -> dict[str, Any]:
        starts = timezone.localtime(starts_at)
        return {
            "day": starts.date(),
            "start": starts.time(),
            "end": timezone.localtime(ends_at).time(),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end comes after the start."))
        return cleaned

    def times(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        zone = timezone.get_current_timezone()

        def at(moment: time) -> datetime:
            return timezone.make_aware(datetime.combine(day, moment), zone)

        return at(self.cleaned_data["start"]), at(self.cleaned_data["end"])


class SessionForm(WhenForm):
    field_order = ["title", "day", "start", "end", "place", "online_link", "about"]

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("What the session is about, in a few words."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("An address or a room. Leave it empty if the session is online only."),
    )
    online_link = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        help_text=_("The link to the video call. Only members see it."),
        assume_scheme="https",
    )
    about = forms.CharField(
        label=_("What it is about"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why people should come, and what to prepare. You may use Markdown."),
    )

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        return {
            "title": session.title,
            **cls.initial_times(session.starts_at, session.ends_at),
            "place": session.place,
            "online_link": session.online_link,
            "about": session.about,
        }

    def service_fields(self) -> dict[str, Any]:
        starts_at, ends_at = self.times()
        return {
            "title": self.cleaned_data["title"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": self.cleaned_data["place"],
            "online_link": self.cleaned_data["online_link"],
            "about": self.cleaned_data["about"],
        }


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"), choices=Answer.choices, widget=forms.RadioSelect
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=200,
        required=False,
        help_text=_(
            "Leave empty when you choose a signal or learning question: its title is used."
        ),
    )
    signal = forms.ModelChoiceField(
        label=_("Signal"),
        queryset=Signal.objects.none(),
        required=False,
        help_text=_("Signals waiting to be discussed come first."),
    )
    learning_question = forms.ModelChoiceField(
        label=_("Learning question"), queryset=LearningQuestion.objects.none(), required=False
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        signals = Signal.objects.filter(community=community).select_related("last_event")
        # The signals that wait for discussion first, then the newest; a choice of 200.
        waiting = signals.filter(last_event__to_stage=Stage.GEMELD).order_by("-raised_at")
        fields["signal"].queryset = signals.order_by("-raised_at")
        fields["signal"].choices = [("", "---------")] + [
            (s.pk, s.title)
            for s in list(waiting[:100])
            + list(signals.exclude(last_event__to_stage=Stage.GEMELD).order_by("-raised_at")[:100])
        ]
        fields["learning_question"].queryset = LearningQuestion.objects.filter(community=community)
        # What apps above put on agendas (practice/agenda.py): an advice to the council, …
        for kind in subject_kinds():
            fields[f"subject_{kind.key}"] = forms.ModelChoiceField(
                label=kind.label, queryset=kind.candidates(community), required=False
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [
            cleaned.pop(f"subject_{kind.key}")
            for kind in subject_kinds()
            if cleaned.get(f"subject_{kind.key}") is not None
        ]
        if len(chosen) > 1:
            self.add_error(None, _("Choose one thing for an agenda item."))
        cleaned["subject"] = chosen[0] if chosen else None
        for kind in subject_kinds():
            cleaned.pop(f"subject_{kind.key}", None)
        if not (
            cleaned.get("title")
            or cleaned.get("signal")
            or cleaned.get("learning_question")
            or cleaned["subject"]
        ):
            self.add_error("title", _("Write a topic, or choose a signal or learning question."))
        return cleaned


class DiscussedForm(forms.Form):
    notes = forms.CharField(
        label=_("What was said"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a signal, whoever raised it reads this."),
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Who was there"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["present"].queryset = members_of(community)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What was discussed, in short. You may use Markdown."),
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("What was decided"), max_length=500)


class ActionPointForm(forms.Form):
    description = forms.CharField(label=_("What needs to be done"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("Who does it"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("By when"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["owner"].queryset = members_of(community)


class GroundRuleForm(forms.Form):
    text = forms.CharField(
        label=_("Rule"),
        max_length=300,
        help_text=_("One rule, in one sentence. For example: we speak from our own practice."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the rule means in practice, if that helps."),
    )
    agreed_at = forms.ModelChoiceField(
        label=_("Agreed at the session"),
        queryset=Session.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["agreed_at"].queryset = Session.objects.filter(community=community).order_by(
            "-starts_at"
        )


class GlossaryTermForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=100)
    variants = forms.CharField(
        label=_("Other forms"),
        max_length=300,
        required=False,
        help_text=_("A plural or another spelling, separated by commas: warmtenetten, warmte-net."),
    )
    municipality_view = forms.CharField(
        label=_("How the municipality understands it"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    initiatives_view = forms.CharField(
        label=_("How the initiatives understand it"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    definition = forms.CharField(
        label=_("What we agreed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The meaning the group agreed on. Leave it empty while you still discuss it."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=TermStatus.choices, widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, instance_term: GlossaryTerm | None, may_agree: bool, **kwargs: Any
    ) -> None:
        if instance_term is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance_term, name)
                for name in (
                    "term",
                    "variants",
                    "municipality_view",
                    "initiatives_view",
                    "definition",
                    "status",
                )
            }
        kwargs.setdefault("initial", {}).setdefault("status", TermStatus.IN_DISCUSSION)
        super().__init__(*args, **kwargs)
        if not may_agree:
            # Only a steward marks a term as agreed; the others keep it in discussion.
            del self.fields["status"]


def recent_signals(community: Community) -> list[tuple[int, str]]:
    """The choice of signals to link: the newest 100 of the community."""
    rows = Signal.objects.filter(community=community).order_by("-raised_at")[:100]
    return [(s.pk, s.title) for s in rows.only("pk", "title")]


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=300,
        help_text=_(
            "What do you want to learn together? For example: how do we make the permit "
            "predictable?"
        ),
    )
    explanation = forms.CharField(
        label=_("Why you ask it"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened in practice that made you ask."),
    )
    signals = forms.ModelMultipleChoiceField(
        label=_("Signals it comes from"),
        queryset=Signal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The newest signals of the group. Leave empty if none fits."),
    )
    visit = forms.ModelChoiceField(
        label=_("Visit to an initiative"),
        queryset=FieldVisit.objects.none(),
        required=False,
        help_text=_("Did the question come up when you joined an initiative? Choose the visit."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["signals"].queryset = Signal.objects.filter(community=community)
        fields["signals"].choices = recent_signals(community)
        fields["visit"].queryset = visits_of(community)


class LessonForm(forms.Form):
    title = forms.CharField(
        label=_("What did you learn?"),
        max_length=200,
        help_text=_("In one sentence."),
    )
    text = forms.CharField(
        label=_("Tell more"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How you found out, and what others can do with it. You may use Markdown."),
    )
    question = forms.ModelChoiceField(
        label=_("Learning question"), queryset=LearningQuestion.objects.none(), required=False
    )
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False
    )
    consultation = forms.ModelChoiceField(
        label=_("Peer consultation"),
        queryset=PeerConsultation.objects.none(),
        required=False,
    )
    visit = forms.ModelChoiceField(
        label=_("Visit to an initiative"), queryset=FieldVisit.objects.none(), required=False
    )
    is_public = forms.BooleanField(
        label=_("Others may read it too"),
        required=False,
        help_text=_("Also people outside the group, when the group is private."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["question"].queryset = LearningQuestion.objects.filter(community=community)
        fields["session"].queryset = Session.objects.filter(community=community).order_by(
            "-starts_at"
        )
        fields["consultation"].queryset = PeerConsultation.objects.filter(
            session__community=community
        )
        fields["visit"].queryset = visits_of(community)


def visits_of(community: Community) -> Any:
    """The visits a lesson or question may come from: those not cancelled, newest first."""
    return (
        FieldVisit.objects.planned()
        .filter(community=community)
        .select_related("initiative")
        .order_by("-visit_on", "-pk")
    )


class VisitForm(forms.Form):
    """Planning a visit: which initiative, what kind of activity, when, and — for the
    initiative's people and stewards — who joins."""

    initiative = forms.ModelChoiceField(
        label=_("Which initiative?"), queryset=Initiative.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("What do you join?"), choices=VisitKind.choices, widget=forms.RadioSelect
    )
    visit_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    about = forms.CharField(
        label=_("What happens there"),
        max_length=300,
        help_text=_("For example: the board talks about the heat plan for the street."),
    )
    visitor = forms.ModelChoiceField(
        label=_("Who joins?"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A member of the group, often someone of the municipality."),
    )

    def __init__(self, *args: Any, community: Community, may_invite: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["initiative"].queryset = Initiative.objects.listed().filter(community=community)
        if may_invite:
            fields["visitor"].queryset = members_of(community).exclude(
                memberships__community=community, memberships__role=Role.WAARNEMER
            )
            fields["visitor"].empty_label = _("I join myself")
        else:
            del fields["visitor"]


class VisitNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("What did you see and learn?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A few sentences: what struck you, and what the group can do with it. Longer "
            "insights become a lesson."
        ),
    )


SCORES = [(str(n), str(n)) for n in range(1, 6)]


class PulseForm(forms.Form):
    trust = forms.TypedChoiceField(
        label=_("How much do you trust the others in the group?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 is very little, 5 is very much."),
    )
    understanding = forms.TypedChoiceField(
        label=_("How well do you understand the other side (municipality or initiatives)?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 is very little, 5 is very well."),
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful was this session for your work?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 is not at all, 5 is very useful."),
    )
    comment = forms.CharField(
        label=_("Anything else? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the stewards read comments, without your name."),
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Where does the group stand?"),
        choices=CommunityStage.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the group said about it."),
    )


class ConsultationForm(forms.Form):
    method = forms.ModelChoiceField(
        label=_("Method"), queryset=ConsultationMethod.objects.none(), empty_label=None
    )
    case_bringer = forms.ModelChoiceField(
        label=_("Who brings the case"), queryset=User.objects.none()
    )
    question = forms.CharField(
        label=_("Their question"),
        max_length=300,
        help_text=_(
            "What the case bringer wants to find out. For example: how do I get the council "
            "on board?"
        ),
    )
    case = forms.CharField(
        label=_("The case"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened in practice, in a few sentences."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from samenspel.practice.consultations import methods_for

        fields: dict[str, Any] = self.fields
        fields["method"].queryset = methods_for(community)
        fields["case_bringer"].queryset = members_of(community)


class RoundForm(forms.Form):
    notes = forms.CharField(
        label=_("What was said"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
