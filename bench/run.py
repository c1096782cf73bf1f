"""`make bench`: requests per second and latency of Samenspel's key pages at national scale.

Adding a row: append one `Target(name, path)` to TARGETS below. A path may use the
placeholders that `placeholders()` fills in: {community} is the largest public synthetic
community (seed_scale), {initiative} the slug of a listed initiative in it, {signal},
{theme} and {meeting} a signal, its theme and a past session there, {advice} its first
synthetic advice dossier (the one with 50 signals), {accord} its synthetic accord and
{accord_last} that accord's latest version (100), {workshop}, {workshop_code},
{workshop_key} and {workshop_token} its synthetic workshop being played (id, code, the
projector's key, participant 1's token), {demo} the demo community 'zwolle'. Header
values may use them too.
A page that needs another kind of object adds a key there (and, if needed, an option to
seed_scale). Nothing else changes:
each target gets the same warm-up, measurement, 200-check, table row and JSON entry.

What it does, all on 127.0.0.1:

1. Database: PostgreSQL when DATABASE_URL is set (the figures we quote), in a separate
   database `samenspel_bench` on the same server, created if missing; otherwise the SQLite
   file var/bench.sqlite3. The developer's own database is never touched.
2. migrate, seed_scale (342 communities, 20,000 members, 2,000 initiatives with ten years
   of figures, 10,000 sessions with 100,000 pulses, 20,000 advice dossiers with 50,000
   commitments, an accord with 100 versions, 2,000 amendments and 10,000 endorsements),
   demo, collectstatic; on
   PostgreSQL also VACUUM ANALYZE, as autovacuum would have done in steady use.
3. gunicorn as in production: 2 sync workers, DEBUG off, the compressed manifest static
   storage served by WhiteNoise, SAMENSPEL_BENCH=1 for the /bench/baseline view.
4. Per target: one checked request (and its static files), a warm-up, then a measurement
   with wrk (16 connections, one thread) from a second process. wrk counts every answer of
   400 or more, and the mean size of the answers shows a redirect (see wrk_report.lua).
5. The live workshop (issue 13; bench/workshop_load.py, on the same server): a workshop in
   the demo community with 150 participants, each polling the update channel as live.js
   does and writing a card every 20 s, for BENCH_WORKSHOP_SECONDS. It reports the time from
   a card posted to the last participant seeing it (p50, p95; the bar is 2 s at p95), the
   polls/s, the share of 304s, every error, and the CPU of the server (gunicorn's master and
   workers), PostgreSQL, the whole machine and the load generator. Then the update
   channel's capacity with wrk, as more rows of the table: the baseline again (the rows
   after it are judged against it), nothing new (304, a participant's cookie and the
   current revision), a second's cards (200, the answer most polls of the room got) and
   the whole act (200, since=0).
6. A table, the other timings (import, similar signals, glossary, PDF) and the live
   workshop as lines after it, and var/bench/results.json. The ratio is requests/s against
   /bench/baseline measured last before the row in the same run; the bar (ratio >= 0.30
   and p95 < 50 ms) is informational.

Why wrk and not a Python load generator: client and server share the machine (often two
cores). wrk is C and needs a fraction of a core for thousands of requests a second, so
the server keeps the CPU; a Python client would eat much of it and make the baseline,
and so every ratio, depend on the client rather than on Samenspel.

Client, server and database share the machine, so run it on an otherwise idle one: the
run samples how busy the CPUs are before it starts, records it, and warns when they were.

Settings (environment): BENCH_SECONDS (8) per target, BENCH_WARMUP (2), BENCH_CONNECTIONS
(16); BENCH_WORKSHOP_SECONDS (60) and BENCH_WORKSHOP_PARTICIPANTS (150) for the live
workshop. With REDIS_URL set the server uses Redis as its cache (and sessions in it), as an
installation with several servers does; the results record which cache was used.

Options, for a quick rerun while working on some pages:
  --only TEXT   measure only the targets whose name contains TEXT (the baseline always),
                e.g. --only member; skips the separate timings (import, similar
                signals, glossary, PDF; the live workshop unless TEXT is part of its
                rows' names, e.g. --only workshop), and writes
                var/bench/results-only.json instead of results.json.
  --reuse       use the bench database as an earlier run left it: no migrate, seed_scale
                or demo (a new session is still made, and static files collected).

Exit status: 0 whatever the speed; 1 when any response was not the one expected (a 200;
a 304 for the workshop's "nothing new"), or the live workshop had errors or cards that
never reached everyone (the figures of a failing page mean nothing); 2 when the harness
itself breaks.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import workshop_load

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
SQLITE_PATH = ROOT / "var" / "bench.sqlite3"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
PG_DATABASE = "samenspel_bench"
HOST = "127.0.0.1"
WORKERS = 2
MIN_RATIO = 0.30
MAX_P95_MS = 50.0
MEMBER_RATIO = 0.20


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    # As a logged-in member of {community} (a session cookie), or as a visitor.
    as_member: bool = False
    # Bytes the first answer must contain, to prove the page is what we mean to measure.
    expect: bytes = b""
    # Extra request headers, e.g. the Accept-Encoding that browsers and GIS tools send.
    headers: tuple[tuple[str, str], ...] = ()
    # The bar its issue sets (informational): requests/s as a share of the baseline (None:
    # no ratio asked) and the p95 latency.
    min_ratio: float | None = MIN_RATIO
    max_p95_ms: float = MAX_P95_MS
    # Which member: a plain member ("member"), or a civil servant of the municipality who
    # follows every theme of the community ("civil servant").
    reader: str = "member"
    # The status its answers must have: 200, or 304 for the workshop's "nothing new".
    status: int = 200


BASELINE = Target("baseline", "/bench/baseline")
# Measured again right before the live workshop's wrk rows, which are judged against it: the
# workshop comes minutes after the first baseline, and a machine's speed drifts.
BASELINE_AGAIN = Target("baseline (again, for the workshop rows)", "/bench/baseline")
TARGETS = [
    Target("home page", "/"),
    Target("community home", "/c/{community}/"),
    Target("member directory", "/c/{community}/members/"),
    Target("API communities", "/api/v1/communities"),
    Target("API members", "/api/v1/communities/{community}/members"),
    # The same pages for a logged-in member (a plain member, as most are): never the
    # visitors' copy; the copy members of their kind share (core/pagecache.py). Issue 8's
    # bar for every "(member)" row: at least 0.20 of the baseline, p95 under 50 ms.
    Target(
        "community home (member)",
        "/c/{community}/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "member directory (member)",
        "/c/{community}/members/",
        True,
        b"@scale.example",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "API members (member)",
        "/api/v1/communities/{community}/members",
        True,
        b"@scale.",
        min_ratio=MEMBER_RATIO,
    ),
    # Track 1 (seed_scale --initiatives): the atlas and its API at national scale.
    # Issue 3's bar: pages at least 0.25 of the baseline, the national GeoJSON p95 < 150 ms.
    Target("atlas list", "/c/{community}/initiatives/", expect=b"(synthetic)", min_ratio=0.25),
    Target(
        "initiative page",
        "/c/{community}/initiatives/{initiative}/",
        expect=b"(synthetic)",
        min_ratio=0.25,
    ),
    Target(
        "API initiatives",
        "/api/v1/communities/{community}/initiatives",
        expect=b'"items"',
        min_ratio=0.25,
    ),
    Target(
        "national GeoJSON",
        "/api/v1/initiatives/map.geojson",
        expect=b"FeatureCollection",
        min_ratio=None,
        max_p95_ms=150.0,
    ),
    Target(
        "national GeoJSON (gzip)",
        "/api/v1/initiatives/map.geojson",
        headers=(("Accept-Encoding", "gzip"),),
        min_ratio=None,
        max_p95_ms=150.0,
    ),
    # Track 2 (seed_scale --signals): issue 4's bar, ratio >= 0.20 and p95 < 100 ms.
    Target(
        "loop dashboard",
        "/c/{community}/loop/",
        expect=b"(synthetic)",
        min_ratio=0.20,
        max_p95_ms=100.0,
    ),
    Target(
        "signal list by theme and stage",
        "/c/{community}/signals/?theme={theme}&stage=besproken",
        expect=b"(synthetic)",
        min_ratio=0.20,
        max_p95_ms=100.0,
    ),
    Target(
        "signal page",
        "/c/{community}/signals/{signal}/",
        expect=b"(synthetic)",
        min_ratio=0.20,
        max_p95_ms=100.0,
    ),
    Target(
        "API loop",
        "/api/v1/communities/{community}/loop",
        min_ratio=0.20,
        max_p95_ms=100.0,
    ),
    # The same for a logged-in member (a civil servant at work): the shared copy of their
    # kind of member, as above.
    Target(
        "loop dashboard (member)",
        "/c/{community}/loop/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "signal list by theme and stage (member)",
        "/c/{community}/signals/?theme={theme}&stage=besproken",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "signal page (member)",
        "/c/{community}/signals/{signal}/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "API loop (member)",
        "/api/v1/communities/{community}/loop",
        True,
        b'"stages"',
        min_ratio=MEMBER_RATIO,
    ),
    # The group's sessions (issue 10), for visitors and for a member.
    Target("session list", "/c/{community}/sessions/", expect=b"(synthetic)", min_ratio=0.20),
    Target(
        "session page",
        "/c/{community}/sessions/{meeting}/",
        expect=b"(synthetic)",
        min_ratio=0.20,
    ),
    Target(
        "session list (member)",
        "/c/{community}/sessions/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "session page (member)",
        "/c/{community}/sessions/{meeting}/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target("glossary", "/c/{community}/glossary/", expect=b"(synthetic)", min_ratio=0.20),
    Target(
        "glossary (member)",
        "/c/{community}/glossary/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "lessons search",
        "/c/{community}/lessons/?q=vergunning",
        expect=b"(synthetic)",
        min_ratio=0.20,
    ),
    Target(
        "lessons search (member)",
        "/c/{community}/lessons/?q=vergunning",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "calendar feed",
        "/c/{community}/calendar.ics",
        expect=b"BEGIN:VCALENDAR",
        min_ratio=0.20,
    ),
    Target(
        "calendar feed (member)",
        "/c/{community}/calendar.ics",
        True,
        b"BEGIN:VCALENDAR",
        min_ratio=MEMBER_RATIO,
    ),
    # The council's route (issue 11; seed_scale --advices, --commitments): the largest
    # community's 2,000-odd dossiers, one dossier (its first: completed, 50 signals) and the
    # register, for visitors and for a member. Bar: at least 0.20 of the baseline.
    Target("advice list", "/c/{community}/advices/", expect=b"(synthetic)", min_ratio=0.20),
    Target(
        "advice page",
        "/c/{community}/advices/{advice}/",
        expect=b"(synthetic)",
        min_ratio=0.20,
    ),
    Target("register", "/c/{community}/register/", expect=b"(synthetic)", min_ratio=0.20),
    Target(
        "advice list (member)",
        "/c/{community}/advices/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "advice page (member)",
        "/c/{community}/advices/{advice}/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "register (member)",
        "/c/{community}/register/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    # How the group is doing (seed_scale --pulses: about ten per session that is over), for
    # visitors of the public community (figures only) and for a member.
    Target(
        "health dashboard",
        "/c/{community}/health/",
        expect=b'id="pulse-table"',
        min_ratio=0.20,
    ),
    Target(
        "health dashboard (member)",
        "/c/{community}/health/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    # The accord (issue 12; seed_scale --accord-versions, --accord-amendments,
    # --accord-endorsements): the largest community's accord with 100 versions, 2,000
    # amendments and 10,000 endorsements; its page, the latest version's page with its
    # endorsers, and the differences between the first and the latest version (kept once
    # computed), for visitors and for a member. Bar: at least 0.20 of the baseline.
    Target(
        "accord page",
        "/c/{community}/accords/{accord}/",
        expect=b'id="current-version"',
        min_ratio=0.20,
    ),
    Target(
        "accord version page (endorsers)",
        "/c/{community}/accords/{accord}/versions/{accord_last}/",
        expect=b'id="endorsers"',
        min_ratio=0.20,
    ),
    Target(
        "accord diff 1→100",
        "/c/{community}/accords/{accord}/diff/?from=1&to={accord_last}",
        expect=b'id="diff-articles"',
        min_ratio=0.20,
    ),
    Target(
        "accord page (member)",
        "/c/{community}/accords/{accord}/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "accord version page (endorsers) (member)",
        "/c/{community}/accords/{accord}/versions/{accord_last}/",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "accord diff 1→100 (member)",
        "/c/{community}/accords/{accord}/diff/?from=1&to={accord_last}",
        True,
        b"/accounts/logout/",
        min_ratio=MEMBER_RATIO,
    ),
    # The live workshop (issue 13; seed_scale --workshop-participants, --workshop-cards):
    # the largest community's Komedie being played by 150 participants, 1,800 cards over
    # four acts, its last act (about 450 cards) open for votes. The participant's screen (a
    # participant's cookie) and the projector (its secret address) are visitors' pages; the
    # community's workshops and the report (all 1,800 cards) a member's. Every screen's
    # board is kept per revision: these rows read a workshop nobody changes meanwhile; the
    # simulated workshop below measures one that changes every 130 ms.
    Target(
        "workshop: participant's screen (450 cards, voting)",
        "/w/{workshop_code}/",
        expect=b'id="vote-form"',
        headers=(("Cookie", "ss_workshop_{workshop}={workshop_token}"),),
        min_ratio=0.20,
    ),
    Target(
        "workshop: projector (450 cards)",
        "/w/{workshop_code}/screen/{workshop_key}/",
        expect=b"ss-projector",
        min_ratio=0.20,
    ),
    Target(
        "workshops (member)",
        "/c/{community}/workshops/",
        True,
        b'id="workshop-list"',
        min_ratio=MEMBER_RATIO,
    ),
    Target(
        "workshop report, 1,800 cards (member)",
        "/c/{community}/workshops/{workshop}/report/",
        True,
        b'id="harvest-heading"',
        min_ratio=MEMBER_RATIO,
    ),
    # My work, for a civil servant who follows every theme of the largest community: their
    # own page (never shared), across their communities.
    Target(
        "my work (member: a civil servant following every theme)",
        "/my-work/",
        True,
        b'id="take-up-heading"',
        reader="civil servant",
        min_ratio=MEMBER_RATIO,
    ),
]


class HarnessError(Exception):
    pass


def env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


# -- database --------------------------------------------------------------------------


def bench_database() -> tuple[str, dict[str, str]]:
    """The database URL for the bench, and how to describe it (never with credentials)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{SQLITE_PATH}", {
            "vendor": "sqlite",
            "name": str(SQLITE_PATH.relative_to(ROOT)),
        }
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise HarnessError("DATABASE_URL must be postgresql://…; leave it unset for SQLite.")
    bench_url = urlunsplit(parts._replace(path=f"/{PG_DATABASE}"))
    ensure_pg_database(urlunsplit(parts._replace(path="/postgres")))
    return bench_url, {"vendor": "postgresql", "name": PG_DATABASE, "host": parts.hostname or ""}


def ensure_pg_database(admin_url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]
        ).fetchone()
        if not exists:
            say(f"creating database {PG_DATABASE}")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DATABASE)))


def vacuum_analyze(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute("VACUUM ANALYZE")


# -- preparing ---------------------------------------------------------------------------


def server_env(database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Test and development switches would make the server unlike production.
        if key not in {"STATICFILES_BACKEND", "SAMENSPEL_TESTING", "SECURE_SSL_REDIRECT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="samenspel.settings",
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS=HOST,
        SAMENSPEL_BENCH="1",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise HarnessError(
            f"manage.py {' '.join(args)} failed:\n{(result.stdout + result.stderr)[-3000:]}"
        )
    say(f"manage.py {args[0]} ({time.monotonic() - started:.1f} s)")
    return result.stdout


PICK_COMMUNITY = """
from django.db.models import Count, Q
from samenspel.communities.models import Community
community = (
    Community.objects.public().filter(slug__regex=r"^scale-[0-9]+$")
    .annotate(n=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
    .order_by("-n", "slug").first()
)
print("BENCH_COMMUNITY", community.slug if community else "-", community.n if community else 0)
print("BENCH_DEMO", Community.objects.filter(slug="zwolle").exists())
if community:
    from samenspel.initiatives.models import Initiative
    initiative = (
        Initiative.objects.filter(community=community).listed()
        .order_by("name", "pk").values_list("slug", flat=True).first()
    )
    print("BENCH_INITIATIVE", initiative or "-")
    from samenspel.learning.models import Signal, Theme
    signal = (
        Signal.objects.filter(community=community, last_event__to_stage="besproken")
        .order_by("pk").first()
    )
    print("BENCH_SIGNAL", signal.pk if signal else "-")
    theme = signal.themes.order_by("pk").first() if signal else None
    print("BENCH_THEME", theme.pk if theme else "-")
    from django.utils import timezone
    from samenspel.practice.models import Session
    meeting = (
        Session.objects.filter(community=community, ends_at__lt=timezone.now())
        .order_by("-starts_at").first()
    )
    print("BENCH_MEETING", meeting.pk if meeting else "-")
    from samenspel.council.models import CouncilAdvice
    advice = (
        CouncilAdvice.objects.filter(community=community, title__endswith="(synthetic)")
        .order_by("pk").first()
    )
    print("BENCH_ADVICE", advice.pk if advice else "-")
    from samenspel.accords.models import Accord
    accord = (
        Accord.objects.filter(community=community, title__endswith="(synthetic)")
        .order_by("pk").first()
    )
    last = accord.current_version() if accord else None
    print("BENCH_ACCORD", accord.pk if accord else "-", last.number if last else "-")
    from samenspel.workshops.models import Workshop
    from samenspel.workshops.scale import participant_token
    workshop = Workshop.objects.filter(community=community, title__endswith="(synthetic)").first()
    if workshop:
        print("BENCH_WORKSHOP", workshop.pk, workshop.code, workshop.screen_key,
              participant_token(workshop, 1))
if community:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from importlib import import_module
    from django.conf import settings
    from samenspel.communities.models import Membership
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    member = (
        Membership.objects.active().filter(community=community, role="lid")
        .select_related("user").order_by("pk").first().user
    )
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    print("BENCH_SESSION", session.session_key)
    # A civil servant who follows every theme of the community (written here, once).
    from samenspel.learning.models import Follow
    servant = (
        Membership.objects.active().filter(community=community, role="lid", side="gemeente")
        .select_related("user").order_by("pk").first().user
    )
    Follow.objects.bulk_create(
        [Follow(user=servant, community=community, theme=theme)
         for theme in Theme.objects.filter(community=community)],
        ignore_conflicts=True,
    )
    session = SessionStore()
    session[SESSION_KEY] = str(servant.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = servant.get_session_auth_hash()
    session.create()
    print("BENCH_CIVIL_SERVANT_SESSION", session.session_key)
    from django.middleware.csrf import _get_new_csrf_string
    print("BENCH_CSRF", _get_new_csrf_string())
"""


def placeholders(env: dict[str, str]) -> dict[str, Any]:
    output = manage(env, "shell", "--no-imports", "-c", PICK_COMMUNITY)
    found = {}
    for line in output.splitlines():
        if line.startswith("BENCH_"):
            key, _, value = line.partition(" ")
            found[key] = value
    slug, members = found.get("BENCH_COMMUNITY", "- 0").split()
    if slug == "-" or found.get("BENCH_DEMO") != "True":
        raise HarnessError("seed_scale or demo left no public synthetic community or no 'zwolle'.")
    initiative = found.get("BENCH_INITIATIVE", "-")
    if initiative == "-":
        raise HarnessError(f"seed_scale left no listed initiative in {slug}.")
    return {
        "community": slug,
        "community_members": int(members),
        "initiative": initiative,
        "signal": found.get("BENCH_SIGNAL", "-"),
        "theme": found.get("BENCH_THEME", "-"),
        "meeting": found.get("BENCH_MEETING", "-"),
        "advice": found.get("BENCH_ADVICE", "-"),
        "accord": found.get("BENCH_ACCORD", "- -").split()[0],
        "accord_last": found.get("BENCH_ACCORD", "- -").split()[-1],
        **dict(
            zip(
                ("workshop", "workshop_code", "workshop_key", "workshop_token"),
                found.get("BENCH_WORKSHOP", "- - - -").split(),
                strict=True,
            )
        ),
        "demo": "zwolle",
        "session": found.get("BENCH_SESSION", ""),
        "civil_servant_session": found.get("BENCH_CIVIL_SERVANT_SESSION", ""),
        "csrf": found.get("BENCH_CSRF", ""),
    }


# -- the server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def die_with_parent() -> None:
    """Runs in the child before exec: on Linux, get SIGTERM if the bench dies abruptly."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """gunicorn's master (its workers are its children)."""
        return self.process.pid if self.process is not None else None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "samenspel.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"{HOST}:{self.port}",
            "--no-control-socket",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: Ctrl-C reaches us, we stop it
                preexec_fn=die_with_parent if sys.platform == "linux" else None,
            )
        self.wait_until_healthy(timeout=60)

    def wait_until_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise HarnessError(f"gunicorn exited early:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _ = fetch(self.port, "/healthz", timeout=2)
                if status == 200:
                    return
            time.sleep(0.2)
        raise HarnessError(f"gunicorn did not answer /healthz within {timeout:.0f} s.")

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-3000:]
        return ""

    def stop(self) -> None:
        """SIGTERM to the group we started, SIGKILL after a bounded wait."""
        process = self.process
        if process is None:
            return
        self.process = None
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=wait)
                break
        # Workers leave with their master; make sure no stray one keeps the port.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def fetch(
    port: int, path: str, timeout: float = 30, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


STATIC_REF = re.compile(rb"""(?:href|src)=["'](/static/[^"']+)["']""")


def check_once(
    port: int, path: str, checked_static: set[str], headers: dict[str, str], expect: bytes
) -> tuple[int, int]:
    """One request before the load: the page must be a 200, and so must its static files."""
    status, body = fetch(port, path, headers=headers)
    if status == 200 and expect not in body:
        raise HarnessError(f"{path} does not contain {expect!r}: not the page meant.")
    if status == 200:
        for ref in STATIC_REF.findall(body):
            static_path = ref.decode()
            if static_path in checked_static:
                continue
            static_status, _ = fetch(port, static_path)
            if static_status != 200:
                raise HarnessError(
                    f"{path} refers to {static_path}, which answers {static_status}."
                )
            checked_static.add(static_path)
    return status, len(body)


# -- the load --------------------------------------------------------------------------


def wrk(
    port: int, path: str, seconds: float, connections: int, headers: dict[str, str]
) -> dict[str, Any]:
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--script",
        str(WRK_SCRIPT),
        *[part for name, value in headers.items() for part in ("--header", f"{name}: {value}")],
        f"http://{HOST}:{port}{path}",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return dict(json.loads(line.removeprefix("BENCH_JSON ")))
    raise HarnessError(f"wrk gave no result for {path}:\n{result.stdout}{result.stderr}")


@dataclass
class Row:
    name: str
    path: str
    status: int
    page_bytes: int
    requests: int = 0
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    mean_ms: float = 0.0
    max_ms: float = 0.0
    non_200: int = 0
    last_bad_status: int = 0
    socket_errors: int = 0
    ratio: float | None = None
    meets_bar: bool | None = None
    min_ratio: float | None = MIN_RATIO
    max_p95_ms: float = MAX_P95_MS


def measure(
    port: int,
    target: Target,
    path: str,
    checked_static: set[str],
    settings: dict[str, float],
    headers: dict[str, str],
) -> Row:
    status, size = check_once(port, path, checked_static, headers, target.expect)
    row = Row(target.name, path, status, size)
    row.min_ratio, row.max_p95_ms = target.min_ratio, target.max_p95_ms
    if status != target.status:
        say(f"{target.name}: {path} answers {status}, not {target.status}; not measured")
        row.non_200 = 1
        row.last_bad_status = status
        return row
    connections = int(settings["connections"])
    if settings["warmup"] > 0:
        wrk(port, path, settings["warmup"], connections, headers)
    result = wrk(port, path, settings["seconds"], connections, headers)
    latency = result["latency_us"]
    row.requests = result["requests"]
    row.requests_per_s = result["requests"] / (result["duration_us"] / 1e6)
    row.p50_ms, row.p95_ms, row.p99_ms = (latency[p] / 1000 for p in ("p50", "p95", "p99"))
    row.mean_ms, row.max_ms = latency["mean"] / 1000, latency["max"] / 1000
    row.non_200, row.last_bad_status = result["non_200"], result["last_bad_status"]
    # wrk counts answers of 400 and more; a redirect would show as answers shorter than the
    # page checked first (the body alone; wrk's bytes also hold the headers).
    if row.requests and result["bytes"] / row.requests < 0.9 * size:
        say(f"{target.name}: answers shorter than the page checked first (redirects?)")
        row.non_200 = max(row.non_200, 1)
    # wrk counts no 200 among 304s; a change during the load would still show in the
    # answer after it (a workshop's revision only grows).
    if target.status != 200:
        after, _ = fetch(port, path, headers=headers)
        if after != target.status:
            say(f"{target.name}: answers {after} after the load, not {target.status}")
            row.non_200, row.last_bad_status = max(row.non_200, 1), after
    row.socket_errors = sum(result["errors"].values())
    say(f"{target.name}: {row.requests_per_s:,.0f} req/s, p95 {row.p95_ms:.1f} ms")
    return row


def judge(rows: list[Row]) -> None:
    """Each row's ratio is against the baseline measured last before it; a baseline measured
    again (before the workshop's rows) gets its ratio to the first, which shows a drift."""
    first = baseline = rows[0].requests_per_s
    for row in rows:
        again = row.path == BASELINE.path and row is not rows[0]
        if not (first if again else baseline) or not row.requests_per_s:
            continue
        row.ratio = row.requests_per_s / (first if again else baseline)
        if again:
            baseline = row.requests_per_s
        elif row is not rows[0]:
            fast_enough = row.min_ratio is None or row.ratio >= row.min_ratio
            row.meets_bar = fast_enough and row.p95_ms < row.max_p95_ms


def table(rows: list[Row]) -> str:
    header = ["target", "path", "req/s", "p50 ms", "p95 ms", "ratio", "non-200", "sock err", "bar"]
    lines = [header]
    for row in rows:
        bar = "–" if row.meets_bar is None else ("ok" if row.meets_bar else "below target")
        if row.non_200:
            bar = "not a 200"
        lines.append(
            [
                row.name,
                row.path,
                f"{row.requests_per_s:,.0f}",
                f"{row.p50_ms:.1f}",
                f"{row.p95_ms:.1f}",
                "–" if row.ratio is None else f"{row.ratio:.2f}",
                str(row.non_200) + (f" ({row.last_bad_status})" if row.non_200 else ""),
                str(row.socket_errors),
                bar,
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    numeric = {2, 3, 4, 5, 6, 7}
    out = []
    for n, line in enumerate(lines):
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def wrk_version() -> str:
    result = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    found = re.match(r"wrk \S+", result.stdout + result.stderr)
    return found.group(0) if found else "wrk"


# -- import timing (issue 3) -----------------------------------------------------------

IMPORT_ROWS = 10_000
# Runs in `manage.py shell` against the bench database: 50 initiatives of its own (waiting
# for review, so no page shows them), a generated CSV of IMPORT_ROWS indicator values, the
# import timed twice (all new, then all changed), and everything of its own removed again.
TIME_IMPORT = """
import csv, io, math, time
from django.db import connection
from samenspel.communities.models import Community, Membership
from samenspel.initiatives.defaults import ensure_defaults
from samenspel.initiatives.importers.figures import import_values
from samenspel.initiatives.models import Indicator, IndicatorValue, Initiative

community = Community.objects.get(slug=SLUG)
ensure_defaults(community)

def clean():
    # Raw deletes: the ORM would write a history record per deleted value.
    ids = list(Initiative.objects.filter(
        community=community, slug__startswith="bench-import-").values_list("pk", flat=True))
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        for model, column in ((IndicatorValue, "initiative_id"),
                              (IndicatorValue.history.model, "initiative_id"),
                              (Initiative.history.model, "id"),
                              (Initiative, "id")):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({marks})", ids)

clean()
initiatives = Initiative.objects.bulk_create(
    Initiative(community=community, name=f"Bench import {i}", slug=f"bench-import-{i}",
               review="pending")
    for i in range(50))
codes = list(Indicator.objects.filter(community=community, kind="number")
             .order_by("order", "code").values_list("code", flat=True))[:5]
years = math.ceil(ROWS / (len(initiatives) * len(codes)))
cells = [(i.slug, code, str(2000 + year)) for i in initiatives for code in codes
         for year in range(years)][:ROWS]
steward = Membership.objects.stewards().filter(community=community).select_related("user").first()
user = steward.user if steward else None

def file(value):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["initiative", "indicator", "year", "value", "source"])
    writer.writerows([*cell, value(n), "bench"] for n, cell in enumerate(cells))
    return out.getvalue().encode()

timings = []
try:
    for value in (lambda n: f"{n}.50", lambda n: str(n + 1)):
        data = file(value)
        started = time.perf_counter()
        report = import_values(actor=user, community=community, data=data)
        timings.append(time.perf_counter() - started)
        if not report.ok or report.created + report.updated != len(cells):
            raise SystemExit(f"import failed: {report.errors[:3]}")
finally:
    clean()
print("BENCH_IMPORT", len(cells), *(f"{t:.3f}" for t in timings))
"""


def time_values_import(env: dict[str, str], community: str) -> dict[str, Any]:
    """Issue 3: import IMPORT_ROWS indicator values into a seeded community (bounded by
    manage()'s timeout). A failure is reported, never fatal to the bench."""
    script = f"SLUG = {community!r}\nROWS = {IMPORT_ROWS}\n" + TIME_IMPORT
    try:
        output = manage(env, "shell", "--no-imports", "-c", script)
    except (HarnessError, subprocess.TimeoutExpired) as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        reason = lines[-1][-300:] if lines else type(error).__name__
        say(f"import timing failed: {reason}")
        return {"error": reason}
    for line in output.splitlines():
        if line.startswith("BENCH_IMPORT "):
            rows, new, changed = line.split()[1:]
            return {
                "rows": int(rows),
                "community": community,
                "seconds_new": float(new),
                "seconds_changed": float(changed),
            }
    return {"error": "no timing printed"}


def import_lines(timing: dict[str, Any]) -> list[str]:
    if "error" in timing:
        return [f"import {IMPORT_ROWS:,} indicator values: failed ({timing['error'][:200]})"]
    return [
        f"import {timing['rows']:,} indicator values: {timing['seconds_new']:.1f} s",
        f"import {timing['rows']:,} indicator values again (all changed): "
        f"{timing['seconds_changed']:.1f} s",
    ]


# -- similar signals (issue 4) ----------------------------------------------------------

SIMILAR_RUNS = 200
# Runs in `manage.py shell`: similar signals for a new text in the largest community, over
# all seeded signals, one process as a gunicorn worker would be (warm: one call first).
TIME_SIMILAR = """
import time
from samenspel.communities.models import Community
from samenspel.learning.models import Signal
from samenspel.learning.similar import encoder, similar_signals
community = Community.objects.get(slug=SLUG)
texts = [
    "De subsidie voor onze warmtepomp duurt veel te lang",
    "Vergunning voor het warmtenet loopt vast bij de gemeente",
    "Bewoners haken af, niemand weet wie er beslist",
    "De lening van het energiefonds is te duur voor onze coöperatie",
    "Leges voor bodemenergie zijn onduidelijk",
    "Het contract met de netbeheerder vraagt te veel formulieren",
    "Geen vaste contactpersoon bij de provincie",
    "Aanbesteding collectieve warmte past niet bij een kleine buurt",
]
similar_signals(community, texts[0])
timings = []
for n in range(RUNS):
    started = time.perf_counter()
    similar_signals(community, f"{texts[n % len(texts)]} {n}")
    timings.append(time.perf_counter() - started)
timings.sort()
p50 = timings[len(timings) // 2] * 1000
p95 = timings[int(len(timings) * 0.95) - 1] * 1000
embeddings = int(encoder() is not None)
print("BENCH_SIMILAR", Signal.objects.count(), f"{p50:.1f}", f"{p95:.1f}", embeddings)
"""


# Issue 10: recognising a glossary's agreed terms in a long text (pure Python, no database).
TIME_GLOSSARY = """
import random, statistics, time
from samenspel.practice.glossary import Explained, TermIndex, link_terms
from samenspel.core.markdown import render_markdown
rng = random.Random(7)
syllables = ["warm", "te", "net", "co", "ö", "pe", "ra", "tie", "buurt", "wijk", "ge", "meen"]
def word():
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
terms = []
for n in range(TERMS):
    form = " ".join(word() for _ in range(rng.randint(1, 3)))
    terms.append(Explained(f"t{n}", form, "Een afgesproken betekenis."))
index = TermIndex.build(terms, {t.slug: [t.term] for t in terms})
paragraphs = []
for _ in range(WORDS // 100):
    paragraphs.append(" ".join(word() for _ in range(100)))
html = render_markdown("\\n\\n".join(paragraphs))
times = []
for _ in range(RUNS):
    started = time.perf_counter()
    out = link_terms(html, index, "/c/x/glossary/")
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print("BENCH_GLOSSARY", TERMS, WORDS, out.count("ss-term__link"),
      statistics.median(times), times[int(len(times) * 0.95) - 1])
"""
GLOSSARY_RUNS = 20


def time_glossary(env: dict[str, str]) -> dict[str, Any]:
    """Issue 10: agreed terms recognised in a 5,000-word text (bar: 50 ms)."""
    script = f"TERMS = 5000\nWORDS = 5000\nRUNS = {GLOSSARY_RUNS}\n" + TIME_GLOSSARY
    try:
        output = manage(env, "shell", "--no-imports", "-c", script)
    except (HarnessError, subprocess.TimeoutExpired) as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        return {"error": lines[-1][-300:] if lines else type(error).__name__}
    for line in output.splitlines():
        if line.startswith("BENCH_GLOSSARY "):
            terms, words, found, p50, p95 = line.split()[1:]
            return {
                "terms": int(terms),
                "words": int(words),
                "recognised": int(found),
                "runs": GLOSSARY_RUNS,
                "p50_ms": float(p50),
                "p95_ms": float(p95),
                "max_ms": 50.0,
            }
    return {"error": "no timing printed"}


def glossary_line(timing: dict[str, Any]) -> str:
    if "error" in timing:
        return f"glossary terms: failed ({timing['error'][:200]})"
    verdict = "ok" if timing["p95_ms"] < timing["max_ms"] else "over the 50 ms bar"
    return (
        f"agreed terms recognised in a {timing['words']:,}-word text against "
        f"{timing['terms']:,} terms ({timing['recognised']:,} found): "
        f"p50 {timing['p50_ms']:.1f} ms, p95 {timing['p95_ms']:.1f} ms ({verdict})"
    )


# Issue 11: the A4 PDF of an advice dossier that answers 50 signals, made as the request
# makes it (documents.render_pdf, without the cache), in Dutch; the first run loads
# WeasyPrint and the fonts and is reported apart.
TIME_PDF = """
import time
from django.utils import translation
from samenspel.council import documents
from samenspel.council.models import CouncilAdvice
translation.activate("nl")
advice = CouncilAdvice.objects.select_related("community").get(pk=ADVICE)
signals = documents.linked_signals(advice).count()
started = time.perf_counter()
content = documents.render_pdf(advice)
first = time.perf_counter() - started
times = []
for _ in range(RUNS):
    started = time.perf_counter()
    content = documents.render_pdf(advice)
    times.append(time.perf_counter() - started)
times.sort()
try:
    import io
    from pypdf import PdfReader
    pages = len(PdfReader(io.BytesIO(content)).pages)
except ImportError:
    pages = 0
print("BENCH_PDF", signals, pages, len(content), f"{first:.3f}",
      f"{times[len(times) // 2]:.3f}", f"{times[-1]:.3f}")
"""
PDF_RUNS = 5
PDF_MAX_SECONDS = 2.0


def time_pdf(env: dict[str, str], advice: str) -> dict[str, Any]:
    """Issue 11: the PDF of a dossier with 50 linked signals (bar: under 2 s); the slowest
    of PDF_RUNS warm runs is what counts (with 5 runs, their p95)."""
    if advice == "-":
        return {"error": "seed_scale left no advice dossier in the community"}
    script = f"ADVICE = {int(advice)}\nRUNS = {PDF_RUNS}\n" + TIME_PDF
    try:
        output = manage(env, "shell", "--no-imports", "-c", script)
    except (HarnessError, subprocess.TimeoutExpired) as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        reason = lines[-1][-300:] if lines else type(error).__name__
        say(f"PDF timing failed: {reason}")
        return {"error": reason}
    for line in output.splitlines():
        if line.startswith("BENCH_PDF "):
            signals, pages, size, first, p50, slowest = line.split()[1:]
            return {
                "advice": int(advice),
                "signals": int(signals),
                "pages": int(pages),
                "bytes": int(size),
                "runs": PDF_RUNS,
                "first_s": float(first),
                "p50_s": float(p50),
                "max_s": float(slowest),
                "bar_s": PDF_MAX_SECONDS,
            }
    return {"error": "no timing printed"}


def pdf_line(timing: dict[str, Any]) -> str:
    if "error" in timing:
        return f"PDF of a dossier with 50 linked signals: failed ({timing['error'][:200]})"
    verdict = "ok" if timing["max_s"] < timing["bar_s"] else "over the 2 s bar"
    pages = f", {timing['pages']} pages" if timing["pages"] else ""
    return (
        f"PDF of a dossier with {timing['signals']} linked signals ({timing['bytes'] // 1024} kB"
        f"{pages}): p50 {timing['p50_s']:.2f} s, slowest of {timing['runs']} "
        f"{timing['max_s']:.2f} s ({verdict}); the first, loading WeasyPrint, "
        f"{timing['first_s']:.2f} s"
    )


def time_similar(env: dict[str, str], community: str) -> dict[str, Any]:
    """Issue 4: similar signals for a new text, p95 over SIMILAR_RUNS calls (bar: 200 ms)."""
    script = f"SLUG = {community!r}\nRUNS = {SIMILAR_RUNS}\n" + TIME_SIMILAR
    try:
        output = manage(env, "shell", "--no-imports", "-c", script)
    except (HarnessError, subprocess.TimeoutExpired) as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        reason = lines[-1][-300:] if lines else type(error).__name__
        say(f"similar timing failed: {reason}")
        return {"error": reason}
    for line in output.splitlines():
        if line.startswith("BENCH_SIMILAR "):
            signals, p50, p95, embeddings = line.split()[1:]
            return {
                "signals": int(signals),
                "runs": SIMILAR_RUNS,
                "p50_ms": float(p50),
                "p95_ms": float(p95),
                "embeddings": embeddings == "1",
                "max_p95_ms": 200.0,
            }
    return {"error": "no timing printed"}


def similar_line(timing: dict[str, Any]) -> str:
    if "error" in timing:
        return f"similar signals: failed ({timing['error'][:200]})"
    how = "embeddings" if timing["embeddings"] else "text search only"
    verdict = "ok" if timing["p95_ms"] < timing["max_p95_ms"] else "over the 200 ms bar"
    return (
        f"similar signals over {timing['signals']:,} signals ({how}): "
        f"p50 {timing['p50_ms']:.0f} ms, p95 {timing['p95_ms']:.0f} ms ({verdict})"
    )


# -- live workshop (issue 13) ----------------------------------------------------------

WORKSHOP_NOTHING_NEW = "workshop changes: nothing new (304)"
WORKSHOP_A_SECOND = "workshop changes: a second's cards (200)"
WORKSHOP_WHOLE_ACT = "workshop changes: whole act, since=0 (200)"
WORKSHOP_ROWS = {
    "not_modified": WORKSHOP_NOTHING_NEW,
    "a_second": WORKSHOP_A_SECOND,
    "whole_act": WORKSHOP_WHOLE_ACT,
}


def wants_workshop(only: str) -> bool:
    """A full run, or --only TEXT that is part of the workshop rows' names."""
    names = ["live workshop", *WORKSHOP_ROWS.values()]
    return not only or any(only.lower() in name for name in names)


def workshop_shell(env: dict[str, str]) -> Callable[[str], str]:
    return lambda script: manage(env, "shell", "--no-imports", "-c", script)


def live_workshop(
    env: dict[str, str], server: Server, checked_static: set[str], settings: dict[str, float]
) -> tuple[dict[str, Any], list[Row]]:
    """Issue 13: the simulated workshop (bench/workshop_load.py; bar: a card reaches the
    last participant within 2 s at p95), then the update channel with wrk on the act it
    left: nothing new, a second's cards (as most polls of the room got) and the whole act.
    A failure is reported, never fatal to the bench."""
    participants = int(env_number("BENCH_WORKSHOP_PARTICIPANTS", workshop_load.PARTICIPANTS))
    seconds = env_number("BENCH_WORKSHOP_SECONDS", 60)
    try:
        room = workshop_load.setup_workshop(workshop_shell(env))
        say(f"live workshop {room.code}: {participants} participants for {seconds:g} s")
        timing, cookie = workshop_load.simulate(
            server.port, room, participants, seconds, server.pid
        )
    except (
        HarnessError,
        workshop_load.LoadError,
        subprocess.TimeoutExpired,
        OSError,
        ValueError,
        KeyError,
    ) as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        reason = lines[-1][-300:] if lines else type(error).__name__
        say(f"live workshop failed: {reason}")
        return {"error": reason}, []
    latency = timing["latency_s"] or {"p50": math.nan, "p95": math.nan}
    say(
        f"live workshop: card to last participant p50 {latency['p50']:.2f} s, "
        f"p95 {latency['p95']:.2f} s; {timing['polls_per_s']:g} polls/s, "
        f"{timing['errors']} errors"
    )
    headers = {"Cookie": cookie, "Accept": "application/json"}
    status, body = fetch(server.port, room.changes_path(0), headers=headers)
    if status != 200:
        timing["channel"] = {"error": f"the whole act answers {status}"}
        return timing, []
    act = json.loads(body)
    revision = int(act["revision"])
    timing["act_cards"], timing["act_bytes"] = len(act["cards"]), len(body)
    a_second = max(1, round(timing["cards_per_s"]))
    paths = {
        WORKSHOP_NOTHING_NEW: (room.changes_path(revision), 304),
        WORKSHOP_A_SECOND: (room.changes_path(max(0, revision - a_second)), 200),
        WORKSHOP_WHOLE_ACT: (room.changes_path(0), 200),
    }
    rows = [measure(server.port, BASELINE_AGAIN, BASELINE.path, checked_static, settings, {})]
    for name, (path, expected) in paths.items():
        expect = b'"cards"' if expected == 200 else b""
        target = Target(name, path, expect=expect, min_ratio=None, status=expected)
        rows.append(measure(server.port, target, path, checked_static, settings, headers))
    timing["channel"] = {"a_second_cards": a_second}
    return timing, rows


def channel_summary(timing: dict[str, Any], rows: list[Row]) -> None:
    """The wrk rows of the update channel (after judge(): with their ratios) in the timing."""
    channel = timing.get("channel")
    if channel is None or "error" in channel:
        return
    by_name = {row.name: row for row in rows}
    again = by_name.get(BASELINE_AGAIN.name)
    channel["first_baseline_requests_per_s"] = round(rows[0].requests_per_s, 1)
    channel["baseline_requests_per_s"] = round((again or rows[0]).requests_per_s, 1)
    for key, name in WORKSHOP_ROWS.items():
        row = by_name.get(name)
        if row is None:
            continue
        channel[key] = {
            "path": row.path,
            "requests_per_s": round(row.requests_per_s, 1),
            "ratio": None if row.ratio is None else round(row.ratio, 3),
            "p50_ms": round(row.p50_ms, 2),
            "p95_ms": round(row.p95_ms, 2),
            "bytes": row.page_bytes,
            "non_expected": row.non_200,
            "socket_errors": row.socket_errors,
        }


def workshop_failed(timing: dict[str, Any]) -> bool:
    return "error" in timing or bool(timing.get("errors") or timing.get("undelivered"))


def cores_text(use: dict[str, float] | None, cpus: int) -> str:
    if use is None:
        return "not measured"
    return f"{use['cores']:.2f} of {cpus} cores ({use['share_of_machine']:.0%})"


def workshop_lines(timing: dict[str, Any]) -> list[str]:
    if "skipped" in timing:
        return []
    if "error" in timing:
        return [f"live workshop: failed ({timing['error'][:200]})"]
    latency, start = timing["latency_s"], timing["latency_from_post_start_s"]
    bar = timing["bar_p95_s"]
    if latency is None:
        return [f"live workshop: no card reached everyone ({timing['errors']} errors)"]
    if timing["meets_bar"]:
        verdict = "ok"
    elif latency["p95"] > bar:
        verdict = f"over the {bar:g} s bar"
    else:
        verdict = "not ok: errors or undelivered cards"
    errors = ", ".join(f"{kind} ×{n}" for kind, n in timing["errors_by_kind"].items())
    polls = timing["poll_answer_ms"] or {"p50": math.nan, "p95": math.nan}
    cpu = timing["cpu"]
    lines = [
        f"Live workshop, {timing['participants']} participants polling every "
        f"{timing['poll_interval_s']:g} s, a card every {timing['card_every_s']:g} s each "
        f"({timing['cards']} cards in {timing['seconds']:g} s): card to last participant "
        f"p50 {latency['p50']:.2f} s, p95 {latency['p95']:.2f} s, max {latency['max']:.2f} s "
        f"(bar {bar:g} s at p95: {verdict}); from the POST's start p50 {start['p50']:.2f} s, "
        f"p95 {start['p95']:.2f} s",
        f"  polls {timing['polls_per_s']:,.1f}/s, {timing['share_304']:.1%} answered 304, "
        f"poll answer p50 {polls['p50']:,.1f} ms, p95 {polls['p95']:,.1f} ms; "
        f"errors {timing['errors']}{f' ({errors})' if errors else ''}; "
        f"cards that never reached everyone {timing['undelivered']}",
        f"  CPU over those {cpu['seconds']:g} s: server (gunicorn, {WORKERS} workers) "
        f"{cores_text(cpu['server'], cpu['cpus'])}; PostgreSQL "
        f"{cores_text(cpu['database'], cpu['cpus'])}; load generator "
        f"{cores_text(cpu['client'], cpu['cpus'])}; the whole machine "
        f"{cpu['machine_busy']:.0%} busy",
    ]
    channel = timing.get("channel", {})
    if "error" in channel:
        lines.append(f"  update channel with wrk: failed ({channel['error']})")
    elif "baseline_requests_per_s" in channel:
        labels = {
            "not_modified": "nothing new (304)",
            "a_second": f"a second's cards ({channel['a_second_cards']}, 200)",
            "whole_act": f"the whole act ({timing['act_cards']} cards, "
            f"{timing['act_bytes'] // 1024} kB, 200)",
        }
        parts = []
        for key, label in labels.items():
            row = channel.get(key)
            if row is not None:
                ratio = "–" if row["ratio"] is None else f"{row['ratio']:.2f}"
                parts.append(f"{label} {row['requests_per_s']:,.0f} req/s = {ratio}")
        asked = timing["participants"] / timing["poll_interval_s"]
        lines.append(
            f"  update channel with wrk (the room asks up to {asked:,.0f} polls/s), as a share "
            f"of the baseline measured right before ({channel['baseline_requests_per_s']:,.0f} "
            f"req/s; the first {channel['first_baseline_requests_per_s']:,.0f}): "
            + "; ".join(parts)
        )
    return lines


# -- main ------------------------------------------------------------------------------


def cpu_busy(seconds: float = 1.0) -> float | None:
    """How busy all CPUs are right now (0–1), from /proc/stat; None where there is none."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return sum(values), idle

    try:
        total_before, idle_before = sample()
        time.sleep(seconds)
        total_after, idle_after = sample()
    except (OSError, ValueError, IndexError):
        return None
    total = total_after - total_before
    return 1 - (idle_after - idle_before) / total if total > 0 else None


def busy_warning(busy: float | None) -> str | None:
    if busy is None or busy < 0.25:
        return None
    return (
        f"other processes kept the CPUs {busy:.0%} busy just before the bench; "
        "figures will be lower and noisier than on an idle machine"
    )


def run(only: str = "", reuse: bool = False) -> int:
    busy_before = cpu_busy()
    if shutil.which("wrk") is None:
        raise HarnessError("wrk is not installed (make bench installs it: apt-get install wrk).")
    settings = {
        "seconds": env_number("BENCH_SECONDS", 8),
        "warmup": env_number("BENCH_WARMUP", 2),
        "connections": int(env_number("BENCH_CONNECTIONS", 16)),
        "threads": 1,
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database_url, database = bench_database()
    say(f"database: {database['vendor']} {database['name']}")
    env = server_env(database_url)
    database["cache"] = "redis" if env.get("REDIS_URL") else "locmem (one per process)"
    if reuse:
        seeded = "reused"
        say("reusing the bench database as the last run left it")
    else:
        manage(env, "migrate", "--no-input")
        seeded = manage(env, "seed_scale").strip().splitlines()[-1]
        manage(env, "demo")
    manage(env, "collectstatic", "--no-input")
    if database["vendor"] == "postgresql" and not reuse:
        vacuum_analyze(database_url)
    values = placeholders(env)
    targets = [t for t in TARGETS if only.lower() in t.name.lower()]
    say(f"community pages use {values['community']} ({values['community_members']} members)")

    server = Server(env, OUT_DIR / "gunicorn.log")
    rows: list[Row] = []
    skipped = {"skipped": f"--only {only}"}
    workshop_timing: dict[str, Any] = skipped
    try:
        server.start()
        say(
            f"gunicorn on {HOST}:{server.port}, {WORKERS} workers; "
            f"{settings['seconds']:g} s per target after {settings['warmup']:g} s warm-up, "
            f"{settings['connections']:g} connections"
        )
        checked_static: set[str] = set()
        for target in [BASELINE, *targets]:
            path = target.path.format(**values)
            # A member's browser sends its session and the CSRF cookie it was given earlier.
            reader = "civil_servant_session" if target.reader == "civil servant" else "session"
            session = values[reader]
            cookie = f"sessionid={session}; csrftoken={values['csrf']}"
            headers = {"Cookie": cookie} if target.as_member else {}
            headers.update({name: value.format(**values) for name, value in target.headers})
            rows.append(measure(server.port, target, path, checked_static, settings, headers))
        if wants_workshop(only):
            workshop_timing, channel_rows = live_workshop(env, server, checked_static, settings)
            rows.extend(channel_rows)
    finally:
        server.stop()
    import_timing = time_values_import(env, values["community"]) if not only else skipped
    similar_timing = time_similar(env, values["community"]) if not only else skipped
    glossary_timing = time_glossary(env) if not only else skipped
    pdf_timing = time_pdf(env, values["advice"]) if not only else skipped

    judge(rows)
    channel_summary(workshop_timing, rows)
    print()
    print(table(rows))
    print()
    if not only:
        for line in import_lines(import_timing):
            print(line)
        print(similar_line(similar_timing))
        print(glossary_line(glossary_timing))
        print(pdf_line(pdf_timing))
    for line in workshop_lines(workshop_timing):
        print(line)
    if not only or "skipped" not in workshop_timing:
        print()
    warning = busy_warning(busy_before)
    if warning:
        say(f"note: {warning}")
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": database,
        "server": {"software": "gunicorn", "workers": WORKERS, "worker_class": "sync"},
        "load": {"tool": wrk_version(), **settings},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "cpu_busy_before": None if busy_before is None else round(busy_before, 2),
            "load_average_after": round(os.getloadavg()[0], 2),
            "warning": warning,
        },
        "data": {"seed_scale": seeded, **values},
        "only": only or None,
        "bar": {"min_ratio": MIN_RATIO, "max_p95_ms": MAX_P95_MS, "informational": True},
        "targets": [
            {k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(row).items()}
            for row in rows
        ],
        "import": import_timing,
        "similar": similar_timing,
        "glossary": glossary_timing,
        "pdf": pdf_timing,
        "workshop": workshop_timing,
    }
    results_path = OUT_DIR / ("results-only.json" if only else "results.json")
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    say(f"results written to {results_path.relative_to(ROOT)}")
    failing = [row.name for row in rows if row.non_200]
    if failing:
        say(f"unexpected responses on: {', '.join(failing)} — their figures mean nothing")
        return 1
    if workshop_failed(workshop_timing):
        say("the live workshop had errors or undelivered cards — its figures mean little")
        return 1
    return 0


def main() -> int:
    # SIGTERM (e.g. from CI) unwinds like Ctrl-C, so gunicorn is always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--only", default="", help="only targets whose name contains this")
    parser.add_argument("--reuse", action="store_true", help="use the database as last seeded")
    options = parser.parse_args()
    try:
        return run(only=options.only, reuse=options.reuse)
    except HarnessError as error:
        say(f"error: {error}")
        return 2
    except KeyboardInterrupt:
        say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
