"""Translation catalogues: extract marked strings and compile them.

English is the source language (the msgids); bokmål lives in ``resources/i18n/nb/<area>.po``,
one catalogue per top-level part of the program (core, rules, intake, pdf, cli, gui, …) so that
parts can be translated independently. The program reads the .po files directly.

    python tools/i18n.py extract   # add new msgids to each area's .po, keep translations
    python tools/i18n.py check     # exit 1 if a marked msgid lacks a bokmål translation
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "desktop" / "soknadspakke"
I18N = ROOT / "resources" / "i18n"
LANGS = ("nb",)
KEYWORDS = {"_": None, "N_": None, "T": None, "tr": None, "translate": None}


def area_of(filename: str) -> str:
    first = Path(filename).parts[0]
    return first[:-3] if first.endswith(".py") else first


def extracted() -> dict[str, Catalog]:
    areas: dict[str, Catalog] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS):
        if not isinstance(message, str) or not message:
            continue
        area = area_of(filename)
        cat = areas.setdefault(area, Catalog(project="soknadspakke", locale=None))
        cat.add(message, locations=[(f"soknadspakke/{filename}", lineno)])
    return areas


def load(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(project="soknadspakke", locale=lang)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _without_dates(po: bytes) -> bytes:
    """A catalogue without its date headers (which change on every run)."""
    return b"\n".join(line for line in po.splitlines()
                      if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date')))


def extract() -> None:
    for lang in LANGS:
        for area, template in extracted().items():
            path = I18N / lang / f"{area}.po"
            catalog = load(path, lang)
            catalog.update(template, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            buf = io.BytesIO()
            write_po(buf, catalog, width=100, omit_header=False, sort_output=False,
                     ignore_obsolete=True)
            if _without_dates(buf.getvalue()) != _without_dates(
                    path.read_bytes() if path.exists() else b""):
                path.write_bytes(buf.getvalue())
            missing = [m.id for m in catalog if m.id and not m.string]
            print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} untranslated")


def check() -> int:
    """Every marked msgid has a bokmål translation, and every catalogue parses."""
    sys.path.insert(0, str(ROOT / "desktop"))
    from soknadspakke.core.pofile import load_catalogue

    problems = []
    wanted = {m.id for cat in extracted().values() for m in cat if m.id}
    for lang in LANGS:
        have = load_catalogue(I18N / lang)
        missing = sorted(wanted - set(have))
        problems += [f"{lang}: no translation for {msgid!r}" for msgid in missing]
    for problem in problems:
        print(problem)
    print(f"translations: {len(wanted)} msgids, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "extract":
        extract()
    elif command == "check":
        sys.exit(check())
    else:
        print(__doc__)
        sys.exit(2)
