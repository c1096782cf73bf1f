"""Field messages that say what to do, in the house words (issue 9 §4): "Vul dit veld in"
rather than "Dit veld is verplicht", and "Te lang: maximaal 200 tekens, nu 319". Set once
at start-up for every form (Django's own defaults otherwise); the error summary at the top
of a form puts the field's name before each message."""

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


def use_plain_messages() -> None:
    forms.Field.default_error_messages["required"] = _("Fill in this field.")
    validators.MaxLengthValidator.message = ngettext_lazy(
        "Too long: at most %(limit_value)d character, now %(show_value)d.",
        "Too long: at most %(limit_value)d characters, now %(show_value)d.",
        "limit_value",
    )
    validators.EmailValidator.message = _(
        "Fill in a whole email address, such as naam@voorbeeld.nl."
    )
    forms.ChoiceField.default_error_messages["invalid_choice"] = _("Choose one of the options.")
    forms.ModelChoiceField.default_error_messages["invalid_choice"] = _(
        "Choose one of the options."
    )
