"""The intake cache: results, page texts and converted PDFs, keyed by the content's SHA-256.

Layout under the cache root (``intake-v<N>`` changes when :data:`INTAKE_FORMAT_VERSION` is
bumped, which invalidates everything cached before)::

    intake-v1/ab/ab12….json        the result, without the path (file names are filled in
                                   when it is used)
    intake-v1/ab/ab12….texts.json  the text of each page
    intake-v1/ab/ab12….pdf         a converted or repaired PDF

Every write is atomic, so two threads (or two program instances) may fill the same entry.
Encrypted PDFs are never cached: neither their text nor a decrypted copy is written anywhere.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from soknadspakke.core.atomic import (
    remove_stale_parts_in,
    write_bytes_atomic,
    write_text_atomic,
)
from soknadspakke.core.findings import Finding, Severity
from soknadspakke.core.i18n import Msg
from soknadspakke.intake.content import Content
from soknadspakke.intake.model import Kind, PageInfo, PdfSource

#: Bump when the cached JSON or the way results are computed changes.
INTAKE_FORMAT_VERSION = 3


def default_cache_dir() -> Path:
    """The per-user cache folder.

    Windows ``%LOCALAPPDATA%\\Soknadspakke\\Cache``, macOS ``~/Library/Caches/Soknadspakke``,
    elsewhere ``$XDG_CACHE_HOME/soknadspakke`` (``~/.cache/soknadspakke``).
    ``SOKNADSPAKKE_CACHE`` overrides all of them (tests, shared administrator machines).
    """
    override = os.environ.get("SOKNADSPAKKE_CACHE")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Soknadspakke" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Soknadspakke"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "soknadspakke"


class IntakeCache:
    """Cached intake results under ``root``; see the module docstring for the layout."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / f"intake-v{INTAKE_FORMAT_VERSION}"

    default_cache_dir = staticmethod(default_cache_dir)

    def _base(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def pdf_path(self, sha256: str) -> Path:
        """Where the converted or repaired PDF for ``sha256`` lives."""
        return self._base(sha256).with_suffix(".pdf")

    def copy_path(self, sha256: str, fmt: str) -> Path:
        """Where a cleaned copy of the original (e.g. a macro-free XLSX) for ``sha256`` lives."""
        return self._base(sha256).with_suffix(f".copy.{fmt}")

    def load_entry(self, sha256: str) -> dict[str, Any] | None:
        """The cached result for ``sha256``, or ``None`` (absent, unreadable or stale)."""
        data = _read_json(self._base(sha256).with_suffix(".json"))
        if not isinstance(data, dict) or data.get("version") != INTAKE_FORMAT_VERSION:
            return None
        if data.get("sha256") != sha256 or data.get("kind") not in _KIND_VALUES:
            return None  # (also a kind this version does not know)
        if data.get("pdf") == "cache" and not self.pdf_path(sha256).is_file():
            return None
        copy = data.get("copy")
        if copy is not None and not (isinstance(copy, dict) and isinstance(
                copy.get("format"), str) and self.copy_path(sha256, copy["format"]).is_file()):
            return None
        return data

    def load_texts(self, sha256: str) -> list[str] | None:
        """The cached page texts for ``sha256``, or ``None``."""
        data = _read_json(self._base(sha256).with_suffix(".texts.json"))
        if isinstance(data, list) and all(isinstance(t, str) for t in data):
            return data
        return None

    def store_pdf(self, sha256: str, pdf: bytes) -> Path:
        """Write a converted or repaired PDF; returns its path. Raises ``OSError``."""
        target = self.pdf_path(sha256)
        write_bytes_atomic(target, pdf)
        return target

    def store(self, sha256: str, entry: Mapping[str, Any], texts: list[str]) -> bool:
        """Write the texts, then the result (whose presence marks the entry complete).

        Returns False when the cache cannot be written (full disk, no permission): intake
        still works, it just is not remembered.
        """
        base = self._base(sha256)
        remove_stale_parts_in(base.parent)  # left by killed runs
        try:
            write_text_atomic(base.with_suffix(".texts.json"),
                              json.dumps(texts, ensure_ascii=False))
            write_text_atomic(base.with_suffix(".json"),
                              json.dumps(dict(entry), ensure_ascii=False, indent=1))
        except OSError:
            return False
        return True


_KIND_VALUES = tuple(k.value for k in Kind)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


_scratch_lock = threading.Lock()
_scratch: Path | None = None


def scratch_dir() -> Path:
    """A private temporary folder for converted PDFs when no cache is used (removed at exit)."""
    global _scratch  # noqa: PLW0603 - one folder per process, made on first use
    with _scratch_lock:
        if _scratch is None or not _scratch.is_dir():
            _scratch = Path(tempfile.mkdtemp(prefix="soknadspakke-intake-"))
            atexit.register(shutil.rmtree, _scratch, True)
        return _scratch


def place_pdf(cache: IntakeCache | None, sha256: str, pdf: bytes) -> Path:
    """Store a converted PDF in the cache (or the scratch folder) and return its path."""
    if cache is not None:
        with contextlib.suppress(OSError):
            return cache.store_pdf(sha256, pdf)
    target = scratch_dir() / f"{sha256}.pdf"
    write_bytes_atomic(target, pdf)
    return target


def place_copy(cache: IntakeCache | None, sha256: str, fmt: str, data: bytes) -> Path:
    """Store a cleaned copy of an original (cache or scratch folder) and return its path."""
    if cache is not None:
        with contextlib.suppress(OSError):
            target = cache.copy_path(sha256, fmt)
            write_bytes_atomic(target, data)
            return target
    target = scratch_dir() / f"{sha256}.copy.{fmt}"
    write_bytes_atomic(target, data)
    return target


# --- findings as JSON -----------------------------------------------------------------------

def msg_to_json(msg: Msg) -> dict[str, Any]:
    """A :class:`Msg` as JSON (parameters may be text, numbers or other messages)."""
    params: dict[str, Any] = {}
    for key, value in msg.params.items():
        if isinstance(value, Msg):
            params[key] = msg_to_json(value)
        elif value is None or isinstance(value, (str, int, float, bool)):
            params[key] = value
        else:
            raise TypeError(f"parameter {key!r} of {msg.msgid!r} cannot be cached")
    return {"msgid": msg.msgid, "params": params}


def msg_from_json(data: Mapping[str, Any], **override: object) -> Msg:
    """The :class:`Msg` saved by :func:`msg_to_json`, with ``override`` parameters."""
    params: dict[str, object] = {}
    for key, value in dict(data.get("params", {})).items():
        params[key] = msg_from_json(value) if isinstance(value, dict) else value
    params.update({k: v for k, v in override.items() if k in params})
    return Msg(str(data["msgid"]), params)


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """An intake finding as JSON (its message must be a :class:`Msg`)."""
    if not isinstance(finding.message, Msg):
        raise TypeError(f"finding {finding.code!r} has a message that cannot be cached")
    return {"severity": finding.severity.value, "code": finding.code, "page": finding.page,
            "message": msg_to_json(finding.message)}


def finding_from_json(data: Mapping[str, Any], file_name: str) -> Finding:
    """The finding saved by :func:`finding_to_json`, naming ``file_name``."""
    page = data.get("page")
    return Finding(Severity(data["severity"]), str(data["code"]),
                   msg_from_json(data["message"], file=file_name), files=(file_name,),
                   page=page if isinstance(page, int) else None)


# --- cache entries --------------------------------------------------------------------------

def content_to_entry(content: Content, sha256: str, size: int) -> dict[str, Any]:
    """The cache entry (JSON) for the analysed ``content`` of a file."""
    return {
        "version": INTAKE_FORMAT_VERSION, "sha256": sha256, "size": size,
        "kind": content.kind.value, "format": content.format,
        "page_info": [[p.width, p.height, p.rotation] for p in content.page_info],
        "encrypted": content.encrypted, "has_text": content.has_text,
        "has_forms": content.has_forms, "has_outline": content.has_outline,
        "signature_hint": content.signature_hint,
        "embed_original": content.embed_original,
        "pdf": content.pdf.value if content.pdf is not None else None,
        "copy": ({"format": content.copy_format, "sha256": content.copy_sha256}
                 if content.copy_file is not None else None),
        "findings": [finding_to_json(f) for f in content.findings],
    }


_PDF_SOURCES = {s.value: s for s in PdfSource}


def content_from_entry(entry: dict[str, Any], name: str, cache: IntakeCache) -> Content:
    """The :class:`Content` kept in ``entry`` (from :meth:`IntakeCache.load_entry`), its
    findings naming ``name``; without page texts."""
    sha = str(entry["sha256"])
    source = entry.get("pdf")
    pdf = _PDF_SOURCES.get(source) if isinstance(source, str) else None
    copy = entry.get("copy") if isinstance(entry.get("copy"), dict) else None
    return Content(
        copy_file=cache.copy_path(sha, str(copy["format"])) if copy else None,
        copy_format=str(copy["format"]) if copy else "",
        copy_sha256=str(copy.get("sha256", "")) if copy else "",
        kind=Kind(entry["kind"]), format=str(entry["format"]),
        findings=[finding_from_json(f, name) for f in entry.get("findings", [])],
        page_info=[PageInfo(float(w), float(h), int(r)) for w, h, r in entry["page_info"]],
        pdf=pdf,
        pdf_file=cache.pdf_path(sha) if pdf is PdfSource.CACHE else None,
        encrypted=bool(entry.get("encrypted")), has_text=bool(entry.get("has_text")),
        has_forms=bool(entry.get("has_forms")), has_outline=bool(entry.get("has_outline")),
        signature_hint=bool(entry.get("signature_hint")),
        embed_original=bool(entry.get("embed_original")))
