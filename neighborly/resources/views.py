"""The belonging-resource library: browse, search, open, suggest; curators add and review."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.extensions import limiter
from neighborly.limits import configured, counted_if_done, per_person
from neighborly.paging import cursor_arg
from neighborly.policy import policy
from neighborly.resources import policies, services
from neighborly.resources.forms import (
    KIND_LABELS,
    LANGUAGE_LABELS,
    TOPIC_DESCRIPTIONS,
    TOPIC_LABELS,
    RejectForm,
    ResourceForm,
    SuggestForm,
)
from neighborly.resources.models import Resource, ResourceKind, ResourceSuggestion, Topic

bp = Blueprint("resources", __name__)

MAX_QUERY_CHARS = 200


def topic_label(topic: Topic) -> str:
    """A topic's name in the reader's language."""
    return str(TOPIC_LABELS.get(topic.slug, topic.name))


def topic_description(topic: Topic) -> str:
    """A topic's one-line description in the reader's language."""
    return str(TOPIC_DESCRIPTIONS.get(topic.slug, topic.description))


def link_host(url: str | None) -> str:
    """The site a link leads to, e.g. social-connection.org."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


@bp.app_context_processor
def _resource_words() -> dict:
    """Wording helpers for resource cards, which other pages include too."""
    return {
        "resource_kind_labels": KIND_LABELS,
        "resource_language_labels": LANGUAGE_LABELS,
        "topic_label": topic_label,
        "topic_description": topic_description,
        "resource_link_host": link_host,
    }


def _visible_or_404(resource_id: int) -> Resource:
    """The resource in the URL if this person may read it (NotFound answers 404)."""
    return services.visible_resource(resource_id, current_user)


def _suggestion_or_404(suggestion_id: int) -> ResourceSuggestion:
    """The suggestion in the URL (NotFound answers 404)."""
    return services.get_suggestion(suggestion_id)


def _kind_from_args() -> ResourceKind | None:
    """The kind chosen in the query string (unknown values mean all kinds)."""
    value = request.args.get("kind", "")
    return next((kind for kind in ResourceKind if kind.value == value), None)


def _with_topic_choices(form):
    """Fill a form's topic checkboxes from the topics that exist."""
    form.topics.choices = [(t.slug, topic_label(t)) for t in services.all_topics()]
    return form


def _draft(form: ResourceForm) -> services.ResourceDraft:
    """Turn a valid resource form into a draft."""
    return services.ResourceDraft(
        title=form.title.data,
        url=form.url.data or None,
        summary=form.summary.data,
        kind=ResourceKind(form.kind.data),
        source=form.source.data or "",
        topic_slugs=tuple(form.topics.data or ()),
        language=form.language.data,
        published=bool(form.published.data),
        featured=bool(form.featured.data),
    )


def _form_data(resource: Resource) -> dict:
    """A resource's values for its edit form."""
    return {
        "title": resource.title,
        "url": resource.url or "",
        "summary": resource.summary,
        "kind": resource.kind.value,
        "source": resource.source,
        "topics": [t.slug for t in resource.topics],
        "language": resource.language,
        "published": resource.published,
        "featured": resource.featured,
    }


def _suggestion_data(suggestion: ResourceSuggestion) -> dict:
    """A suggestion's values to start the approval form with (unpublished by default)."""
    return {
        "title": suggestion.title,
        "url": suggestion.url or "",
        "summary": suggestion.summary,
        "source": suggestion.source,
        "topics": suggestion.topic_slug_list,
        "language": "en",
    }


# --- reading -----------------------------------------------------------------------------


@bp.get("/resources")
@policy(policies.anyone)
def index():
    """The library: search, browse by topic or kind."""
    query = request.args.get("q", "")[:MAX_QUERY_CHARS].strip()
    kind = _kind_from_args()
    if query:
        results = services.search(current_user, query, kind)
    else:
        results = services.browse(
            current_user, kind, after=cursor_arg("after"), before=cursor_arg("before")
        )
    return render_template(
        "resources/index.html",
        query=query,
        kind=kind,
        results=results,
        topics=services.all_topics(),
        can_curate=services.is_curator(current_user),
    )


@bp.get("/resources/topics/<slug>")
@policy(policies.anyone)
def topic(slug: str):
    """One topic's page."""
    found = services.topic_by_slug(slug)
    return render_template(
        "resources/topic.html",
        topic=found,
        results=services.on_topic(
            found, current_user, after=cursor_arg("after"), before=cursor_arg("before")
        ),
        topics=services.all_topics(),
        can_curate=services.is_curator(current_user),
    )


@bp.get("/resources/<int:resource_id>")
@policy(policies.anyone)
def detail(resource_id: int):
    """One resource, with its link (or "link coming")."""
    resource = _visible_or_404(resource_id)
    return render_template(
        "resources/detail.html",
        resource=resource,
        can_curate=services.is_curator(current_user),
    )


@bp.get("/resources/<int:resource_id>/open")
@policy(policies.anyone)
@limiter.limit("60 per minute")
def open_link(resource_id: int):
    """Count one open of a resource, then send the browser to its web address.

    A GET, deliberately, although state changes here are otherwise POSTs with CSRF:
    - the change is one anonymous aggregate counter (UPDATE ... SET clicks = clicks + 1):
      nothing personal is stored, nobody sees it as their own action, and a repeated or
      prefetched GET only nudges a rough number, so it is safe to be idempotence-insensitive;
    - the site's Content-Security-Policy has `form-action 'self'`, and Chromium blocks a
      form POST whose redirect leaves the site, so a POST "Open" button would not open
      anything at all;
    - going somewhere is a link, which screen readers announce as one and people can
      open in a new tab.
    The redirect goes only to the resource's stored address, checked again to be http(s);
    nothing in the request chooses the destination, so this is not an open redirect.
    """
    # HEAD (link checkers, previews) learns where it goes without adding to the count.
    address = services.record_open(resource_id, current_user, count=request.method != "HEAD")
    return redirect(address, code=302)


# --- suggesting --------------------------------------------------------------------------


@bp.route("/resources/suggest", methods=["GET", "POST"])
@policy(policies.signed_in)
@limiter.limit("20 per hour", methods=["POST"])
@limiter.limit(configured("SUGGEST_LIMIT_PER_PERSON"), key_func=per_person, **counted_if_done)
@limiter.limit(configured("SUGGEST_LIMIT_PER_ADDRESS"), **counted_if_done)
def suggest():
    """A signed-in neighbour suggests a resource and sees what happened to earlier ones."""
    form = _with_topic_choices(SuggestForm())
    if form.validate_on_submit():
        try:
            services.suggest_resource(
                services.SuggestionDraft(
                    title=form.title.data,
                    url=form.url.data or None,
                    summary=form.summary.data,
                    source=form.source.data or "",
                    topic_slugs=tuple(form.topics.data or ()),
                ),
                current_user,
            )
        except services.UnsafeLink:
            form.url.errors.append(_("Use a web address that starts with https:// or http://."))
        else:
            flash(_("Thank you! A coordinator will look at your suggestion soon."), "success")
            return redirect(url_for("resources.suggest"))
    return render_template(
        "resources/suggest.html", form=form, mine=services.suggestions_by(current_user)
    )


# --- curating ----------------------------------------------------------------------------


@bp.get("/resources/manage")
@policy(policies.curator)
def manage():
    """Curators see every resource, its state and how often it was opened."""
    return render_template(
        "resources/manage.html",
        resources=services.all_resources(after=cursor_arg("after"), before=cursor_arg("before")),
        total=services.resource_count(),
        waiting=services.pending_count(),
    )


@bp.route("/resources/new", methods=["GET", "POST"])
@policy(policies.curator)
def add():
    """A curator adds a resource."""
    form = _with_topic_choices(ResourceForm())
    if form.validate_on_submit():
        try:
            resource = services.add_resource(_draft(form), current_user)
        except services.UnsafeLink:
            form.url.errors.append(_("Use a web address that starts with https:// or http://."))
        else:
            flash(_("“%(title)s” is in the library.", title=resource.title), "success")
            return redirect(url_for("resources.detail", resource_id=resource.id))
    return render_template("resources/form.html", form=form, resource=None, suggestion=None)


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@policy(policies.curator)
def edit(resource_id: int):
    """A curator changes a resource."""
    resource = _visible_or_404(resource_id)
    form = _with_topic_choices(ResourceForm(data=_form_data(resource)))
    if form.validate_on_submit():
        try:
            services.edit_resource(resource_id, _draft(form), current_user)
        except services.UnsafeLink:
            form.url.errors.append(_("Use a web address that starts with https:// or http://."))
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("resources.detail", resource_id=resource_id))
    return render_template("resources/form.html", form=form, resource=resource, suggestion=None)


def _switched(resource_id: int, changed: bool, done: str, already: str):
    """Tell the curator what happened and go back to the resource."""
    flash(done if changed else already, "success" if changed else "info")
    return redirect(url_for("resources.detail", resource_id=resource_id))


def _switch(resource_id: int, change, value: bool) -> bool:
    """Run one publish/feature change (an unknown resource answers 404)."""
    return change(resource_id, value, current_user)


@bp.post("/resources/<int:resource_id>/publish")
@policy(policies.curator)
def publish(resource_id: int):
    """Make a resource visible to everyone."""
    changed = _switch(resource_id, services.set_published, True)
    return _switched(
        resource_id,
        changed,
        _("Published: everyone can see it now."),
        _("It was already published."),
    )


@bp.post("/resources/<int:resource_id>/unpublish")
@policy(policies.curator)
def unpublish(resource_id: int):
    """Hide a resource from everyone but curators."""
    changed = _switch(resource_id, services.set_published, False)
    return _switched(
        resource_id,
        changed,
        _("Unpublished: only coordinators can see it now."),
        _("It was already unpublished."),
    )


@bp.post("/resources/<int:resource_id>/feature")
@policy(policies.curator)
def feature(resource_id: int):
    """Show a resource on the home page."""
    changed = _switch(resource_id, services.set_featured, True)
    return _switched(
        resource_id, changed, _("Featured on the home page."), _("It was already featured.")
    )


@bp.post("/resources/<int:resource_id>/unfeature")
@policy(policies.curator)
def unfeature(resource_id: int):
    """Stop showing a resource on the home page."""
    changed = _switch(resource_id, services.set_featured, False)
    return _switched(resource_id, changed, _("No longer featured."), _("It was not featured."))


@bp.get("/resources/suggestions")
@policy(policies.curator)
def suggestions():
    """The review queue of neighbours' suggestions."""
    return render_template(
        "resources/suggestions.html",
        suggestions=services.pending_suggestions(
            after=cursor_arg("after"), before=cursor_arg("before")
        ),
    )


def _review_page(suggestion: ResourceSuggestion, form: ResourceForm, reject_form: RejectForm):
    """Render one suggestion with its approve and reject forms."""
    return render_template(
        "resources/review.html", suggestion=suggestion, form=form, reject_form=reject_form
    )


@bp.route("/resources/suggestions/<int:suggestion_id>", methods=["GET", "POST"])
@policy(policies.curator)
def review(suggestion_id: int):
    """Check a suggestion, complete it, and approve it into the library."""
    suggestion = _suggestion_or_404(suggestion_id)
    form = _with_topic_choices(ResourceForm(data=_suggestion_data(suggestion)))
    if form.validate_on_submit():
        try:
            resource = services.approve_suggestion(suggestion_id, _draft(form), current_user)
        except services.UnsafeLink:
            form.url.errors.append(_("Use a web address that starts with https:// or http://."))
        except services.AlreadyReviewed:
            flash(_("Another coordinator has already reviewed this suggestion."), "info")
            return redirect(url_for("resources.suggestions"))
        else:
            flash(_("Approved. “%(title)s” is in the library.", title=resource.title), "success")
            return redirect(url_for("resources.detail", resource_id=resource.id))
    return _review_page(suggestion, form, RejectForm(formdata=None))


@bp.post("/resources/suggestions/<int:suggestion_id>/reject")
@policy(policies.curator)
def reject(suggestion_id: int):
    """Turn a suggestion down with a reason."""
    suggestion = _suggestion_or_404(suggestion_id)
    reject_form = RejectForm()
    if not reject_form.validate_on_submit():
        form = _with_topic_choices(ResourceForm(formdata=None, data=_suggestion_data(suggestion)))
        return _review_page(suggestion, form, reject_form)
    try:
        services.reject_suggestion(suggestion_id, reject_form.reason.data, current_user)
    except services.AlreadyReviewed:
        flash(_("Another coordinator has already reviewed this suggestion."), "info")
    else:
        flash(_("The suggestion is turned down. The neighbour will see your reason."), "success")
    return redirect(url_for("resources.suggestions"))
