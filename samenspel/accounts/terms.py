"""allauth's words for account actions, translated our way so that every page says the same.

Our catalogue is read before allauth's (LOCALE_PATHS), so listing the messages here puts
them in locale/nl with the words the rest of Samenspel uses: "Inloggen", not "Aanmelden".
"""

from django.utils.translation import gettext_noop

ALLAUTH_TERMS = [
    gettext_noop("Sign In"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign Out"),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
]
