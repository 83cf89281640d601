"""Words every domain shares: the names of the weekdays, keyed by their availability codes."""

from __future__ import annotations

from flask import Flask, g, has_app_context
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l

DAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
DAY_SHORT_LABELS = {
    "mon": _l("Mon"),
    "tue": _l("Tue"),
    "wed": _l("Wed"),
    "thu": _l("Thu"),
    "fri": _l("Fri"),
    "sat": _l("Sat"),
    "sun": _l("Sun"),
}


def _page_language() -> tuple | None:
    """(locale, catalog, language code) for this request, looked up once per locale."""
    context = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(context, "babel_locale", None)
    if locale is None:
        return None
    held = getattr(context, "neighborly_catalog", None)
    if held is None or held[0] is not locale:  # force_locale swaps the locale object
        held = context.neighborly_catalog = (locale, get_translations(), str(locale))
    return held


def _page_translations():
    """The reader's catalog, looked up once per locale per request instead of once per string."""
    held = _page_language()
    return get_translations() if held is None else held[1]


def page_locale() -> str:
    """The reader's language code ("en", "es"), worked out once per locale per request."""
    held = _page_language()
    return str(get_locale() or "en") if held is None else held[2]


def page_gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext`, through the request's catalog (looked up once per request)."""
    text = _page_translations().ugettext(string)
    return text % variables if variables else text


def page_ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's `ngettext` (`num` is a variable too), through the request's catalog."""
    variables.setdefault("num", num)
    return _page_translations().ungettext(singular, plural, num) % variables


def install_page_gettext(app: Flask) -> None:
    """Give templates gettext callables that reuse the request's catalog (after Flask-Babel)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _page_translations().ugettext(s),
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
