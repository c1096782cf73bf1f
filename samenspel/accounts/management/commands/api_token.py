"""manage.py api_token EMAIL: print a new personal API token for that user."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samenspel.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Print a new personal API token for the user with this email address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: object, email: str, name: str, **options: object) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with email address {email}.")
        _token, raw = ApiToken.issue(user=user, name=name)
        self.stdout.write(raw)
