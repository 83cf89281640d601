"""Spanish speakers get Neighborly in Spanish, and the catalog keeps up with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale

from neighborly.setup import duration
from tests.factories.accounts import UserFactory
from tests.outbox import last_mail_to

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "neighborly" / "translations"
SPANISH_PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
SPANISH_MO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.mo"

# The same keywords as the extract command in README.md ("Translations").
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
SKIPPED_DIRS = {"build", "tests", "benchmarks", "migrations", "instance", "test-results"}
UPDATE_COMMANDS = (
    "pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 "
    "-o neighborly/translations/messages.pot . && "
    "pybabel update -i neighborly/translations/messages.pot -d neighborly/translations "
    "--no-fuzzy-matching && "
    "(translate the new entries in neighborly/translations/es/LC_MESSAGES/messages.po) && "
    "pybabel compile -d neighborly/translations"
)

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{(\w+)\}")
STRAY_PERCENT = re.compile(r"%(?!%|\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa])")
HTML_TAG = re.compile(r"<[^>]+>")


def _spanish_catalog():
    with SPANISH_PO.open("rb") as po:
        return read_po(po, locale="es")


def _extracted_messages() -> dict[str, tuple[str | tuple[str, ...], list[str]]]:
    """Every message in the current sources: msgid -> (message, places it is used)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)

    def wanted(path: str) -> bool:
        name = Path(path).name
        return not (
            name in SKIPPED_DIRS or name.startswith((".", "_")) or name.endswith(".egg-info")
        )

    found: dict[str, tuple[str | tuple[str, ...], list[str]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=wanted
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if not msgid:
            continue
        entry = found.setdefault(msgid, (message, []))
        entry[1].append(f"{filename}:{lineno}")
    return found


def _forms(message) -> tuple[str, ...]:
    """A message's translations as a tuple (one for plain messages, one per plural form)."""
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


def _msgid(message) -> str | tuple[str, ...]:
    """A message's msgid, with plural msgids as a tuple whichever file it was read from."""
    return message.id if isinstance(message.id, str) else tuple(message.id)


def _names(text: str) -> list[str]:
    return sorted(a or b for a, b in PLACEHOLDER.findall(text))


# ------------------------------------------------------------------------ pages in Spanish


def test_a_spanish_speaking_member_sees_the_home_page_in_spanish(client, login):
    login(UserFactory(locale="es"))
    page = client.get("/").text
    assert '<html lang="es">' in page
    assert "Empiece por unirse a su comunidad" in page
    assert "Cerrar sesión" in page
    assert "Start by joining your community" not in page


def test_a_spanish_speaking_member_sees_their_profile_form_in_spanish(client, login):
    login(UserFactory(locale="es"))
    page = client.get("/account/profile").text
    assert '<html lang="es">' in page
    assert "Guardar mi perfil" in page
    assert "Apellido" in page


def test_an_english_speaking_member_still_sees_english(client, login):
    login(UserFactory(locale="en"))
    page = client.get("/").text
    assert '<html lang="en">' in page
    assert "Start by joining your community" in page


def test_a_visitor_whose_browser_prefers_spanish_gets_the_sign_in_page_in_spanish(client):
    page = client.get("/account/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in page.text
    assert "<h1>Iniciar sesión</h1>" in page.text
    assert "¿Olvidó su contraseña?" in page.text


def test_a_visitor_who_chose_spanish_gets_form_errors_in_spanish(client):
    client.post("/language", data={"locale": "es", "next": "/"})
    page = client.post("/account/login", data={"email": "", "password": ""})
    assert "Escriba su correo electrónico." in page.text
    assert "Enter your email address." not in page.text


def test_a_spanish_speaker_gets_emails_in_spanish(client):
    UserFactory(email="rosa@example.org", locale="es")
    client.post("/account/forgot", data={"email": "rosa@example.org"})
    message = last_mail_to("rosa@example.org")
    assert message.subject == "Cambie su contraseña de Neighborly"
    assert "Abra este enlace" in message.body


def test_durations_use_spanish_plurals(app):
    with app.test_request_context(), force_locale("es"):
        assert duration(1) == "1 minuto"
        assert duration(60) == "1 hora"
        assert duration(135) == "2 horas 15 minutos"


# ------------------------------------------------------------------------ the catalog itself


def test_every_message_in_the_code_has_a_spanish_translation():
    catalog = _spanish_catalog()
    extracted = _extracted_messages()
    assert len(extracted) > 500, "extraction found too little; is babel.cfg intact?"
    problems = []
    for msgid, (message, places) in sorted(extracted.items()):
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"missing: {msgid!r} ({places[0]})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({places[0]})")
        elif isinstance(message, tuple) and not entry.pluralizable:
            problems.append(f"needs plural forms: {msgid!r} ({places[0]})")
        elif not all(form.strip() for form in _forms(entry)):
            problems.append(f"untranslated: {msgid!r} ({places[0]})")
    assert not problems, (
        f"{len(problems)} message(s) in the code lack a Spanish translation:\n  "
        + "\n  ".join(problems)
        + f"\nUpdate the catalog: {UPDATE_COMMANDS}"
    )


def test_the_catalog_has_no_fuzzy_or_empty_entries_and_two_plural_forms():
    catalog = _spanish_catalog()
    assert catalog.num_plurals == 2
    assert catalog.plural_expr.replace(" ", "") == "(n!=1)"
    bad = [m.id for m in catalog if m.id and (m.fuzzy or not all(f.strip() for f in _forms(m)))]
    assert not bad, f"fuzzy or empty entries: {bad}\nUpdate the catalog: {UPDATE_COMMANDS}"
    plural_sizes = {len(_forms(m)) for m in catalog if m.id and m.pluralizable}
    assert plural_sizes <= {2}


def test_the_compiled_catalog_matches_its_source():
    catalog = _spanish_catalog()
    with SPANISH_MO.open("rb") as mo:
        compiled = read_mo(mo)

    def table(cat) -> dict:
        return {(_msgid(m), m.context): _forms(m) for m in cat if m.id and not m.fuzzy}

    assert table(compiled) == table(catalog), (
        "messages.mo is out of date; run: pybabel compile -d neighborly/translations"
    )
    assert compiled.num_plurals == catalog.num_plurals


def test_translations_keep_the_placeholders_and_markup_of_the_english():
    catalog = _spanish_catalog()
    problems = [
        f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors
    ]
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = _forms(message)
        known = {name for text in ids for name in _names(text)}
        # A plain message, and a plural's plural form, keep exactly the English placeholders;
        # the singular may leave out the count ("every day" for "every %(num)d days").
        expected = [_names(ids[0])] if len(ids) == 1 else [None, _names(ids[-1])]
        for index, form in enumerate(forms):
            names = _names(form)
            want = expected[min(index, len(expected) - 1)]
            if (want is not None and names != want) or not set(names) <= known:
                problems.append(f"{ids[0]!r} -> {form!r}: placeholders {names}, expected {want}")
            if len(STRAY_PERCENT.findall(form)) != len(STRAY_PERCENT.findall(ids[0])):
                problems.append(f"{ids[0]!r} -> {form!r}: a lone % (write %% for a percent sign)")
            if sorted(HTML_TAG.findall(form)) != sorted(HTML_TAG.findall(ids[-1])):
                problems.append(f"{ids[0]!r} -> {form!r}: HTML differs from the English")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("product", ["Neighborly", "Wolves and Pups"])
def test_product_names_stay_untranslated(product):
    catalog = _spanish_catalog()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if message.id and any(product in text for text in ids):
            assert all(product in form for form in _forms(message)), message.id


# ------------------------------------------------------------------------ dates, roles, times


def test_a_spanish_reader_gets_dates_in_spanish_word_order(app):
    from datetime import UTC, datetime

    from neighborly.help_requests.matching import Reason
    from neighborly.help_requests.wording import reason_text
    from neighborly.setup import community_time

    at = datetime(2026, 11, 26, 21, 25, tzinfo=UTC)
    needed = Reason("needed_by", (("at", at), ("day", "date")))
    with app.test_request_context(), force_locale("es"):
        assert "26 de noviembre" in community_time(at, "America/Chicago")
        assert "3:25" in community_time(at, "America/Chicago")
        words = reason_text(needed)
        assert words.startswith("se necesita para el 26 de noviembre a las")
    with app.test_request_context(), force_locale("en"):
        assert community_time(at, "America/Chicago") == "Thursday 26 November, 3:25 PM"
        assert reason_text(needed).startswith("needed by")


def test_a_spanish_speaking_coordinator_sees_member_roles_and_counts_in_spanish(client, login):
    from neighborly.accounts.models import Role
    from tests.factories.accounts import CommunityFactory, member

    community = CommunityFactory(slug="proviso")
    coordinator = member(community, Role.COORDINATOR, locale="es")
    login(coordinator)
    page = client.get("/c/proviso/coordinate/people").text
    assert "Personas en" in page
    assert "coordinador" in page and ">coordinator<" not in page


def test_a_spanish_speaking_mentor_sees_free_times_in_spanish(client, login):
    from neighborly.accounts.models import Role
    from tests.factories.accounts import member
    from tests.factories.mentoring import program_run_by

    program, _coordinator = program_run_by()
    teen = member(program.community, Role.VOLUNTEER, locale="es")
    login(teen)
    page = client.get(f"/mentoring/programs/{program.id}/apply").text
    assert "después de clases (3 p. m.)" in page
    assert "after school (3 pm)" not in page
