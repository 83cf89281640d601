"""Site-wide pages: the home page, the terms, the privacy notice and a health check."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, session
from flask_login import current_user
from sqlalchemy import text

from neighborly.accounts import policies
from neighborly.accounts.services import all_communities
from neighborly.extensions import db
from neighborly.help_requests.forms import CATEGORY_LABELS
from neighborly.help_requests.wording import reason_text
from neighborly.mentoring.wording import day_text
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
            reason_text=reason_text,
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
    """Say whether the app can reach its database."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


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
