"""Signs of signing: a signature field or image (intake's hint), or the pack's words for one."""

from __future__ import annotations

from soknadspakke.core.findings import Evidence
from soknadspakke.rules.consistency.run import Run
from soknadspakke.rules.consistency.text import label_re
from soknadspakke.rules.schema import ConsistencyCheck


def check_signature(run: Run, check: ConsistencyCheck) -> None:
    words = label_re(check.words, prefix=True)
    assert words is not None
    for doc, texts in run.documents(check.types):
        if doc.path in run.signed or any(words.search(t) for t in texts):
            continue
        last = len(texts)
        run.add(check, doc, [Evidence(doc.path, last, "")], page=last)
