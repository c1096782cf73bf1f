# ruff: noqa: E501  (example texts, one sentence a line)
"""Texts an accord can start from (a community may start blank). Each is marked as an
example text: a group makes it its own before publishing."""

from django.utils.translation import gettext_lazy as _

from samenspel.accords.models import ArticleKind

P, F = ArticleKind.PRINCIPLE, ArticleKind.FORM

TEMPLATES = {
    "samenspel": {
        "label": _("Working together as equal partners (example text)"),
        "title": "Voorbeeld: ons akkoord over het samenspel",
        "preamble": (
            "Voorbeeld: gemeente en warmte-initiatieven werken samen aan de warmtetransitie in "
            "onze buurten. Dit akkoord zegt hoe. Het is geen politiek besluit, maar een begin "
            "voor verder gesprek. Het is nooit af: we passen het aan als dat nodig is."
        ),
        "articles": [
            (
                P,
                "Voorbeeld: we hebben elkaar nodig",
                "Voorbeeld: de gemeente kan de warmtetransitie niet zonder de buurten, en initiatieven kunnen het niet zonder de gemeente.",
            ),
            (
                P,
                "Voorbeeld: initiatieven zijn volwaardig partner",
                "Voorbeeld: initiatieven praten mee vanaf het begin, niet pas als alles al besloten is.",
            ),
            (
                P,
                "Voorbeeld: we leren samen van de praktijk",
                "Voorbeeld: wat initiatieven tegenkomen, bespreken we samen, en het beleid verandert waar dat nodig is.",
            ),
            (
                P,
                "Voorbeeld: we zijn open",
                "Voorbeeld: we delen wat we weten, ook als het nog niet af is.",
            ),
            (
                P,
                "Voorbeeld: we spreken dezelfde taal",
                "Voorbeeld: we leggen onze woorden uit en spreken af wat we ermee bedoelen.",
            ),
            (
                P,
                "Voorbeeld: de kringloop sluit",
                "Voorbeeld: wie een probleem meldt, hoort altijd wat ermee gebeurde, ook als het antwoord nee is.",
            ),
            (
                F,
                "Voorbeeld: we komen regelmatig samen",
                "Voorbeeld: een paar keer per jaar, met een agenda en een verslag.",
            ),
            (
                F,
                "Voorbeeld: een vast aanspreekpunt",
                "Voorbeeld: elk initiatief weet wie het bij de gemeente belt.",
            ),
            (
                F,
                "Voorbeeld: meelopen",
                "Voorbeeld: ambtenaren gaan mee naar een bewonersavond of een bestuursvergadering.",
            ),
        ],
    },
    "blank": {
        "label": _("A blank page"),
        "title": "",
        "preamble": "",
        "articles": [],
    },
}
