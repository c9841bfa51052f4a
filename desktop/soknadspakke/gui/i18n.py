"""The window's language: the program's catalogues, and bokmål for Qt's own strings.

The program's strings go through the core's ``_()``/``T()`` like everywhere else; switching the
language sets the core's language and asks every widget to set its texts again
(``LanguageChange`` events, which Qt sends when a translator is installed or removed, and the
:attr:`Language.changed` signal).

Qt ships no bokmål catalogue (GUI.md §8: only nynorsk), so :class:`QtCatalogTranslator` serves
Qt's standard buttons, undo labels and context menus from ``resources/i18n/nb/qt.po``, whose
``msgctxt`` is Qt's translation context.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal

from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import (
    LANGUAGES,
    current_language,
    normalize_language,
    set_language,
)
from soknadspakke.core.pofile import parse_po_contexts
from soknadspakke.core.resources import resource_path

#: Shown in the language menu in the language itself, so a user who cannot read the current
#: one still finds their own.
LANGUAGE_NAMES = {"nb": "Norsk (bokmål)", "en": "English"}


@cache
def qt_catalogue(lang: str) -> dict[tuple[str | None, str], str]:
    """Qt's strings for ``lang`` (empty for English, Qt's own language)."""
    try:
        path = resource_path("i18n", lang, "qt.po")
    except SoknadError:
        return {}
    if not path.is_file():
        return {}
    return parse_po_contexts(path.read_text(encoding="utf-8-sig"), path)


class QtCatalogTranslator(QTranslator):
    """Translates Qt's own strings from a ``.po`` catalogue."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.catalogue = qt_catalogue(lang)

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None, not "": Qt takes an empty string for a translation (the shortcut "F%1" became
        # "" in bokmål), and only a null string for "not translated here".
        return self.catalogue.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return not self.catalogue


def system_language() -> str:
    """The user's language from the system locale, as one of the shipped languages."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("-", "_").split("_")[0].lower()
        if code in ("nb", "no", "nn", "en"):
            return normalize_language(code)
    return normalize_language(QLocale.system().name())


class Language(QObject):
    """The window's current language; :attr:`changed` fires after a switch."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.translator: QtCatalogTranslator | None = None

    @property
    def current(self) -> str:
        return current_language()

    def apply(self, lang: str) -> None:
        """Switch every text of the program (and Qt's) to ``lang``; no restart needed."""
        lang = normalize_language(lang)
        if lang not in LANGUAGES:  # pragma: no cover - normalize_language maps to one
            return
        set_language(lang)
        QLocale.setDefault(QLocale(QLocale.Language.NorwegianBokmal, QLocale.Country.Norway)
                           if lang == "nb" else QLocale(QLocale.Language.English,
                                                        QLocale.Country.UnitedKingdom))
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
        translator = QtCatalogTranslator(lang, self)
        if not translator.isEmpty():
            QCoreApplication.installTranslator(translator)
            self.translator = translator
        self.changed.emit(lang)
