"""Validating an application: the rules engine plus checks of the files on disk.

This is the use case behind ``soknadspakke validate``, the GUI's live findings and the first
step of a build. File checks (codes):

``document_file_missing``  the file a document names is not there
``document_unreadable``    it cannot be read (permissions, a folder, …)
``document_changed``       its content differs from the sha256 recorded when it was added
``document_not_fingerprinted`` no sha256 recorded yet (info; ``add`` records one)
``duplicate_document``     the same content (or the same path) is attached twice
``package_too_large``      the attachments together exceed the pack's size warning
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from soknadspakke.core.findings import Finding, Severity, count_by_severity, sort_findings
from soknadspakke.core.i18n import Plain, T, render, translate
from soknadspakke.core.project import Document, Project
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.intake import IntakeCache, IntakeResult, TypeKeywords, inspect_file
from soknadspakke.rules.engine import Evaluation, evaluate
from soknadspakke.rules.schema import RulePack

REPORT_FORMAT = "soknadspakke-report/1"
_CHUNK = 1024 * 1024

#: Extra checks of one document's file (e.g. intake findings): ``(document, path, sha256)``.
FileFindings = Callable[[Document, Path, str], Sequence[Finding]]


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileState:
    """What validation found on disk for one document."""

    path: Path
    exists: bool
    size: int = 0
    sha256: str | None = None


@dataclass(frozen=True)
class Report:
    """Everything validation found, ready for the CLI, the GUI and the cover sheet."""

    pack: RulePack
    evaluation: Evaluation
    findings: tuple[Finding, ...]
    files: Mapping[str, FileState]

    @property
    def ready(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def counts(self) -> dict[Severity, int]:
        return count_by_severity(self.findings)

    def to_dict(self, lang: str) -> dict[str, Any]:
        """The public JSON report (``soknadspakke validate --format json``)."""
        counts = self.counts()
        return {
            "format": REPORT_FORMAT,
            "ready": self.ready,
            "rule_pack": {"id": self.pack.id, "version": self.pack.version},
            "summary": {s.value: counts[s] for s in Severity},
            "facts": {k: (v.isoformat() if isinstance(v, date) else v)
                      for k, v in self.evaluation.facts.items() if v is not None},
            "findings": [f.to_dict(lang, with_guidance=True) for f in self.findings],
            "satisfied": [{"rule": s.rule, "document_types": list(s.document_types),
                           "files": list(s.files), "source": list(s.source),
                           "message": s.message.render(lang)}
                          for s in self.evaluation.satisfied],
        }


def _hash_all(paths: Sequence[Path], cancel: CancelFn | None
              ) -> dict[Path, concurrent.futures.Future[str]]:
    """Start hashing every existing file on a few threads (hashlib and file reads release the
    GIL, so this uses every core); missing files are left to the caller."""
    def hash_one(path: Path) -> str:
        check_cancel(cancel)
        return sha256_of(path)

    workers = max(1, min(4, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = {p: pool.submit(hash_one, p) for p in dict.fromkeys(paths) if p.is_file()}
        concurrent.futures.wait(futures.values())
    return futures


def check_files(project: Project, pack: RulePack, *, file_findings: FileFindings | None = None,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                ) -> tuple[list[Finding], dict[str, FileState]]:
    """Check every document's file: there, readable, unchanged, not attached twice."""
    findings: list[Finding] = []
    states: dict[str, FileState] = {}
    seen_sha: dict[str, str] = {}
    seen_path: set[str] = set()
    total = len(project.documents)
    hashes = _hash_all([project.resolve(d) for d in project.documents], cancel)
    for index, doc in enumerate(project.documents):
        check_cancel(cancel)
        if progress:
            progress(index, total, Plain(doc.path))
        path = project.resolve(doc)
        if doc.path in seen_path:
            findings.append(Finding(Severity.WARNING, "duplicate_document", T(
                "{file} is listed twice. Remove one of the entries.", file=doc.path),
                files=(doc.path,)))
            continue
        seen_path.add(doc.path)
        if not path.exists():
            states[doc.path] = FileState(path, exists=False)
            findings.append(Finding(Severity.ERROR, "document_file_missing", T(
                "{file} is not there (looked for {path}). Put the file back, or remove the "
                "document from the application.", file=doc.path, path=str(path)),
                files=(doc.path,), document_types=tuple(doc.types)))
            continue
        try:
            if not path.is_file():
                raise IsADirectoryError(str(path))
            size = path.stat().st_size
            pending = hashes.get(path)
            sha = pending.result() if pending is not None else sha256_of(path)
        except OSError as exc:
            states[doc.path] = FileState(path, exists=True)
            findings.append(Finding(Severity.ERROR, "document_unreadable", T(
                "{file} cannot be read ({reason}). Check that it is a file you may read.",
                file=doc.path, reason=exc.strerror or type(exc).__name__),
                files=(doc.path,), document_types=tuple(doc.types)))
            continue
        states[doc.path] = FileState(path, exists=True, size=size, sha256=sha)
        if doc.sha256 is None:
            findings.append(Finding(Severity.INFO, "document_not_fingerprinted", T(
                "{file} has no recorded fingerprint (sha256). Add it again to record one, so "
                "that later changes to the file are noticed.", file=doc.path),
                files=(doc.path,)))
        elif doc.sha256 != sha:
            findings.append(Finding(Severity.ERROR, "document_changed", T(
                "{file} has changed since it was added. Check that it is the right version, "
                "then add it again to accept the change.", file=doc.path),
                files=(doc.path,), document_types=tuple(doc.types)))
        if sha in seen_sha:
            findings.append(Finding(Severity.WARNING, "duplicate_document", T(
                "{file} has the same content as {other}. Is the same document attached twice?",
                file=doc.path, other=seen_sha[sha]), files=(doc.path, seen_sha[sha])))
        else:
            seen_sha[sha] = doc.path
        if file_findings is not None:
            findings.extend(file_findings(doc, path, sha))
    if progress:
        progress(total, total, Plain(""))
    size_check = pack.checks.get("package_size")
    if size_check is not None:
        limit_mb = float(size_check.parameters.get("max_mb", 20))
        total_bytes = sum(s.size for s in states.values())
        if total_bytes > limit_mb * 1024 * 1024:
            findings.append(Finding(
                size_check.severity, "package_too_large",
                size_check.message.format(size=f"{total_bytes / (1024 * 1024):.1f}",
                                          limit=f"{limit_mb:g}"),
                source=size_check.source,
                guidance={s: pack.guidance[s] for s in size_check.source if s in pack.guidance}))
    return findings, states


def type_keywords(pack: RulePack) -> list[TypeKeywords]:
    """The rule pack's keywords for intake's tag suggestions."""
    return [TypeKeywords(t.id, t.keywords_filename, t.keywords_content)
            for t in pack.document_types]


class IntakeFindings:
    """Intake findings per document for validation, with the results kept for the build.

    Documents are already tagged, so no type suggestions are computed (on a cache hit
    nothing but the cached result is read).
    """

    def __init__(self, passwords: Mapping[str, str], cache: IntakeCache | None) -> None:
        self.passwords = passwords
        self.cache = cache
        self.results: dict[str, IntakeResult] = {}

    def password_for(self, doc: Document) -> str | None:
        return self.passwords.get(doc.path) or self.passwords.get(Path(doc.path).name)

    def __call__(self, doc: Document, path: Path, sha256: str) -> Sequence[Finding]:
        result = inspect_file(path, password=self.password_for(doc), cache=self.cache,
                              sha256=sha256)
        self.results[doc.path] = result
        return result.findings


def validate_project(project: Project, pack: RulePack, *, options: Mapping[str, str] | None = None,
                     today: date | None = None, files: bool = True,
                     file_findings: FileFindings | None = None,
                     progress: ProgressFn | None = None, cancel: CancelFn | None = None
                     ) -> Report:
    """Check an application: rules, and (with ``files``) the files on disk."""
    evaluation = evaluate(project, pack, options=options, today=today)
    found = list(evaluation.findings)
    states: dict[str, FileState] = {}
    if files:
        file_results, states = check_files(project, pack, file_findings=file_findings,
                                           progress=progress, cancel=cancel)
        found += file_results
    return Report(pack, evaluation, tuple(sort_findings(found)), states)


_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}


def _wrap(text: str, indent: str, width: int = 92) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False) or [indent]


def format_report_text(report: Report, lang: str, *, title: str = "",
                       with_guidance: bool = True) -> str:
    """A readable checklist: the verdict, then what is wrong, what to check, what is fine."""
    def tr(msgid: str, **params: object) -> str:
        return T(msgid, **params).render(lang)

    counts = report.counts()
    lines: list[str] = []
    heading = tr("Check of “{title}”", title=title) if title else tr("Check of the application")
    lines.append(heading)
    lines.append(tr("Rule pack: {name} (version {version})", name=report.pack.name,
                    version=report.pack.version))
    verdict = tr("READY to send") if report.ready else tr("NOT READY")
    lines.append(tr("Result: {verdict} (errors: {errors}, warnings: {warnings}, notes: {info})",
                    verdict=verdict, errors=counts[Severity.ERROR],
                    warnings=counts[Severity.WARNING], info=counts[Severity.INFO]))
    sections = ((Severity.ERROR, tr("Errors (must be fixed):")),
                (Severity.WARNING, tr("Warnings (check these):")),
                (Severity.INFO, tr("Notes:")))
    for severity, header in sections:
        items = [f for f in report.findings if f.severity is severity]
        if not items:
            continue
        lines += ["", header]
        for finding in items:
            label = f"[{finding.rule}] " if finding.rule else ""
            first = _wrap(f"{label}{finding.message.render(lang)}", "    ")
            first[0] = f"  {_MARK[severity]} " + first[0][4:]
            lines += first
            if with_guidance:
                for sid, text in finding.guidance.items():
                    quote = tr("{source} says: “{text}”", source=sid, text=text.render(lang))
                    lines += _wrap(quote, "      ")
    if report.evaluation.satisfied:
        lines += ["", tr("In order:")]
        for item in report.evaluation.satisfied:
            files = ", ".join(item.files)
            line = f"[{item.rule}] {item.message.render(lang)}" + (f" ({files})" if files else "")
            wrapped = _wrap(line, "    ")
            wrapped[0] = "  ✓ " + wrapped[0][4:]
            lines += wrapped
    return "\n".join(lines) + "\n"


def fact_label(pack: RulePack, key: str, value: Any, lang: str) -> str:
    """A derived fact's value as text (``era`` → "fra 20.7.2018 eller senere (GDPR)")."""
    for derived in pack.derived:
        if derived.id == key and value in derived.values_labels:
            return derived.values_labels[value].render(lang)
    return render(value, lang) if value is not None else translate("—", lang)
