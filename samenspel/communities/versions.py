"""A community's content version: the one writer of `Community.content_version`.

Every shared cached copy of a community's pages and API lists (core/pagecache.py, the
`{% cache %}` fragments, the membership cache) carries the version in its key, so a copy
is never stale and never needs deleting: a change raises the version and the next reader
builds a new copy. The rule, for every app:

- A write through a model that keeps history (simple-history) needs nothing: its history
  record is the signal (`on_history_record`, connected in communities/apps.py), so a
  service that saves a theme, a signal or a membership raises the version once per record.
  A model without a `community_id` of its own says whose it is in a `content_community_id`
  property (a peer consultation, through its session).
- A write that bypasses history by design calls `content_changed` itself, from its
  SERVICE (never from a view, an API handler or a template): the compare-and-swap update
  of a signal's newest event in a loop move, bulk imports with bulk or raw writes (bulk
  writes send no signals).

The version goes up in the writer's transaction: a change that rolls back leaves it alone,
and a reader who sees the new version also sees the change. Nothing else writes the
column."""

from typing import Any

from django.db.models import F


def content_changed(community_id: int) -> None:
    """The community's shared content changed: its cached copies are to be rebuilt."""
    from samenspel.communities.models import Community

    Community.objects.filter(pk=community_id).update(content_version=F("content_version") + 1)


def on_history_record(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_create_historical_record: every change to shared content writes a history
    record, whichever app the content belongs to; the community it belongs to changed."""
    from samenspel.communities.models import Community

    community_id = instance.pk if isinstance(instance, Community) else None
    community_id = getattr(instance, "community_id", community_id)
    # Content that belongs to its community through another row (a peer consultation
    # through its session) names it with this property.
    community_id = community_id or getattr(instance, "content_community_id", None)
    if community_id:
        content_changed(community_id)
