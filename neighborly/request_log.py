"""One JSON log line per request, with a request id echoed in X-Request-ID; no personal data.

A line names the route's template (`/requests/<int:request_id>`), never the path as typed, so a
token in a URL (password reset, email confirmation) or a query string never reaches the log.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request
from werkzeug.wrappers import Response

logger = logging.getLogger("neighborly.request")

HEADER = "X-Request-ID"
# An id from the proxy is kept only if it is short and plain (no spaces, quotes or newlines).
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def register_request_log(app: Flask) -> None:
    """Time every request, give it an id, and write its line when the response leaves."""
    logger.setLevel(logging.INFO)
    if app.config.get("REQUEST_LOG", True) and not app.testing and not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    app.before_request(_start)
    # Registered before every other after_request hook, so it runs last and logs the final status.
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)


def request_id_from(header: str | None) -> str:
    """The caller's request id when it is well formed, else a new random one."""
    if header and VALID_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str:
    """This request's id (made on first use if the request never reached `_start`)."""
    if "request_id" not in g:
        g.request_id = request_id_from(request.headers.get(HEADER))
    return g.request_id


def _start() -> None:
    """Note when the request began and which id it carries."""
    g.request_started = time.perf_counter()
    current_request_id()


def _finish(response: Response) -> Response:
    """Echo the id and write the request's line."""
    response.headers[HEADER] = current_request_id()
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    logger.info(json.dumps(request_line(response.status_code, duration), separators=(",", ":")))
    return response


def request_line(status: int, duration_ms: float | None) -> dict:
    """What is logged: id, method, endpoint, route template, status, milliseconds."""
    rule = request.url_rule
    return {
        "event": "request",
        "request_id": current_request_id(),
        "method": request.method,
        "endpoint": request.endpoint,
        "route": rule.rule if rule is not None else None,
        "status": status,
        "duration_ms": round(duration_ms, 1) if duration_ms is not None else None,
    }
