"""Forms of the workshops: they parse; workshops/services.py and harvest.py decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samenspel.accords.models import Accord, ArticleKind
from samenspel.workshops.komedie import BUILT_IN
from samenspel.workshops.models import (
    CARD_MAX_LENGTH,
    CODE_LENGTH,
    NAME_MAX_LENGTH,
    Audience,
    HarvestKind,
    ParticipantSide,
    PromptSide,
    WorkshopTemplate,
)
from samenspel.workshops.services import latest_change

PROMPT_ROWS = 4


def template_choices(community: Any) -> list[tuple[str, str]]:
    own = WorkshopTemplate.objects.filter(community=community, archived_at__isnull=True)
    return [(key, str(value["label"])) for key, value in BUILT_IN.items()] + [
        (str(template.pk), template.name) for template in own
    ]


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    template = forms.ChoiceField(label=_("Template"), widget=forms.RadioSelect)
    audience = forms.ChoiceField(
        label=_("Who may join?"),
        choices=Audience.choices,
        initial=Audience.OPEN,
        widget=forms.RadioSelect,
        help_text=_("With a mixed audience, people join with a name and a side only."),
    )
    votes_per_participant = forms.IntegerField(
        label=_("Votes per participant in each act"), min_value=1, max_value=20, initial=3
    )
    hold_cards = forms.BooleanField(
        label=_("Keep cards hidden until I reveal them"),
        required=False,
        initial=True,
        help_text=_("Everyone writes first; then all cards appear together."),
    )

    def __init__(self, *args: Any, community: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        field.choices = template_choices(community)  # type: ignore[attr-defined]
        field.initial = "komedie"


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    # The history record the editor saw (services refuse to overwrite a newer change).
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea({"rows": 3})
    )


class NewTemplateForm(TemplateForm):
    copy_of = forms.ChoiceField(label=_("Start from"), widget=forms.RadioSelect, required=False)

    def __init__(self, *args: Any, community: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["copy_of"]
        field.choices = [("", _("A blank template")), *template_choices(community)]  # type: ignore[attr-defined]
        field.initial = "komedie"


class ActForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    story = forms.CharField(
        label=_("Story"),
        max_length=8000,
        required=False,
        widget=forms.Textarea({"rows": 5}),
        help_text=_("What the projector shows while the act is played. Markdown is allowed."),
    )
    instructions = forms.CharField(
        label=_("Instructions for the facilitator"),
        max_length=8000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    minutes = forms.IntegerField(
        label=_("Suggested duration in minutes"), min_value=1, max_value=240, initial=15
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, PROMPT_ROWS + 1):
            self.fields[f"prompt_{number}"] = forms.CharField(
                label=_("Question %(n)d") % {"n": number},
                max_length=300,
                required=False,
            )
            self.fields[f"prompt_{number}_side"] = forms.ChoiceField(
                label=_("Question %(n)d is for") % {"n": number},
                choices=PromptSide.choices,
                required=False,
            )

    @staticmethod
    def initial_for(act: Any) -> dict[str, Any]:
        initial = {
            "based_on": latest_change(act),
            "title": act.title,
            "story": act.story,
            "instructions": act.instructions,
            "minutes": act.minutes,
        }
        for number, prompt in enumerate(act.prompts[:PROMPT_ROWS], start=1):
            initial[f"prompt_{number}"] = prompt["text"]
            initial[f"prompt_{number}_side"] = prompt["side"]
        return initial

    def prompts(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"text": data[f"prompt_{n}"], "side": data[f"prompt_{n}_side"] or ""}
            for n in range(1, PROMPT_ROWS + 1)
            if data.get(f"prompt_{n}")
        ]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The six letters and digits on the screen."),
        widget=forms.TextInput(
            {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).upper()
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(_("A code has six letters and digits."))
        return code


class JoinForm(forms.Form):
    name = forms.CharField(
        label=_("Your name, as others see it"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("A first name is enough. It is kept with this workshop only."),
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    side = forms.ChoiceField(
        label=_("Where do you stand?"), choices=ParticipantSide.choices, widget=forms.RadioSelect
    )


class CardForm(forms.Form):
    text = forms.CharField(
        label=_("Your card"),
        max_length=CARD_MAX_LENGTH,
        widget=forms.Textarea({"rows": 3, "maxlength": CARD_MAX_LENGTH}),
    )
    prompt = forms.IntegerField(required=False, min_value=0, max_value=20, widget=forms.HiddenInput)


class VoteForm(forms.Form):
    """The vote form's buttons: each names the card or group it votes on or takes back."""

    card = forms.IntegerField(required=False, min_value=1)
    cluster = forms.IntegerField(required=False, min_value=1)
    take_back_card = forms.IntegerField(required=False, min_value=1)
    take_back_cluster = forms.IntegerField(required=False, min_value=1)
    take_back = forms.BooleanField(required=False)


class TimerForm(forms.Form):
    minutes = forms.FloatField(label=_("Minutes"), min_value=0.5, max_value=240)


class GroupForm(forms.Form):
    cards = forms.TypedMultipleChoiceField(coerce=int, required=False)
    cluster = forms.CharField(required=False, max_length=20)
    title = forms.CharField(label=_("Name of the new group"), required=False, max_length=120)

    def __init__(self, *args: Any, card_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cards"].choices = [(pk, pk) for pk in card_ids]  # type: ignore[attr-defined]


class HarvestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What does it become?"), choices=HarvestKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("The signal's title, the question, the article's title or the word."),
    )
    text = forms.CharField(
        label=_("Text"), max_length=8000, required=False, widget=forms.Textarea({"rows": 5})
    )
    accord = forms.ModelChoiceField(
        label=_("Accord (for a proposal)"), queryset=Accord.objects.none(), required=False
    )
    article_kind = forms.ChoiceField(
        label=_("Principle or form (for a proposal)"),
        choices=ArticleKind.choices,
        required=False,
    )

    def __init__(self, *args: Any, community: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accord"].queryset = Accord.objects.filter(community=community)  # type: ignore[attr-defined]
