"""Forms of the council's route: they parse; council/services.py decides."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspel.communities.models import Community
from samenspel.core.forms import ConcurrentEditForm
from samenspel.council.models import CouncilAdvice, Instrument, OfferedTo, Outcome
from samenspel.learning.forms import community_members
from samenspel.learning.models import Adjustment, Signal, Theme

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
        fields["authors"].label = (
            _("Who write it") if self.instance.pk else _("Who write it with you")
        )
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
