"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py "neighborly:create_app()"`.

Every value can be changed from the environment (docs/deploy.md). The app writes one JSON line
per request itself (logger "neighborly.request"), so gunicorn's access log stays off.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    """An integer from the environment, or the default when unset or empty."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Where to listen: the proxy in front connects here (127.0.0.1 when it runs on the same machine).
bind = os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"
# Sync workers, one request at a time each: 2 per core plus one is gunicorn's usual advice.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request taking longer than this is killed and its worker restarted (the database's own
# statement timeout, DATABASE_STATEMENT_TIMEOUT_MS, should end a slow query well before).
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Keep-alive behind a proxy that reuses connections (nginx `keepalive` in its upstream block).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart each worker after about this many requests, to bound slow leaks; jitter spreads them.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Load the app once in the master and fork: less memory, and a broken configuration fails at
# start rather than in every worker. The database pool is only opened lazily, in each worker,
# on its first request (create_app opens no connection), so no socket is shared across forks.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# The app logs each request as JSON; gunicorn's access log would repeat it with the raw path
# (which may hold a reset token) and the query string.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Forwarded headers are handled by the app (ProxyFix with TRUSTED_PROXIES), not by gunicorn.
forwarded_allow_ips = "127.0.0.1"
proxy_allow_ips = "127.0.0.1"
# Proxies send at most this much header; larger requests are refused before the app sees them.
limit_request_line = 8190
limit_request_fields = 100


def when_ready(server) -> None:
    """With preload_app, compile every template in the master so forked workers share them."""
    if not preload_app:
        return
    from neighborly.warm import settle_garbage_collector, warm_up

    app = server.app.wsgi()
    count = warm_up(app)
    server.log.info("compiled %d templates before forking the workers", count)
    # What start-up made lives as long as the workers: frozen, no collection walks it again and
    # its pages stay shared; young garbage is collected less often (neighborly/warm.py).
    threshold = settle_garbage_collector()
    server.log.info("garbage collector: start-up objects frozen, thresholds %s", threshold)
