"""Translation of every user-visible string; bokmål (``nb``) and English (``en``) both ship.

Program strings are English msgids in gettext catalogues under ``resources/i18n``; mark them
with ``_()`` (translate now, in the current language), ``N_()`` (mark only) or ``T()`` (a lazy
message rendered later in whatever language the output uses). Text that comes from a rule pack
carries both languages itself (:class:`LocalText`).

Catalogues are read straight from ``resources/i18n/<lang>/*.po`` (one per part of the
program). Add new msgids with ``python tools/i18n.py extract``; ``check`` lists untranslated ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol, runtime_checkable

from soknadspakke.core.errors import SoknadError
from soknadspakke.core.pofile import load_catalogue
from soknadspakke.core.resources import resource_path

LANGUAGES: tuple[str, ...] = ("nb", "en")
DEFAULT_LANGUAGE = "nb"

_current = DEFAULT_LANGUAGE


@runtime_checkable
class Text(Protocol):
    """Something that can be shown to a user in either language."""

    def render(self, lang: str) -> str: ...


def normalize_language(lang: str | None) -> str:
    """Map ``nb``, ``no``, ``nn``, ``nb_NO.UTF-8``, ``en_GB`` … to a shipped language."""
    if not lang:
        return DEFAULT_LANGUAGE
    # language[_territory][.codeset][@modifier], e.g. "en@quot" (GNU gettext) or "no_NO@euro"
    code = lang.replace("-", "_").split("@")[0].split(".")[0].split("_")[0].lower()
    if code in ("nb", "no", "nn", "nob"):
        return "nb"
    if code == "en":
        return "en"
    return DEFAULT_LANGUAGE


def default_language() -> str:
    """The language from the environment (``SOKNADSPAKKE_LANG``, then the locale variables)."""
    for var in ("SOKNADSPAKKE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        # The C locale ("C", "C.UTF-8", Debian's "C.utf8", "POSIX") names no language.
        if value and value.split(".")[0] not in ("C", "POSIX"):
            return normalize_language(value.split(":")[0])
    return DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> dict[str, str]:
    """The catalogue for ``lang``: ``msgid -> translation`` (English is the msgid itself).

    Without a resources folder the msgids are shown, so that a broken installation can still
    print ``--help`` and say what is wrong.
    """
    try:
        folder = resource_path("i18n", normalize_language(lang))
    except SoknadError:
        return {}
    return load_catalogue(folder)


def set_language(lang: str) -> None:
    """Set the language that ``_()`` translates into."""
    global _current  # noqa: PLW0603 - one process-wide UI language, like gettext.install
    _current = normalize_language(lang)


def current_language() -> str:
    """The language ``_()`` translates into."""
    return _current


def translate(msgid: str, lang: str) -> str:
    """``msgid`` in ``lang``."""
    return translations(lang).get(msgid, msgid)


def _(msgid: str) -> str:
    """``msgid`` in the current language."""
    return translate(msgid, _current)


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``msgid`` for extraction without translating it."""
    return msgid


def render(value: object, lang: str) -> str:
    """Render a :class:`Text`, a list of them, or a plain value as text in ``lang``."""
    kind = type(value)
    if kind is str or kind is int or kind is float:
        return str(value)  # the common cases, without the slow protocol check below
    if isinstance(value, (Msg, Plain, LocalText, Text)):  # concrete ones first: fast
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(render(v, lang) for v in value)
    return str(value)


class Plain(str):
    """Text that is the same in every language (a file name, a number): a ``str`` that is
    also a :class:`Text`."""

    __slots__ = ()

    def render(self, lang: str) -> str:
        return str(self)


@dataclass(frozen=True)
class Msg:
    """A program message, translated when rendered: ``T("{n} files", n=3)``."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        text = translate(self.msgid, lang)
        if not self.params:
            return text
        return text.format(**{k: render(v, lang) for k, v in self.params.items()})


def T(msgid: str, **params: object) -> Msg:  # noqa: N802 - reads as a marker like _()
    """A lazy, translatable message with named ``{params}``."""
    return Msg(msgid, params)


def tr(msgid: str, lang: str, /, **params: object) -> str:
    """``msgid`` in ``lang`` with named ``{params}`` filled in: ``T(msgid, **params)`` rendered
    at once, for code that builds text in a language it is given rather than the current one."""
    return T(msgid, **params).render(lang)


@dataclass(frozen=True)
class LocalText:
    """Text that carries its own translations (rule packs): ``{"nb": …, "en": …}``."""

    texts: Mapping[str, str]

    def render(self, lang: str) -> str:
        lang = normalize_language(lang)
        if lang in self.texts:
            return self.texts[lang]
        for fallback in (DEFAULT_LANGUAGE, "en", *self.texts):
            if fallback in self.texts:
                return self.texts[fallback]
        return ""

    def format(self, **params: object) -> FormattedText:
        """This text with ``{params}`` filled in at render time."""
        return FormattedText(self, params)


@dataclass(frozen=True)
class FormattedText:
    """A :class:`Text` template with parameters, rendered per language."""

    template: Text
    params: Mapping[str, object]

    def render(self, lang: str) -> str:
        return self.template.render(lang).format(
            **{k: render(v, lang) for k, v in self.params.items()})


@dataclass(frozen=True)
class Joined:
    """Several texts joined by a separator (e.g. alternatives joined by " or ")."""

    parts: tuple[Text, ...]
    separator: Text

    def render(self, lang: str) -> str:
        return self.separator.render(lang).join(p.render(lang) for p in self.parts)


def join_texts(parts: Iterable[Text], separator: Text) -> Joined:
    """Join ``parts`` with a translated ``separator``."""
    return Joined(tuple(parts), separator)
