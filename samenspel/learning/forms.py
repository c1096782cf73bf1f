"""Forms of track 2: filtering and raising signals, moving them, adjustments and the catalogue."""

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.core.forms import ConcurrentEditForm
from samenspel.initiatives.models import Initiative
from samenspel.learning.models import (
    Adjustment,
    AdjustmentStage,
    ExternalDevelopment,
    LoopSettings,
    PolicyObject,
    Signal,
    Theme,
)
from samenspel.learning.services import behalf_initiatives, signal_initiatives
from samenspel.learning.stages import NEXT_STEP, Outcome, Stage


def community_members(community: Community) -> Any:
    return User.objects.filter(
        memberships__community=community, memberships__left_at__isnull=True
    ).order_by("display_name", "email")


class SignalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("All")
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    initiative = forms.ModelChoiceField(
        label=_("Initiative"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    late = forms.BooleanField(label=_("Only late ones"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("Newest first")),
            ("weight", _("Most initiatives first")),
            ("waiting", _("Waiting longest first")),
        ],
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(community=community)  # type: ignore[attr-defined]
        self.fields["stage"].choices = [("", _("All")), *Stage.choices]  # type: ignore[attr-defined]
        self.fields["initiative"].queryset = (  # type: ignore[attr-defined]
            Initiative.objects.listed().filter(community=community).order_by("name")
        )


SIGNAL_WIDGETS = {
    "initiatives": forms.CheckboxSelectMultiple,
    "themes": forms.CheckboxSelectMultiple,
    "policy_objects": forms.CheckboxSelectMultiple,
    "impact": forms.RadioSelect,
    "urgency": forms.RadioSelect,
}
# The signal's own columns, and (in the form's order) what it points at.
SIGNAL_SCALAR_FIELDS = ["title", "what_happened", "impact", "urgency"]
SIGNAL_LINKS = ["initiatives", "themes", "policy_objects"]
SIGNAL_FIELDS = ["title", "what_happened", *SIGNAL_LINKS, "impact", "urgency"]


def _limit_signal_choices(fields: dict[str, Any], community: Community) -> None:
    """What a signal may point at: this community's listed initiatives, themes and policy
    objects."""
    fields["initiatives"].queryset = signal_initiatives(community).order_by("name")
    fields["themes"].queryset = Theme.objects.filter(community=community)
    fields["policy_objects"].queryset = PolicyObject.objects.filter(community=community)
    for name in SIGNAL_LINKS:
        fields[name].help_text = ""


# A one-line hint under every field of a signal: what to write, and what it is for.
SIGNAL_HINTS = {
    "title": _("What went wrong, in a few words."),
    "what_happened": _(
        "Tell what happened in practice: who, what, when. Then someone can take it up."
    ),
    "themes": _("Who follows one of these themes hears of your signal."),
    "policy_objects": _("Do you know which rule or scheme it is? Choose it. If not, leave it."),
    "impact": _("How much does it hold your initiative back? High: the project is stuck."),
    "urgency": _("How soon must it be solved? High: within a few weeks."),
}


class RaiseSignalForm(forms.ModelForm):
    """Raising a signal: "for which initiative?" is asked once, filled in with the member's
    own initiative when they have one."""

    initiative = forms.ModelChoiceField(
        label=_("For which initiative?"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("No initiative in particular"),
        help_text=_("Chosen for you when you speak for an initiative; change it if needed."),
    )

    class Meta:
        model = Signal
        fields = ["title", "what_happened", "themes", "policy_objects", "impact", "urgency"]
        widgets = SIGNAL_WIDGETS

    def __init__(self, *args: Any, community: Community, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["themes"].queryset = Theme.objects.filter(community=community)
        fields["policy_objects"].queryset = PolicyObject.objects.filter(community=community)
        fields["initiative"].queryset = signal_initiatives(community).order_by("name")
        self.own = list(behalf_initiatives(user, community).order_by("name"))
        if self.own:
            fields["initiative"].initial = self.own[0].pk
        for name, hint in SIGNAL_HINTS.items():
            fields[name].help_text = hint
        # The question comes right after the text, before themes and policy objects.
        order = ["title", "what_happened", "initiative", "themes", "policy_objects"]
        self.order_fields([*order, "impact", "urgency"])

    def on_behalf_of(self) -> Initiative | None:
        """The chosen initiative when the member speaks for it, else None."""
        chosen = self.cleaned_data.get("initiative")
        return chosen if chosen is not None and chosen in self.own else None

    def service_arguments(self) -> dict[str, Any]:
        """What services.raise_signal takes, as parsed (after is_valid)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "what_happened": data["what_happened"],
            "initiatives": [data["initiative"]] if data["initiative"] else [],
            "themes": list(data["themes"]),
            "policy_objects": list(data["policy_objects"]),
            "impact": data["impact"],
            "urgency": data["urgency"],
            "on_behalf_of": self.on_behalf_of(),
        }


class SignalEditForm(ConcurrentEditForm):
    """Correcting or completing a signal; who raised it, for whom and its stage stay."""

    class Meta:
        model = Signal
        fields = SIGNAL_FIELDS
        widgets = SIGNAL_WIDGETS

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_signal_choices(self.fields, community)
        for name, hint in SIGNAL_HINTS.items():
            self.fields[name].help_text = hint


class MoveForm(forms.Form):
    """One move of a signal; the fields a move does not use are ignored."""

    to_stage = forms.ChoiceField(choices=Stage.choices)
    seen_event = forms.IntegerField(required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False)
    owner = forms.ModelChoiceField(
        label=_("Policy owner"), queryset=User.objects.none(), required=False
    )
    # Sessions and learning questions belong to the group's practice (the app above this
    # one): named, not imported; their lists are set per community below.
    session: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Session"), queryset=None, required=False
    )
    learning_question: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Learning question"), queryset=None, required=False
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["owner"].queryset = community_members(community)
        for name, model in (("session", "Session"), ("learning_question", "LearningQuestion")):
            fields[name].queryset = apps.get_model("practice", model).objects.filter(
                community=community
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        stage = cleaned.get("to_stage")
        if (
            stage in (Stage.NIET_OPGEPAKT, Stage.TERUGGEKOPPELD)
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", _("Write a note: the people who raised it will read it."))
        if stage == Stage.AFGESLOTEN and not cleaned.get("outcome"):
            self.add_error("outcome", _("Say whether the barrier was solved."))
        return cleaned


class AdjustmentForm(ConcurrentEditForm):
    """Proposing an adjustment, or changing one (then it refuses to overwrite a change
    someone else saved meanwhile)."""

    class Meta:
        model = Adjustment
        fields = ["policy_object", "title", "current", "proposed", "why", "owner", "signals"]
        widgets = {"signals": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["policy_object"].queryset = PolicyObject.objects.filter(community=community)
        fields["owner"].queryset = community_members(community)
        fields["owner"].required = True
        fields["signals"].queryset = Signal.objects.filter(community=community).order_by("title")
        fields["signals"].help_text = _(
            "Linked signals being explored move on to “adjustment proposed”."
        )


class AdjustmentStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=AdjustmentStage.choices)
    seen_stage = forms.ChoiceField(choices=AdjustmentStage.choices, widget=forms.HiddenInput)
    reference = forms.CharField(
        label=_("Decision reference"),
        required=False,
        max_length=200,
        help_text=_("For a decision: its besluit- or zaaknummer, if any."),
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    link = forms.URLField(
        label=_("Link to the decision"), required=False, max_length=500, assume_scheme="https"
    )


class AdjustmentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class ThemeForm(ConcurrentEditForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]


class PolicyObjectForm(ConcurrentEditForm):
    class Meta:
        model = PolicyObject
        fields = ["kind", "name", "department", "reference"]

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = community.organisations.order_by("name")  # type: ignore[attr-defined]


class ExternalDevelopmentForm(ConcurrentEditForm):
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = ExternalDevelopment
        fields = ["title", "description", "happened_on", "link", "themes", "on_agenda"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "happened_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(community=community)  # type: ignore[attr-defined]
        self.fields["themes"].help_text = ""


class LoopSettingsForm(ConcurrentEditForm):
    """The waiting times, and the promised answer time of each stage (learning/targets.py)."""

    def __init__(self, *args: Any, answer_days: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage, days in answer_days.items():
            self.fields[f"answer_{stage}"] = forms.IntegerField(
                label=_("Answer within (days) at the step: %(stage)s")
                % {"stage": Stage(stage).label},
                min_value=1,
                max_value=365,
                initial=days,
                help_text=NEXT_STEP.get(stage, ""),
            )

    def answer_days(self) -> dict[str, int]:
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }

    class Meta:
        model = LoopSettings
        fields = ["remind_after_days", "close_without_answer_after_days"]
        help_texts = {
            "remind_after_days": _(
                "Whoever must act next hears once when a signal has been this long in one "
                "stage: its owner (the stewards, when it has none), or after feedback the "
                "initiative's side."
            ),
            "close_without_answer_after_days": _(
                "After feedback, the initiative confirms whether it worked. Without an answer "
                "in this time, a steward may close the loop; that is recorded."
            ),
        }
