"""Forms of the council's route: they parse; council/services.py decides."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.core.forms import ConcurrentEditForm
from samenspel.council.models import (
    CommitmentStatus,
    CouncilAdvice,
    CouncilDecision,
    CouncilMeeting,
    Instrument,
    MeetingBody,
    OfferedTo,
    Outcome,
)
from samenspel.learning.forms import community_members
from samenspel.learning.models import Adjustment, Signal, Theme
from samenspel.practice.forms import WhenForm

ADVICE_LINKS = ("adjustments", "signals", "themes")


class AdviceForm(ConcurrentEditForm):
    """Starting or changing a draft advice (it refuses to overwrite a change someone else
    saved meanwhile)."""

    class Meta:
        model = CouncilAdvice
        fields = ["title", "question", "advice", "adjustments", "signals", "themes", "authors"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "advice": forms.Textarea(attrs={"rows": 10}),
            "adjustments": forms.CheckboxSelectMultiple,
            "signals": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "authors": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "title": _("In a few words, for the list of advices."),
            "question": _("What must the council decide? For example: do we give guarantees?"),
            "advice": _(
                "What the group advises, and why. Start with the advice itself. You may use "
                "Markdown."
            ),
        }

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["adjustments"].queryset = Adjustment.objects.filter(community=community).order_by(
            "title"
        )
        fields["adjustments"].help_text = _(
            "The changes to a rule or scheme the council decides on with this advice."
        )
        fields["signals"].queryset = Signal.objects.filter(community=community).order_by("title")
        fields["signals"].help_text = _(
            "The signals from practice it answers: their raisers hear the council's decision."
        )
        fields["themes"].queryset = Theme.objects.filter(community=community)
        fields["themes"].help_text = ""
        fields["authors"].queryset = community_members(community)
        fields["authors"].required = bool(self.instance.pk)
        fields["authors"].label = _("Authors") if self.instance.pk else _("Co-authors")
        fields["authors"].help_text = _("Members of either side. They may change the draft.")


class MoveForm(forms.Form):
    to_stage = forms.CharField(widget=forms.HiddenInput)
    seen_stage = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OfferForm(MoveForm):
    offered_to = forms.ChoiceField(
        label=_("Offered to"), choices=OfferedTo.choices, widget=forms.RadioSelect
    )
    offered_on = forms.DateField(
        label=_("On"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    channel = forms.CharField(
        label=_("How"),
        max_length=200,
        required=False,
        help_text=_("For example: by letter to the griffie, at a rondetafelgesprek."),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What did the council decide?"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    instrument = forms.ChoiceField(label=_("By which instrument?"), choices=Instrument.choices)
    decided_on = forms.DateField(
        label=_("On which date?"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(
        label=_("What was decided"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The decision's text, or its core. The people of the linked signals read it."),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        required=False,
        help_text=_("The decision's number in the council information system."),
    )
    link = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where the decision can be read: the council information system."),
    )


class CommitmentForm(forms.Form):
    description = forms.CharField(
        label=_("What was promised"),
        max_length=500,
        help_text=_("A toezegging or an action that follows from the decision."),
    )
    owner = forms.ModelChoiceField(
        label=_("Who follows it up"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("By when"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["owner"].queryset = community_members(community)


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)


class MeetingForm(WhenForm):
    field_order = ["body", "title", "day", "start", "end", "place", "link"]

    body = forms.ChoiceField(label=_("What kind of meeting"), choices=MeetingBody.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: Commissie Omgeving over het warmteprogramma."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    link = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("The meeting in the council information system, or its live stream."),
    )

    @classmethod
    def initial_for(cls, meeting: CouncilMeeting) -> dict[str, Any]:
        return {
            "body": meeting.body,
            "title": meeting.title,
            **cls.initial_times(meeting.starts_at, meeting.ends_at),
            "place": meeting.place,
            "link": meeting.link,
        }

    def service_fields(self) -> dict[str, Any]:
        starts_at, ends_at = self.times()
        data = self.cleaned_data
        return {
            "body": data["body"],
            "title": data["title"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": data["place"],
            "link": data["link"],
        }


class AgendaForm(forms.Form):
    advice = forms.ModelChoiceField(
        label=_("Which advice?"), queryset=CouncilAdvice.objects.none(), empty_label=None
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["advice"].queryset = CouncilAdvice.objects.filter(community=community).order_by(
            "-created_at"
        )


class ArrangementForm(forms.Form):
    title = forms.CharField(
        label=_("What was established"),
        max_length=200,
        help_text=_("For example: Opgroeirecht vastgesteld."),
    )
    description = forms.CharField(
        label=_("What it means"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For initiatives and civil servants: what can they do now?"),
    )
    decision = forms.ModelChoiceField(
        label=_("The decision"), queryset=CouncilDecision.objects.none(), required=False
    )
    established_on = forms.DateField(
        label=_("Established on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.URLField(
        label=_("Source"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A link to the decision or the rule, if no decision of the group's advice."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["decision"].queryset = CouncilDecision.objects.filter(
            advice__community=community
        ).select_related("advice")


class EndArrangementForm(forms.Form):
    ended_on = forms.DateField(
        label=_("No longer in force since"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
