"""Top-1 accuracy of document-type suggestions over the test set in
``tests/intake/data/suggestion_set.toml``, content only (neutral file names) and with telling file
names, per language, with the misses.

    python benchmarks/suggest_accuracy.py

Targets: ≥ 85 % content only, ≥ 95 % with telling file names.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from tests.intake.suggestion_set import accuracy, load_set, top_one  # noqa: E402

from soknadspakke.rules.loader import default_pack  # noqa: E402


def main() -> int:
    pack = default_pack()
    attachments = load_set()
    types = len({a.type for a in attachments})
    print(f"{len(attachments)} attachments, {types} types")
    with tempfile.TemporaryDirectory() as folder:
        for telling, label, target in ((False, "content only", 0.85),
                                       (True, "with file names", 0.95)):
            results = top_one(pack, attachments, Path(folder), telling=telling)
            per_lang: dict[str, list[bool]] = defaultdict(list)
            for attachment, got in results:
                per_lang[attachment.lang].append(got == attachment.type)
            langs = ", ".join(f"{lang} {sum(v)}/{len(v)}" for lang, v in sorted(per_lang.items()))
            print(f"  {label:16s} top-1 {accuracy(results):6.1%}  ({langs}); target ≥ {target:.0%}")
            held = [(a, got) for a, got in results if a.set == "holdout"]
            if held:
                print(f"  {'':16s} held-out part only: {accuracy(held):6.1%} of {len(held)}")
            for attachment, got in results:
                if got != attachment.type:
                    name = attachment.name if telling else attachment.plain
                    print(f"      miss: {name!r} is {attachment.type}, suggested {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
