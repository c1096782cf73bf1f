from django import forms
from django.utils.text import capfirst
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


# What each role may do, in one line, beside every choice of a role.
ROLE_HELP = _(
    "Member: reports signals and takes them up. Facilitator: keeps the group going and "
    "lets people in. Observer: reads along."
)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Only the account that verified this address can accept the invitation."),
    )
    anyone_with_link = forms.BooleanField(
        label=_("A link for anyone, without an email address"),
        required=False,
        help_text=_(
            "You get a link to pass on yourself. Whoever opens it first joins, as a plain "
            "member and without an organisation."
        ),
    )
    side = forms.ChoiceField(
        label=_("Side"),
        choices=[("", _("Choose…")), *Side.choices],
        help_text=_("Where the person comes from. It gives no extra rights."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, initial=Role.LID, help_text=ROLE_HELP
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    message = forms.CharField(
        label=_("Personal message"), widget=forms.Textarea, max_length=2000, required=False
    )

    def __init__(self, *args: object, community: Community, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = community.organisations.all()  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("anyone_with_link") and data.get("email"):
            self.add_error("email", _("Leave the email address empty for a link anyone can use."))
        elif not data.get("anyone_with_link") and not data.get("email") and "email" in data:
            self.add_error("email", _("Enter an email address, or choose a link for anyone."))
        return data


class JoinRequestForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Your side"),
        choices=[("", _("Choose…")), *Side.choices],
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
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, help_text=ROLE_HELP)


class OrganisationForm(ConcurrentEditForm):
    # A website typed without a scheme becomes https:// (Django 6's default too).
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "website"]

    def __init__(self, *args: object, community: Community, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.community = community


class MyMembershipForm(forms.Form):
    """Parses one's own side and organisation; services.change_my_membership applies them."""

    side = forms.ChoiceField(
        label=capfirst(_("side")),
        choices=Side.choices,
        help_text=_("Which side you stand on. It gives no extra rights."),
    )
    organisation = forms.ModelChoiceField(
        label=capfirst(_("organisation")),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "A steward or a confirmed member of the organisation confirms that you belong to "
            "it. Until then you cannot act for it."
        ),
    )

    def __init__(self, *args: object, membership: Membership, **kwargs: object) -> None:
        kwargs.setdefault(
            "initial", {"side": membership.side, "organisation": membership.organisation_id}
        )
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            community_id=membership.community_id
        )
