"""Safe Markdown: markdown-it-py renders (no raw HTML), nh3 cleans what comes out.

A text that belongs to a community may be enriched after cleaning by what apps above
register here (as the group's glossary explains its agreed terms): each enricher takes the
safe HTML and the community and returns safe HTML."""

from collections.abc import Callable
from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


Enricher = Callable[[str, Any], str]
_enrichers: list[Enricher] = []


def register_enricher(enricher: Enricher) -> None:
    if enricher not in _enrichers:
        _enrichers.append(enricher)


def render_markdown(text: str, community: Any = None) -> SafeString:
    html = _renderer.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )
    if community is not None:
        for enrich in _enrichers:
            clean = enrich(clean, community)
    return mark_safe(clean)  # noqa: S308  (cleaned by nh3; enrichers add escaped markup)
