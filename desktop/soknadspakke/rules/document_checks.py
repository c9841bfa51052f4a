"""Checks of each document on its own and of the project's facts: its types (known, not too many,
allowed together, expected here), its data owner, its approval's validity; the title, people,
organisation number, period and e-mail address."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from soknadspakke.core.findings import Severity
from soknadspakke.core.i18n import T
from soknadspakke.core.idnumbers import is_valid_org_number
from soknadspakke.core.project import Document
from soknadspakke.rules.collector import AND, Collector

MAX_TYPES_PER_DOCUMENT = 2
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_each_document(run: Collector) -> None:
    """Each document's types, data owner and validity."""
    pack = run.pack
    checks = pack.checks
    owners = run.values.get(pack.data_owner_question) if pack.data_owner_question else None
    for doc in run.project.documents:
        name = doc.path
        if len(set(doc.types)) != len(doc.types):
            # The same type twice is that type once (a hand-edited project file).
            doc = replace(doc, types=list(dict.fromkeys(doc.types)))  # noqa: PLW2901
        unknown = [t for t in doc.types if not pack.has_document_type(t)]
        for type_id in unknown:
            run.add(Severity.ERROR, "unknown_document_type",
                    T("{file} is tagged “{type}”, which is not a document type of this "
                      "rule pack. Choose one of the listed types.", file=name,
                      type=type_id), types=[type_id], files=[name])
        if not doc.types:
            run.add(Severity.WARNING, "untyped_document",
                    T("{file} has no document type yet, so it counts for nothing. "
                      "Choose its type.", file=name), files=[name])
        if len(doc.types) > MAX_TYPES_PER_DOCUMENT:
            run.add(Severity.ERROR, "too_many_types",
                    T("{file} is tagged with {count} types; a file may serve as at most "
                      "two.", file=name, count=len(doc.types)),
                    types=doc.types, files=[name])
        elif len(doc.types) == MAX_TYPES_PER_DOCUMENT and not unknown:
            _check_dual(run, doc)
        for type_id in doc.types:
            if not pack.has_document_type(type_id):
                continue
            dtype = pack.document_type(type_id)
            if "unexpected_type" in checks and run.holds(dtype.expected_when) is False:
                c = checks["unexpected_type"]
                run.add(c.severity, "unexpected_document_type",
                        c.message.format(file=name, type=dtype.name),
                        types=[type_id], files=[name], source=c.source)
        if (doc.data_owner and "data_owner_not_selected" in checks
                and isinstance(owners, list) and doc.data_owner not in owners):
            c = checks["data_owner_not_selected"]
            run.add(c.severity, "data_owner_not_selected",
                    c.message.format(file=name, owner=doc.data_owner),
                    files=[name], source=c.source)
        _check_validity(run, doc)


def _check_dual(run: Collector, doc: Document) -> None:
    checks = run.pack.checks
    pair = frozenset(doc.types)
    never = [t for t in doc.types if run.pack.document_type(t).never_dual]
    if never and "never_dual" in checks:
        c = checks["never_dual"]
        run.add(c.severity, "never_dual",
                c.message.format(file=doc.path, type=run.pack.type_name(never[0])),
                types=doc.types, files=[doc.path], source=c.source)
    elif pair not in run.pack.allowed_dual_tags and "dual_tag" in checks:
        c = checks["dual_tag"]
        run.add(c.severity, "disallowed_dual_tag",
                c.message.format(file=doc.path, types=run.type_names(doc.types, AND)),
                types=doc.types, files=[doc.path], source=c.source)


def _check_validity(run: Collector, doc: Document) -> None:
    if doc.valid_until is None:
        return
    pack = run.pack
    if not any(pack.has_document_type(t) and pack.document_type(t).approval
               for t in doc.types):
        return
    checks = pack.checks
    until = doc.valid_until
    end = run.project.info.period_end
    params = {"file": doc.path, "date": until.isoformat(),
              "period_end": end.isoformat() if end else ""}
    if until < run.today and "approval_expired" in checks:
        c = checks["approval_expired"]
        run.add(c.severity, "approval_expired", c.message.format(**params),
                types=doc.types, files=[doc.path], source=c.source)
    elif end is not None and until < end and "approval_validity" in checks:
        c = checks["approval_validity"]
        run.add(c.severity, "approval_expires_before_period_end",
                c.message.format(**params), types=doc.types, files=[doc.path],
                source=c.source)
    if "approval_expires_soon" in checks and until >= run.today:
        c = checks["approval_expires_soon"]
        days = int(c.parameters.get("days", 60))
        if until <= run.today + timedelta(days=days):
            run.add(c.severity, "approval_expires_soon",
                    c.message.format(days=days, **params),
                    types=doc.types, files=[doc.path], source=c.source)


def check_project_facts(run: Collector) -> None:
    """The project's own facts: filled in, and well formed."""
    info = run.project.info
    labels = {"title": T("the project title"), "project_leader": T("the project leader"),
              "institution": T("the institution")}
    for key, label in labels.items():
        if not str(getattr(info, key)).strip():
            run.add(Severity.WARNING, "project_field_missing",
                    T("Fill in {what}: it goes on the cover sheet and must match the "
                      "application form.", what=label), field_name=f"project.{key}")
    if info.org_number and not is_valid_org_number(info.org_number):
        run.add(Severity.WARNING, "invalid_org_number",
                T("The organisation number {number} fails its check digit; check it "
                  "against the Brønnøysund Register.", number=info.org_number),
                field_name="project.org_number")
    if info.period_start and info.period_end and info.period_end < info.period_start:
        run.add(Severity.ERROR, "invalid_period",
                T("The project ends ({end}) before it starts ({start}).",
                  end=info.period_end.isoformat(), start=info.period_start.isoformat()),
                field_name="project.period_end")
    if info.contact_email and not _EMAIL_RE.match(info.contact_email):
        run.add(Severity.WARNING, "invalid_email",
                T("“{email}” does not look like an e-mail address.",
                  email=info.contact_email), field_name="project.contact_email")
