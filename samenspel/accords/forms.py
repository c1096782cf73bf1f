"""Forms of the accord: they parse; accords/services.py decides."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samenspel.accords.models import (
    PREAMBLE,
    AccordVersion,
    AmendmentAction,
    AmendmentStatus,
    ArticleKind,
)
from samenspel.accords.templates_text import TEMPLATES


class StartForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=[(key, value["label"]) for key, value in TEMPLATES.items()],
        widget=forms.RadioSelect,
        initial="samenspel",
        help_text=_("You change every word before you publish it."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the template's title."),
    )


class DraftForm(forms.Form):
    preamble = forms.CharField(
        label=_("Preamble"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this accord exists, and what it is not."),
    )


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Text"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ArticleFormSet = forms.formset_factory(ArticleForm, extra=3, max_num=60)


class AmendmentForm(forms.Form):
    part = forms.ChoiceField(label=_("What is it about?"))
    action = forms.ChoiceField(
        label=_("What should happen?"), choices=AmendmentAction.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("New title"),
        max_length=200,
        required=False,
        help_text=_("For a new principle or form, or a new title. Empty: the title stays."),
    )
    text = forms.CharField(
        label=_("New text"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The whole new text. Leave empty to remove it."),
    )
    rationale = forms.CharField(
        label=_("Why"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What goes better with this change? The group decides on your reasons."),
    )

    NEW = {"new-" + kind: kind for kind in ArticleKind.values}

    def __init__(self, *args: Any, version: AccordVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [(PREAMBLE, str(_("The preamble")))]
        for article in version.articles.order_by("kind", "position", "pk"):
            choices.append((str(article.key), f"{article.get_kind_display()}: {article.title}"))
        choices += [
            ("new-" + ArticleKind.PRINCIPLE, str(_("A new principle"))),
            ("new-" + ArticleKind.FORM, str(_("A new practical form"))),
        ]
        fields: dict[str, Any] = self.fields
        fields["part"].choices = choices

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        part = data["part"]
        if part in self.NEW:
            return {
                "action": AmendmentAction.ADD,
                "target": "",
                "kind": self.NEW[part],
                "title": data["title"],
                "text": data["text"],
                "rationale": data["rationale"],
            }
        return {
            "action": data["action"],
            "target": part,
            "title": data["title"],
            "text": data["text"],
            "rationale": data["rationale"],
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you object"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An objection says what would go wrong for the group if this were adopted."),
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What did the group decide?"),
        choices=[(v, label) for v, label in AmendmentStatus.choices if v != AmendmentStatus.OPEN],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when it is rejected: who proposed it reads it."),
    )
    title = forms.CharField(label=_("Title as adopted"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Text as adopted"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only when it was adopted as modified."),
    )


class PublishForm(forms.Form):
    notes = forms.CharField(
        label=_("What changed, in your words"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The list of amendments it contains is added for you."),
    )


class ConsentForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days for objections"),
        min_value=1,
        max_value=90,
        help_text=_("How long members may object to an amendment, from the day it is proposed."),
    )
