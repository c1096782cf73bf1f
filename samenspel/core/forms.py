"""Form pieces shared by every app."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ConcurrentEditForm(forms.ModelForm):
    """A ModelForm that refuses to overwrite a change someone else saved in the meantime.

    The form carries the id of the newest history record it was based on; if the object's
    history has moved on when the form is saved, the form shows an error instead of silently
    overwriting the other person's work. The model must keep history (simple-history).
    """

    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["based_on"].initial = self._latest_history_id()

    def _latest_history_id(self) -> int | None:
        if not self.instance.pk:
            return None
        latest = (
            self.instance.history.order_by("-history_id")
            .values_list("history_id", flat=True)
            .first()
        )
        return latest

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        current = self._latest_history_id()
        if self.instance.pk and cleaned.get("based_on") != current:
            latest = (
                self.instance.history.order_by("-history_id").select_related("history_user").first()
            )
            who = latest.history_user.name if latest and latest.history_user else _("someone")
            raise forms.ValidationError(
                _(
                    "%(who)s changed this while you were editing. Your changes have not been "
                    "saved. Reload the page to see the newest version, then make your changes "
                    "again."
                )
                % {"who": who},
                code="edit_conflict",
            )
        return cleaned
