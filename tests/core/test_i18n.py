"""Languages, lazy messages and the .po reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from soknadspakke.core import i18n, resources
from soknadspakke.core.i18n import (
    FormattedText,
    LocalText,
    Msg,
    T,
    default_language,
    join_texts,
    normalize_language,
    render,
    translate,
)
from soknadspakke.core.pofile import load_catalogue, parse_po, parse_po_contexts

from .conftest import REPO_RESOURCES

DESCRIPTION = ("Prepares complete, checked application packages for borrowing microdata from "
               "Statistics Norway (SSB).")
DESCRIPTION_NB = ("Setter sammen komplette, kontrollerte søknadspakker for lån av mikrodata fra "
                  "Statistisk sentralbyrå (SSB).")


@pytest.mark.parametrize(("raw", "lang"), [
    ("nb", "nb"), ("no", "nb"), ("nn", "nb"), ("nob", "nb"), ("NB", "nb"),
    ("nb_NO.UTF-8", "nb"), ("nb-NO", "nb"), ("nn_NO.ISO-8859-1", "nb"), ("no_NO@euro", "nb"),
    ("en", "en"), ("EN", "en"), ("en_GB", "en"), ("en_US.UTF-8", "en"), ("en-US", "en"),
    ("en@quot", "en"), ("en_GB.UTF-8@euro", "en"),
    ("de", "nb"), ("sv_SE", "nb"), ("", "nb"), (None, "nb"), ("C", "nb"), ("eng", "nb"),
])
def test_normalize_language(raw: str | None, lang: str) -> None:
    assert normalize_language(raw) == lang


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "nb"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "nb_NO.UTF-8"}, "nb"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "nb_NO.UTF-8"}, "nb"),
    ({"LANG": "nb_NO.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
    ({"LANG": "nb_NO.UTF-8", "LANGUAGE": "en:nb"}, "en"),
    ({"LANG": "en_US.UTF-8", "SOKNADSPAKKE_LANG": "nb"}, "nb"),
    ({"LANG": "nb_NO.UTF-8", "SOKNADSPAKKE_LANG": "en"}, "en"),
    ({"LANG": "en_US.UTF-8", "SOKNADSPAKKE_LANG": ""}, "en"),
    # The C locale says nothing about language: look further.
    ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "C.utf8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "POSIX"}, "en"),
    ({"LANG": "C"}, "nb"),
    ({"LANG": "de_DE.UTF-8"}, "nb"),
])
def test_default_language(clean_lang_env: pytest.MonkeyPatch, env: dict[str, str],
                          lang: str) -> None:
    for var, value in env.items():
        clean_lang_env.setenv(var, value)
    assert default_language() == lang


# -- rendering ------------------------------------------------------------------------------------

@pytest.fixture
def catalogue(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A made-up bokmål catalogue instead of the shipped one."""
    nb = {"{n} files": "{n} filer", "missing {doc}": "mangler {doc}", " or ": " eller ",
          "the application": "søknaden", "Hello": "Hei"}
    monkeypatch.setattr(i18n, "translations",
                        lambda lang: nb if normalize_language(lang) == "nb" else {})
    return nb


def test_msg_translates_at_render_time(catalogue: dict[str, str]) -> None:
    message = T("{n} files", n=3)
    assert message == Msg("{n} files", {"n": 3})
    assert message.render("nb") == "3 filer"
    assert message.render("en") == "3 files"
    assert message.render("nb_NO.UTF-8") == "3 filer"
    assert T("Hello").render("nb") == "Hei"
    assert T("Not translated").render("nb") == "Not translated"


def test_msg_params_may_be_texts_and_lists(catalogue: dict[str, str]) -> None:
    nested = T("missing {doc}", doc=T("the application"))
    assert nested.render("nb") == "mangler søknaden"
    assert nested.render("en") == "missing the application"
    listed = T("missing {doc}", doc=[T("the application"), LocalText({"nb": "CV", "en": "CV"}),
                                      "DPIA", 3])
    assert listed.render("nb") == "mangler søknaden, CV, DPIA, 3"
    deep = T("missing {doc}", doc=T("missing {doc}", doc=(T("Hello"),)))
    assert deep.render("nb") == "mangler mangler Hei"


def test_msg_without_params_keeps_braces(catalogue: dict[str, str]) -> None:
    assert T("{n} files").render("nb") == "{n} filer"


def test_render_plain_values() -> None:
    assert render(3, "nb") == "3"
    assert render(None, "en") == "None"
    assert render([], "en") == ""
    assert render(["a", ["b", "c"]], "en") == "a, b, c"


def test_local_text_fallbacks() -> None:
    both = LocalText({"nb": "Søknad", "en": "Application"})
    assert both.render("nb") == "Søknad"
    assert both.render("en_GB") == "Application"
    assert both.render("de") == "Søknad"  # unknown language: the default
    assert LocalText({"en": "Application"}).render("nb") == "Application"
    assert LocalText({"nb": "Søknad"}).render("en") == "Søknad"
    assert LocalText({"se": "Ohcan"}).render("en") == "Ohcan"
    assert LocalText({}).render("nb") == ""


def test_formatted_text(catalogue: dict[str, str]) -> None:
    template = LocalText({"nb": "{doc} mangler ({n})", "en": "{doc} is missing ({n})"})
    formatted = template.format(doc=T("the application"), n=2)
    assert isinstance(formatted, FormattedText)
    assert formatted.render("nb") == "søknaden mangler (2)"
    assert formatted.render("en") == "the application is missing (2)"
    assert FormattedText(T("missing {doc}"), {"doc": "CV"}).render("nb") == "mangler CV"


def test_join_texts(catalogue: dict[str, str]) -> None:
    parts: list[i18n.Text] = [LocalText({"nb": "DPIA", "en": "DPIA"}), T("the application")]
    joined = join_texts(iter(parts), T(" or "))
    assert joined.render("nb") == "DPIA eller søknaden"
    assert joined.render("en") == "DPIA or the application"
    assert join_texts([], T(" or ")).render("nb") == ""


def test_texts_satisfy_the_protocol() -> None:
    for text in (T("x"), LocalText({}), LocalText({}).format(), join_texts([], T(" "))):
        assert isinstance(text, i18n.Text)
    assert not isinstance("plain", i18n.Text)


def test_underscore_follows_set_language(use_resources: Path) -> None:
    i18n.set_language("en_US.UTF-8")
    assert i18n.current_language() == "en"
    assert i18n._(DESCRIPTION) == DESCRIPTION
    i18n.set_language("no")
    assert i18n.current_language() == "nb"
    assert i18n._(DESCRIPTION) == DESCRIPTION_NB
    assert i18n.N_(DESCRIPTION) == DESCRIPTION


# -- the shipped catalogues -----------------------------------------------------------------------

def test_translate_uses_the_shipped_bokmal(use_resources: Path) -> None:
    assert translate(DESCRIPTION, "nb") == DESCRIPTION_NB
    assert translate(DESCRIPTION, "nb_NO.UTF-8") == DESCRIPTION_NB
    assert translate(DESCRIPTION, "en") == DESCRIPTION
    assert translate("COMMAND", "nb") == "KOMMANDO"
    assert translate("no such msgid", "nb") == "no such msgid"
    assert "" not in i18n.translations("nb")  # the header is not a translation


def test_translate_without_a_resources_folder_falls_back_to_english(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_caches: None) -> None:
    # A broken installation must still be able to say so (and print --help).
    monkeypatch.setattr(resources, "candidate_roots", lambda: [tmp_path / "nowhere"])
    monkeypatch.delenv(resources.ENV_VAR, raising=False)
    assert translate(DESCRIPTION, "nb") == DESCRIPTION


@pytest.mark.parametrize("po", sorted(REPO_RESOURCES.glob("i18n/*/*.po")), ids=str)
def test_every_shipped_catalogue_parses(po: Path) -> None:
    # Qt's own strings (qt.po) carry their Qt context; the program's have none.
    entries = parse_po_contexts(po.read_text(encoding="utf-8"), po)
    assert entries
    for (_context, msgid), msgstr in entries.items():
        assert msgid and msgstr
        # Translations keep the msgid's {placeholders}.
        assert sorted(_fields(msgid)) == sorted(_fields(msgstr)), msgid


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def test_shipped_catalogue_folders(use_resources: Path) -> None:
    assert load_catalogue(use_resources / "i18n" / "nb")
    assert load_catalogue(use_resources / "i18n" / "en") == {}  # English is the msgid


# -- the .po reader -------------------------------------------------------------------------------

PO = r'''# header comment
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: x\n"
"Language: nb\n"

#: a.py:1
msgid ""
"A long message "
"over lines"
msgstr ""
"En lang melding "
"over linjer"

msgid "Say \"hi\"\tnow\\n"
msgstr "Si \"hei\"\tnå\\n"

msgid "Line one\nline two"
msgstr "Linje én\nlinje to"

#, fuzzy
msgid "Fuzzy"
msgstr "Uklar"

#, python-format, fuzzy
msgid "Also fuzzy"
msgstr "Også uklar"

msgid "Untranslated"
msgstr ""

msgctxt "menu"
msgid "Open"
msgstr "Åpne (meny)"

#, python-format
msgid "Keep {n}"
msgstr "Behold {n}"
msgid "No blank line before"
msgstr "Ingen tom linje før"
#, fuzzy
msgid "Fuzzy right after"
msgstr "Uklar rett etter"
msgid "After the fuzzy one"
msgstr "Etter den uklare"

#~ msgid "Obsolete"
#~ msgstr "Foreldet"

msgid "File"
msgid_plural "Files"
msgstr[0] "Fil"
msgstr[1] "Filer"
'''


def test_parse_po() -> None:
    assert parse_po(PO) == {
        "A long message over lines": "En lang melding over linjer",
        'Say "hi"\tnow\\n': 'Si "hei"\tnå\\n',
        "Line one\nline two": "Linje én\nlinje to",
        "Keep {n}": "Behold {n}",
        "No blank line before": "Ingen tom linje før",
        "After the fuzzy one": "Etter den uklare",
    }


def test_msgctxt_entry_is_not_a_plain_translation() -> None:
    text = 'msgctxt "menu"\nmsgid "Open"\nmsgstr "Åpne"\n\nmsgid "Open"\nmsgstr "Åpne fil"\n'
    assert parse_po(text) == {"Open": "Åpne fil"}
    assert parse_po('msgctxt "menu"\nmsgid "Open"\nmsgstr "Åpne"\n') == {}


def test_crlf_line_ends() -> None:
    assert parse_po('msgid "a"\r\nmsgstr "b"\r\n\r\nmsgid "c"\r\nmsgstr "d"\r\n') == {
        "a": "b", "c": "d"}


@pytest.mark.parametrize(("text", "line"), [
    ('"orphan"\n', 1),
    ('msgid "a"\nmsgstr "b"\nbogus "c"\n', 3),
    ('msgid "a"\nmsgstr b\n', 2),
    ('msgid "a"\nmsgstr "b\n', 2),
    ('msgid "a"\nmsgstr "b" c\n', 2),
    ('msgid "a"\nmsgstr "b\\"\n', 2),
    ('msgid "a"\nmsgstr "b"c"\n', 2),
    ('msgid "a"\nmsgstr "\\x"\n', 2),
    ('msgid "a"\nmsgstr "\\d"\n', 2),  # not a C escape (and a warning in Python)
    ('msgid "a"\nmsgstr\n', 2),
    ('\n\nmsgid "a"\nmsgstr ""\n"x" + "y"\n', 5),
])
def test_malformed_lines_name_file_and_line(text: str, line: int) -> None:
    with pytest.raises(ValueError, match=rf"^cat\.po:{line}: "):
        parse_po(text, Path("cat.po"))


def test_load_catalogue_merges_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.po").write_text('msgid "x"\nmsgstr "from b"\n', encoding="utf-8")
    (tmp_path / "a.po").write_text('msgid "x"\nmsgstr "from a"\n\nmsgid "y"\nmsgstr "y"\n',
                                   encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a catalogue", encoding="utf-8")
    assert load_catalogue(tmp_path) == {"x": "from b", "y": "y"}
    assert load_catalogue(tmp_path / "missing") == {}


def test_load_catalogue_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    (tmp_path / "cli.po").write_bytes(b"\xef\xbb\xbf# comment\nmsgid \"x\"\nmsgstr \"y\"\n")
    assert load_catalogue(tmp_path) == {"x": "y"}


def test_load_catalogue_names_the_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "core.po"
    broken.write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{broken}:2: "):
        load_catalogue(tmp_path)
