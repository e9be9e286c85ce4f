"""Benchmark: placing a two-line order, the modular project against a single-app version.

Three servers run side by side under gunicorn, each on a PostgreSQL database of its own,
with the same settings for connection reuse (``CONN_MAX_AGE``) and health checks
(``CONN_HEALTH_CHECKS``), debug off, mail to Django's dummy backend:

- ``single``: ``benchmarks/single_app``, the same HTTP contract written as one Django app
  (direct ORM, the notification stored in the request that places the order);
- ``worker``: this project with ``EVENTS_DELIVERY=worker``, and ``manage.py process_events``
  beside it delivering OrderPlaced to notifications;
- ``immediate``: this project in its development default, the listener run in the request.

Each round puts the same bounded load on each server in turn (the order rotates from round
to round, so that a busy machine hits all alike): ``--clients`` threads placing two-line
orders of random products for ``--seconds``. After a worker round the benchmark waits
until the worker has delivered every notification, and reports how far behind it was.

Two ratios per mode, modular/single, medians over the rounds:

- throughput: orders per second of wall clock while the load runs;
- efficiency: orders per CPU second of everything serving them: the gunicorn processes,
  the event worker (in worker mode, up to the end of its catch-up) and the PostgreSQL
  backends of the server's database, read from /proc (Linux; the load generator and
  PostgreSQL's own background processes are left out).

Run it from the project root with the bench extra installed::

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python -m benchmarks.place_order

It creates (and drops at the end) databases named ``<prefix>_single``, ``_worker`` and
``_immediate``; the prefix must contain "bench". Absolute figures depend on the machine;
compare the ratios.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long benchmark passphrase"
PRODUCTS = 200  # orders pick 2 of them at random: few lock waits
STOCK = 10**9  # never runs out
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PARTS = ("web", "database", "worker", "worker's database")
WORKER = "bench-events-worker"  # the application_name of the worker's database connection
PROJECT = "shop"
SINGLE_APP = "benchmarks.single_app"


@dataclass
class Server:
    """One of the three servers, its processes, its database and its customers' tokens."""

    name: str
    database: str
    port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    worker: subprocess.Popen[bytes] | None = None
    tokens: list[str] = field(default_factory=list)
    product_ids: list[int] = field(default_factory=list)


@dataclass
class Round:
    orders: int
    seconds: float
    cpu: dict[str, float]  # CPU seconds by part: web, worker, database
    catch_up: float = 0.0  # seconds the worker needed after the load to deliver everything
    behind: int = 0  # deliveries still pending when the load stopped

    @property
    def throughput(self) -> float:
        return self.orders / self.seconds

    @property
    def efficiency(self) -> float:
        return self.orders / sum(self.cpu.values())

    @property
    def request_efficiency(self) -> float:
        """Orders per CPU second of the requests alone: web and their database backends."""
        return self.orders / (self.cpu.get("web", 0.0) + self.cpu.get("database", 0.0))

    def cpu_ms(self, part: str) -> float:
        return 1000 * self.cpu.get(part, 0.0) / self.orders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--prefix", default="shop_bench_place_order")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4.0, help="load per server per round")
    parser.add_argument("--clients", type=int, default=4, help="threads placing orders")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--no-health-checks",
        dest="health_checks",
        action="store_false",
        help="CONN_HEALTH_CHECKS off in both (on by default in both, as in the project)",
    )
    parser.add_argument(
        "--modes",
        default="worker,immediate",
        help="the modular project's delivery modes to measure against the single app",
    )
    options = parser.parse_args()
    modes = options.modes.split(",")
    if not set(modes) <= {"worker", "immediate"}:
        sys.exit("--modes takes worker, immediate or both (worker,immediate).")
    if "bench" not in options.prefix:
        sys.exit("The database prefix must contain 'bench': its databases are dropped.")

    names = ("single", *modes)
    servers = [Server(name, f"{options.prefix}_{name}", _free_port()) for name in names]
    with ExitStack() as stack:
        for server in servers:
            stack.enter_context(_database(options.postgres, server.database))
        monitor = stack.enter_context(psycopg.connect(f"{options.postgres}/postgres"))
        monitor.autocommit = True
        for server in servers:
            _prepare(options, server)
            stack.callback(_stop, server)
            _start(options, server)
        for server in servers:
            _wait_until_serving(server)
            _register_customers(server, options.clients)
            _load(server, seconds=1.0, clients=options.clients)  # warm up, not measured
        for server in servers:
            if server.worker:
                _catch_up(options, server)

        results: dict[str, list[Round]] = {name: [] for name in names}
        for number in range(options.rounds):
            turn = servers[number % len(servers) :] + servers[: number % len(servers)]
            for server in turn:
                results[server.name].append(_measure(options, server, monitor))
            print(f"round {number + 1}: " + _round_line(results), flush=True)

        _check_notifications(options, servers)
    _report(results)


def _measure(options: argparse.Namespace, server: Server, monitor: psycopg.Connection) -> Round:
    before = _cpu(server, monitor)
    orders, seconds = _load(server, seconds=options.seconds, clients=options.clients)
    behind, catch_up = _catch_up(options, server) if server.worker else (0, 0.0)
    after = _cpu(server, monitor)
    cpu: dict[str, float] = {}
    for (part, pid), used in after.items():
        cpu[part] = cpu.get(part, 0.0) + used - before.get((part, pid), 0.0)
    return Round(orders, seconds, cpu, catch_up, behind)


# --- Databases and processes -------------------------------------------------------------


@contextmanager
def _database(postgres: str, name: str) -> Iterator[None]:
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield
    finally:
        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _environment(options: argparse.Namespace, server: Server) -> dict[str, str]:
    """The same settings for both projects where they have the same setting."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"{_package(server)}.settings",
        "DATABASE_URL": f"{options.postgres}/{server.database}",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "CONN_HEALTH_CHECKS": str(options.health_checks).lower(),  # a SELECT 1 per request
        "BOUNDARY_GUARDS": "false",
        "EVENTS_DELIVERY": server.name if server.name != "single" else "immediate",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }


def _package(server: Server) -> str:
    return SINGLE_APP if server.name == "single" else PROJECT


def _django(server: Server) -> list[str]:
    if server.name == "single":
        return [sys.executable, "-m", "django"]
    return [sys.executable, "manage.py"]


def _prepare(options: argparse.Namespace, server: Server) -> None:
    env = _environment(options, server)
    migrate = [*_django(server), "migrate", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    table = "store_product" if server.name == "single" else "products_product"
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        rows = connection.execute(
            sql.SQL(
                "INSERT INTO {} (sku, name, price, stock)"
                " SELECT 'SKU-' || n, 'Product ' || n, 10 + n %% 7, %s"
                " FROM generate_series(1, %s) AS n RETURNING id"
            ).format(sql.Identifier(table)),
            [STOCK, PRODUCTS],
        ).fetchall()
    server.product_ids = [row[0] for row in rows]


def _start(options: argparse.Namespace, server: Server) -> None:
    env = _environment(options, server)
    wsgi = f"{_package(server)}.wsgi"
    gunicorn = [sys.executable, "-m", "gunicorn", wsgi, "--workers", str(options.workers)]
    gunicorn += ["--bind", f"127.0.0.1:{server.port}", "--log-level", "warning"]
    server.processes.append(subprocess.Popen(gunicorn, cwd=ROOT, env=env))
    if server.name == "worker":
        # Named, so that the CPU of its database backend counts as the worker's.
        env["DATABASE_URL"] += f"?application_name={WORKER}"
        server.worker = subprocess.Popen([*_django(server), "process_events"], cwd=ROOT, env=env)
        server.processes.append(server.worker)


def _stop(server: Server) -> None:
    for process in server.processes:
        process.terminate()
    for process in server.processes:
        process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _post(server, "/api/users/token", {"email": "nobody@example.com", "password": "-"})
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _register_customers(server: Server, count: int) -> None:
    for number in range(count):
        credentials = {"email": f"customer{number}@example.com", "password": PASSWORD}
        status, body = _post(server, "/api/users/register", credentials)
        assert status == 201, (server.name, status, body)
        status, body = _post(server, "/api/users/token", credentials)
        assert status == 200, (server.name, status, body)
        server.tokens.append(body["token"])


# --- Load -----------------------------------------------------------------------------------


def _post(
    server: Server, path: str, payload: object, token: str | None = None
) -> tuple[int, dict[str, object]]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request("POST", path, json.dumps(payload), headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def _load(server: Server, *, seconds: float, clients: int) -> tuple[int, float]:
    """Place two-line orders from ``clients`` threads for ``seconds``; return (orders, seconds)."""
    placed = [0] * clients
    errors: list[str] = []
    start = time.monotonic()
    deadline = start + seconds

    def place_orders(client: int) -> None:
        rng = random.Random(client)
        while time.monotonic() < deadline and not errors:
            first, second = rng.sample(server.product_ids, 2)
            lines = [{"product_id": first, "quantity": 1}, {"product_id": second, "quantity": 2}]
            status, body = _post(server, "/api/orders", {"lines": lines}, server.tokens[client])
            if status != 201 or len(body["lines"]) != 2:  # type: ignore[arg-type]
                errors.append(f"{server.name}: {status} {body}")
            placed[client] += 1

    threads = [threading.Thread(target=place_orders, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    if errors:
        raise RuntimeError(errors[0])
    return sum(placed), elapsed


def _pending(options: argparse.Namespace, server: Server) -> int:
    with psycopg.connect(f"{options.postgres}/{server.database}", autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM modular_monolith_delivery WHERE status = 'pending'"
        ).fetchone()
    return int(row[0]) if row else 0


def _catch_up(options: argparse.Namespace, server: Server) -> tuple[int, float]:
    """Wait until the worker has delivered everything; return (pending at first, seconds)."""
    start = time.monotonic()
    behind = pending = _pending(options, server)
    while pending:
        if time.monotonic() - start > 120:
            raise RuntimeError(f"The worker did not catch up: {pending} deliveries pending.")
        time.sleep(0.05)
        pending = _pending(options, server)
    return behind, time.monotonic() - start


# --- CPU ------------------------------------------------------------------------------------


def _cpu(server: Server, monitor: psycopg.Connection) -> dict[tuple[str, int], float]:
    """CPU seconds used so far by each process serving ``server``, by (part, pid)."""
    pids: dict[int, str] = {}
    for process in server.processes:
        part = "worker" if process is server.worker else "web"
        pids.update({pid: part for pid in (process.pid, *_children(process.pid))})
    rows = monitor.execute(
        "SELECT pid, application_name FROM pg_stat_activity"
        " WHERE datname = %s AND backend_type = 'client backend'",
        [server.database],
    ).fetchall()
    pids.update({pid: "worker's database" if name == WORKER else "database" for pid, name in rows})
    return {
        (part, pid): seconds for pid, part in pids.items() if (seconds := _cpu_of(pid)) is not None
    }


def _children(parent: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat and int(stat[1]) == parent:
                children.append(int(entry.name))
    return children


def _cpu_of(pid: int) -> float | None:
    stat = _stat(pid)
    return (int(stat[11]) + int(stat[12])) / CLOCK_TICKS if stat else None  # utime + stime


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name: state, ppid, ..."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rpartition(")")[2].split()


# --- Checks and report ----------------------------------------------------------------------


def _check_notifications(options: argparse.Namespace, servers: list[Server]) -> None:
    """Every order placed has its notification, in all three: nothing was lost on the way."""
    for server in servers:
        prefix = "store" if server.name == "single" else None
        orders_table = f"{prefix}_order" if prefix else "orders_order"
        notes_table = f"{prefix}_notification" if prefix else "notifications_notification"
        with psycopg.connect(
            f"{options.postgres}/{server.database}", autocommit=True
        ) as connection:
            counts = [
                connection.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)), []
                ).fetchone()
                for table in (orders_table, notes_table)
            ]
            orders, notes = (int(row[0]) if row else 0 for row in counts)
        # The modular project also welcomes each customer it registered.
        welcomes = 0 if server.name == "single" else len(server.tokens)
        if notes != orders + welcomes:
            raise RuntimeError(f"{server.name}: {orders} orders but {notes} notifications")
        print(f"{server.name}: {orders} orders, each with its notification")


def _round_line(results: dict[str, list[Round]]) -> str:
    return ", ".join(
        f"{name} {rounds[-1].throughput:.0f}/s {1000 / rounds[-1].efficiency:.1f} ms CPU"
        + (
            f" (worker {rounds[-1].behind} behind, {rounds[-1].catch_up:.2f} s)"
            if rounds[-1].behind
            else ""
        )
        for name, rounds in results.items()
    )


def _report(results: dict[str, list[Round]]) -> None:
    single = results["single"]
    print(
        f"\n{'':10} {'orders/s':>8} {'CPU ms/order':>12}   {'web':>6} {'db':>6} {'worker':>6}"
        f" {'its db':>6}   modular/single: throughput efficiency (requests alone)"
    )
    for name, rounds in results.items():
        throughput = statistics.median(r.throughput for r in rounds)
        cpu_ms = statistics.median(1000 / r.efficiency for r in rounds)
        parts = [statistics.median(r.cpu_ms(part) for r in rounds) for part in PARTS]
        line = f"{name:10} {throughput:8.0f} {cpu_ms:12.2f}   " + " ".join(
            f"{p:6.2f}" for p in parts
        )
        if name != "single":
            pairs = list(zip(rounds, single, strict=True))
            ratios = [m.throughput / s.throughput for m, s in pairs]
            efficiency = [m.efficiency / s.efficiency for m, s in pairs]
            requests = [m.request_efficiency / s.request_efficiency for m, s in pairs]
            line += (
                f"   {statistics.median(ratios):26.2f} {statistics.median(efficiency):10.2f}"
                f" {statistics.median(requests):18.2f}"
            )
        print(line)
    worker = results.get("worker")
    if worker:
        print(
            f"\nworker mode: at most {max(r.behind for r in worker)} deliveries behind when the"
            f" load stopped, delivered within {max(r.catch_up for r in worker):.2f} s"
        )


if __name__ == "__main__":
    main()
