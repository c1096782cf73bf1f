"""The group's shared language (issue 10 §6): who writes and who agrees (by hand), and the
linker that explains agreed terms in the community's texts — overlapping terms, case,
Dutch diacritics, whole words, links and code left alone, definitions escaped."""

import re

import pytest

from conftest import client_for
from samenspel.communities.services import CommunityError
from samenspel.core.markdown import render_markdown
from samenspel.practice import glossary, permissions
from samenspel.practice.glossary import Explained, TermIndex, fold, link_terms
from samenspel.practice.models import GlossaryTerm, TermStatus


def index(*terms: tuple[str, str]) -> TermIndex:
    """An index of (form, definition) pairs; each form its own term."""
    explained = [Explained(f"t{n}", form, definition) for n, (form, definition) in enumerate(terms)]
    return TermIndex.build(explained, {e.slug: [e.term] for e in explained})


def linked(html: str, idx: TermIndex) -> list[str]:
    """The texts that became explained terms, in order."""
    out = link_terms(html, idx, "/g/")
    return re.findall(r'class="utrecht-link ss-term__link"[^>]*>([^<]*)</a>', out)


def test_the_longest_term_wins_where_terms_overlap():
    idx = index(("warmtenet", "Leidingen."), ("collectief warmtenet", "Van de gebruikers."))
    html = "<p>Een collectief warmtenet is ook een warmtenet.</p>"
    assert linked(html, idx) == ["collectief warmtenet", "warmtenet"]


def test_case_and_diacritics_do_not_matter_and_the_text_stays_as_written():
    idx = index(("coöperatie", "Een vereniging."))
    html = "<p>De Cooperatie en de COÖPERATIE en de coöperatie.</p>"
    assert linked(html, idx) == ["Cooperatie", "COÖPERATIE", "coöperatie"]
    assert fold("Coöperatie") == "cooperatie"


def test_only_whole_words_are_recognised():
    idx = index(("warmtenet", "Leidingen."))
    assert linked("<p>Het warmtenetwerk en warmtenetten.</p>", idx) == []


def test_links_code_and_headings_are_left_alone():
    idx = index(("warmtenet", "Leidingen."))
    html = (
        '<h3>warmtenet</h3><p><a href="/x">warmtenet</a> <code>warmtenet</code> '
        "<strong>warmtenet</strong></p>"
    )
    assert linked(html, idx) == ["warmtenet"]  # only the one in <strong>


def test_a_definition_is_escaped_and_each_explanation_has_its_own_id():
    idx = index(("warmtenet", '<script>alert("x")</script>'))
    out = link_terms("<p>warmtenet, warmtenet</p>", idx, "/c/x/glossary/")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    ids = re.findall(r'role="tooltip" id="([^"]+)"', out)
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(f'aria-describedby="{i}"' in out for i in ids)


def test_a_term_of_several_words_spans_whitespace_but_not_other_words():
    idx = index(("collectief warmtenet", "Van de gebruikers."))
    assert linked("<p>collectief   warmtenet</p>", idx) == ["collectief   warmtenet"]
    assert linked("<p>collectief groot warmtenet</p>", idx) == []


# Who writes: by hand.


@pytest.mark.parametrize(
    ("persona", "write", "agree"),
    [
        ("anonymous", False, False),
        ("outsider", False, False),
        ("observer", False, False),
        ("gemeente_member", True, False),
        ("initiatief_member", True, False),
        ("steward", True, True),
        ("admin", True, True),
    ],
)
def test_who_writes_and_who_agrees(world, persona, write, agree):
    user = world.persona(persona)
    assert permissions.can_write_glossary(user, world.public) is write
    assert permissions.can_agree_terms(user, world.public) is agree


def fields(**extra: str) -> dict[str, str]:
    return {
        "term": "warmtenet",
        "variants": "warmtenetten",
        "municipality_view": "Leidingen van een bron naar woningen.",
        "initiatives_view": "Iets van de buurt.",
        "definition": "",
        **extra,
    }


def test_a_member_writes_a_term_in_discussion_but_cannot_agree_it(world):
    term = glossary.save_term(
        actor=world.gemeente_member, community=world.public, term=None, fields=fields()
    )
    assert term.status == TermStatus.IN_DISCUSSION
    with pytest.raises(CommunityError):
        glossary.save_term(
            actor=world.gemeente_member,
            community=world.public,
            term=term,
            fields=fields(status=TermStatus.AGREED, definition="Leidingen."),
        )
    term.refresh_from_db()
    assert term.status == TermStatus.IN_DISCUSSION


def test_an_agreed_term_needs_its_definition_and_only_a_steward_changes_it(world):
    with pytest.raises(CommunityError) as refused:
        glossary.save_term(
            actor=world.steward,
            community=world.public,
            term=None,
            fields=fields(status=TermStatus.AGREED),
        )
    assert refused.value.code == "definition_required"
    term = glossary.save_term(
        actor=world.steward,
        community=world.public,
        term=None,
        fields=fields(status=TermStatus.AGREED, definition="Leidingen uit een gedeelde bron."),
    )
    with pytest.raises(CommunityError):
        glossary.save_term(
            actor=world.gemeente_member, community=world.public, term=term, fields=fields()
        )
    with pytest.raises(CommunityError) as duplicate:
        glossary.save_term(
            actor=world.steward, community=world.public, term=None, fields=fields(term="Warmtenet")
        )
    assert duplicate.value.code == "duplicate"
    assert GlossaryTerm.objects.count() == 1


def test_an_agreed_term_is_explained_in_the_communitys_texts_only(world):
    glossary.save_term(
        actor=world.steward,
        community=world.public,
        term=None,
        fields=fields(status=TermStatus.AGREED, definition="Leidingen uit een gedeelde bron."),
    )
    here = render_markdown("Wij bouwen **warmtenetten** in de wijk.", world.public)
    assert 'href="/c/publiek/glossary/#warmtenet"' in here
    assert "Leidingen uit een gedeelde bron." in here
    elsewhere = render_markdown("Wij bouwen warmtenetten.", world.private)
    assert "ss-term" not in elsewhere
    assert "ss-term" not in render_markdown("Wij bouwen warmtenetten.")


def test_a_term_in_discussion_is_not_explained_yet(world):
    glossary.save_term(
        actor=world.gemeente_member, community=world.public, term=None, fields=fields()
    )
    assert "ss-term" not in render_markdown("Een warmtenet.", world.public)


def test_the_glossary_page_and_api(world):
    glossary.save_term(
        actor=world.steward,
        community=world.public,
        term=None,
        fields=fields(status=TermStatus.AGREED, definition="Leidingen uit een gedeelde bron."),
    )
    page = client_for(None).get("/c/publiek/glossary/").content.decode()
    assert 'id="warmtenet"' in page
    assert "Iets van de buurt." in page
    api = client_for(None).get("/api/v1/communities/publiek/glossary").json()
    assert api["items"][0]["variants"] == ["warmtenetten"]
    assert api["items"][0]["status"] == "afgesproken"
    assert client_for(None).get("/c/besloten/glossary/").status_code == 404


def test_a_member_adds_a_term_through_the_page_without_a_status_field(world):
    client = client_for(world.initiatief_member)
    form = client.get("/c/publiek/glossary/new/").content.decode()
    assert 'name="status"' not in form
    response = client.post("/c/publiek/glossary/new/", fields(status=TermStatus.AGREED))
    assert response["Location"] == "/c/publiek/glossary/#warmtenet"
    assert GlossaryTerm.objects.get().status == TermStatus.IN_DISCUSSION
