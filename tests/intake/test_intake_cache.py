"""The cache: keyed by content, never re-reads known bytes, atomic, never holds secrets."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest

from soknadspakke.intake import (
    IntakeCache,
    TypeKeywords,
    default_cache_dir,
    inspect_file,
    page_texts,
    pdfread,
)
from soknadspakke.intake import cache as cache_module

from .conftest import FNR, codes, pdf_bytes, write

KEYWORDS = [TypeKeywords("research_protocol", ("protokoll",), ("forskningsprotokoll",)),
            TypeKeywords("dpia", ("dpia",), ("personvernkonsekvensvurdering",))]


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls of the page-text extractor."""
    calls: list[int] = []
    real = pdfread.page_text_checked

    def counting(page: object) -> tuple[str, str | None]:
        calls.append(1)
        return real(page)

    monkeypatch.setattr(pdfread, "page_text_checked", counting)
    return calls


def test_second_call_reads_nothing_again(inbox: Path, cache: IntakeCache,
                                         extractions: list[int]) -> None:
    path = write(inbox / "protokoll.pdf",
                 pdf_bytes(["Forskningsprotokoll", f"Deltaker {FNR}", "Slutt"]))
    first = inspect_file(path, cache=cache, keywords=KEYWORDS)
    assert len(extractions) == 3
    second = inspect_file(path, cache=cache, keywords=KEYWORDS)
    assert len(extractions) == 3  # served from the cache
    assert second == first
    assert page_texts(second, cache)[1].strip() == "Deltaker " + FNR
    assert len(extractions) == 3


def test_same_bytes_under_another_name(inbox: Path, cache: IntakeCache) -> None:
    data = pdf_bytes([f"Deltaker {FNR}"])
    first = inspect_file(write(inbox / "a.pdf", data), cache=cache)
    other = inspect_file(write(inbox / "kopi av a.pdf", data), cache=cache)
    assert other.sha256 == first.sha256 and other.path.name == "kopi av a.pdf"
    assert other.pdf_path == inbox / "kopi av a.pdf"
    (found,) = [f for f in other.findings if f.code == "personal_id_number"]
    assert found.files == ("kopi av a.pdf",) and found.page == 1
    assert "kopi av a.pdf" in found.message.render("nb")


def test_suggestions_follow_the_keywords_given(inbox: Path, cache: IntakeCache) -> None:
    path = write(inbox / "vedlegg.pdf", pdf_bytes(["Personvernkonsekvensvurdering (DPIA)"]))
    assert inspect_file(path, cache=cache).suggested_types == ()
    again = inspect_file(path, cache=cache, keywords=KEYWORDS)
    assert [s.type_id for s in again.suggested_types] == ["dpia"]


def test_changed_bytes_are_read_again(inbox: Path, cache: IntakeCache,
                                      extractions: list[int]) -> None:
    path = write(inbox / "notat.pdf", pdf_bytes(["Versjon 1"]))
    inspect_file(path, cache=cache)
    write(path, pdf_bytes(["Versjon 2", "Ny side"]))
    result = inspect_file(path, cache=cache)
    assert result.pages == 2 and len(extractions) == 3


def test_version_bump_invalidates(inbox: Path, tmp_path: Path, extractions: list[int],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(inbox / "notat.pdf", pdf_bytes(["Tekst"]))
    inspect_file(path, cache=IntakeCache(tmp_path / "c"))
    monkeypatch.setattr(cache_module, "INTAKE_FORMAT_VERSION",
                        cache_module.INTAKE_FORMAT_VERSION + 1)
    inspect_file(path, cache=IntakeCache(tmp_path / "c"))
    assert len(extractions) == 2


def test_corrupt_entry_is_ignored_and_rewritten(inbox: Path, cache: IntakeCache) -> None:
    path = write(inbox / "notat.pdf", pdf_bytes(["Tekst"]))
    result = inspect_file(path, cache=cache)
    entry = cache.folder / result.sha256[:2] / f"{result.sha256}.json"
    entry.write_text("{not json", encoding="utf-8")
    assert inspect_file(path, cache=cache) == result
    assert json.loads(entry.read_text(encoding="utf-8"))["sha256"] == result.sha256


def test_missing_converted_pdf_means_a_miss(inbox: Path, cache: IntakeCache) -> None:
    path = write(inbox / "skript.txt", b"tabulate kjonn\n")
    result = inspect_file(path, cache=cache)
    assert result.pdf_path is not None
    result.pdf_path.unlink()
    again = inspect_file(path, cache=cache)
    assert again.pdf_path is not None and again.pdf_path.is_file()


def test_unwritable_cache_still_works(inbox: Path, tmp_path: Path) -> None:
    blocker = write(tmp_path / "not-a-folder", b"")
    result = inspect_file(write(inbox / "skript.txt", b"tabulate kjonn\n"),
                          cache=IntakeCache(blocker))
    assert result.usable and result.pdf_path is not None and result.pdf_path.is_file()


def test_two_threads_fill_the_same_entry(inbox: Path, cache: IntakeCache) -> None:
    paths = [write(inbox / f"kopi {n}.txt", b"tabulate kjonn alder\n" * 200) for n in range(2)]
    results: list[object] = []
    threads = [threading.Thread(target=lambda p=p: results.append(inspect_file(p, cache=cache)))
               for p in paths * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6
    assert all(r.usable for r in results)  # type: ignore[attr-defined]
    leftovers = [p for p in cache.folder.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_no_cache_puts_converted_pdfs_in_a_private_folder(inbox: Path) -> None:
    result = inspect_file(write(inbox / "skript.txt", b"tabulate kjonn\n"))
    assert result.pdf_path is not None and result.pdf_path.is_file()
    assert result.pdf_path.parent == cache_module.scratch_dir()
    assert inbox not in result.pdf_path.parents


@pytest.mark.parametrize(("platform", "env", "expected"), [
    ("win32", {"LOCALAPPDATA": "C:/Users/kari/AppData/Local"},
     Path("C:/Users/kari/AppData/Local/Soknadspakke/Cache")),
    ("darwin", {}, Path.home() / "Library" / "Caches" / "Soknadspakke"),
    ("linux", {"XDG_CACHE_HOME": "/tmp/xdg"}, Path("/tmp/xdg/soknadspakke")),
    ("linux", {}, Path.home() / ".cache" / "soknadspakke"),
])
def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, platform: str,
                           env: dict[str, str], expected: Path) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    for var in ("LOCALAPPDATA", "XDG_CACHE_HOME", "SOKNADSPAKKE_CACHE"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert default_cache_dir() == expected
    assert IntakeCache.default_cache_dir() == expected


def test_cache_dir_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOKNADSPAKKE_CACHE", str(tmp_path / "shared-cache"))
    assert default_cache_dir() == tmp_path / "shared-cache"


def test_findings_without_identity_numbers_in_cache(inbox: Path, cache: IntakeCache) -> None:
    result = inspect_file(write(inbox / "liste.pdf", pdf_bytes([f"Fnr: {FNR}"])), cache=cache)
    assert "personal_id_number" in codes(result)
    entry = (cache.folder / result.sha256[:2] / f"{result.sha256}.json").read_text("utf-8")
    assert FNR not in entry  # the result never repeats the number (the page text does)
