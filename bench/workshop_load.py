"""The live workshop of `make bench` (issue 13): a room of participants on one machine.

A simulated workshop with PARTICIPANTS (150) participants, each checking for updates as
live.js does and writing a card every CARD_EVERY (20) seconds, against the bench's gunicorn:

1. Setup, in `manage.py shell -c` with the server's environment (SETUP below): a workshop in
   the demo community 'zwolle', made by its steward (steward@example.org) with the app's own
   services from the built-in Komedie — open to anyone with the code, cards shown at once
   (hold_cards off) — started and at act 1. Earlier bench workshops are removed first.
2. Everyone joins through the API (POST /api/v1/workshops/join, a few at a time).
3. Every participant polls GET /w/<code>/changes?w=<id>&since=<revision>&act=<act> with
   their token in the cookie ss_workshop_<id>; the next poll goes POLL_MILLISECONDS after
   the answer (as live.js's setTimeout does), the first at a random moment within one
   interval. After WARMUP_SECONDS of polls only, each writes a card every CARD_EVERY
   seconds (POST /api/v1/workshops/<id>/cards with Participant-Token, the first at a random
   moment within the first CARD_EVERY) for BENCH_WORKSHOP_SECONDS (60).
4. Per card: when its POST answered 201, and when each of the other participants first got
   its id in a poll answer. Its latency is the last of those receipts minus the POST's
   answer (and, apart, minus the POST's start). After the writing stops the polls go on
   until every card reached everyone (DRAIN_SECONDS at most); a card that did not is
   undelivered. Every answer other than 2xx or 304 (and every failed connection) is an
   error, counted by kind.
5. CPU over the writing period: the gunicorn master and its workers (utime + stime from
   /proc/<pid>/stat, with their reaped children), PostgreSQL's processes when it runs on
   this machine, the whole machine (/proc/stat), and this load generator itself
   (time.process_time).

The client is asyncio over plain streams, one HTTP/1.1 request per connection (gunicorn's
sync workers close it after every answer anyway): no dependency, and a few percent of one
core for the ~160 requests a second of 150 participants, so the server keeps the CPU that
client and server share.

bench/run.py runs it (a full run, or --only workshop). Alone, against a server already
running on this machine on the same database (the server's DATABASE_URL etc. in the
environment, so that the setup reaches its database):

    .venv/bin/python bench/workshop_load.py --port 8000 [--server-pid PID] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PARTICIPANTS = 150
CARD_EVERY = 20.0
WARMUP_SECONDS = 5.0
DRAIN_SECONDS = 10.0
REQUEST_TIMEOUT = 30.0
JOIN_AT_ONCE = 4
LATENCY_BAR_S = 2.0
TITLE = "Bench: live workshop (synthetic)"
SIDES = ("gemeente", "initiatief", "anders")
CARD_TEXTS = (
    "De vergunning voor het warmtenet duurt te lang",
    "Eén vast aanspreekpunt bij de gemeente",
    "Bewoners willen eerst weten wat het kost",
    "Vrijwilligers geven hun avonden: dat is veel waard",
    "De subsidie past niet bij een kleine coöperatie",
    "Deel de plannen eerder, dan denken we mee",
)


class LoadError(Exception):
    """The scenario could not run (setup, joining); its figures would mean nothing."""


# -- setup ------------------------------------------------------------------------------

# Runs in `manage.py shell` with the server's environment: the app's own services, as the
# steward's console would call them.
SETUP = """
from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.workshops import services
from samenspel.workshops.models import Audience, Workshop
from samenspel.workshops.views.play import POLL_MILLISECONDS
community = Community.objects.get(slug="zwolle")
steward = User.objects.get(email="steward@example.org")
for old in Workshop.objects.filter(community=community, title=TITLE):
    services.remove_workshop(actor=steward, workshop=old)
workshop = services.create_workshop(
    actor=steward, community=community, title=TITLE, template="komedie",
    audience=Audience.OPEN, hold_cards=False,
)
workshop = services.start_workshop(actor=steward, workshop=workshop)
workshop = services.go_to_act(actor=steward, workshop=workshop, position=1)
print("BENCH_WORKSHOP", workshop.pk, workshop.code, workshop.current_position, POLL_MILLISECONDS)
"""


@dataclass(frozen=True)
class Room:
    """The workshop being played: what a participant's screen knows of it."""

    id: int
    code: str
    act: int
    poll_s: float

    def changes_path(self, since: int, act: int | None = None) -> str:
        act = self.act if act is None else act
        return f"/w/{self.code}/changes?w={self.id}&since={since}&act={act}"


def setup_workshop(shell: Callable[[str], str]) -> Room:
    """The bench's workshop, made anew; `shell` runs a script in `manage.py shell -c`."""
    output = shell(f"TITLE = {TITLE!r}\n" + SETUP)
    for line in output.splitlines():
        if line.startswith("BENCH_WORKSHOP "):
            pk, code, act, poll = line.split()[1:]
            return Room(int(pk), code, int(act), int(poll) / 1000)
    raise LoadError(f"the workshop's setup printed nothing:\n{output[-500:]}")


# -- HTTP/1.1 over asyncio streams -----------------------------------------------------


@dataclass
class Answer:
    status: int
    body: bytes
    at: float  # perf_counter() when the whole answer had been read


class ProtocolError(Exception):
    pass


def dechunk(data: bytes) -> bytes:
    out, rest = bytearray(), data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


async def http(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> Answer:
    """One request on its own connection, read until the server closes it."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if method != "GET":
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        raw = await reader.read()
    finally:
        writer.close()
    at = time.perf_counter()
    head, _, content = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ProtocolError(f"no HTTP status line ({raw[:60]!r})")
    if b"\r\ntransfer-encoding: chunked" in head.lower():
        content = dechunk(content)
    return Answer(int(status_line[1]), content, at)


# -- CPU from /proc -------------------------------------------------------------------


def proc_stats() -> dict[int, tuple[str, int, int]]:
    """Every process: (name, parent, CPU ticks of its own and of its reaped children)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                line = stat.read()
        except OSError:
            continue  # gone meanwhile
        name = line[line.index("(") + 1 : line.rindex(")")]
        fields = line[line.rindex(")") + 2 :].split()
        # fields[0] is field 3 of proc(5): ppid is 4, utime 14, stime 15, cutime 16, cstime 17.
        ticks = sum(int(value) for value in fields[11:15])
        found[int(entry)] = (name, int(fields[1]), ticks)
    return found


def tree_ticks(stats: dict[int, tuple[str, int, int]], root: int) -> int:
    children: dict[int, list[int]] = {}
    for pid, (_name, parent, _ticks) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][2]
            todo.extend(children.get(pid, []))
    return total


def machine_ticks() -> tuple[int, int]:
    """(all, idle) ticks of every CPU since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return sum(values), values[3] + (values[4] if len(values) > 4 else 0)


@dataclass(frozen=True)
class CpuSample:
    at: float
    server: int | None  # ticks of the gunicorn master and its workers
    database: int | None  # ticks of every process called postgres
    machine: tuple[int, int]
    client: float  # this process's CPU seconds

    @classmethod
    def take(cls, server_pid: int | None) -> CpuSample:
        stats = proc_stats()
        postgres = [ticks for name, _parent, ticks in stats.values() if name == "postgres"]
        return cls(
            at=time.perf_counter(),
            server=tree_ticks(stats, server_pid) if server_pid else None,
            database=sum(postgres) if postgres else None,
            machine=machine_ticks(),
            client=time.process_time(),
        )


def cpu_use(before: CpuSample, after: CpuSample) -> dict[str, Any]:
    """Cores used between two samples (and as a share of the machine's cores)."""
    wall = after.at - before.at
    tick = os.sysconf("SC_CLK_TCK")
    cpus = os.cpu_count() or 1

    def cores(a: int | None, b: int | None) -> dict[str, float] | None:
        if a is None or b is None:
            return None
        used = (b - a) / tick / wall
        return {"cores": round(used, 2), "share_of_machine": round(used / cpus, 3)}

    all_ticks = after.machine[0] - before.machine[0]
    idle = after.machine[1] - before.machine[1]
    busy = 1 - idle / all_ticks if all_ticks > 0 else 0.0
    client = (after.client - before.client) / wall
    return {
        "cpus": cpus,
        "seconds": round(wall, 1),
        "server": cores(before.server, after.server),
        "database": cores(before.database, after.database),
        "machine_busy": round(busy, 3),
        "client": {"cores": round(client, 3), "share_of_machine": round(client / cpus, 3)},
    }


# -- the simulation -------------------------------------------------------------------


@dataclass
class Person:
    index: int
    token: str
    cookie: str
    revision: int = 0
    seen: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Posted:
    id: int
    author: int
    started: float
    answered: float


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def spread(values: list[float], digits: int = 3) -> dict[str, float] | None:
    if not values:
        return None
    return {
        "p50": round(percentile(values, 0.50), digits),
        "p95": round(percentile(values, 0.95), digits),
        "max": round(max(values), digits),
    }


class Simulation:
    def __init__(
        self,
        port: int,
        room: Room,
        participants: int = PARTICIPANTS,
        seconds: float = 60.0,
        server_pid: int | None = None,
        seed: int = 13,
    ) -> None:
        self.port, self.room, self.participants = port, room, participants
        self.seconds, self.server_pid = seconds, server_pid
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self.receipts: dict[int, dict[int, float]] = {}  # card id -> participant -> first seen
        self.posted: dict[int, Posted] = {}
        self.errors: Counter[str] = Counter()
        self.window = (math.inf, math.inf)  # the writing period, perf_counter()
        self.polls = self.not_modified = 0  # in the writing period
        self.poll_times: list[float] = []
        self.posting = 0  # POSTs under way
        self.stopping = False

    # Requests ---------------------------------------------------------------------------

    async def request(
        self, what: str, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Answer | None:
        """The answer, or None after counting what went wrong as an error."""
        try:
            return await asyncio.wait_for(
                http(self.port, method, path, headers, body), REQUEST_TIMEOUT
            )
        except TimeoutError:
            self.errors[f"{what}: no answer in {REQUEST_TIMEOUT:.0f} s"] += 1
        except (OSError, ProtocolError, ValueError) as error:
            self.errors[f"{what}: {type(error).__name__}"] += 1
        return None

    async def join(self, index: int, gate: asyncio.Semaphore) -> Person:
        body = {"code": self.room.code, "name": f"Deelnemer {index + 1}", "side": SIDES[index % 3]}
        async with gate:
            answer = await self.request(
                "join",
                "POST",
                "/api/v1/workshops/join",
                {"Content-Type": "application/json", "Accept": "application/json"},
                json.dumps(body).encode(),
            )
        if answer is None or answer.status != 201:
            detail = f"{answer.status} {answer.body[:200]!r}" if answer else ", ".join(self.errors)
            raise LoadError(f"joining answered {detail}")
        joined = json.loads(answer.body)
        token = joined["token"]
        return Person(index, token, f"ss_workshop_{joined['workshopId']}={token}")

    async def poll(self, person: Person) -> None:
        started = time.perf_counter()
        answer = await self.request(
            "poll",
            "GET",
            self.room.changes_path(person.revision),
            {"Cookie": person.cookie, "Accept": "application/json"},
        )
        if answer is None:
            return
        counted = self.window[0] <= started < self.window[1]
        if counted:
            self.polls += 1
            self.poll_times.append(answer.at - started)
        if answer.status == 304:
            self.not_modified += counted
            return
        if not 200 <= answer.status < 300:
            self.errors[f"poll: {answer.status}"] += 1
            return
        try:
            state = json.loads(answer.body)
            person.revision = int(state["revision"])
            cards = [card["id"] for card in state["cards"] if not card.get("removed")]
        except (ValueError, KeyError, TypeError):
            self.errors["poll: not the expected JSON"] += 1
            return
        for card in cards:
            if card not in person.seen:
                person.seen.add(card)
                self.receipts.setdefault(card, {})[person.index] = answer.at

    async def write(self, person: Person, number: int) -> None:
        text = f"{CARD_TEXTS[(person.index + number) % len(CARD_TEXTS)]} ({person.index}.{number})"
        self.posting += 1
        started = time.perf_counter()
        try:
            answer = await self.request(
                "card",
                "POST",
                f"/api/v1/workshops/{self.room.id}/cards",
                {
                    "Participant-Token": person.token,
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
                json.dumps({"text": text}).encode(),
            )
        finally:
            self.posting -= 1
        if answer is None:
            return
        if answer.status != 201:
            self.errors[f"card: {answer.status}"] += 1
            return
        try:
            card = int(json.loads(answer.body)["id"])
        except (ValueError, KeyError, TypeError):
            self.errors["card: not the expected JSON"] += 1
            return
        self.posted[card] = Posted(card, person.index, started, answer.at)

    # Behaviour ------------------------------------------------------------------------

    async def keep_polling(self, person: Person, first: float) -> None:
        """As live.js: poll, and poll again one interval after the answer."""
        await asyncio.sleep(first)
        while not self.stopping:
            await self.poll(person)
            await asyncio.sleep(self.room.poll_s)

    async def keep_writing(self, person: Person, first: float) -> None:
        """A card at first, first + CARD_EVERY, … while the writing period lasts."""
        start, end = self.window
        number = 0
        while (at := start + first + number * CARD_EVERY) < end:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            await self.write(person, number)
            number += 1

    def delivered(self, card: Posted) -> list[float] | None:
        """When each other participant first had the card; None while some had not."""
        got = self.receipts.get(card.id, {})
        times = [at for index, at in got.items() if index != card.author]
        return times if len(times) >= len(self.people) - 1 else None

    def everything_delivered(self) -> bool:
        return self.posting == 0 and all(self.delivered(c) for c in self.posted.values())

    async def run(self) -> dict[str, Any]:
        gate = asyncio.Semaphore(JOIN_AT_ONCE)
        joined_at = time.perf_counter()
        self.people = list(
            await asyncio.gather(*(self.join(n, gate) for n in range(self.participants)))
        )
        join_seconds = time.perf_counter() - joined_at
        pollers = [
            asyncio.create_task(self.keep_polling(p, self.rng.uniform(0, self.room.poll_s)))
            for p in self.people
        ]
        await asyncio.sleep(WARMUP_SECONDS)
        before = CpuSample.take(self.server_pid)
        self.window = (before.at, before.at + self.seconds)
        writers = [
            asyncio.create_task(self.keep_writing(p, self.rng.uniform(0, CARD_EVERY)))
            for p in self.people
        ]
        await asyncio.sleep(max(0.0, self.window[1] - time.perf_counter()))
        after = CpuSample.take(self.server_pid)
        await asyncio.gather(*writers)
        while time.perf_counter() < self.window[1] + DRAIN_SECONDS:
            if self.everything_delivered():
                break
            await asyncio.sleep(0.2)
        self.stopping = True
        await asyncio.gather(*pollers)
        return self.report(cpu_use(before, after), join_seconds)

    def report(self, cpu: dict[str, Any], join_seconds: float) -> dict[str, Any]:
        latencies, from_start, undelivered = [], [], 0
        for card in self.posted.values():
            times = self.delivered(card)
            if times is None:
                undelivered += 1
                continue
            latencies.append(max(times) - card.answered)
            from_start.append(max(times) - card.started)
        wall = self.window[1] - self.window[0]
        errors = sum(self.errors.values())
        latency = spread(latencies)
        meets = latency is not None and latency["p95"] <= LATENCY_BAR_S and not undelivered + errors
        return {
            "participants": len(self.people),
            "seconds": round(wall, 1),
            "warmup_s": WARMUP_SECONDS,
            "card_every_s": CARD_EVERY,
            "poll_interval_s": self.room.poll_s,
            "workshop": self.room.id,
            "join_s": round(join_seconds, 1),
            "cards": len(self.posted),
            "cards_per_s": round(len(self.posted) / wall, 2),
            "undelivered": undelivered,
            "latency_s": latency,
            "latency_from_post_start_s": spread(from_start),
            "bar_p95_s": LATENCY_BAR_S,
            "meets_bar": meets,
            "polls": self.polls,
            "polls_per_s": round(self.polls / wall, 1),
            "share_304": round(self.not_modified / self.polls, 4) if self.polls else None,
            "poll_answer_ms": spread([t * 1000 for t in self.poll_times], 1),
            "errors": errors,
            "errors_by_kind": dict(self.errors),
            "cpu": cpu,
        }


def simulate(
    port: int,
    room: Room,
    participants: int = PARTICIPANTS,
    seconds: float = 60.0,
    server_pid: int | None = None,
) -> tuple[dict[str, Any], str]:
    """Run the scenario; answers its figures and one participant's cookie (for wrk)."""
    simulation = Simulation(port, room, participants, seconds, server_pid)
    result = asyncio.run(simulation.run())
    return result, simulation.people[0].cookie


# -- alone -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="the server on 127.0.0.1")
    parser.add_argument("--server-pid", type=int, help="gunicorn's master, for its CPU")
    parser.add_argument("--participants", type=int, default=PARTICIPANTS)
    parser.add_argument("--seconds", type=float, default=60.0)
    options = parser.parse_args()

    def shell(script: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise LoadError(f"setup failed:\n{(result.stdout + result.stderr)[-2000:]}")
        return result.stdout

    try:
        room = setup_workshop(shell)
        result, _cookie = simulate(
            options.port, room, options.participants, options.seconds, options.server_pid
        )
    except LoadError as error:
        print(f"workshop_load: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2))
    return 1 if result["errors"] or result["undelivered"] else 0


if __name__ == "__main__":
    sys.exit(main())
