"""Where a signed-in member's page spends its time: in-process timings, queries, cProfile.

`make bench` measures the whole server under load but takes many minutes (it seeds national
scale). This is the quick loop for working on one page: a modest synthetic data set in its
own PostgreSQL database (seeded once, reused afterwards), a real session cookie for a
member of the largest public synthetic community, and the same pages as bench/run.py's
TARGETS, each requested through Django's WSGI handler (the full middleware stack, as
gunicorn would call it) in this one process:

    .venv/bin/python bench/profile_member.py                  # every page, visitor and member
    .venv/bin/python bench/profile_member.py --only member    # rows whose name contains it
    .venv/bin/python bench/profile_member.py --only "signal page (member)" --profile
    .venv/bin/python bench/profile_member.py --only "signal page (member)" --sql
    .venv/bin/python bench/profile_member.py --reseed         # seed the data again

Per page: requests/s, p50 and p95 over --requests requests after a warm-up, the ratio to
/bench/baseline measured the same way in the same run, and the number of queries of one
warm request. --profile runs cProfile over the timed requests and prints the top functions
(cumulative and own time); --sql prints the queries of one warm request.

Settings as the bench's server has them: DEBUG off, the manifest static storage (the
static files are collected once into var/static), SAMENSPEL_BENCH=1. PostgreSQL comes from
DATABASE_URL's server (default postgresql://postgres@127.0.0.1:5432), database
samenspel_profile (--database). The cache is what settings give: Redis when REDIS_URL is
set, else the process's own memory — as each gunicorn worker would have it.
One process and one request at a time: the figures are not those of `make bench` (no
concurrency, no client), but their ratios move together, and it takes a minute.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
# Small enough to seed in about a minute, big enough that lists paginate and the loop's
# figures are real: the largest community gets some 450 members and a few thousand signals.
SEED = {
    "communities": 30,
    "members": 3000,
    "initiatives": 200,
    "years": 3,
    "signals": 20_000,
    "events_per_signal": 5,
}


def configure(database: str) -> str:
    """Environment for Django as the bench's server has it; returns the database URL."""
    server = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_SERVER
    parts = urlsplit(server)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("DATABASE_URL must be postgresql://… (or unset for the local server).")
    url = urlunsplit(parts._replace(path=f"/{database}"))
    ensure_database(urlunsplit(parts._replace(path="/postgres")), database)
    for name in ("STATICFILES_BACKEND", "SAMENSPEL_TESTING", "SECURE_SSL_REDIRECT"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="samenspel.settings",
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY="profile-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS=HOST,
        SAMENSPEL_BENCH="1",
        LOG_LEVEL="WARNING",
    )
    return url


def ensure_database(admin_url: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            print(f"creating database {database}", flush=True)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def seed(reseed: bool) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from samenspel.communities.models import Community

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    if reseed or not Community.objects.filter(slug__regex=r"^scale-[0-9]+$").exists():
        print("seeding (once; --reseed to do it again)", flush=True)
        call_command("seed_scale", verbosity=0, **SEED)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    print(f"database ready ({time.monotonic() - started:.1f} s)", flush=True)


def placeholders() -> dict[str, Any]:
    """The same objects bench/run.py picks, and a session of a plain member."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count, Q
    from django.middleware.csrf import _get_new_csrf_string

    from samenspel.communities.models import Community, Membership
    from samenspel.initiatives.models import Initiative
    from samenspel.learning.models import Signal

    community = (
        Community.objects.public()
        .filter(slug__regex=r"^scale-[0-9]+$")
        .annotate(n=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
        .order_by("-n", "slug")
        .first()
    )
    if community is None:
        raise SystemExit("No public synthetic community: run with --reseed.")
    initiative = (
        Initiative.objects.filter(community=community)
        .listed()
        .order_by("name", "pk")
        .values_list("slug", flat=True)
        .first()
    )
    signal = (
        Signal.objects.filter(community=community, last_event__to_stage="besproken")
        .order_by("pk")
        .first()
    )
    theme = signal.themes.order_by("pk").first() if signal else None
    member = (
        Membership.objects.active()
        .filter(community=community, role="lid")
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert member is not None
    user = member.user
    # The configured session engine, as a login through the site would use it.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {
        "community": community.slug,
        "community_members": community.n,
        "initiative": initiative or "-",
        "signal": signal.pk if signal else "-",
        "theme": theme.pk if theme else "-",
        "demo": "zwolle",
        "session": session.session_key,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf": _get_new_csrf_string(),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "member": user.email,
    }


class Caller:
    """Requests through the WSGI handler, as gunicorn makes them (no test client)."""

    def __init__(self) -> None:
        from django.core.wsgi import get_wsgi_application

        self.application = get_wsgi_application()

    def environ(self, path: str, headers: dict[str, str]) -> dict[str, Any]:
        path_info, _, query = path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": HOST,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": HOST,
            "HTTP_HOST": HOST,
            "HTTP_ACCEPT": "text/html,application/json",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for name, value in headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        return environ

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        status: list[str] = []

        def start_response(line: str, _headers: Any, _exc_info: Any = None) -> None:
            status.append(line)

        result = self.application(self.environ(path, headers), start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return int(status[0].split()[0]), body


def count_queries(caller: Caller, path: str, headers: dict[str, str]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        caller.get(path, headers)
    return [query["sql"] for query in captured.captured_queries]


def measure(
    caller: Caller, path: str, headers: dict[str, str], requests: int, profiler: Any
) -> dict[str, float]:
    timings = []
    cpu_started = time.thread_time()
    if profiler is not None:
        profiler.enable()
    for _ in range(requests):
        started = time.perf_counter()
        caller.get(path, headers)
        timings.append(time.perf_counter() - started)
    if profiler is not None:
        profiler.disable()
    cpu = time.thread_time() - cpu_started
    timings.sort()
    return {
        # This process's own CPU per request: steadier than the clock on a busy machine
        # (the database's share is not in it; the query count stands for that).
        "cpu_ms": cpu / requests * 1000,
        "requests_per_s": len(timings) / sum(timings),
        "p50_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="samenspel_profile")
    parser.add_argument("--reseed", action="store_true", help="seed the data set again")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--only", default="", help="only rows whose name contains this")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed requests")
    parser.add_argument("--top", type=int, default=30, help="functions shown per profile")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    options = parser.parse_args()

    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    configure(options.database)
    import django

    django.setup()
    from run import BASELINE, TARGETS  # bench/run.py: the same pages as `make bench`

    seed(options.reseed)
    values = placeholders()
    print(
        f"community {values['community']} ({values['community_members']} members), "
        f"member {values['member']}, signal {values['signal']}",
        flush=True,
    )
    caller = Caller()
    # A member's browser sends its session and the CSRF cookie it was given earlier.
    cookie = {
        "Cookie": f"{values['session_cookie']}={values['session']}; "
        f"{values['csrf_cookie']}={values['csrf']}"
    }
    chosen = [t for t in TARGETS if options.only.lower() in t.name.lower()]
    rows = []
    baseline_rate = 0.0
    for target in [BASELINE, *chosen]:
        path = target.path.format(**values)
        headers = {**(cookie if target.as_member else {}), **dict(target.headers)}
        status, body = caller.get(path, headers)
        if status != 200 or target.expect not in body:
            print(f"{target.name}: {path} answered {status} without {target.expect!r}")
            return 1
        for _ in range(options.warmup):
            caller.get(path, headers)
        queries = count_queries(caller, path, headers)
        profiler = cProfile.Profile() if options.profile and target is not BASELINE else None
        figures = measure(caller, path, headers, options.requests, profiler)
        if target is BASELINE:
            baseline_rate = figures["requests_per_s"]
        ratio = figures["requests_per_s"] / baseline_rate
        rows.append((target.name, figures, ratio, len(queries)))
        print(
            f"{target.name}: {figures['requests_per_s']:,.0f} req/s, "
            f"p95 {figures['p95_ms']:.1f} ms, ratio {ratio:.2f}, "
            f"CPU {figures['cpu_ms']:.2f} ms, {len(queries)} queries",
            flush=True,
        )
        if options.sql:
            for sql in queries:
                print(f"    {sql[:400]}")
        if profiler is not None:
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(options.top)
                print(f"--- {target.name}, by {order} ---")
                print(out.getvalue().split("\n\n", 2)[-1])

    width = max(len(name) for name, *_ in rows)
    print()
    print(
        f"{'page'.ljust(width)}  {'req/s':>7}  {'p50 ms':>7}  {'p95 ms':>7}  ratio  CPU ms  queries"
    )
    for name, figures, ratio, queries in rows:
        print(
            f"{name.ljust(width)}  {figures['requests_per_s']:7,.0f}  {figures['p50_ms']:7.2f}"
            f"  {figures['p95_ms']:7.2f}  {ratio:5.2f}  {figures['cpu_ms']:6.2f}  {queries:7d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
