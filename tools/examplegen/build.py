"""Build the examples: read each example's manifest and source files, render every document
with the renderer its manifest names, and write the project file through the core
(:class:`~soknadspakke.core.project.Project` and
:func:`~soknadspakke.core.project_file.save_project`), so the examples always have the
format the program itself writes.
"""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from examplegen import markup, render_scan, render_sheet
from examplegen.common import FOOTER, SOURCE_DIR, fill, fill_all
from examplegen.pdf_base import PdfMeta, Sender, build_pdf
from examplegen.render_form import build_form, draw_blocks
from examplegen.render_story import story
from soknadspakke.core.project import Document, Project, ProjectInfo
from soknadspakke.core.project_file import save_project

#: The examples, in the order they are written: folder names under ``source/`` and the output.
EXAMPLES = ("ny-soknad", "endringssoknad")


@dataclass
class Context:
    """What every document of one example is rendered with."""

    source: Path
    names: dict[str, str]
    senders: dict[str, Sender | None] = field(default_factory=dict)

    def text(self, doc: dict[str, Any]) -> str:
        raw = (self.source / doc["source"]).read_text(encoding="utf-8")
        return fill(raw, self.names)

    def data(self, doc: dict[str, Any]) -> dict[str, Any]:
        with (self.source / doc["source"]).open("rb") as handle:
            result: dict[str, Any] = fill_all(tomllib.load(handle), self.names)
        return result


def _meta(doc: dict[str, Any]) -> PdfMeta:
    return PdfMeta(**doc["meta"])


def _render_story(doc: dict[str, Any], ctx: Context) -> bytes:
    blocks = markup.parse(ctx.text(doc))
    return build_pdf(lambda: story(blocks), _meta(doc),
                     sender=ctx.senders[doc.get("sender", "university")],
                     outline=doc.get("outline", False), expect_pages=doc.get("expect_pages"))


def _render_form(doc: dict[str, Any], ctx: Context) -> bytes:
    form = doc["form"]
    return build_form(draw_blocks(markup.parse(ctx.text(doc))), _meta(doc), form["heading"],
                      form["subheading"], pages=form["pages"])


RENDERERS: dict[str, Callable[[dict[str, Any], Context], bytes]] = {
    "story": _render_story,
    "form": _render_form,
    "sheet": lambda doc, ctx: render_sheet.render(ctx.data(doc)),
    "scan": lambda doc, ctx: render_scan.render(ctx.data(doc)),
    "text": lambda doc, ctx: ctx.text(doc).encode("utf-8"),
}


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _context(name: str, source_dir: Path, manifest: dict[str, Any]) -> Context:
    common = _load(source_dir / "common.toml")
    names = {**common["names"], "footer": FOOTER}
    info = manifest["project"]
    names |= {"title": info["title"], "ssb_reference": info["ssb_reference"]}
    senders: dict[str, Sender | None] = {"none": None}
    for key, raw in fill_all(common["senders"], names).items():
        senders[key] = Sender(raw["name"], raw["unit"], tuple(raw["address"]))
    return Context(source_dir / name, names, senders)


def _answer(value: Any) -> Any:
    """An answer as read from TOML, which has no null: ``{}`` stands for "no answer"."""
    return None if value == {} else value


def _document(doc: dict[str, Any], data: bytes) -> Document:
    return Document(doc["path"], types=list(doc["types"]), sha256=hashlib.sha256(data).hexdigest(),
                    title=doc["title"], data_owner=doc.get("data_owner"),
                    valid_until=doc.get("valid_until"),
                    updated_for_this_change=doc.get("updated_for_this_change", False))


def write_example(name: str, out: Path, source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Render the example ``name`` into ``out/name`` (replacing it); the files written."""
    manifest = _load(source_dir / name / "manifest.toml")
    ctx = _context(name, source_dir, manifest)
    manifest = fill_all(manifest, ctx.names)
    folder = out / name
    if folder.exists():
        shutil.rmtree(folder)
    written: list[Path] = []
    documents: list[Document] = []
    for doc in manifest["documents"]:
        data = RENDERERS[doc["render"]](doc, ctx)
        target = folder / doc["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        documents.append(_document(doc, data))
        written.append(target)
    answers = {key: _answer(value) for key, value in manifest["answers"].items()}
    project = Project(ProjectInfo(**manifest["project"]), answers, documents)
    written.append(save_project(project, folder / f"{name}.soknad"))
    return written
