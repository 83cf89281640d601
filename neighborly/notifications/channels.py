"""Where a message leaves the building: console, file, memory, SMTP for email; SMS providers."""

from __future__ import annotations

import base64
import json
import smtplib
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol


class DeliveryError(Exception):
    """A provider refused a message; the outbox retries it later."""


@dataclass(frozen=True)
class Envelope:
    """One claimed outbox row, as plain values (a sender never holds a database row)."""

    id: int
    channel: str
    to_address: str
    subject: str
    body: str
    unsubscribe_url: str | None = None


Send = Callable[[Envelope, Mapping[str, Any]], None]


def send(envelope: Envelope, config: Mapping[str, Any]) -> None:
    """Send one message through the backend the configuration names for its channel."""
    if envelope.channel == "sms":
        SMS_BACKENDS[config["SMS_BACKEND"]](envelope, config)
    else:
        EMAIL_BACKENDS[config["MAIL_BACKEND"]](envelope, config)


def as_text(envelope: Envelope) -> str:
    """A message the way a console or file shows it."""
    if envelope.channel == "sms":
        return f"Text to: {envelope.to_address}\n\n{envelope.body}\n{'-' * 60}\n"
    return (
        f"To: {envelope.to_address}\nSubject: {envelope.subject}\n\n{envelope.body}\n{'-' * 60}\n"
    )


def _to_console(envelope: Envelope, config: Mapping[str, Any]) -> None:
    """Development: print the message."""
    sys.stdout.write(as_text(envelope))
    sys.stdout.flush()


def _to_file(setting: str) -> Send:
    """Development: append messages to the file a setting names."""

    def write(envelope: Envelope, config: Mapping[str, Any]) -> None:
        with open(config[setting], "a", encoding="utf-8") as handle:
            handle.write(as_text(envelope))

    return write


def _nowhere(envelope: Envelope, config: Mapping[str, Any]) -> None:
    """Tests and the demo: keep nothing."""


def _switched_off(envelope: Envelope, config: Mapping[str, Any]) -> None:
    """Texts are off: a text queued before stays unsent (and is given up in time)."""
    raise DeliveryError("texts are switched off (SMS_BACKEND=off)")


def email_message(envelope: Envelope, config: Mapping[str, Any]) -> EmailMessage:
    """The email as it goes over the wire; its Message-ID names the outbox row.

    A stable Message-ID lets a receiving server drop a copy sent twice after a sender died
    between the server's acceptance and the outbox's "sent".
    """
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = envelope.to_address
    email["Subject"] = envelope.subject
    domain = urllib.parse.urlsplit(config.get("PUBLIC_URL") or "").hostname or "neighborly"
    email["Message-ID"] = f"<outbox-{envelope.id}@{domain}>"
    if envelope.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{envelope.unsubscribe_url}>"
    email.set_content(envelope.body)
    return email


def _by_smtp(envelope: Envelope, config: Mapping[str, Any]) -> None:
    """Production: send through the configured SMTP server, over TLS that checks its certificate."""
    email = email_message(envelope, config)
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT_SECONDS"]
    security = config.get("SMTP_TLS", "starttls")
    if security == "ssl":
        server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    with server:
        if security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            server.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        server.send_message(email)


class SmsProvider(Protocol):
    """Anything that can send one text: a number and a body."""

    def send_text(self, to_number: str, body: str) -> None:
        """Send one text or raise DeliveryError / OSError."""


@dataclass(frozen=True)
class TwilioCompatible:
    """Twilio's Messages API (and providers that copy it): one form POST per text."""

    base_url: str
    account_sid: str
    auth_token: str
    from_number: str
    timeout: float = 10.0

    def send_text(self, to_number: str, body: str) -> None:
        """POST To/From/Body with HTTP Basic auth; any answer but 2xx is a refusal."""
        url = (
            f"{self.base_url.rstrip('/')}/2010-04-01/Accounts/"
            f"{urllib.parse.quote(self.account_sid)}/Messages.json"
        )
        form = {"To": to_number, "From": self.from_number, "Body": body}
        secret = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Authorization": f"Basic {secret}", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise DeliveryError(f"SMS provider answered {error.code}") from None


def sms_provider(config: Mapping[str, Any]) -> SmsProvider:
    """The Twilio-compatible provider the configuration describes."""
    missing = [
        name
        for name in ("SMS_ACCOUNT_SID", "SMS_AUTH_TOKEN", "SMS_FROM_NUMBER")
        if not config.get(name)
    ]
    if missing:
        raise DeliveryError(f"SMS settings missing: {', '.join(missing)}")
    return TwilioCompatible(
        base_url=config["SMS_BASE_URL"],
        account_sid=config["SMS_ACCOUNT_SID"],
        auth_token=config["SMS_AUTH_TOKEN"],
        from_number=config["SMS_FROM_NUMBER"],
        timeout=float(config.get("SMS_TIMEOUT_SECONDS") or 10),
    )


def _by_provider(envelope: Envelope, config: Mapping[str, Any]) -> None:
    """Production: send a text through the SMS provider."""
    sms_provider(config).send_text(envelope.to_address, envelope.body)


EMAIL_BACKENDS: dict[str, Send] = {
    "console": _to_console,
    "file": _to_file("MAIL_FILE"),
    "memory": _nowhere,
    "smtp": _by_smtp,
}
SMS_BACKENDS: dict[str, Send] = {
    "console": _to_console,
    "file": _to_file("SMS_FILE"),
    "memory": _nowhere,
    "off": _switched_off,
    "twilio": _by_provider,
}
