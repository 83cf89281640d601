"""Faults under a steady write load: what is lost, what fails, what is sent twice, how fast back.

Run: python benchmarks/faults.py

Everything is this run's own, on 127.0.0.1 and spare ports (never the machine's 5432/6379):

- a PostgreSQL cluster made with initdb in a temporary folder (as the postgres user when run
  as root), a redis-server, and an SMTP server (aiosmtpd, STARTTLS with a throwaway
  certificate the app is told to trust through SSL_CERT_FILE) that records every email;
- the app under gunicorn (gunicorn.conf.py, 4 workers, NEIGHBORLY_ENV=production, MAIL_BACKEND
  smtp, REDIS_URL), plus `flask --app neighborly worker` when that command exists;
- a steady write load: residents post requests and volunteers accept them, each request taken
  by exactly one volunteer, so a 302 to the request's page is an acknowledged write.

Then, one after the other, with time to settle between: restart PostgreSQL (pg_ctl restart -m
fast), stop Redis for 20 s, kill -9 one gunicorn worker, make SMTP answer 451 for 15 s.

Afterwards it counts:
- lost_writes: acknowledged posts with no row, acknowledged accepts not held by their volunteer;
- server_errors: responses with status 500 or any 5xx but 503 (503 with Retry-After is the
  designed answer while the database is away; those, and failed connections, are listed apart);
- duplicate_emails: deliveries beyond one per outbox row, matching (to, subject, body);
- recovery_s: the longest time, over the faults, from the fault's end until writes succeed
  again for good (and, for SMTP, until the outbox is delivered; never delivered counts as the
  whole observation window).

The last line is machine-readable:
    faults: lost_writes=<n> server_errors=<n> duplicate_emails=<n> recovery_s=<s>
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import os
import random
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import RAISED_LIMITS, World, ask_form, load_data  # noqa: E402
from serving import (  # noqa: E402
    ROOT,
    Processes,
    Visitor,
    gunicorn_argv,
    production_env,
    sign_in,
    spare_port,
    start_redis,
    temporary_folder,
    wait_for_port,
    wait_ready,
)

REQUEST_PAGE = re.compile(r"/requests/(\d+)$")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--writers", type=int, default=4, help="threads posting and accepting")
    parser.add_argument("--pace", type=float, default=0.5, help="seconds between a writer's rounds")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds watched after a fault")
    parser.add_argument("--redis-down", type=float, default=20.0, help="seconds Redis is stopped")
    parser.add_argument("--smtp-down", type=float, default=15.0, help="seconds SMTP answers 451")
    parser.add_argument(
        "--drain", type=float, default=60.0, help="at most this long for the outbox to empty"
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the run's folder (app, PostgreSQL logs)"
    )
    parser.add_argument(
        "--app-root",
        type=Path,
        default=ROOT,
        help="the checkout whose app to run (default: this one; another branch's worktree)",
    )
    return parser.parse_args(argv)


# ---------------------------------------------------------------- PostgreSQL of our own


class OwnPostgres:
    """A throwaway PostgreSQL cluster on a spare port (as the postgres user when root)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder / "pg", spare_port()
        self.data, self.log = self.folder / "data", self.folder / "postgres.log"
        self.folder.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *argv: str) -> None:
        """Run a PostgreSQL tool; its output (and the server's, which outlives it) to a file."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        tool = shutil.which(argv[0]) or argv[0]
        with open(self.folder / "tools.log", "ab") as out:
            subprocess.run(
                [*prefix, tool, *argv[1:]], check=True, stdout=out, stderr=out, timeout=120
            )

    def start(self) -> None:
        """initdb (first time) and start, listening on 127.0.0.1 only."""
        data, log = str(self.data), str(self.log)
        if not self.data.exists():
            self._run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run("pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")

    def restart(self) -> None:
        """A fast restart, as an upgrade or a crash-and-recover would do."""
        data, log = str(self.data), str(self.log)
        self._run("pg_ctl", "-D", data, "-l", log, "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        """Stop the cluster if it runs."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


# ---------------------------------------------------------------- SMTP that counts


class Mailbox:
    """An aiosmtpd handler recording every email, able to refuse mail for a while."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, str]] = []
        self.arrived: dict[tuple[str, str, str], float] = {}  # first arrival, wall clock
        self.failing = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.failing:
            return "451 4.3.0 Mail server busy, try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(("plain",))
        content = body.get_content() if body is not None else ""
        key = email_key(str(message["To"]), str(message["Subject"]), content)
        with self.lock:
            self.received.append(key)
            self.arrived.setdefault(key, time.time())
        return "250 OK"


def email_key(to: str, subject: str, body: str) -> tuple[str, str, str]:
    """What identifies one email: its address, subject and text (line ends as stored)."""
    return to.strip(), subject.strip(), body.replace("\r\n", "\n").strip()


def throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost/127.0.0.1 and its key."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def start_smtp(mailbox: Mailbox, folder: Path):
    """aiosmtpd on a spare port, offering STARTTLS; returns (controller, port, cert path)."""
    from aiosmtpd.controller import Controller

    cert, key = throwaway_certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    port = spare_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context)
    controller.start()
    return controller, port, cert


# ---------------------------------------------------------------- the write load


@dataclass
class Event:
    """One write: when, what, its status (0: no response) and what it acknowledged."""

    at: float
    kind: str
    status: int
    request_id: int | None = None
    volunteer: str | None = None

    @property
    def acknowledged(self) -> bool:
        return self.request_id is not None


@dataclass
class WriteLoad:
    """Writers that post a request and have one volunteer accept it, round after round."""

    base: str
    world: World
    residents: list[tuple[str, Visitor]]
    volunteers: list[tuple[str, Visitor]]
    pace: float
    events: list[Event] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _record(self, event: Event) -> None:
        with self.lock:
            self.events.append(event)

    def _post(self, client: httpx.Client, path: str, visitor: Visitor, data: dict):
        try:
            response = visitor.post(client, self.base, path, data)
        except httpx.HTTPError:
            return 0, None
        found = REQUEST_PAGE.search(response.headers.get("location", ""))
        acknowledged = response.status_code == 302 and found
        return response.status_code, int(found.group(1)) if acknowledged else None

    def writer(self, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(timeout=15) as client:
            while not self.stop.is_set():
                _, resident = rng.choice(self.residents)
                status, request_id = self._post(
                    client, "/c/proviso/ask", resident, ask_form(rng, self.world)
                )
                self._record(Event(time.monotonic(), "post", status, request_id))
                if request_id is not None:
                    email_address, volunteer = rng.choice(self.volunteers)
                    path = f"/requests/{request_id}/accept"
                    status, taken = self._post(client, path, volunteer, {})
                    taken = taken if taken == request_id else None
                    self._record(Event(time.monotonic(), "accept", status, taken, email_address))
                self.stop.wait(self.pace)

    def start(self, writers: int) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.writer, args=(n,)) for n in range(writers)]
        for thread in threads:
            thread.start()
        return threads


def mail_of_the_loader(url: str) -> set[int]:
    """The outbox rows the loader made: none is this run's mail.

    Most were sent to memory while loading. The demo's that fell in its people's quiet hours
    (loading at night in Maywood, before everyone chose no quiet hours) would wait for 08:00
    and count as never delivered, or arrive mid-run as unexpected mail: they are dropped.
    """
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM outbox_messages WHERE sent_at IS NULL"))
            return set(connection.execute(text("SELECT id FROM outbox_messages")).scalars())
    finally:
        engine.dispose()


def read_outbox(url: str, skip: set[int] = frozenset()) -> list[tuple[tuple[str, str, str], float]]:
    """Each email row to be sent in this run: its key and when it was queued (wall clock)."""
    engine = create_engine(url)
    query = "SELECT id, to_address, subject, body, created_at FROM outbox_messages"
    try:
        with engine.connect() as connection:
            try:
                rows = connection.execute(text(query + " WHERE channel = 'email'")).all()
            except ProgrammingError:  # no channel column: every row is an email
                connection.rollback()
                rows = connection.execute(text(query)).all()
    finally:
        engine.dispose()
    return [
        (email_key(to, subject, body), at.timestamp())
        for row_id, to, subject, body, at in rows
        if row_id not in skip
    ]


def delivery_gaps(rows, mailbox: Mailbox) -> tuple[int, int]:
    """(duplicate deliveries, rows never delivered), matching rows to emails by content."""
    outbox = Counter(key for key, _ in rows)
    received = Counter(mailbox.received)
    duplicates = sum(max(0, n - outbox.get(key, 0)) for key, n in received.items())
    undelivered = sum(max(0, n - received.get(key, 0)) for key, n in outbox.items())
    return duplicates, undelivered


def gunicorn_workers(master: int) -> list[int]:
    """The process ids whose parent is the gunicorn master this run started."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(entry.name))
    return children


def recovery(events: list[Event], fault_end: float, window_end: float) -> float:
    """Seconds from a fault's end until the last failed write before writes held again."""
    failed = [e.at for e in events if fault_end - 60 <= e.at <= window_end and not e.acknowledged]
    failed = [at for at in failed if at >= fault_end]
    succeeded = [e.at for e in events if e.at > fault_end and e.acknowledged]
    if not failed:
        return 0.0
    after = [at for at in succeeded if at > max(failed)]
    return (min(after) if after else window_end) - fault_end


def worker_command_exists(env: dict, app_root: Path) -> bool:
    """Whether the checkout has `flask --app neighborly worker`."""
    check = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "neighborly", "worker", "--help"],
        env=env, cwd=app_root, capture_output=True, timeout=60,
    )  # fmt: skip
    return check.returncode == 0


def main(argv: list[str] | None = None) -> int:
    """Start everything, inject the faults, count, stop everything."""
    args = parse_args(argv)
    app_root = args.app_root.resolve()
    sys.path.insert(0, str(app_root))  # the models the data is loaded with are the app's own
    began = time.monotonic()
    folder = temporary_folder("neighborly-faults-")
    os.chmod(folder, 0o755)
    processes, postgres, controller = Processes(), OwnPostgres(folder), None
    mailbox = Mailbox()
    load: WriteLoad | None = None
    try:
        postgres.start()
        admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE neighborly"))
        admin.dispose()
        url = postgres.url("neighborly")
        secret_key = secrets.token_urlsafe(32)
        print("Loading a small community ...", flush=True)
        world = load_data(url, secret_key, people=200, requests=200)
        loaded_mail = mail_of_the_loader(url)
        redis_port, redis = start_redis(processes, folder)
        controller, smtp_port, cert = start_smtp(mailbox, folder)
        port = spare_port()
        base = f"http://127.0.0.1:{port}"
        env = production_env(
            url, port, redis_port, SECRET_KEY=secret_key, MAIL_BACKEND="smtp",
            SMTP_HOST="localhost", SMTP_PORT=str(smtp_port), SSL_CERT_FILE=str(cert),
            PYTHONPATH=str(app_root), OUTBOX_RETRY_BASE_SECONDS="5", OUTBOX_SWEEP_SECONDS="5",
            **RAISED_LIMITS,
        )  # fmt: skip
        log = open(folder / "app.log", "ab")  # noqa: SIM115
        app_argv = gunicorn_argv("neighborly:create_app()", args.workers, port)
        if (app_root / "gunicorn.conf.py").is_file():
            app_argv[app_argv.index("-c") + 1] = str(app_root / "gunicorn.conf.py")
        app = processes.start("app", app_argv, env=env, cwd=folder, stdout=log, stderr=log)
        wait_ready(base, 60)
        if worker_command_exists(env, app_root):
            print("Starting `flask --app neighborly worker`", flush=True)
            argv_worker = [sys.executable, "-m", "flask", "--app", "neighborly", "worker"]
            processes.start("worker", argv_worker, env=env, cwd=app_root, stdout=log, stderr=log)
        else:
            print("No worker command here: email leaves inside web requests", flush=True)
        with httpx.Client(timeout=30) as client:
            residents = [
                (e, sign_in(client, base, Visitor(f"203.0.113.{n + 1}"), e,
                            world.resident_password))
                for n, e in enumerate(world.residents[:8])
            ]  # fmt: skip
            volunteers = [
                (e, sign_in(client, base, Visitor(f"198.51.100.{n + 1}"), e,
                            world.volunteer_password))
                for n, e in enumerate(world.volunteers[:8])
            ]  # fmt: skip
        load = WriteLoad(base, world, residents, volunteers, args.pace)
        threads = load.start(args.writers)
        print(f"Steady writes from {args.writers} writers; faults follow.", flush=True)
        time.sleep(10)
        faults: list[tuple[str, float, float]] = []  # name, start, end

        start = time.monotonic()
        postgres.restart()
        faults.append(("postgres restart", start, time.monotonic()))
        print(f"  PostgreSQL restarted in {time.monotonic() - start:.1f} s", flush=True)
        time.sleep(args.settle)

        start = time.monotonic()
        processes.stop(redis)
        time.sleep(args.redis_down)
        redis_argv = list(redis.args)
        redis = processes.start("redis", redis_argv, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(redis_port, 10)
        faults.append(("redis stopped", start, time.monotonic()))
        print(f"  Redis stopped for {args.redis_down:.0f} s and started again", flush=True)
        time.sleep(args.settle)

        start = time.monotonic()
        victims = gunicorn_workers(app.pid)
        if victims:
            os.kill(victims[0], signal.SIGKILL)
        faults.append(("worker kill -9", start, time.monotonic()))
        print(f"  killed gunicorn worker {victims[:1]} with SIGKILL", flush=True)
        time.sleep(args.settle)

        start = time.monotonic()
        mailbox.failing = True
        time.sleep(args.smtp_down)
        mailbox.failing = False
        smtp_end, smtp_end_wall = time.monotonic(), time.time()
        faults.append(("smtp failing", start, smtp_end))
        print(f"  SMTP answered 451 for {args.smtp_down:.0f} s", flush=True)
        time.sleep(args.settle)
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        # Give the outbox time to empty: every email row delivered, or --drain seconds.
        drain_deadline = time.monotonic() + args.drain
        while True:
            rows = read_outbox(url, loaded_mail)
            duplicates, undelivered = delivery_gaps(rows, mailbox)
            if not undelivered or time.monotonic() >= drain_deadline:
                break
            time.sleep(1)
        window_end = time.monotonic()
        # Email is back when every email queued before SMTP came back has arrived.
        queued_before = [key for key, queued in rows if queued <= smtp_end_wall]
        arrivals = [mailbox.arrived.get(key) for key in queued_before]
        email_back = (
            max(0.0, max(arrivals) - smtp_end_wall)
            if arrivals and all(a is not None for a in arrivals)
            else None
        )

        engine = create_engine(url)
        with engine.connect() as connection:
            waiting = connection.execute(
                text(
                    "SELECT attempts, claim_token IS NOT NULL, last_error, "
                    "round(extract(epoch FROM next_attempt_at - now())), count(*) "
                    "FROM outbox_messages WHERE sent_at IS NULL "
                    "GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC LIMIT 8"
                )
            ).all()
            if waiting:
                print("unsent outbox rows (attempts, claimed, last error, due in s, count):")
                for row in waiting:
                    print("  ", tuple(row))
            ids = {i for (i,) in connection.execute(text("SELECT id FROM help_requests"))}
            holders = dict(
                connection.execute(
                    text(
                        "SELECT r.id, u.email FROM help_requests r "
                        "JOIN users u ON u.id = r.volunteer_id"
                    )
                ).all()
            )
        engine.dispose()
        events = list(load.events)
        posts = [e for e in events if e.kind == "post" and e.acknowledged]
        accepts = [e for e in events if e.kind == "accept" and e.acknowledged]
        lost = [e for e in posts if e.request_id not in ids]
        lost += [e for e in accepts if holders.get(e.request_id) != e.volunteer]
        statuses = Counter(e.status for e in events)
        server_errors = sum(n for s, n in statuses.items() if s >= 500 and s != 503)

        print("\nfault               seconds  failed writes  recovery s")
        worst = 0.0
        for name, start, end in faults:
            following = [f for f in faults if f[1] > end]
            until = following[0][1] if following else window_end
            seconds = recovery(events, end, until)
            failed = sum(1 for e in events if start <= e.at <= until and not e.acknowledged)
            if name == "smtp failing":
                # Never caught up: the whole time watched counts.
                seconds = max(seconds, email_back if email_back is not None else until - end)
            worst = max(worst, seconds)
            print(f"{name:<18} {end - start:8.1f}  {failed:13d}  {seconds:10.1f}")
        print(
            f"\nwrites acknowledged: {len(posts)} posts, {len(accepts)} accepts; "
            f"statuses: {dict(sorted(statuses.items()))}"
        )
        print(
            f"emails: {len(mailbox.received)} received, {len(rows)} outbox rows, "
            f"{duplicates} duplicate deliveries, {undelivered} never delivered; "
            f"everything queued before SMTP came back arrived "
            + (f"{email_back:.1f} s after" if email_back is not None else "never")
        )
        print(f"run took {time.monotonic() - began:.0f} s")
        print(
            f"faults: lost_writes={len(lost)} server_errors={server_errors} "
            f"duplicate_emails={duplicates} recovery_s={worst:.1f}"
        )
        return 0
    finally:
        if load is not None:
            load.stop.set()
        processes.stop_all()
        if controller is not None:
            controller.stop()
        postgres.stop()
        if args.keep_logs:
            shutil.rmtree(postgres.data, ignore_errors=True)
            print(f"logs kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
