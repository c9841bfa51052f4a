"""Where a project's files really are: links that leave the project folder, protected paths.

A document is stored as a path relative to the project file, and that path may not leave the
project's folder (:func:`~soknadspakke.core.project.normalize_relative_path`). That is not
enough on its own: a symbolic link (or a linked folder) inside the project's folder can point
anywhere, e.g. to ``/etc/passwd`` or a PDF elsewhere on the disk. Every document must therefore
*resolve*, links followed, inside the project's folder; :func:`outside_target` says where one
that does not really is.

:func:`same_file` compares two paths as the file system does (links and ``..`` followed, the
same file under two names included), for refusing to write a package over one of its inputs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import _


class OutsideProjectError(SoknadError):
    """A path inside the project's folder leads (through a link) to a file outside it."""


def real_path(path: Path) -> Path | None:
    """``path`` with every link followed, or ``None`` when that is impossible (a link loop,
    a name too long, no permission to look)."""
    try:
        return Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError, ValueError):
        return None


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or below it (both taken as they are, not resolved)."""
    try:
        Path(path).relative_to(folder)
    except ValueError:
        return False
    return True


def outside_target(folder: Path, path: Path) -> Path | None:
    """Where ``path`` really leads when that is outside ``folder`` (links followed); ``None``
    when it stays inside. A path whose real location cannot be found counts as outside."""
    real_folder = real_path(folder)
    real = real_path(path)
    if real_folder is None or real is None:
        return Path(path)
    return None if is_inside(real, real_folder) else real


def check_link_inside(file: Path, folder: Path) -> None:
    """Refuse ``file`` when it lies in ``folder`` by its name but leads outside it.

    Raises :class:`OutsideProjectError` naming the file and where it leads. A file that is
    outside ``folder`` by its name is the caller's business (``add`` copies such files in).
    """
    # abspath, not resolve: the name as given (".." folded), links not followed
    absolute = Path(os.path.abspath(file))  # noqa: PTH100
    in_folder = is_inside(absolute, Path(os.path.abspath(folder)))  # noqa: PTH100
    real_folder = real_path(folder)
    if not in_folder and real_folder is not None:
        in_folder = is_inside(absolute, real_folder)
    if not in_folder:
        return
    target = outside_target(folder, file)
    if target is not None:
        raise OutsideProjectError(_(
            "this is a link to {target}, outside the project's folder {folder}. Only files "
            "inside the project's folder can be attached: attach {target} itself (it is then "
            "copied into the project), or copy it into the folder.").format(
                target=target, folder=folder), path=file)


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file (links followed; hard links included)."""
    try:
        if Path(a).samefile(b):
            return True
    except (OSError, ValueError):
        pass
    real_a, real_b = real_path(a), real_path(b)
    return real_a is not None and real_a == real_b


def first_same_file(target: Path, candidates: Iterable[Path]) -> Path | None:
    """The first of ``candidates`` that is the same file as ``target``, or ``None``."""
    for candidate in candidates:
        if same_file(target, candidate):
            return candidate
    return None


class OutputRefusedError(SoknadError):
    """The package may not be written where it was asked to go."""


def check_output(out: Path, project_file: Path | None, documents: Iterable[Path]) -> None:
    """Refuse to write a package over the project file or any file the project refers to.

    Paths are compared as the file system does (:func:`same_file`), so ``./p.soknad``, a link
    to it or a hard link are all recognised. Raises :class:`OutputRefusedError`.
    """
    try:
        is_folder = Path(out).is_dir()
    except (OSError, ValueError):
        is_folder = False  # a name too long …: writing reports it
    if is_folder:
        raise OutputRefusedError(_(
            "this is a folder; give the package a file name, for example {example}").format(
                example=Path(out) / "application-package.pdf"), path=out)
    if project_file is not None and same_file(out, project_file):
        raise OutputRefusedError(_(
            "the package would overwrite the project file {file}; choose another file name "
            "for the package").format(file=project_file), path=out)
    document = first_same_file(out, documents)
    if document is not None:
        raise OutputRefusedError(_(
            "the package would overwrite {file}, a document of the application; choose "
            "another file name for the package").format(file=document), path=out)
