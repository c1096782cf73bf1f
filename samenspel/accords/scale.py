"""manage.py seed_scale, the accord: one long-lived accord in the largest community, with
its numbered versions, their articles, amendments and endorsements, and a small accord in
a few others (see samenspel/core/scale.py for the whole).

Shape of the data (deterministic for a given --seed):

- The largest community's accord has --accord-versions versions (100), all published,
  evenly over the history span or, when the versions need more, twenty days apart (an
  amendment waits out its consent period before the next version), the last one twenty
  days ago (so the amendments adopted since have had theirs). Version 1 has twelve
  articles (eight principles, four practical forms) under a short preamble. Each later
  version is published from one to three adopted amendments: most change an
  article's text a little (a word replaced, a clause added or dropped), now and then one
  adds an article, removes one or changes the preamble. So every version holds about 15
  articles, and version 100 differs from version 1 in most of them, with a few added and
  a few removed. Keys stay the same from version to version, as the app keeps them.
- Amendments (--accord-amendments, 2,000) are spread over the versions they are based
  on: those adopted into each version (a fifth of them as modified) name the version that
  published them; two more are adopted and wait for the next version; about one in sixty
  is still open on the current version (some still in their objection period); the rest
  were rejected with a reason or withdrawn by whoever proposed them. Each is proposed by a
  member who takes part, and decided by the steward.
- Endorsements (--accord-endorsements, 10,000) are spread over the versions: the current
  one gets the most (four in five of the members who take part, as far as the total
  allows), and the earlier ones the rest, the later versions more than the first. Within a
  version a member endorses at most once on their own behalf, an organisation once, by a
  member confirmed for it, confirmed by the steward (one on the current version still
  waits for a steward). The database's two partial unique constraints hold by
  construction. A community's members number at most a couple of thousand, so 10,000
  endorsements cannot all be on one version.
- The next three communities (those with two members or more) have a small accord of
  three versions, eight amendments and twenty endorsements at most, in the same shape.
- Titles say "(synthetic)"; the accords are marked as example content.

Choices:

- Speed and the rule that a published version never changes through the ORM: every row
  is written with raw multi-row inserts (PostgreSQL: COPY), already published; no history
  (nobody's edits).
- Re-running replaces: the rows of the synthetic communities' accords are deleted with
  raw DELETEs, what points at a row before the row itself (the ORM's delete() of a
  published version refuses, as it should); their history, if anyone edited them, goes
  too.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from samenspel.accords.models import (
    PREAMBLE,
    Accord,
    AccordSettings,
    AccordVersion,
    Amendment,
    AmendmentAction,
    AmendmentComment,
    AmendmentStatus,
    Article,
    ArticleKind,
    Endorsement,
    Objection,
)
from samenspel.communities.models import Membership, Role
from samenspel.communities.scale import synthetic_communities, synthetic_community_history
from samenspel.core.scale import HISTORY_SPAN, ScaleSeeder, allocate, insert_rows, raw_delete

P, F = ArticleKind.PRINCIPLE, ArticleKind.FORM
# (kind, title, first sentence): the first twelve make version 1, the others are added
# over time.
SUBJECTS = [
    (P, "We hebben elkaar nodig", "De gemeente en de initiatieven kunnen het niet alleen."),
    (P, "Initiatieven zijn volwaardig partner", "Initiatieven praten mee vanaf het begin."),
    (P, "We leren samen van de praktijk", "Wat initiatieven tegenkomen, bespreken we samen."),
    (P, "We zijn open", "We delen wat we weten, ook als het nog niet af is."),
    (P, "We spreken dezelfde taal", "We leggen onze woorden uit."),
    (P, "De kringloop sluit", "Wie een probleem meldt, hoort wat ermee gebeurde."),
    (P, "We houden rekening met de buurt", "Bewoners beslissen mee over hun eigen straat."),
    (P, "We zijn eerlijk over geld", "We zeggen vooraf wat iets kost en wie het betaalt."),
    (F, "We komen regelmatig samen", "Een paar keer per jaar, met een agenda en een verslag."),
    (F, "Een vast aanspreekpunt", "Elk initiatief weet wie het bij de gemeente belt."),
    (F, "Meelopen", "Ambtenaren gaan mee naar een bewonersavond."),
    (F, "Samen de begroting lezen", "We lopen de begroting samen door voor ze vastligt."),
    (P, "We delen de risico's", "Wie de lusten heeft, draagt ook een deel van de lasten."),
    (P, "We nemen de tijd", "Een besluit dat haast heeft, leggen we eerst aan de groep voor."),
    (F, "Een jaarlijkse terugblik", "Eens per jaar kijken we samen of het akkoord nog klopt."),
    (F, "De Komedie", "Met nieuwe collega's spelen we de vier aktes van de Komedie."),
    (F, "Een gedeeld logboek", "Wat we afspreken, schrijven we op één plek op."),
    (P, "We vieren wat lukt", "Een warmtenet dat draait, vieren we met de hele buurt."),
    (F, "Een open spreekuur", "Elke maand kan iedereen binnenlopen bij de gemeente."),
    (P, "We beginnen klein", "Een proef in één straat gaat voor een plan voor de hele stad."),
    (F, "Een maatje voor nieuwe initiatieven", "Een ervaren initiatief helpt een nieuw op weg."),
    (P, "We houden ons aan afspraken", "Wat we toezeggen, doen we, of we zeggen waarom niet."),
]
FIRST_VERSION = 12
# Clauses a change adds to an article (and the preamble); a change may also drop one.
CLAUSES = [
    "Dat geldt ook als het spannend wordt.",
    "We spreken dat elk jaar opnieuw af.",
    "Wie het niet eens is, zegt dat op tijd.",
    "Daar maken we samen tijd voor.",
    "We schrijven op wat we afspreken.",
    "Ook kleine initiatieven horen erbij.",
    "De gemeente zegt eerlijk wat niet kan.",
    "We nodigen de buurt daarvoor uit.",
    "Zo nodig vragen we een onafhankelijke derde.",
    "We kijken na een half jaar of het werkt.",
]
# Words a change may replace by another (first match in the text).
WORDS = [
    ("samen", "gezamenlijk"),
    ("gemeente", "gemeente en provincie"),
    ("initiatieven", "bewonersinitiatieven"),
    ("regelmatig", "geregeld"),
    ("bespreken", "bespreken en wegen"),
    ("wat", "alles wat"),
    ("buurt", "wijk"),
    ("vooraf", "ruim vooraf"),
]
PREAMBLE_TEXT = (
    "Gemeente en warmte-initiatieven werken samen aan de warmtetransitie in onze buurten. "
    "Dit akkoord zegt hoe. Het is nooit af: we passen het aan als dat nodig is. (synthetic)"
)
RATIONALES = [
    "Zo sluit het beter aan bij wat we in de praktijk doen (synthetic).",
    "De tekst was te vaag; zo weet iedereen waar hij aan toe is (synthetic).",
    "Na de laatste sessie bleek dit nodig (synthetic).",
    "Nieuwe leden lazen het anders dan het bedoeld was (synthetic).",
]
REJECTION_NOTES = [
    "De groep koos ervoor de tekst te houden zoals hij is (synthetic).",
    "Er bleef een bezwaar over dat we niet konden oplossen (synthetic).",
]
# What an adopted amendment of a version does, by weight.
ADOPTED_ACTIONS = {"change": 87, "add": 5, "remove": 3, "preamble": 5}
DECIDED_STATUS = {AmendmentStatus.REJECTED: 65, AmendmentStatus.WITHDRAWN: 35}
# About fifteen articles a version: none removed below the first, none added above the second.
ARTICLES = (13, 17)
# Between two versions: the consent period (14 days) and the decision fit in.
MIN_STEP = timedelta(days=20)
CONSENT = timedelta(days=14)
WAITING = 2
# Share of the members who take part that endorse the current version.
CURRENT_SHARE = 0.8
SMALL_ACCORDS = 3
SMALL = (3, 8, 20)  # versions, amendments and endorsements of a small accord, at most


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--accord-versions",
        type=int,
        default=100,
        help="Published versions of the largest community's accord; 0: no accords (100).",
    )
    parser.add_argument(
        "--accord-amendments",
        type=int,
        default=2_000,
        help="Amendments of that accord, over its versions (2000).",
    )
    parser.add_argument(
        "--accord-endorsements",
        type=int,
        default=10_000,
        help="Endorsements of that accord, most on its current version (10000).",
    )


def check_options(options: dict[str, Any]) -> None:
    counts = ("accord_versions", "accord_amendments", "accord_endorsements")
    if min(options[name] for name in counts) < 0:
        raise CommandError(
            "--accord-versions, --accord-amendments and --accord-endorsements must be 0 or more."
        )


def clear_synthetic() -> dict[str, int]:
    """Raw deletes, what points at a row first: the ORM refuses to delete a published
    version (and would load every row for simple_history)."""
    communities = synthetic_communities()
    accords = Accord.objects.filter(community__in=communities)
    versions = AccordVersion.objects.filter(accord__in=accords)
    amendments = Amendment.objects.filter(accord__in=accords)
    for queryset in (
        Endorsement.objects.filter(version__in=versions),
        AmendmentComment.objects.filter(amendment__in=amendments),
        Objection.objects.filter(amendment__in=amendments),
        amendments,
        Article.objects.filter(version__in=versions),
        versions,
        accords,
        AccordSettings.objects.filter(community__in=communities),
    ):
        raw_delete(queryset)
    # None is written; what someone edited in a synthetic community goes too.
    community_ids = synthetic_community_history().values("id")
    accord_ids = Accord.history.filter(community_id__in=community_ids).values("id")  # type: ignore[attr-defined]
    amendment_ids = Amendment.history.filter(accord_id__in=accord_ids).values("id")  # type: ignore[attr-defined]
    Objection.history.filter(amendment_id__in=amendment_ids).delete()  # type: ignore[attr-defined]
    Amendment.history.filter(accord_id__in=accord_ids).delete()  # type: ignore[attr-defined]
    Accord.history.filter(community_id__in=community_ids).delete()  # type: ignore[attr-defined]
    AccordSettings.history.filter(community_id__in=community_ids).delete()  # type: ignore[attr-defined]
    return {}


def seed(seeder: ScaleSeeder) -> None:
    options = seeder.options
    versions = options["accord_versions"]
    if not versions or not seeder.communities:
        return
    with seeder.timed("accords"):
        members = _members(seeder)
        amendments, endorsements = options["accord_amendments"], options["accord_endorsements"]
        plan = [(seeder.communities[0], (versions, amendments, endorsements))]
        small = tuple(min(n, big) for n, big in zip(SMALL, plan[0][1], strict=True))
        for community in seeder.communities[1:]:
            if len(plan) == 1 + SMALL_ACCORDS:
                break
            if len(members[community.pk].all) >= 2:
                plan.append((community, small))
        totals = dict.fromkeys(
            ("accords", "accord versions", "articles", "amendments", "accord endorsements"), 0
        )
        for community, (n_versions, n_amendments, n_endorsements) in plan:
            people = members[community.pk]
            if not people.all:
                continue
            written = _seed_accord(
                seeder, community, people, n_versions, n_amendments, n_endorsements
            )
            for label, n in written.items():
                totals[label] += n
        seeder.counts.update(totals)


class Members:
    """The active members of one community who take part: (user id, side, the organisation
    they are confirmed for or None), in the order they joined; and its steward."""

    def __init__(self) -> None:
        self.all: list[tuple[int, str, int | None]] = []
        self.steward: int | None = None


def _members(seeder: ScaleSeeder) -> dict[int, Members]:
    found: dict[int, Members] = {c.pk: Members() for c in seeder.communities}
    rows = (
        Membership.objects.active()
        .filter(community__in=seeder.communities)
        .exclude(role=Role.WAARNEMER)
        .order_by("pk")
        .values_list(
            "community_id",
            "user_id",
            "side",
            "role",
            "organisation_id",
            "organisation_confirmed_at",
        )
    )
    for community_id, user_id, side, role, organisation_id, confirmed_at in rows:
        members = found[community_id]
        confirmed = organisation_id if confirmed_at is not None else None
        members.all.append((user_id, side, confirmed))
        if role == Role.STEWARD and members.steward is None:
            members.steward = user_id
    return found


@dataclass
class Text:
    """One article as it stands in a version."""

    key: uuid.UUID
    kind: str
    position: int
    title: str
    clauses: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.clauses)


@dataclass
class Proposal:
    """An amendment row, before it is written."""

    based_on: int  # version number
    action: str
    target: str
    kind: str
    title: str  # a new title (of an added article); empty: the title stays
    about: str  # what it is about: the article's title, or the preamble
    text: str
    status: str
    proposer: int
    proposed_at: datetime
    decided_at: datetime | None = None
    published_in: int | None = None  # version number
    note: str = ""

    @property
    def name(self) -> str:
        """As Amendment.__str__ names it."""
        if self.action == AmendmentAction.ADD:
            return self.title
        return f"{AmendmentAction(self.action).label}: {self.about}"


def _uuid(seeder: ScaleSeeder) -> uuid.UUID:
    return uuid.UUID(int=seeder.rng.getrandbits(128), version=4)


def _drift(seeder: ScaleSeeder, clauses: list[str]) -> list[str]:
    """The same text, changed a little: a word replaced, a clause added or dropped."""
    rng = seeder.rng
    changed = list(clauses)
    roll = rng.random()
    if roll < 0.4:
        for _attempt in range(4):
            old, new = WORDS[rng.randrange(len(WORDS))]
            index = rng.randrange(len(changed))
            if f" {old} " in f" {changed[index]} ":
                changed[index] = f" {changed[index]} ".replace(f" {old} ", f" {new} ", 1).strip()
                return changed
    if (roll < 0.75 or len(changed) < 3) and len(changed) < 5:
        extra = CLAUSES[rng.randrange(len(CLAUSES))]
        if extra not in changed:
            changed.insert(rng.randrange(1, len(changed) + 1), extra)
            return changed
    if len(changed) > 1:
        del changed[rng.randrange(1, len(changed))]
        return changed
    changed.append(CLAUSES[rng.randrange(len(CLAUSES))])
    return changed


def _published_times(seeder: ScaleSeeder, versions: int) -> list[datetime]:
    """When each version was published: evenly spread up to a few weeks ago (so that the
    amendments adopted since have had their consent period)."""
    last = seeder.now - MIN_STEP
    span = max(HISTORY_SPAN, MIN_STEP * versions)
    step = span / versions
    return [last - step * (versions - 1 - index) for index in range(versions)]


def _seed_accord(
    seeder: ScaleSeeder,
    community: Any,
    people: Members,
    versions: int,
    amendments: int,
    endorsements: int,
) -> dict[str, int]:
    rng = seeder.rng
    steward = people.steward or people.all[0][0]
    published = _published_times(seeder, versions)
    code = community.slug.rsplit("-", 1)[-1]
    created_at = published[0] - timedelta(days=30)
    insert_rows(
        Accord,
        ["community_id", "title", "created_by_id", "created_at", "is_example"],
        [(community.pk, f"Akkoord van gemeenschap {code} (synthetic)", steward, created_at, True)],
    )
    accord_id = (
        Accord.objects.filter(community=community).order_by("-pk").values_list("pk", flat=True)[0]
    )

    # The texts: version 1, then each next one from its adopted amendments.
    def proposer() -> int:
        return int(rng.choice(people.all)[0])

    texts: dict[str, Text] = {}
    for kind, title, sentence in SUBJECTS[:FIRST_VERSION]:
        position = sum(1 for t in texts.values() if t.kind == kind) + 1
        key = _uuid(seeder)
        texts[str(key)] = Text(key, kind, position, f"{title} (synthetic)", [sentence])
    unused = list(SUBJECTS[FIRST_VERSION:])
    preamble = [PREAMBLE_TEXT]
    snapshots: list[tuple[str, list[Text]]] = [(" ".join(preamble), _copy(texts))]
    proposals: list[Proposal] = []
    budget = max(0, amendments - WAITING - _open_count(amendments))
    for number in range(1, versions):
        window = _window(published, number)
        touched: set[str] = set()  # one adopted amendment per article in a version
        for _n in range(rng.choice((1, 1, 2, 2, 3))):
            action = str(seeder.pick(ADOPTED_ACTIONS))
            if action == "add" and (not unused or len(texts) >= ARTICLES[1]):
                action = "change"
            if action == "remove" and len(texts) <= ARTICLES[0]:
                action = "change"
            at = window[0] + (window[1] - window[0]) * rng.random()
            decided = at + CONSENT + (published[number] - at - CONSENT) * rng.uniform(0.1, 0.9)
            modified = rng.random() < 0.2
            proposal = Proposal(
                based_on=number,
                action=AmendmentAction.CHANGE,
                target="",
                kind="",
                title="",
                about="",
                text="",
                status=AmendmentStatus.ADOPTED_MODIFIED if modified else AmendmentStatus.ADOPTED,
                proposer=proposer(),
                proposed_at=at,
                decided_at=decided,
                published_in=number + 1,
                note="Aangenomen met een kleine wijziging (synthetic)." if modified else "",
            )
            if action == "preamble":
                preamble = _drift(seeder, preamble)
                proposal.target, proposal.about = PREAMBLE, str(_("The preamble"))
                proposal.text = " ".join(preamble)
            elif action == "add":
                kind, title, sentence = unused.pop(rng.randrange(len(unused)))
                position = max((t.position for t in texts.values() if t.kind == kind), default=0)
                key = _uuid(seeder)
                texts[str(key)] = Text(key, kind, position + 1, f"{title} (synthetic)", [sentence])
                proposal.action, proposal.kind = AmendmentAction.ADD, kind
                proposal.title, proposal.text = f"{title} (synthetic)", sentence
            else:
                target = rng.choice(sorted(set(texts) - touched) or sorted(texts))
                touched.add(target)
                article = texts[target]
                proposal.target, proposal.about = target, article.title
                if action == "remove":
                    del texts[target]
                    proposal.action = AmendmentAction.REMOVE
                else:
                    article.clauses = _drift(seeder, article.clauses)
                    proposal.text = article.text
            if budget > 0:
                proposals.append(proposal)
                budget -= 1
        snapshots.append((" ".join(preamble), _copy(texts)))
    current = snapshots[-1][1]
    # Adopted, waiting for the next version; open ones; the rest decided otherwise.
    leftover = amendments - len(proposals)
    waiting = min(WAITING, leftover)
    open_ones = min(_open_count(amendments), leftover - waiting)
    window = (published[-1], seeder.now)
    for index in range(waiting + open_ones):
        article = current[rng.randrange(len(current))]
        at = window[0] + (window[1] - window[0]) * rng.random()
        is_waiting = index < waiting
        if is_waiting:
            at = min(at, seeder.now - CONSENT - timedelta(days=1))
        proposals.append(
            Proposal(
                based_on=versions,
                action=AmendmentAction.CHANGE,
                target=str(article.key),
                kind="",
                title="",
                about=article.title,
                text=" ".join(_drift(seeder, article.clauses)),
                status=AmendmentStatus.ADOPTED if is_waiting else AmendmentStatus.OPEN,
                proposer=proposer(),
                proposed_at=at,
                decided_at=seeder.now - timedelta(hours=rng.uniform(1, 20)) if is_waiting else None,
            )
        )
    others = amendments - len(proposals)
    for based_on, size in enumerate(allocate(others, [1.0] * versions), start=1):
        snapshot = snapshots[based_on - 1][1]
        window = _window(published, based_on) if based_on < versions else (published[-1],) * 2
        for _n in range(size):
            article = snapshot[rng.randrange(len(snapshot))]
            status = str(seeder.pick(DECIDED_STATUS))
            at = window[0] + (window[1] - window[0]) * rng.random()
            who = proposer()
            rejected = status == AmendmentStatus.REJECTED
            proposals.append(
                Proposal(
                    based_on=based_on,
                    action=AmendmentAction.CHANGE,
                    target=str(article.key),
                    kind="",
                    title="",
                    about=article.title,
                    text=" ".join(_drift(seeder, article.clauses)),
                    status=status,
                    proposer=who,
                    proposed_at=at,
                    decided_at=min(at + CONSENT + timedelta(hours=rng.uniform(1, 72)), seeder.now)
                    if rejected
                    else at + timedelta(days=rng.uniform(1, 10)),
                    note=REJECTION_NOTES[rng.randrange(len(REJECTION_NOTES))] if rejected else "",
                )
            )

    # The versions, each with the amendments adopted into it named in its notes.
    adopted_into: dict[int, list[str]] = {}
    for proposal in proposals:
        if proposal.published_in is not None:
            adopted_into.setdefault(proposal.published_in, []).append(proposal.name)
    rows: list[tuple[Any, ...]] = []
    for number, (text, _articles) in enumerate(snapshots, start=1):
        listed = adopted_into.get(number, [])
        notes = (
            "Deze versie bevat deze amendementen (synthetic):\n"
            + "\n".join(f"- {title}" for title in listed)
            if listed
            else "De eerste versie (synthetic)."
            if number == 1
            else "(synthetic)"
        )
        rows.append((accord_id, number, text, notes, published[number - 1], steward))
    fields = ["accord_id", "number", "preamble", "notes", "published_at", "published_by_id"]
    insert_rows(AccordVersion, fields, rows)
    version_ids = dict(
        AccordVersion.objects.filter(accord_id=accord_id).values_list("number", "pk")
    )
    key_field = Article._meta.get_field("key")
    article_rows = [
        (
            version_ids[number],
            key_field.get_db_prep_value(t.key, connection),
            t.kind,
            t.position,
            t.title,
            t.text,
        )
        for number, (_preamble, articles) in enumerate(snapshots, start=1)
        for t in articles
    ]
    insert_rows(Article, ["version_id", "key", "kind", "position", "title", "text"], article_rows)

    amendment_rows = [
        (
            accord_id,
            version_ids[p.based_on],
            p.action,
            p.target,
            p.kind,
            p.title,
            p.about,
            p.text,
            RATIONALES[rng.randrange(len(RATIONALES))],
            p.proposer,
            p.proposed_at,
            p.proposed_at + CONSENT,
            p.status,
            None
            if p.decided_at is None
            else p.proposer
            if p.status == AmendmentStatus.WITHDRAWN
            else steward,
            p.decided_at,
            p.note,
            version_ids[p.published_in] if p.published_in else None,
            True,
        )
        for p in proposals
    ]
    fields = ["accord_id", "based_on_id", "action", "target", "kind", "title", "about", "text"]
    fields += ["rationale", "proposed_by_id", "proposed_at", "objections_until", "status"]
    fields += ["decided_by_id", "decided_at", "decision_note", "published_in_id", "is_example"]
    insert_rows(Amendment, fields, amendment_rows)

    endorsement_rows = _endorsements(seeder, people, steward, published, endorsements)
    fields = ["version_id", "user_id", "side", "organisation_id", "confirmed_by_id"]
    insert_rows(
        Endorsement,
        [*fields, "confirmed_at", "created_at"],
        [(version_ids[number], *row) for number, *row in endorsement_rows],
    )
    return {
        "accords": 1,
        "accord versions": len(rows),
        "articles": len(article_rows),
        "amendments": len(amendment_rows),
        "accord endorsements": len(endorsement_rows),
    }


def _copy(texts: dict[str, Text]) -> list[Text]:
    return [Text(t.key, t.kind, t.position, t.title, list(t.clauses)) for t in texts.values()]


def _open_count(amendments: int) -> int:
    return max(1, amendments // 60) if amendments > WAITING else 0


def _window(published: list[datetime], number: int) -> tuple[datetime, datetime]:
    """When an amendment of version `number` that the next version adopts was proposed:
    after `number` came out, in time for its consent period before the next one."""
    start, end = published[number - 1], published[number] - CONSENT - timedelta(days=1)
    return start, max(start, end)


def _endorsements(
    seeder: ScaleSeeder,
    people: Members,
    steward: int,
    published: list[datetime],
    total: int,
) -> list[tuple[Any, ...]]:
    """(version number, user, side, organisation, confirmed by, confirmed at, created at)."""
    rng = seeder.rng
    versions = len(published)
    organisations: dict[int, list[tuple[int, str]]] = {}
    for user_id, side, organisation_id in people.all:
        if organisation_id is not None:
            organisations.setdefault(organisation_id, []).append((user_id, side))
    # A version can hold each member once, and each organisation once.
    pool: list[tuple[str, int]] = [("person", i) for i in range(len(people.all))]
    pool += [("organisation", pk) for pk in sorted(organisations)]
    cap = max(1, int(len(pool) * CURRENT_SHARE))
    sizes = [0] * versions
    sizes[-1] = min(total, cap)
    rest = total - sizes[-1]
    # The earlier versions, the later ones more; what one cannot hold goes to the others.
    while rest > 0 and versions > 1:
        room = [cap - sizes[i] for i in range(versions - 1)]
        weights = [float(i + 1) if room[i] > 0 else 0.0 for i in range(versions - 1)]
        if not any(weights):
            break
        given = allocate(rest, weights)
        for i, n in enumerate(given):
            extra = min(n, room[i])
            sizes[i] += extra
            rest -= extra
    rows: list[tuple[Any, ...]] = []
    for index, size in enumerate(sizes):
        number = index + 1
        start = published[index]
        end = published[index + 1] if number < versions else seeder.now
        pending = number == versions
        for kind, value in rng.sample(pool, size):
            at = start + (end - start) * rng.random()
            if kind == "person":
                user_id, side, _organisation = people.all[value]
                rows.append((number, user_id, side, None, None, None, at))
                continue
            user_id, side = rng.choice(organisations[value])
            if pending:  # one for an organisation on the current version waits
                pending = False
                rows.append((number, user_id, side, value, None, None, at))
                continue
            confirmed = min(at + timedelta(hours=rng.uniform(1, 48)), seeder.now)
            rows.append((number, user_id, side, value, steward, confirmed, at))
    return rows
