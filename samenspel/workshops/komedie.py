# ruff: noqa: E501  (story texts, one sentence a line)
"""The built-in workshop: De Komedie, in four acts. Written for Samenspel from the
description of "De Zwolse Komedie" (a story and a workshop about the collaboration between
municipality and initiatives): like a comedy it starts with misunderstandings and ends
well. A community plays it as it is, or copies it and makes it its own. Its text is the
community's content (Dutch), as the accord's example texts are; its name is translated."""

from typing import Any

from django.utils.translation import gettext_lazy as _

GEMEENTE, INITIATIEF, EVERYONE = "gemeente", "initiatief", ""

KOMEDIE: dict[str, Any] = {
    "key": "komedie",
    "label": _("De Komedie: four acts about working together (built in)"),
    "name": "De Komedie",
    "description": (
        "Een verhaal en een werkvorm in vier aktes over het samenspel tussen gemeente en "
        "initiatieven. Zoals in een komedie begint het met misverstanden en loopt het goed af. "
        "Speel het met anderen: zo praten meer ambtenaren en initiatieven mee."
    ),
    "acts": [
        {
            "title": "Akte 1 — Vooroordelen",
            "story": (
                "Het doek gaat op. Aan de ene kant van het toneel de gemeente, aan de andere kant de bewoners van een buurt met een warmteplan.\n\n"
                'Ze kennen elkaar nog niet goed. Ze hebben wel een beeld van elkaar. "Die ambtenaren doen alles traag." "Die bewoners willen alles meteen."\n\n'
                "Zo begint elke komedie: met misverstanden. Zeg ze hardop. Dan kunnen we erom lachen, en er daarna iets mee."
            ),
            "instructions": (
                "Zeg dat alles mag en dat kaarten geen naam tonen. Laat iedereen eerst zelf schrijven (kaarten blijven verborgen). "
                "Toon dan alle kaarten tegelijk. Lees een paar kaarten van elke kant voor. Vraag: herken je dit? Wat klopt er niet aan? "
                "Groepeer kaarten die over hetzelfde gaan."
            ),
            "minutes": 20,
            "prompts": [
                {
                    "side": GEMEENTE,
                    "text": "Wat denkt de gemeente over initiatieven? Schrijf op wat je hoort, of wat je zelf soms denkt.",
                },
                {
                    "side": INITIATIEF,
                    "text": "Wat denken initiatieven over de gemeente? Schrijf op wat je hoort, of wat je zelf soms denkt.",
                },
            ],
        },
        {
            "title": "Akte 2 — Waarden",
            "story": (
                "Na de eerste ruzie kijken ze beter. De bewoners zien dat de gemeente de sleutels heeft voor regels, geld en besluiten van de raad. "
                "De gemeente ziet dat de bewoners de sleutels hebben voor het doen: zij kennen de buurt en krijgen mensen mee.\n\n"
                "Beide maken waarde. Welke?"
            ),
            "instructions": (
                "Vraag om concrete voorbeelden: een project, een moment, een persoon. Toon de kaarten, groepeer ze en laat iedereen stemmen: "
                "welke waarde willen we beter zichtbaar maken?"
            ),
            "minutes": 20,
            "prompts": [
                {
                    "side": EVERYONE,
                    "text": "Welke waarde maken initiatieven voor de buurt en de stad?",
                },
                {"side": EVERYONE, "text": "Welke waarde maakt de gemeente voor initiatieven?"},
            ],
        },
        {
            "title": "Akte 3 — Opgaven",
            "story": (
                "Het gaat beter, maar het is nog niet af. Een aanvraag blijft hangen. Een regel past niet bij wat een coöperatie doet. "
                "Een bewoner haakt af.\n\n"
                "Wat moet er gebeuren om het samenspel sterker te maken? Beide hebben een opgave."
            ),
            "instructions": (
                "Vraag om opgaven die je kunt doen, niet alleen wensen. Groepeer en laat stemmen. "
                "Kaarten over een regel of procedure die in de weg zit: oogst ze na afloop als signaal."
            ),
            "minutes": 25,
            "prompts": [
                {
                    "side": EVERYONE,
                    "text": "Wat moet de gemeente doen om het samenspel sterker te maken?",
                },
                {
                    "side": EVERYONE,
                    "text": "Wat moeten initiatieven doen om het samenspel sterker te maken?",
                },
                {"side": EVERYONE, "text": "Welke regel, procedure of werkwijze zit nu in de weg?"},
            ],
        },
        {
            "title": "Akte 4 — Bestendiging",
            "story": (
                "Het slot. Een komedie loopt goed af, maar hoe houden we het goed? Mensen wisselen van baan, een nieuwe raad komt, een initiatief groeit.\n\n"
                "We geven het samenspel een vorm die blijft: een afspraak, een vast moment, een besluit."
            ),
            "instructions": (
                "Vraag welke afspraak in het akkoord hoort en wat de raad zou moeten besluiten. Laat stemmen. "
                "Oogst de sterkste kaarten als voorstel tot wijziging van het akkoord of als leervraag."
            ),
            "minutes": 20,
            "prompts": [
                {"side": EVERYONE, "text": "Welke afspraak moet in ons akkoord staan?"},
                {
                    "side": EVERYONE,
                    "text": "Wat is nodig zodat het samenspel blijft, ook als mensen wisselen?",
                },
            ],
        },
    ],
}

BUILT_IN = {KOMEDIE["key"]: KOMEDIE}
