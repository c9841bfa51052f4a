"""Intake's findings per document for validation, and the pack's consistency checks over the
texts intake read."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from soknadspakke.core.findings import Finding
from soknadspakke.core.project import Document, Project
from soknadspakke.intake import IntakeCache, IntakeResult, TypeKeywords, inspect_file
from soknadspakke.rules.consistency import check_consistency, types_read
from soknadspakke.rules.schema import RulePack


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
