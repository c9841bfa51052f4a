"""Where the applications of a workspace are, and where an application's package goes."""

from __future__ import annotations

from pathlib import Path

from soknadspakke.core.i18n import LANGUAGES
from soknadspakke.core.project import PROJECT_SUFFIX

#: The package's file name after the project file's stem, per language.
PACKAGE_SUFFIX = {"nb": "soknadspakke", "en": "application-package"}


def find_applications(root: Path) -> list[Path]:
    """The ``.soknad`` files in ``root`` and in its immediate sub-folders, sorted.

    Hidden folders (``.git``, a sync tool's ``.dropbox.cache``) and hidden files (an atomic
    write's ``.name.part``) are skipped. Deeper folders are not searched: a workspace on a
    network drive can hold many thousands of attachment files.
    """
    found: list[Path] = []
    candidates = [root, *sorted(p for p in _children(root) if p.is_dir()
                                and not p.name.startswith("."))]
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
    suffix = PACKAGE_SUFFIX.get(lang, PACKAGE_SUFFIX["en"])
    folder = out_dir if out_dir is not None else project_file.parent
    return folder / f"{project_file.stem}-{suffix}.pdf"


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
