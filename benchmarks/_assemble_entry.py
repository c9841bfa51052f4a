"""Build one package from a JSON spec, as a whole process (used by ``build_bench.py``).

    python benchmarks/_assemble_entry.py SPEC.json OUT.pdf

The JSON holds ``lang``, ``draft``, ``cover`` (``heading``, ``rows``, ``verdict``, ``ready``,
``findings``), ``metadata`` and ``documents`` (the :class:`PackageDocument` fields; paths as
strings).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from soknadspakke.pdf import (
    CoverSheet,
    PackageDocument,
    PackageMetadata,
    PackageSpec,
    assemble_package,
)


def load_spec(path: Path) -> PackageSpec:
    raw = json.loads(path.read_text(encoding="utf-8"))
    cover = raw["cover"]
    return PackageSpec(
        lang=raw["lang"],
        draft=raw.get("draft", False),
        cover=CoverSheet(cover["heading"], tuple(tuple(r) for r in cover["rows"]),
                         cover["verdict"], cover["ready"],
                         tuple(tuple(f) for f in cover.get("findings", ()))),
        documents=tuple(PackageDocument(
            pdf_path=Path(d["pdf_path"]), password=d.get("password"),
            type_ids=tuple(d["type_ids"]), type_label=d["type_label"],
            short_label=d["short_label"], title=d["title"], file_name=d["file_name"],
            sha256=d["sha256"],
            original_path=Path(d["original_path"]) if d.get("original_path") else None,
        ) for d in raw["documents"]),
        metadata=PackageMetadata(**raw["metadata"]),
        manifest_extra=raw.get("manifest_extra", {}),
    )


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    result = assemble_package(load_spec(Path(argv[1])), Path(argv[2]))
    print(json.dumps({"pages": result.pages, "size": result.size}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
