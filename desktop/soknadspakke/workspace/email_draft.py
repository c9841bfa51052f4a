"""A ready-to-send e-mail draft (``.eml``) with the package, to the agency's address.

``compose_drafts(project, pack, package, lang=…)`` makes one standard MIME message (RFC 5322):
``To`` the address in the rule pack's ``[submission]``, a subject with the project's title and
the kind of application, ``X-Unsent: 1`` (Outlook, Apple Mail and Thunderbird open it as a new,
unsent message), a short plain-text body in the chosen language listing the enclosed documents
(read from the package's own manifest), and as attachments the package PDF plus the original
spreadsheets. Attachment names use only ``A–Z a–z 0–9 _ -`` and one dot before the extension,
so every mail system and file system keeps them.

What counts against a mail server's limit is the encoded size: base64 makes every attachment
about 1.37 × larger. :func:`encoded_size` measures the message as it will be sent. When it is
over the pack's ``max_encoded_mb``, :func:`split_drafts` sends the package in parts (each
document whole; the cover sheet and index in the first e-mail, each e-mail listing its part),
or the caller offers a compressed build (:mod:`soknadspakke.pdf.compress`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from soknadspakke.core.atomic import write_bytes_atomic
from soknadspakke.core.errors import SoknadError
from soknadspakke.core.i18n import T, _, tr
from soknadspakke.core.project import Project
from soknadspakke.pdf.parts import PackageContents, PackagedDocument, read_package, write_part
from soknadspakke.rules.delivery import Submission
from soknadspakke.rules.schema import RulePack
from soknadspakke.workspace.locate import package_path, safe_file_name
from soknadspakke.workspace.status import last_change, type_label

#: File suffixes of spreadsheets that go along as originals (the receiver wants the cells).
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".csv"})
MIB = 1024 * 1024

def _mime_type(name: str) -> tuple[str, str]:
    suffix = Path(name).suffix.lower()
    return {".pdf": ("application", "pdf"),
            ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
            ".xls": ("application", "vnd.ms-excel"),
            ".ods": ("application", "vnd.oasis.opendocument.spreadsheet"),
            ".csv": ("text", "csv"),
            ".zip": ("application", "zip")}.get(suffix, ("application", "octet-stream"))


@dataclass(frozen=True)
class EmailAttachment:
    file_name: str
    data: bytes


@dataclass(frozen=True)
class Draft:
    message: EmailMessage
    attachments: tuple[EmailAttachment, ...]
    part: int = 1
    parts: int = 1

    @property
    def encoded_size(self) -> int:
        return encoded_size(self.message)


def up_to_date_package(project: Project, lang: str) -> Path | None:
    """The final package beside the project, when it is newer than the project and its files;
    ``None`` when it must be built (first) again."""
    if project.path is None:
        return None
    package = package_path(project.path, lang)
    try:
        built = package.stat().st_mtime
    except OSError:
        return None
    changed = last_change(project.path, project)
    if changed is not None and changed.timestamp() > built:
        return None
    if not read_package(package).final:  # a draft build: build the final package
        return None
    return package


def encoded_size(message: EmailMessage) -> int:
    """The message's size as sent: headers, body and base64-encoded attachments."""
    return len(message.as_bytes(policy=SMTP))


def submission_of(pack: RulePack) -> Submission:
    if pack.submission is None:
        raise SoknadError(_("the rule pack {pack} says nothing about where to send the "
                            "application ([submission])").format(pack=pack.id))
    return pack.submission


def size_limit(pack: RulePack) -> int:
    """The largest encoded e-mail the pack allows, in bytes."""
    return int(submission_of(pack).max_encoded_mb * MIB)


def spreadsheets(project: Project) -> list[Path]:
    """The original spreadsheets among the documents, in the user's order, each once."""
    seen: dict[Path, None] = {}
    for doc in project.documents:
        path = project.resolve(doc)
        if path.suffix.lower() in SPREADSHEET_SUFFIXES and path.is_file():
            seen.setdefault(path, None)
    return list(seen)


def _unique(names: list[str]) -> list[str]:
    """Make equal names distinct (``a.pdf``, ``a-2.pdf``)."""
    result: list[str] = []
    for name in names:
        candidate, n = name, 2
        stem, dot, ext = name.rpartition(".")
        while candidate in result:
            candidate = f"{stem}-{n}{dot}{ext}" if dot else f"{name}-{n}"
            n += 1
        result.append(candidate)
    return result


def _subject(project: Project, pack: RulePack, lang: str, part: int, parts: int) -> str:
    submission = submission_of(pack)
    subject = submission.subject.render(lang).format(
        title=project.info.title or T("Application package").render(lang),
        application_type=type_label(pack, pack.application_type(project.answers), lang),
        reference=project.info.ssb_reference)
    if parts > 1:
        subject += " " + T("(e-mail {part} of {parts})", part=part, parts=parts).render(lang)
    # One line: a title typed with a line break must not break (or inject into) the headers.
    return " ".join(subject.split())


def _document_lines(documents: Sequence[PackagedDocument], lang: str) -> list[str]:
    lines = []
    for doc in documents:
        pages = T("p. {first}–{last}", first=doc.first_page, last=doc.last_page).render(lang) \
            if doc.pages > 1 else T("p. {first}", first=doc.first_page).render(lang)
        lines.append(f"  {doc.position}. {doc.type_label}: {doc.title} ({pages})")
    return lines


def _body(project: Project, lang: str, contents: PackageContents, *,
          attachments: Sequence[EmailAttachment], package_names: Sequence[str],
          part_documents: Sequence[Sequence[PackagedDocument]], part: int, parts: int) -> str:
    info = project.info
    lines = [tr("Hello,", lang), ""]
    intro = tr("Enclosed is the application to borrow microdata for the project “{title}”.", lang,
               title=info.title or "—")
    if info.ssb_reference:
        intro += " " + tr("SSB's reference: {reference}.", lang, reference=info.ssb_reference)
    lines += [intro, ""]
    if parts > 1:
        lines += [tr("The application package is large, so it comes in {parts} e-mails. This "
                     "is e-mail {part} of {parts}.", lang, parts=parts, part=part), ""]
    if part == 1:
        lines.append(tr("The application package ({file}, {pages} pages) contains:", lang,
                        file=package_names[0] if parts == 1 else tr(
                            "{count} parts", lang, count=parts), pages=contents.pages))
        lines += _document_lines(contents.documents, lang)
        if parts > 1:
            lines.append("")
            for number, (name, docs) in enumerate(zip(package_names, part_documents,
                                                       strict=True), start=1):
                positions = ", ".join(str(d.position) for d in docs)
                if not docs:
                    lines.append(tr("  E-mail {number}: the original spreadsheets", lang,
                                    number=number))
                elif number == 1:
                    lines.append(tr("  E-mail {number}: {file} (cover sheet, index and "
                                    "documents {positions})", lang, number=number, file=name,
                                    positions=positions))
                else:
                    lines.append(tr("  E-mail {number}: {file} (documents {positions})", lang,
                                    number=number, file=name, positions=positions))
    elif part_documents[part - 1]:
        lines.append(tr("This e-mail holds {file}, with:", lang, file=package_names[part - 1]))
        lines += _document_lines(part_documents[part - 1], lang)
    originals = [a.file_name for a in attachments if not a.file_name.endswith(".pdf")]
    if originals:
        lines += ["", tr("The original spreadsheets are attached as well: {files}.", lang,
                         files=", ".join(originals))]
    lines += ["", tr("Best regards,", lang)]
    lines += [line for line in (info.project_leader, info.institution, info.contact_email)
              if line]
    return "\n".join(lines) + "\n"


def _message(pack: RulePack, lang: str, subject: str, body: str,
             attachments: Sequence[EmailAttachment]) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["To"] = submission_of(pack).email
    message["Subject"] = subject
    message["X-Unsent"] = "1"
    message["Content-Language"] = lang
    message.set_content(body, charset="utf-8")
    for item in attachments:
        maintype, subtype = _mime_type(item.file_name)
        message.add_attachment(item.data, maintype=maintype, subtype=subtype,
                               filename=item.file_name)
    return message


def _originals(project: Project, with_spreadsheets: bool) -> list[EmailAttachment]:
    if not with_spreadsheets:
        return []
    items = []
    for path in spreadsheets(project):
        try:
            items.append(EmailAttachment(safe_file_name(path.name), path.read_bytes()))
        except OSError as exc:
            raise SoknadError(_("cannot be read ({reason})").format(reason=exc.strerror),
                              path=path) from None
    return items


def compose_draft(project: Project, pack: RulePack, package: Path, *, lang: str,
                  with_spreadsheets: bool = True) -> Draft:
    """One e-mail with the whole package (and the spreadsheets)."""
    contents = read_package(package)
    originals = _originals(project, with_spreadsheets)
    names = _unique([safe_file_name(package.name)] + [a.file_name for a in originals])
    try:
        package_bytes = package.read_bytes()
    except OSError as exc:
        raise SoknadError(_("cannot be read ({reason})").format(reason=exc.strerror),
                          path=package) from None
    attachments = [EmailAttachment(names[0], package_bytes)] + [
        EmailAttachment(name, item.data) for name, item in zip(names[1:], originals, strict=True)]
    body = _body(project, lang, contents, attachments=attachments, package_names=[names[0]],
                 part_documents=[contents.documents], part=1, parts=1)
    message = _message(pack, lang, _subject(project, pack, lang, 1, 1), body,
                       attachments)
    return Draft(message, tuple(attachments))


def split_drafts(project: Project, pack: RulePack, package: Path, *, lang: str,
                 with_spreadsheets: bool = True, limit: int | None = None) -> list[Draft]:
    """The package in parts, each e-mail under ``limit`` (default: the pack's).

    Documents stay whole and in order; the first part starts with the cover sheet and index.
    The spreadsheets go with the last e-mail (or one of their own when they do not fit).
    Raises :class:`SoknadError` when one document alone is over the limit.
    """
    limit = limit if limit is not None else size_limit(pack)
    contents = read_package(package)
    if not contents.documents:
        raise SoknadError(_("the package lists no documents"), path=package)
    stem = safe_file_name(package.stem, max_stem=50)
    front = (1, contents.front_matter_pages, T("Cover sheet and index").render(lang)) \
        if contents.front_matter_pages else None

    def ranges(docs: Sequence[PackagedDocument], first: bool) -> list[tuple[int, int, str]]:
        found = [front] if first and front else []
        return found + [(d.first_page, d.last_page, f"{d.position}. {d.title}") for d in docs]

    # Greedy: add documents to the current part while its PDF, base64-encoded with room for the
    # headers and body, stays under the limit.
    overhead = 64 * 1024

    def fits(docs: Sequence[PackagedDocument], first: bool) -> tuple[bool, bytes]:
        data = write_part(package, ranges(docs, first), title=stem)
        return _base64_size(len(data)) + overhead <= limit, data

    groups: list[tuple[list[PackagedDocument], bytes]] = []
    current: list[PackagedDocument] = []
    current_data = b""
    for doc in contents.documents:
        ok, data = fits([*current, doc], not groups)
        if ok:
            current.append(doc)
            current_data = data
            continue
        if not current:
            raise SoknadError(_("document {position} ({title}) alone is over the e-mail limit "
                                "of {limit} MB; build a compressed package instead").format(
                                    position=doc.position, title=doc.title,
                                    limit=f"{limit / MIB:g}"), path=package)
        groups.append((current, current_data))
        ok, data = fits([doc], False)
        if not ok:
            raise SoknadError(_("document {position} ({title}) alone is over the e-mail limit "
                                "of {limit} MB; build a compressed package instead").format(
                                    position=doc.position, title=doc.title,
                                    limit=f"{limit / MIB:g}"), path=package)
        current, current_data = [doc], data
    groups.append((current, current_data))
    originals = _originals(project, with_spreadsheets)
    extra_part = bool(originals) and (
        _base64_size(len(groups[-1][1]) + sum(len(o.data) for o in originals)) + overhead
        > limit)
    parts = len(groups) + (1 if extra_part else 0)
    names = [f"{stem}_del{n}.pdf" if lang == "nb" else f"{stem}_part{n}.pdf"
             for n in range(1, len(groups) + 1)]
    part_docs = [docs for docs, _data in groups]
    if extra_part:
        part_docs.append([])
    drafts = []
    for number in range(1, parts + 1):
        attachments: list[EmailAttachment] = []
        if number <= len(groups):
            attachments.append(EmailAttachment(names[number - 1], groups[number - 1][1]))
        if number == parts and originals:
            unique = _unique([a.file_name for a in attachments]
                             + [o.file_name for o in originals])
            attachments += [EmailAttachment(name, item.data)
                            for name, item in zip(unique[len(attachments):], originals,
                                                  strict=True)]
        body = _body(project, lang, contents, attachments=attachments,
                     package_names=names + ([""] if extra_part else []),
                     part_documents=part_docs, part=number, parts=parts)
        message = _message(pack, lang, _subject(project, pack, lang, number, parts),
                           body, attachments)
        drafts.append(Draft(message, tuple(attachments), number, parts))
    return drafts


def _base64_size(size: int) -> int:
    """Bytes of base64 for ``size`` bytes, in lines of 76 characters plus CRLF."""
    encoded = 4 * ((size + 2) // 3)
    return encoded + 2 * ((encoded + 75) // 76)


def draft_paths(target: Path, count: int) -> list[Path]:
    """``target`` for one draft; ``name-1.eml``, ``name-2.eml`` … for several."""
    if count == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{n}{target.suffix or '.eml'}")
            for n in range(1, count + 1)]


def write_drafts(drafts: Sequence[Draft], target: Path) -> list[Path]:
    """Write each draft atomically (CRLF line ends, as mail programs expect)."""
    paths = draft_paths(target, len(drafts))
    for draft, path in zip(drafts, paths, strict=True):
        write_bytes_atomic(path, draft.message.as_bytes(policy=SMTP))
    return paths
