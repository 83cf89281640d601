"""What load.py and faults.py share: spare ports, their own servers, signed-in HTTP sessions.

Every server started here listens on 127.0.0.1 only, on a port the OS said was free, and is
stopped by the `Processes` that started it (by its process id, never by name).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SESSION_COOKIE = "__Host-neighborly"  # ProductionConfig.SESSION_COOKIE_NAME


def spare_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float) -> None:
    """Wait until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


@dataclass
class Processes:
    """The servers this run started, stopped in reverse order at the end."""

    started: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    def start(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        """Start one server in its own process group."""
        process = subprocess.Popen(argv, start_new_session=True, **kwargs)
        self.started.append((name, process))
        return process

    def stop(self, process: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 15) -> None:
        """Stop one process (and its children) that this run started."""
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop_all(self) -> None:
        """Stop everything, newest first."""
        for _, process in reversed(self.started):
            self.stop(process)


def start_redis(processes: Processes, folder: Path) -> tuple[int, subprocess.Popen]:
    """A private redis-server on a spare port, keeping nothing on disk."""
    port = spare_port()
    argv = [shutil.which("redis-server") or "redis-server", "--port", str(port)]
    argv += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)]
    log = open(folder / f"redis-{port}.log", "ab")  # noqa: SIM115 (closed with the process)
    process = processes.start("redis", argv, stdout=log, stderr=subprocess.STDOUT)
    wait_for_port(port, 10)
    return port, process


def gunicorn_argv(app: str, workers: int, port: int) -> list[str]:
    """gunicorn as production runs it (gunicorn.conf.py), on 127.0.0.1:port."""
    return [
        sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}", app,
    ]  # fmt: skip


def production_env(database_url: str, port: int, redis_port: int | None, **extra: str) -> dict:
    """The environment a production deployment sets, pointed at this run's servers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEIGHBORLY_", "GUNICORN_"))}
    env.update(
        NEIGHBORLY_ENV="production",
        SECRET_KEY=extra.pop("SECRET_KEY", secrets.token_urlsafe(32)),
        DATABASE_URL=database_url,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        TRUSTED_PROXIES="1",
        MAIL_BACKEND="memory",
        PYTHONPATH=str(ROOT),
    )
    if redis_port:
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    env.update(extra)
    return env


def wait_ready(base: str, seconds: float, paths: tuple[str, ...] = ("/readyz", "/healthz")) -> None:
    """Wait until the app says it is ready (/readyz, or /healthz in a checkout without it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in paths:
            try:
                status = httpx.get(base + path, timeout=2).status_code
            except httpx.HTTPError:
                break
            if status == 200:
                return
            if status != 404:
                break
        time.sleep(0.2)
    raise RuntimeError(f"{base} not ready after {seconds} s")


@dataclass
class Visitor:
    """One person's browser behind the proxy: their address, session cookie and form token."""

    address: str
    cookie: str = ""
    token: str = ""

    def headers(self, base: str) -> dict[str, str]:
        """What the TLS proxy in front would pass on, plus the browser's own cookie."""
        headers = {
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Referer": base.replace("http://", "https://") + "/",
        }
        if self.cookie:
            headers["Cookie"] = f"{SESSION_COOKIE}={self.cookie}"
        return headers

    def remember(self, response: httpx.Response) -> None:
        """Keep the newest session cookie (a Secure cookie the http client would not send)."""
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            if name.strip() == SESSION_COOKIE:
                self.cookie = rest.split(";", 1)[0]

    def get(self, client: httpx.Client, base: str, path: str) -> httpx.Response:
        """GET a page, keeping its cookie and form token."""
        response = client.get(base + path, headers=self.headers(base))
        self.remember(response)
        found = CSRF.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def post(self, client: httpx.Client, base: str, path: str, data: dict) -> httpx.Response:
        """POST a form with this visitor's token."""
        response = client.post(
            base + path, data={"csrf_token": self.token, **data}, headers=self.headers(base)
        )
        self.remember(response)
        return response


def sign_in(client: httpx.Client, base: str, visitor: Visitor, email: str, password: str,
            totp_secret: str | None = None) -> Visitor:  # fmt: skip
    """Sign a visitor in through the real forms (and the code step for staff)."""
    visitor.get(client, base, "/account/login")
    response = visitor.post(client, base, "/account/login", {"email": email, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in refused for a benchmark account ({response.status_code})")
    if "/account/login/code" in response.headers.get("location", ""):
        import pyotp

        visitor.get(client, base, "/account/login/code")
        code = pyotp.TOTP(totp_secret or "").now()
        response = visitor.post(client, base, "/account/login/code", {"code": code})
        if response.status_code != 302:
            raise RuntimeError(f"the sign-in code was refused ({response.status_code})")
    visitor.get(client, base, "/account/profile")  # a page with a form: a token for later posts
    return visitor


def temporary_folder(prefix: str) -> Path:
    """A folder for this run's logs and data, removed by the caller."""
    return Path(tempfile.mkdtemp(prefix=prefix))
