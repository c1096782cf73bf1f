from django import forms
from django.utils.translation import gettext_lazy as _

from samenspel.accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]
        help_texts = {
            "display_name": _(
                "How other people see you. Left empty, you are shown as 'Member without a name'; "
                "your email address is never shown as your name."
            ),
        }


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, for example 'monitor script'."),
    )
