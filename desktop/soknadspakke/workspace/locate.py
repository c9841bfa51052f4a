"""Where the applications of a workspace are, and where an application's package goes."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from soknadspakke.build import PACKAGE_SUFFIX, package_file
from soknadspakke.core.i18n import LANGUAGES
from soknadspakke.core.project import PROJECT_SUFFIX


def find_applications(root: Path) -> list[Path]:
    """The ``.soknad`` files in ``root`` and in its immediate sub-folders, sorted.

    Hidden folders (``.git``, a sync tool's ``.dropbox.cache``), folders whose name starts
    with ``_`` (the administrator's ``_bibliotek`` of shared documents and templates) and
    hidden files (an atomic write's ``.name.part``, a lock) are skipped. Deeper folders are
    not searched: a workspace on a network drive can hold many thousands of attachment files.
    """
    found: list[Path] = []
    candidates = [root, *sorted(p for p in _children(root) if p.is_dir()
                                and not p.name.startswith((".", "_")))]
    for folder in candidates:
        found += sorted(p for p in _children(folder)
                        if p.suffix == PROJECT_SUFFIX and not p.name.startswith(".")
                        and not p.is_dir())
    return found


def _children(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def package_path(project_file: Path, lang: str, out_dir: Path | None = None) -> Path:
    """Where the package of ``project_file`` is written (beside it unless ``out_dir``)."""
    return package_file(project_file, lang, out_dir)


def existing_package(project_file: Path) -> Path | None:
    """The newest package beside ``project_file`` in any language, or ``None``."""
    best: tuple[float, Path] | None = None
    for lang in LANGUAGES:
        candidate = package_path(project_file, lang)
        try:
            mtime = candidate.stat().st_mtime
        except OSError:
            continue
        if best is None or mtime > best[0]:
            best = (mtime, candidate)
    return best[1] if best is not None else None


#: The e-mail draft's and the originals zip's names after the project file's stem.
DRAFT_SUFFIX = {"nb": "epost", "en": "email"}
ORIGINALS_SUFFIX = {"nb": "originaler", "en": "originals"}


def draft_path(project_file: Path, lang: str) -> Path:
    """Where the e-mail draft goes by default: beside the project file."""
    return project_file.with_name(
        f"{project_file.stem}-{DRAFT_SUFFIX.get(lang, DRAFT_SUFFIX['en'])}.eml")


def originals_path(package: Path, lang: str) -> Path:
    """The zip of the originals, beside its package."""
    stem = package.stem
    for suffix in PACKAGE_SUFFIX.values():
        stem = stem.removesuffix(f"-{suffix}")
    return package.with_name(f"{stem}-{ORIGINALS_SUFFIX.get(lang, ORIGINALS_SUFFIX['en'])}.zip")


COMPRESSED_SUFFIX = {"nb": "komprimert", "en": "compressed"}


def compressed_path(package: Path, lang: str) -> Path:
    """The compressed copy of a package, beside it."""
    suffix = COMPRESSED_SUFFIX.get(lang, COMPRESSED_SUFFIX["en"])
    return package.with_name(f"{package.stem}-{suffix}{package.suffix}")


_TRANSLITERATE = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "aa",
                                "Å": "Aa", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"})


def safe_file_name(name: str, *, index: int | None = None, max_stem: int = 60) -> str:
    """``name`` with only ``A–Z a–z 0–9 _ -`` in its stem and extension, e.g.
    ``"Tilrådning fra personvernombud (2).PDF"`` → ``"Tilraadning_fra_personvernombud_2.pdf"``.

    Norwegian letters are spelled out (æ → ae, ø → o, å → aa), accents dropped, everything else
    becomes ``_``. ``index`` prefixes a number (``03_…``) that keeps the original order.
    """
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 8:
        stem, ext = name, ""

    def clean(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
        text = "".join(c for c in text if not unicodedata.combining(c))
        return re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_-]", "_", text)).strip("_-")

    safe_stem = clean(stem)[:max_stem].strip("_-") or "vedlegg"
    safe_ext = clean(ext).lower()
    if index is not None:
        safe_stem = f"{index:02d}_{safe_stem}"
    return f"{safe_stem}.{safe_ext}" if safe_ext else safe_stem
