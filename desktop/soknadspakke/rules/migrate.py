"""Bringing a project written under an older version of a rule pack up to date.

A project file records the pack it was last opened with (``rule_pack: {id, version}``, see
:data:`soknadspakke.core.project.RULE_PACK_KEY`). The pack lists what changed after each earlier
version (``[[migrations]]``): renamed and removed questions, document types and answer values.
:func:`migrate_project` applies the changes since the file's version and says what it did, one
notice per change; it never drops a document, and an id that is neither renamed nor removed is
left as it is (the engine reports it: ``unknown_answer``, ``unknown_document_type``).

A file that names no pack version (written before versions were recorded, or under another
pack) gets every listed change, but only for ids this version of the pack does not know.
"""

from __future__ import annotations

from typing import Any

from soknadspakke.core.i18n import T, Text
from soknadspakke.core.project import RULE_PACK_KEY, Project
from soknadspakke.rules.schema import RulePack
from soknadspakke.rules.versions import Migration


def _written_under(project: Project, pack: RulePack) -> str | None:
    stamp = project.extra.get(RULE_PACK_KEY)
    if isinstance(stamp, dict) and stamp.get("id") == pack.id:
        version = stamp.get("version")
        return version if isinstance(version, str) else None
    return None


def _due(pack: RulePack, version: str | None) -> tuple[tuple[Migration, ...], bool]:
    """The migrations to apply and whether only ids the pack does not know are changed."""
    if version == pack.version:
        return (), False
    versions = [m.from_version for m in pack.migrations]
    if version in versions:
        return pack.migrations[versions.index(version):], False
    return pack.migrations, True


class _Migrator:
    def __init__(self, project: Project, pack: RulePack, careful: bool) -> None:
        self.project = project
        self.pack = pack
        self.careful = careful
        self.questions = {q.id for q in pack.questions}
        self.notices: list[Text] = []

    def known_question(self, qid: str) -> bool:
        return self.careful and qid in self.questions

    def known_type(self, tid: str) -> bool:
        return self.careful and self.pack.has_document_type(tid)

    def questions_renamed(self, m: Migration) -> None:
        answers = self.project.answers
        for old, new in m.questions.renamed.items():
            if old in answers and new not in answers and not self.known_question(old):
                value = answers[old]
                self.project.set_answer(old, None)
                self.project.set_answer(new, value)
                self.notices.append(T("The question “{old}” is now “{new}”; its answer was "
                                      "kept.", old=old, new=new))
        for old in m.questions.removed:
            if old in answers and not self.known_question(old):
                self.project.set_answer(old, None)
                self.notices.append(T("The question “{old}” is no longer asked; its answer "
                                      "was removed.", old=old))

    def answers_renamed(self, m: Migration) -> None:
        for qid, changes in m.answers.items():
            value = self.project.answers.get(qid)
            values = value if isinstance(value, list) else [value]
            known = self._values_of(qid)
            result: list[Any] = []
            for item in values:
                if not isinstance(item, str) or (self.careful and item in known):
                    result.append(item)
                elif item in changes.renamed:
                    result.append(changes.renamed[item])
                    self.notices.append(T("The answer “{old}” to “{question}” is now “{new}”.",
                                          old=item, question=qid, new=changes.renamed[item]))
                elif item in changes.removed:
                    self.notices.append(T("The answer “{old}” to “{question}” no longer "
                                          "exists; it was removed.", old=item, question=qid))
                else:
                    result.append(item)
            if result != values:
                self.project.set_answer(qid, result if isinstance(value, list) else (
                    result[0] if result else None))

    def _values_of(self, qid: str) -> set[str]:
        if qid not in self.questions:
            return set()
        return set(self.pack.question(qid).choice_ids())

    def document_types_renamed(self, m: Migration) -> None:
        changes = m.document_types
        for index, doc in enumerate(self.project.documents):
            types: list[str] = []
            for tid in doc.types:
                if self.known_type(tid):
                    types.append(tid)
                elif tid in changes.renamed:
                    types.append(changes.renamed[tid])
                    self.notices.append(T("{file}: the document type “{old}” is now “{new}”.",
                                          file=doc.path, old=tid, new=changes.renamed[tid]))
                elif tid in changes.removed:
                    self.notices.append(T("{file}: the document type “{old}” no longer "
                                          "exists; choose the document's type again.",
                                          file=doc.path, old=tid))
                else:
                    types.append(tid)
            if types != doc.types:
                self.project.update_document(index, types=list(dict.fromkeys(types)))


def migrate_project(project: Project, pack: RulePack) -> tuple[Text, ...]:
    """Apply the pack's changes since the version ``project`` was written under, record this
    pack and version in it, and return what changed (empty: nothing), the first notice naming
    the versions."""
    written = _written_under(project, pack)
    due, careful = _due(pack, written)
    migrator = _Migrator(project, pack, careful)
    for m in due:
        migrator.questions_renamed(m)
        migrator.answers_renamed(m)
        migrator.document_types_renamed(m)
    project.extra[RULE_PACK_KEY] = {"id": pack.id, "version": pack.version}
    if not migrator.notices:
        return ()
    head = T("The application was written under version {old} of the rule pack “{pack}”; it "
             "was brought up to version {new}:", old=written or "?", pack=pack.name,
             new=pack.version)
    return (head, *migrator.notices)
