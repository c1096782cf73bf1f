"""Accounts: sign-up with verification, login by email, password reset, email change,
profile and personal API tokens."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from conftest import client_for
from samenspel.accounts.models import ApiToken, User, hash_token
from tests.factories import PASSWORD, UserFactory
from tests.mailbox import outbox


def _link(body: str) -> str:
    return re.search(r"http://testserver(/\S+)", body).group(1)


def test_signing_up_requires_verifying_the_email(db, client):
    response = client.post(
        "/accounts/signup/",
        {"email": "Nieuw@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "nieuw@example.org"
    assert not EmailAddress.objects.get(user=user).verified
    confirm_url = _link(outbox()[0].body)
    assert client.get("/accounts/profile/").status_code == 302  # not logged in yet
    client.post(confirm_url)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/accounts/profile/").status_code == 200


def test_logging_in_is_by_email(db, client):
    UserFactory(email="lid@example.org")
    response = client.post("/accounts/login/", {"login": "lid@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(db, client):
    UserFactory(email="lid@example.org")
    response = client.post("/accounts/login/", {"login": "lid@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "niet correct" in response.content.decode() or "onjuist" in response.content.decode()


def test_login_sends_you_to_your_preferred_language(db, client):
    UserFactory(email="en@example.org", preferred_language="en")
    response = client.post("/accounts/login/", {"login": "en@example.org", "password": PASSWORD})
    assert response["Location"].startswith("/en/")


def test_password_reset_sends_a_working_link(db, client):
    user = UserFactory(email="vergeten@example.org")
    client.post("/accounts/password/reset/", {"email": "vergeten@example.org"})
    reset_url = _link(outbox()[0].body)
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    client.post(
        form_url,
        {"password1": "een-nieuw-lang-wachtwoord", "password2": "een-nieuw-lang-wachtwoord"},
    )
    user.refresh_from_db()
    assert user.check_password("een-nieuw-lang-wachtwoord")


def test_changing_the_email_address_needs_verification_of_the_new_one(db):
    user = UserFactory(email="oud@example.org")
    client = client_for(user)
    assert client.get("/accounts/email/").status_code == 200
    client.post("/accounts/email/", {"action_add": "", "email": "nieuw@example.org"})
    new = EmailAddress.objects.get(email="nieuw@example.org")
    assert not new.verified
    client.post(_link(outbox()[-1].body))
    user.refresh_from_db()
    assert user.email == "nieuw@example.org"


def test_the_profile_saves_display_name_and_language(db):
    user = UserFactory()
    response = client_for(user).post(
        "/accounts/profile/", {"display_name": "Marieke", "preferred_language": "en"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language) == ("Marieke", "en")


def test_an_overlong_display_name_is_refused(db):
    user = UserFactory(display_name="Oud")
    response = client_for(user).post(
        "/accounts/profile/", {"display_name": "x" * 121, "preferred_language": "nl"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.display_name == "Oud"


def test_api_tokens_are_shown_once_stored_as_hash_and_revocable(db):
    user = UserFactory()
    client = client_for(user)
    html = client.post("/accounts/tokens/", {"name": "monitor"}).content.decode()
    raw = re.search(r'id="new-token">(ssp_[^<]+)<', html).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    listing = client.get("/accounts/tokens/").content.decode()
    assert "monitor" in listing and raw not in listing

    api = client_for(None)
    assert api.get("/api/v1/communities", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/communities", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_you_cannot_revoke_someone_elses_token(db):
    token, _raw = ApiToken.issue(user=UserFactory(), name="van een ander")
    response = client_for(UserFactory()).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_api_token_command_prints_a_working_token(db):
    user = UserFactory(email="script@example.org")
    out = StringIO()
    call_command("api_token", "script@example.org", stdout=out)
    raw = out.getvalue().strip()
    assert ApiToken.authenticate(raw) == user


def test_the_api_token_command_refuses_an_unknown_email(db):
    with pytest.raises(CommandError):
        call_command("api_token", "niemand@example.org")
