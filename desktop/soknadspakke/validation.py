"""Validating an application: the rules engine plus checks of the files on disk.

This is the use case behind ``soknadspakke validate``, the GUI's live findings and the first
step of a build. File checks (codes):

``document_file_missing``  the file a document names is not there
``document_outside_project`` its path leads (through a link) outside the project's folder;
                           it is never read, hashed or put in a package
``document_unreadable``    it cannot be read (permissions, a folder, …)
``document_changed``       its content differs from the sha256 recorded when it was added
``document_not_fingerprinted`` no sha256 recorded yet (info; ``add`` records one)
``duplicate_document``     the same content (or the same path) is attached twice
``package_too_large``      the attachments together exceed the pack's size warning
``library_document_changed`` a copy of a library document whose library file has changed since
``library_document_gone``  the library file a copy came from is no longer there (info)

With intake (:class:`IntakeFindings`), the rule pack's consistency checks read the documents'
cached text (:mod:`soknadspakke.rules.consistency`; codes are the pack's).
"""

from __future__ import annotations

import concurrent.futures
import os
import stat
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from soknadspakke.core import fingerprints
from soknadspakke.core.changes import ChangeSummary, DocumentChangeKind, compare_with_previous
from soknadspakke.core.findings import Finding, Severity, count_by_severity, sort_findings
from soknadspakke.core.fingerprints import SHARED, Fingerprints
from soknadspakke.core.i18n import Plain, T, render, tr, translate
from soknadspakke.core.library import library_findings
from soknadspakke.core.paths import outside_target
from soknadspakke.core.project import Document, Project
from soknadspakke.core.tasks import CancelFn, ProgressFn, check_cancel
from soknadspakke.intake import IntakeCache, IntakeResult, TypeKeywords, inspect_file
from soknadspakke.rules.consistency import check_consistency, types_read
from soknadspakke.rules.engine import Evaluation, evaluate
from soknadspakke.rules.schema import RulePack

REPORT_FORMAT = "soknadspakke-report/1"

#: Extra checks of one document's file (e.g. intake findings): ``(document, path, sha256)``.
FileFindings = Callable[[Document, Path, str], Sequence[Finding]]


def sha256_of(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    return fingerprints.sha256_of(path)


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
    #: A change application's differences from the earlier application it started from.
    changes: ChangeSummary | None = None

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
            **({"changes": self.changes.to_dict()} if self.changes is not None else {}),
        }


def _stat(path: Path) -> os.stat_result | OSError:
    try:
        st = path.stat()
    except OSError as exc:  # e.g. "File name too long": reported by the caller
        return exc
    except ValueError as exc:  # a NUL byte in the name
        return OSError(0, str(exc), str(path))
    if not stat.S_ISREG(st.st_mode):
        return IsADirectoryError(str(path))
    return st


def _hash_all(stats: Mapping[Path, os.stat_result | OSError], memory: Fingerprints,
              trust_stat: bool, cancel: CancelFn | None
              ) -> dict[Path, str | concurrent.futures.Future[str]]:
    """The sha256 of every regular file: remembered (``trust_stat`` and an unchanged
    ``stat``), or hashed on a few threads (hashlib and file reads release the GIL, so this
    uses every core). Files that could not be ``stat``-ed are left to the caller."""
    result: dict[Path, str | concurrent.futures.Future[str]] = {}
    todo: list[tuple[Path, os.stat_result]] = []
    for path, st in stats.items():
        if isinstance(st, OSError):
            continue
        known = memory.known(path, st) if trust_stat else None
        if known is not None:
            result[path] = known
        else:
            todo.append((path, st))
    if not todo:
        return result

    def hash_one(path: Path, st: os.stat_result) -> str:
        check_cancel(cancel)
        return memory.sha256(path, st, trust_stat=False)

    workers = max(1, min(4, os.cpu_count() or 1, len(todo)))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for path, st in todo:
            result[path] = pool.submit(hash_one, path, st)
        concurrent.futures.wait([f for f in result.values() if not isinstance(f, str)])
    return result


def check_files(project: Project, pack: RulePack, *, file_findings: FileFindings | None = None,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                fingerprints: Fingerprints | None = None, rehash: bool = False,
                ) -> tuple[list[Finding], dict[str, FileState]]:
    """Check every document's file: there, readable, unchanged, not attached twice.

    A file whose ``stat`` (device, inode, size, modification and status-change time) is the
    same as when ``fingerprints`` (default: the process's :data:`~soknadspakke.core.
    fingerprints.SHARED`) last hashed it is not read again; ``rehash`` reads every file. What
    that proves, and when, is described in :mod:`soknadspakke.core.fingerprints`.
    """
    findings: list[Finding] = []
    states: dict[str, FileState] = {}
    seen_sha: dict[str, str] = {}
    seen_path: set[str] = set()
    total = len(project.documents)
    memory = fingerprints if fingerprints is not None else SHARED
    base = project.base_dir
    outside = {d.path: target for d in project.documents
               if (target := outside_target(base, project.resolve(d))) is not None}
    stats = {path: _stat(path) for path in dict.fromkeys(
        project.resolve(d) for d in project.documents if d.path not in outside)}
    hashes = _hash_all(stats, memory, not rehash, cancel)
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
        if doc.path in outside:
            states[doc.path] = FileState(path, exists=False)
            findings.append(Finding(Severity.ERROR, "document_outside_project", T(
                "{file} leads to {target}, outside the project's folder {folder} (it is a "
                "link, or lies in a linked folder). Only files inside the project's folder go "
                "into the package: copy the file itself into the folder, or attach it again.",
                file=doc.path, target=str(outside[doc.path]), folder=str(base)),
                files=(doc.path,), document_types=tuple(doc.types)))
            continue
        st = stats[path]
        if isinstance(st, (FileNotFoundError, NotADirectoryError)):
            states[doc.path] = FileState(path, exists=False)
            findings.append(Finding(Severity.ERROR, "document_file_missing", T(
                "{file} is not there (looked for {path}). Put the file back, or remove the "
                "document from the application.", file=doc.path, path=str(path)),
                files=(doc.path,), document_types=tuple(doc.types)))
            continue
        try:
            if isinstance(st, OSError):
                raise st
            size = st.st_size
            pending = hashes[path]
            sha = pending if isinstance(pending, str) else pending.result()
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


#: Intake results of unchanged files, per process: ``(path, sha256, cache root) -> result``.
#: A result depends only on the content (the sha256), the path (the file name in its
#: messages) and the cache (where a converted copy lives); only usable results of files that
#: need no password are kept, so nothing that depends on this computer or a password is.
_RESULTS: dict[tuple[str, str, str], IntakeResult] = {}
_MAX_RESULTS = 4096


#: Asks for the password of an encrypted PDF (the document's path as written in the project);
#: ``None`` or "" when there is none.
AskPassword = Callable[[str], str | None]


class IntakeFindings:
    """Intake findings per document for validation, with the results kept for the build.

    Documents are already tagged, so no type suggestions are computed (on a cache hit
    nothing but the cached result is read). With ``ask_password``, an encrypted PDF for which
    no password was given is asked for right where validation meets it (one pass over the
    files: nothing is inspected twice); the answer is kept in :attr:`passwords` for the build,
    never stored anywhere else.
    """

    def __init__(self, passwords: Mapping[str, str], cache: IntakeCache | None, *,
                 ask_password: AskPassword | None = None) -> None:
        self.passwords: dict[str, str] = dict(passwords)
        self.cache = cache
        self.ask_password = ask_password
        self.results: dict[str, IntakeResult] = {}

    def password_for(self, doc: Document) -> str | None:
        return self.passwords.get(doc.path) or self.passwords.get(Path(doc.path).name)

    def texts_for(self, doc: Document) -> list[str] | None:
        """The page texts intake extracted for ``doc`` (from this run or the cache; never
        extracted again), or None when there are none."""
        result = self.results.get(doc.path)
        if result is None or not result.usable:
            return None
        if result.texts is not None:
            return list(result.texts)
        if self.cache is not None and result.sha256:
            texts = self.cache.load_texts(result.sha256)
            if texts is not None and len(texts) == result.pages:
                return texts
        return None

    def __call__(self, doc: Document, path: Path, sha256: str) -> Sequence[Finding]:
        password = self.password_for(doc)
        key = (str(path), sha256, str(self.cache.root) if self.cache is not None else "")
        known = _RESULTS.get(key) if password is None else None
        if known is not None and (known.pdf_path is None or known.pdf_path == path
                                  or known.pdf_path.is_file()):
            self.results[doc.path] = known
            return known.findings
        result = inspect_file(path, password=password, cache=self.cache, sha256=sha256)
        if (password is None and not result.encrypted and result.usable
                and result.sha256 == sha256):
            if len(_RESULTS) >= _MAX_RESULTS:
                _RESULTS.pop(next(iter(_RESULTS)))
            _RESULTS[key] = result
        if result.needs_password and password is None and self.ask_password is not None:
            password = self.ask_password(doc.path)
            if password:
                self.passwords[doc.path] = password
                result = inspect_file(path, password=password, cache=self.cache,
                                      sha256=sha256)
        self.results[doc.path] = result
        return result.findings


def consistency_findings(project: Project, pack: RulePack, intake: IntakeFindings,
                         facts: Mapping[str, Any], options: Mapping[str, str] | None
                         ) -> list[Finding]:
    """The pack's consistency checks over the texts intake has for the documents (read from
    this run or the cache, never extracted again)."""
    if not pack.consistency:
        return []
    wanted = types_read(pack)
    texts = {d.path: intake.texts_for(d) for d in project.documents if wanted & set(d.types)}
    signed = {d.path for d in project.documents
              if (r := intake.results.get(d.path)) is not None and r.signature_hint}
    return check_consistency(project, pack, facts, texts, verified=project.verified_findings(),
                             options=options, signed=signed)


def validate_project(project: Project, pack: RulePack, *, options: Mapping[str, str] | None = None,
                     today: date | None = None, files: bool = True,
                     file_findings: FileFindings | None = None,
                     progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                     fingerprints: Fingerprints | None = None, rehash: bool = False
                     ) -> Report:
    """Check an application: rules, and (with ``files``) the files on disk (see
    :func:`check_files` for ``fingerprints`` and ``rehash``)."""
    evaluation = evaluate(project, pack, options=options, today=today)
    found = list(evaluation.findings)
    states: dict[str, FileState] = {}
    if files:
        file_results, states = check_files(project, pack, file_findings=file_findings,
                                           progress=progress, cancel=cancel,
                                           fingerprints=fingerprints, rehash=rehash)
        found += file_results
        if isinstance(file_findings, IntakeFindings):
            found += consistency_findings(project, pack, file_findings, evaluation.facts,
                                          options)
        found += library_findings(project)
    return Report(pack, evaluation, tuple(sort_findings(found)), states,
                  compare_with_previous(project))


_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}


def _wrap(text: str, indent: str, width: int = 92) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False) or [indent]


def format_report_text(report: Report, lang: str, *, title: str = "",
                       with_guidance: bool = True) -> str:
    """A readable checklist: the verdict, then what is wrong, what to check, what is fine."""
    counts = report.counts()
    lines: list[str] = []
    heading = (tr("Check of “{title}”", lang, title=title) if title
               else tr("Check of the application", lang))
    lines.append(heading)
    lines.append(tr("Rule pack: {name} (version {version})", lang, name=report.pack.name,
                    version=report.pack.version))
    verdict = tr("READY to send", lang) if report.ready else tr("NOT READY", lang)
    lines.append(tr("Result: {verdict} (errors: {errors}, warnings: {warnings}, notes: {info})",
                    lang,
                    verdict=verdict, errors=counts[Severity.ERROR],
                    warnings=counts[Severity.WARNING], info=counts[Severity.INFO]))
    sections = ((Severity.ERROR, tr("Errors (must be fixed):", lang)),
                (Severity.WARNING, tr("Warnings (check these):", lang)),
                (Severity.INFO, tr("Notes:", lang)))
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
            for evidence in finding.evidence:
                if evidence.text:
                    lines += _wrap(tr("Found in {file}, page {page}: “{text}”", lang,
                                      file=evidence.file, page=evidence.page or "?",
                                      text=evidence.text), "      ")
            if finding.suggestion is not None:
                lines += _wrap(tr("Suggestion: set {field} of {file} to {value}", lang,
                                  field=finding.suggestion.field, file=finding.suggestion.file,
                                  value=finding.suggestion.value), "      ")
            if finding.id is not None:
                lines += _wrap(tr("Checked by you ({id})", lang, id=finding.id) if finding.verified
                               else tr("Checked it? soknadspakke verify PROJECT {id}", lang,
                                       id=finding.id), "      ")
            if with_guidance:
                for sid, text in finding.guidance.items():
                    quote = tr("{source} says: “{text}”", lang, source=sid, text=text.render(lang))
                    lines += _wrap(quote, "      ")
    if report.changes is not None:
        lines += ["", tr("Compared with the earlier application:", lang)]
        for label, value in describe_changes(report.changes, report.pack, lang):
            lines += _wrap(f"{label}: {value}", "    ")
    if report.evaluation.satisfied:
        lines += ["", tr("In order:", lang)]
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


def answer_text(pack: RulePack, key: str, value: Any, lang: str) -> str:
    """A stored answer as the user chose it (choice labels, ja/nei, dates)."""
    if value is None or value in ([], ""):
        return translate("—", lang)
    try:
        question = pack.question(key)
    except KeyError:
        question = None
    if isinstance(value, bool):
        return T("yes").render(lang) if value else T("no").render(lang)
    if question is not None and question.choices:
        items = value if isinstance(value, list) else [value]
        return ", ".join(question.choice_label(str(v)).render(lang) for v in items)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


_FACT_LABELS = {"title": T("Project title"), "project_leader": T("Project leader"),
                "institution": T("Institution"), "org_number": T("Organisation number"),
                "ssb_reference": T("SSB's reference"), "contact_email": T("Contact"),
                "period_start": T("Project start"), "period_end": T("Project end")}


def describe_changes(changes: ChangeSummary, pack: RulePack, lang: str
                     ) -> list[tuple[str, str]]:
    """``(label, text)`` rows saying what changed since the earlier application.

    Used by the text report and the cover sheet: documents new, replaced and unchanged (and
    the earlier ones not enclosed again), then each project fact and answer that changed.
    """
    def names(kind: DocumentChangeKind) -> str:
        items = changes.of_kind(kind)
        if kind is DocumentChangeKind.REPLACED:
            return "; ".join(tr("{new} (replaces {old})", lang, new=d.path, old=d.previous_path)
                             for d in items)
        return "; ".join((d.path or d.previous_path or d.title) for d in items)

    rows: list[tuple[str, str]] = []
    if changes.previous_title or changes.previous_file:
        rows.append((tr("Earlier application", lang),
                     changes.previous_title or changes.previous_file))
    kinds = ((DocumentChangeKind.NEW, tr("New documents", lang)),
             (DocumentChangeKind.REPLACED, tr("Replaced documents", lang)),
             (DocumentChangeKind.UNCHANGED, tr("Unchanged documents", lang)),
             (DocumentChangeKind.NOT_ENCLOSED, tr("Not enclosed again", lang)))
    for kind, label in kinds:
        if changes.of_kind(kind):
            rows.append((label, names(kind)))
    for fact in changes.facts:
        label = _FACT_LABELS[fact.key].render(lang) if fact.key in _FACT_LABELS else fact.key
        rows.append((tr("Changed: {what}", lang, what=label), tr(
            "{before} → {after}", lang, before=fact.before or "—", after=fact.after or "—")))
    for answer in changes.answers:
        try:
            label = pack.question(answer.key).label.render(lang)
        except KeyError:
            label = answer.key
        rows.append((tr("Changed answer", lang), tr(
            "{question}: {before} → {after}", lang, question=label,
            before=answer_text(pack, answer.key, answer.before, lang),
            after=answer_text(pack, answer.key, answer.after, lang))))
    if len(rows) <= 1:
        rows.append((tr("Differences", lang), tr("none found", lang)))
    return rows
