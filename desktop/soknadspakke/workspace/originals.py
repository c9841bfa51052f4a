"""A zip of the original files beside the package, for receivers who want the files themselves.

Each document's file once, in the package's order, named ``NN_<safe name>`` (the number is its
place in the package's index; the name uses only ``A–Z a–z 0–9 _ -``). The zip is written
atomically; the originals are only read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from soknadspakke.build import package_order
from soknadspakke.core.atomic import atomic_writer
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import _
from soknadspakke.core.project import Project
from soknadspakke.rules.schema import RulePack
from soknadspakke.workspace.locate import safe_file_name


@dataclass(frozen=True)
class OriginalsZip:
    path: Path
    #: ``(name in the zip, document path in the project)``, in order.
    entries: tuple[tuple[str, str], ...]


def write_originals_zip(project: Project, pack: RulePack, target: Path,
                        *, documents: list[str] | None = None) -> OriginalsZip:
    """Zip the documents' files (``documents``: only these paths, e.g. those in the package)."""
    order = [d for d in package_order(project, pack)
             if documents is None or d.path in documents]
    entries: list[tuple[str, str]] = []
    seen: set[str] = set()
    try:
        with atomic_writer(target) as handle, zipfile.ZipFile(
                handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for index, doc in enumerate(order, start=1):
                if doc.path in seen:
                    continue
                seen.add(doc.path)
                source = project.resolve(doc)
                try:
                    data = source.read_bytes()
                    moment = datetime.fromtimestamp(source.stat().st_mtime)
                except OSError as exc:
                    raise SoknadError(_("cannot be read ({reason})").format(
                        reason=exc.strerror), path=source) from None
                name = safe_file_name(doc.file_name, index=index)
                info = zipfile.ZipInfo(name, date_time=(max(moment.year, 1980), moment.month,
                                                        moment.day, moment.hour, moment.minute,
                                                        moment.second))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
                entries.append((name, doc.path))
    except OSError as exc:
        raise SoknadError(_("the zip could not be written ({reason})").format(
            reason=exc.strerror), path=target) from None
    return OriginalsZip(target, tuple(entries))
