"""Property tests: the engine never raises, whatever the answers and documents; ``ready`` is
exactly "no error findings"; evaluation is deterministic."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soknadspakke.core.i18n import LANGUAGES
from soknadspakke.core.project import Document, Project, ProjectInfo
from soknadspakke.rules.answers import answer_problems
from soknadspakke.rules.engine import evaluate

from .builders import PACK, TODAY, answers

QUESTION_IDS = [q.id for q in PACK.questions]
TYPE_IDS = [t.id for t in PACK.document_types]
CHOICE_IDS = sorted({c.id for q in PACK.questions for c in q.choices})
OPTION_VALUES = sorted({c.id for o in PACK.options for c in o.choices})

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                      st.text(max_size=12), st.sampled_from(CHOICE_IDS))
json_value = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8)
plausible = st.one_of(
    st.sampled_from(CHOICE_IDS), st.booleans(),
    st.lists(st.sampled_from([*CHOICE_IDS, "other:X", "other:", "other: "]), max_size=4),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)).map(date.isoformat),
    st.sampled_from(["2018-07-19", "2018-07-20", "20.7.2018", ""]))
answer_value = st.one_of(plausible, json_value)
answer_key = st.one_of(st.sampled_from([*QUESTION_IDS, "era", "risk_class"]),
                       st.text(max_size=10))
answers_st = st.dictionaries(answer_key, answer_value, max_size=16)
# Mostly-valid answers: the base answers of either kind with a few replaced or removed.
varied_answers = st.builds(
    lambda kind, changes, drops: {k: v for k, v in {**answers(kind), **changes}.items()
                                  if k not in drops},
    st.sampled_from(["new", "change"]),
    st.dictionaries(st.sampled_from(QUESTION_IDS), answer_value, max_size=3),
    st.sets(st.sampled_from(QUESTION_IDS), max_size=3))

type_id = st.one_of(st.sampled_from(TYPE_IDS), st.text(max_size=8))
documents_st = st.lists(st.builds(
    Document,
    path=st.text(alphabet="abcdef/._-{}", min_size=1, max_size=10),
    types=st.lists(type_id, max_size=4),
    sha256=st.none() | st.just("0" * 64),
    title=st.none() | st.text(max_size=8),
    data_owner=st.none() | st.sampled_from(["nav", "helsedataservice",
                                            "health_registries_rek", "other:Kreft", "x{y}"]),
    valid_until=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    updated_for_this_change=st.booleans()), max_size=8)
info_st = st.builds(
    ProjectInfo, title=st.text(max_size=6), project_leader=st.text(max_size=6),
    institution=st.text(max_size=6), org_number=st.text(alphabet="0123456789 a", max_size=11),
    contact_email=st.text(alphabet="ab@.{} ", max_size=8),
    period_start=st.none() | st.dates(), period_end=st.none() | st.dates())
options_st = st.dictionaries(st.sampled_from([o.id for o in PACK.options] + ["nope"]),
                             st.sampled_from([*OPTION_VALUES, "bogus"]), max_size=2)
today_st = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1))


def _rendered(evaluation: Any) -> str:
    """Every finding and satisfied requirement, rendered in every language, as JSON."""
    return json.dumps([[f.to_dict(lang, with_guidance=True) for f in evaluation.findings]
                       + [s.message.render(lang) for s in evaluation.satisfied]
                       for lang in LANGUAGES], ensure_ascii=False, sort_keys=True)


def _check(project: Project, options: dict[str, str], today: date) -> None:
    first = evaluate(project, PACK, options=options, today=today)
    assert first.ready == (not any(f.severity.value == "error" for f in first.findings))
    text = _rendered(first)  # every message renders in both languages
    second = evaluate(project, PACK, options=options, today=today)
    assert second.findings == first.findings
    assert second.satisfied == first.satisfied
    assert dict(second.facts) == dict(first.facts)
    assert _rendered(second) == text
    answer_problems(project, PACK)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_st, documents_st, info_st, options_st, today_st)
def test_never_raises_on_arbitrary_answers(answers_: dict[str, Any], docs: list[Document],
                                           info: ProjectInfo, options: dict[str, str],
                                           today: date) -> None:
    _check(Project(info, answers_, docs), options, today)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(varied_answers, documents_st, options_st, today_st)
def test_never_raises_on_nearly_valid_answers(answers_: dict[str, Any], docs: list[Document],
                                              options: dict[str, str], today: date) -> None:
    _check(Project(ProjectInfo(), answers_, docs), options, today)


@settings(max_examples=200, deadline=None)
@given(varied_answers, documents_st)
def test_missing_or_invalid_answers_block_readiness(answers_: dict[str, Any],
                                                   docs: list[Document]) -> None:
    ev = evaluate(Project(ProjectInfo(), answers_, docs), PACK, today=TODAY)
    if any(f.code in ("answer_missing", "invalid_answer") for f in ev.findings):
        assert not ev.ready
    for f in ev.findings:
        for lang in LANGUAGES:
            assert f.message.render(lang).strip()
