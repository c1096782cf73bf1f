from django import forms
from django.utils.translation import gettext_lazy as _

from samenspel.communities.models import Community, Membership, Organisation, Role, Side
from samenspel.core.forms import ConcurrentEditForm


class CommunityForm(ConcurrentEditForm):
    class Meta:
        model = Community
        fields = ["name", "slug", "municipality", "description", "is_public"]
        help_texts = {
            "slug": _(
                "Used in web addresses, for example 'zwolle'. Lowercase letters, digits "
                "and hyphens."
            ),
        }


class NewCommunityForm(CommunityForm):
    side = forms.ChoiceField(
        label=_("Your side"),
        choices=Side.choices,
        help_text=_("Which side you stand on. It gives no extra rights."),
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        from samenspel.communities.services import RESERVED_SLUGS

        if slug in RESERVED_SLUGS or Community.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("A community with this short name already exists."))
        return slug


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.LID)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    message = forms.CharField(
        label=_("Personal message"), widget=forms.Textarea, max_length=2000, required=False
    )

    def __init__(self, *args: object, community: Community, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = community.organisations.all()  # type: ignore[attr-defined]


class JoinRequestForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Your side"),
        choices=Side.choices,
        help_text=_(
            "Are you here for the municipality, an initiative, as a facilitator, or otherwise?"
        ),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=160,
        required=False,
        help_text=_("For example the name of your initiative or department."),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class OrganisationForm(ConcurrentEditForm):
    # A website typed without a scheme becomes https:// (Django 6's default too).
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "website"]

    def __init__(self, *args: object, community: Community, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.community = community

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Organisation.objects.filter(community=self.community, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("This community already has an organisation with this name.")
            )
        return name


class MyMembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["side", "organisation"]
        help_texts = {
            "side": _("Which side you stand on. It gives no extra rights."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            community=self.instance.community
        )
