"""The signed-in user of a request, from the shared cache instead of a query per request.

Only where the cache is shared by every process (Redis): a change to a user (deactivated,
new password, new name) deletes its cached copy, and that must reach every process. With a
cache per process (the local-memory default) the user is read from the database as Django
does. The session is still verified against the cached user's password hash, as
django.contrib.auth.get_user does, so a new password still ends the other sessions.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from samenspel.accounts.models import User
from samenspel.core.notifications import unread_cache_key
from samenspel.core.readonly import read_only_request

USER_CACHE_SECONDS = 5 * 60


def shared_cache() -> bool:
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def user_cache_key(user_id: object) -> str:
    return f"session-user:{user_id}"


def forget_user(sender: Any, instance: User, **kwargs: Any) -> None:
    """Receiver of User's post_save and post_delete (now, and again after the commit)."""
    key = user_cache_key(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _cached_user(request: HttpRequest) -> User | None:
    """The session's user from the cache, verified as Django verifies it; None to fall back."""
    session = request.session
    user_id = session.get(SESSION_KEY)
    if user_id is None or session.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return None
    # The unread count of the inbox (every page's menu shows it) in the same round trip.
    keys = [user_cache_key(user_id), unread_cache_key(user_id)]
    found = cache.get_many(keys)
    user = found.get(keys[0])
    if not isinstance(user, User) or str(user.pk) != str(user_id):
        return None
    if keys[1] in found and read_only_request():
        user._unread_count = found[keys[1]]  # type: ignore[attr-defined]
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None  # Django's own path decides: fallback secrets, or logging out
    return user


def get_user(request: HttpRequest) -> User | AnonymousUser:
    if not hasattr(request, "_cached_user"):
        user: User | AnonymousUser | None = _cached_user(request) if shared_cache() else None
        if user is None:
            user = auth.get_user(request)
            if shared_cache() and isinstance(user, User) and user.is_active:
                cache.set(user_cache_key(user.pk), user, USER_CACHE_SECONDS)
        request._cached_user = user  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined,no-any-return]


class CachedUserMiddleware:
    """After AuthenticationMiddleware: the same lazy request.user, loaded through the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
        return self.get_response(request)
