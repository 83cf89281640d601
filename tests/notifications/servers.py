"""Real local servers for the channels: SMTP (aiosmtpd), an SMS provider (http.server), Redis."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """An SMTP server that refuses the first `failures` messages (451), may sleep, keeps others."""

    def __init__(self, failures: int = 0, delay: float = 0.0) -> None:
        self.failures, self.delay = failures, delay
        self.received: list[dict[str, str]] = []
        self.refused = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        """Refuse while failures remain, else keep the message."""
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self.refused < self.failures:
                self.refused += 1
                return "451 4.3.0 Try again later"
            email = message_from_bytes(envelope.content)
            self.received.append(
                {
                    "to": email["To"],
                    "subject": email["Subject"],
                    "message_id": email["Message-ID"],
                    "body": email.get_payload(decode=True).decode("utf-8"),
                    "unsubscribe": email["List-Unsubscribe"] or "",
                }
            )
        return "250 OK"


@contextmanager
def smtp_server(failures: int = 0, delay: float = 0.0) -> Iterator[tuple[MailServer, int]]:
    """Run a MailServer on a free local port while the block runs."""
    handler, port = MailServer(failures, delay), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def use_smtp(app, monkeypatch, port: int) -> None:
    """Point the app's email at a local SMTP server (no TLS: it runs on this machine)."""
    for key, value in {
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_TLS": "off",
        "SMTP_USERNAME": None,
        "SMTP_TIMEOUT_SECONDS": 10,
    }.items():
        monkeypatch.setitem(app.config, key, value)


class SmsProviderStub(BaseHTTPRequestHandler):
    """Answers Twilio's Messages API like Twilio: 201 and a JSON body; keeps what it got."""

    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        """Keep the form and the credentials, answer 201."""
        length = int(self.headers.get("Content-Length") or 0)
        form = {
            key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()
        }
        self.received.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "form": form}
        )
        body = json.dumps({"sid": f"SM{len(self.received)}", "status": "queued"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        """Quiet."""


@contextmanager
def sms_server() -> Iterator[tuple[list[dict], str]]:
    """Run the provider stub on a free port; yield what it receives and its base URL."""
    received: list[dict] = []
    handler = type("Stub", (SmsProviderStub,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class RedisServer:
    """Our own redis-server on a spare port, which a test may stop and start again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Where it listens."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it and wait until it answers."""
        binary = shutil.which("redis-server")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop it (only the one this object started)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
