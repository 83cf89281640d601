"""Site-wide pages: the home page, the terms, the privacy notice, liveness and readiness."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, session
from flask_login import current_user

from neighborly.accounts import policies
from neighborly.accounts.services import all_communities
from neighborly.help_requests.forms import CATEGORY_LABELS
from neighborly.help_requests.wording import reason_words
from neighborly.mentoring.wording import day_text
from neighborly.pages.health import readiness
from neighborly.pages.home import home_for
from neighborly.policy import policy
from neighborly.resources.services import featured_resources

bp = Blueprint("pages", __name__)


@bp.get("/")
@policy(policies.anyone)
def home():
    """The front door: what Neighborly is, or a signed-in person's next steps per role."""
    if current_user.is_authenticated:
        return render_template(
            "pages/my_home.html",
            home=home_for(current_user),
            first_visit=session.get("first_visit", False),
            communities=all_communities(),
            featured=featured_resources(limit=3),
            reason_text=reason_words(),
            category_labels=CATEGORY_LABELS,
            day=day_text,
        )
    return render_template(
        "pages/home.html",
        communities=all_communities(),
        mine=[],
        featured=featured_resources(limit=3),
    )


@bp.get("/healthz")
@policy(policies.anyone)
def health():
    """Say the process is alive (it touches no database: a slow database must not restart it)."""
    return {"status": "ok"}


@bp.get("/readyz")
@policy(policies.anyone)
def ready():
    """Say whether this process can serve pages: the database answers, and Redis if configured."""
    is_ready, checks = readiness()
    body = {"status": "ready" if is_ready else "not ready", "checks": checks}
    return body, 200 if is_ready else 503, {"Cache-Control": "no-store"}


@bp.get("/terms")
@policy(policies.anyone)
def terms():
    """The terms of use, short and plain."""
    return render_template("pages/terms.html", version=current_app.config["TERMS_VERSION"])


@bp.get("/privacy")
@policy(policies.anyone)
def privacy():
    """The privacy notice: what Neighborly keeps, who sees it, how to take it or delete it."""
    return render_template("pages/privacy.html", version=current_app.config["TERMS_VERSION"])
