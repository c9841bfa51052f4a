"""The build use case in-process: order, readiness, cancellation, progress."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from soknadspakke.build import NotReadyError, build_package, package_order
from soknadspakke.core.errors import Cancelled
from soknadspakke.core.project import Document, Project
from soknadspakke.core.project_file import load_project
from soknadspakke.intake import IntakeCache
from soknadspakke.rules.loader import default_pack

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "resources" / "examples" / "ny-soknad"


@pytest.fixture
def example(tmp_path: Path) -> Project:
    shutil.copytree(EXAMPLE, tmp_path / "ny-soknad")
    return load_project(tmp_path / "ny-soknad" / "ny-soknad.soknad")


def test_documents_follow_the_guidance_then_the_users_order() -> None:
    project = Project(documents=[
        Document("e.pdf", ["other"]), Document("d2.pdf", ["dpia"]),
        Document("a.pdf", ["application_form_new"]), Document("x.pdf", ["no_such_type"]),
        Document("d1.pdf", ["dpia_negative"]), Document("p.pdf", ["research_protocol"]),
        Document("u.pdf", []),
    ])
    order = [d.path for d in package_order(project, default_pack())]
    assert order == ["a.pdf", "p.pdf", "d2.pdf", "d1.pdf", "e.pdf", "x.pdf", "u.pdf"]


def test_build_reports_progress_up_to_the_end(example: Project, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = build_package(example, default_pack(), tmp_path / "pakke.pdf", lang="nb",
                           cache=IntakeCache(tmp_path / "cache"), today=date(2026, 11, 24),
                           progress=lambda done, total, _msg: seen.append((done, total)))
    assert result.path.is_file() and result.pages == 19
    totals = {total for _done, total in seen}
    assert len(totals) == 1
    dones = [done for done, _total in seen]
    assert dones == sorted(dones)
    assert dones[-1] == totals.pop()


@pytest.mark.parametrize("stop_after", [1, 5, 12])
def test_cancelling_leaves_no_file(example: Project, tmp_path: Path, stop_after: int) -> None:
    out = tmp_path / "pakke.pdf"
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > stop_after

    with pytest.raises(Cancelled):
        build_package(example, default_pack(), out, lang="nb",
                      cache=IntakeCache(tmp_path / "cache"), cancel=cancel)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pakke")] == []


def test_not_ready_raises_with_the_report(example: Project, tmp_path: Path) -> None:
    example.remove_document(0)  # the application form
    with pytest.raises(NotReadyError) as caught:
        build_package(example, default_pack(), tmp_path / "pakke.pdf", lang="en",
                      cache=IntakeCache(tmp_path / "cache"))
    assert not caught.value.report.ready
    assert "N1" in {f.rule for f in caught.value.report.findings}
    assert not (tmp_path / "pakke.pdf").exists()


def test_draft_leaves_out_what_cannot_be_used(example: Project, tmp_path: Path) -> None:
    broken = example.base_dir / "vedlegg" / "tom.pdf"
    broken.write_bytes(b"")
    example.add_document(Document("vedlegg/tom.pdf", ["other"]))
    result = build_package(example, default_pack(), tmp_path / "utkast.pdf", lang="nb",
                           draft=True, cache=IntakeCache(tmp_path / "cache"))
    assert result.skipped == ("vedlegg/tom.pdf",)
    assert result.pages == 19
    assert not result.report.ready


def test_the_requirements_page_links_each_document_and_marks_what_is_missing(
        example: Project, tmp_path: Path) -> None:
    import subprocess

    from pypdf import PdfReader
    from pypdf.generic import ArrayObject

    index = next(i for i, d in enumerate(example.documents) if "dpia" in d.types)
    example.remove_document(index)
    result = build_package(example, default_pack(), tmp_path / "utkast.pdf", lang="en",
                           draft=True, cache=IntakeCache(tmp_path / "cache"))
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(result.path), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")
    assert "Requirements and where they are met" in text
    n7 = next(line for line in text.splitlines() if line.strip().startswith("N7 "))
    assert "S12" in n7 and "Missing" in n7
    reader = PdfReader(result.path)
    starts = {p.first_page - 1 for p in result.assembly.placements}
    annots = reader.pages[1]["/Annots"].get_object()
    assert isinstance(annots, ArrayObject)
    targets = [reader.get_page_number(annot.get_object()["/Dest"][0].get_object())
               for annot in annots]
    rows = [r for r in result.report.evaluation.requirements if r.met]
    assert len(targets) == sum(len(r.files) for r in rows)
    assert set(targets) <= starts
    protocol = next(i for i, d in enumerate(result.documents) if "research_protocol" in d.types)
    first = result.assembly.placements[protocol].first_page
    n2 = next(line for line in text.splitlines() if line.strip().startswith("N2 "))
    assert f"{first}–{result.assembly.placements[protocol].last_page}" in n2
    assert first - 1 in targets


@pytest.mark.parametrize(("lang", "word"), [("en", "Reading"), ("nb", "Leser")])
def test_progress_messages_follow_the_callers_language(example: Project, tmp_path: Path,
                                                       lang: str, word: str) -> None:
    messages: list[str] = []
    build_package(example, default_pack(), tmp_path / "pakke.pdf", lang="en",
                  cache=IntakeCache(tmp_path / "cache"), today=date(2026, 11, 24),
                  progress=lambda _d, _t, message: messages.append(message.render(lang)))
    assert any(m.startswith(word) for m in messages), messages


def _pack_without_other(tmp_path: Path) -> Path:
    text = (REPO / "resources" / "rules" / "ssb-mikrodata.toml").read_text(encoding="utf-8")
    start = text.index('[[document_types]]\nid = "other"')
    end = text.index("\n[", start + 20) + 1  # the next table
    text = text[:start] + text[end:]
    text = text.replace('fallback_type = "other"\n', "")
    path = tmp_path / "no-other.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_pack_without_a_fallback_type_builds_untyped_documents(example: Project,
                                                                 tmp_path: Path) -> None:
    from soknadspakke.rules.loader import load_pack

    pack = load_pack(_pack_without_other(tmp_path))
    assert not pack.has_document_type("other") and pack.cover.fallback_type is None
    example.update_document(len(example.documents) - 1, types=[])
    result = build_package(example, pack, tmp_path / "pakke.pdf", lang="en", draft=True,
                           cache=IntakeCache(tmp_path / "cache"), today=date(2026, 11, 24))
    assert result.pages > 0
    assert result.assembly.path.is_file()


def test_cover_rows_come_from_the_pack(example: Project, tmp_path: Path) -> None:
    from soknadspakke.build import _cover
    from soknadspakke.validation import validate_project

    pack = default_pack()
    report = validate_project(example, pack, files=False, today=date(2026, 11, 24))
    cover = _cover(example, pack, report, "en", date(2026, 11, 24))
    labels = [label for label, _value in cover.rows]
    assert cover.heading == pack.cover.heading.render("en")  # type: ignore[union-attr]
    assert "Application" in labels and "Legal basis" in labels
    assert "SSB's reference" not in labels  # a new application: the row's condition is false
    example.set_answer("application_type", "change")
    report = validate_project(example, pack, files=False, today=date(2026, 11, 24))
    cover = _cover(example, pack, report, "nb", date(2026, 11, 24))
    assert ("SSBs referanse", example.info.ssb_reference or "—") in cover.rows
