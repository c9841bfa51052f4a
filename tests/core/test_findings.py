"""Findings (the public ``validate --format json`` shape) and cancellation."""

from __future__ import annotations

import json

import pytest

from soknadspakke.core.errors import Cancelled
from soknadspakke.core.findings import (
    Finding,
    Severity,
    count_by_severity,
    has_errors,
    sort_findings,
)
from soknadspakke.core.i18n import LocalText, T
from soknadspakke.core.tasks import check_cancel, never_cancel, no_progress

TEXT = LocalText({"nb": "DPIA mangler", "en": "The DPIA is missing"})
BASE_KEYS = ["severity", "code", "rule", "document_types", "files", "source", "message"]


def finding(severity: Severity, code: str = "c", **kw: object) -> Finding:
    return Finding(severity, code, TEXT, **kw)  # type: ignore[arg-type]


def test_to_dict_shape() -> None:
    data = Finding(Severity.ERROR, "missing_document", TEXT, rule="N7",
                   document_types=("dpia", "dpia_negative"), source=("S12",)).to_dict("en")
    assert list(data) == BASE_KEYS
    assert data == {"severity": "error", "code": "missing_document", "rule": "N7",
                    "document_types": ["dpia", "dpia_negative"], "files": [],
                    "source": ["S12"], "message": "The DPIA is missing"}
    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert Finding(Severity.INFO, "x", TEXT).to_dict("nb")["rule"] is None
    assert Finding(Severity.INFO, "x", TEXT).to_dict("nb")["message"] == "DPIA mangler"


def test_page_and_field_only_when_set() -> None:
    with_page = finding(Severity.WARNING, files=("a.pdf",), page=1).to_dict("nb")
    assert list(with_page) == [*BASE_KEYS, "page"]
    assert with_page["page"] == 1
    assert with_page["files"] == ["a.pdf"]
    with_field = finding(Severity.WARNING, field="project.period_end").to_dict("nb")
    assert list(with_field) == [*BASE_KEYS, "field"]
    assert with_field["field"] == "project.period_end"
    both = finding(Severity.WARNING, page=3, field="x").to_dict("nb")
    assert list(both) == [*BASE_KEYS, "page", "field"]


def test_guidance_only_on_request() -> None:
    guided = finding(Severity.ERROR, source=("S12",),
                     guidance={"S12": LocalText({"nb": "Se veilederen", "en": "See the guide"})})
    assert "guidance" not in guided.to_dict("en")
    assert guided.to_dict("en", with_guidance=True)["guidance"] == {"S12": "See the guide"}
    assert "guidance" not in finding(Severity.ERROR).to_dict("en", with_guidance=True)
    # Guidance is filled in later by the engine and does not make findings different.
    assert guided == finding(Severity.ERROR, source=("S12",))


def test_sort_worst_first_and_stable() -> None:
    items = [finding(Severity.INFO, "i1"), finding(Severity.ERROR, "e1"),
             finding(Severity.WARNING, "w1"), finding(Severity.ERROR, "e2"),
             finding(Severity.INFO, "i2"), finding(Severity.WARNING, "w2")]
    assert [f.code for f in sort_findings(items)] == ["e1", "e2", "w1", "w2", "i1", "i2"]
    assert [f.code for f in sort_findings(iter(items[:2]))] == ["e1", "i1"]
    assert sort_findings([]) == []


def test_count_and_has_errors() -> None:
    items = [finding(Severity.INFO), finding(Severity.WARNING), finding(Severity.WARNING)]
    assert count_by_severity(items) == {Severity.ERROR: 0, Severity.WARNING: 2,
                                        Severity.INFO: 1}
    assert count_by_severity([]) == dict.fromkeys(Severity, 0)
    assert not has_errors(items)
    assert has_errors(iter([*items, finding(Severity.ERROR)]))
    assert [s.rank for s in Severity] == [0, 1, 2]


def test_check_cancel() -> None:
    check_cancel(None)
    check_cancel(never_cancel)
    check_cancel(lambda: False)
    with pytest.raises(Cancelled):
        check_cancel(lambda: True)
    no_progress(1, 2, T("x"))


def test_check_cancel_asks_each_time() -> None:
    answers = iter([False, False, True])
    check_cancel(lambda: next(answers))
    check_cancel(lambda: next(answers))
    with pytest.raises(Cancelled):
        check_cancel(lambda: next(answers))
