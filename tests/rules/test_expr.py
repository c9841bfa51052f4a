"""The condition language: what it parses, what it refuses, and how it evaluates."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soknadspakke.rules.expr import (
    MISSING,
    ExpressionError,
    NeedsAnswer,
    evaluate_with,
    parse,
)


def ev(source: str, **values: Any) -> bool:
    return evaluate_with(parse(source), values)


@pytest.mark.parametrize("source", [
    "application_type == 'new' and era == 'pre_gdpr'",
    "personal_data and not health_research",
    "'new_variables' in change_types",
    "'x' not in change_types",
    "any_of(change_types, ['new_variables', 'extended_population'])",
    "all_of(a, ('x', 'y'))",
    "none_of(a, ['x'])",
    "other_data_owners",
    "opt.a12_pre_gdpr_not_low == 'in_addition'",
    "basis_covers_change == False or x != None",
    "(a or b) and not (c or d)",
    "n == 3",
])
def test_accepted(source: str) -> None:
    assert parse(source).source == source


@pytest.mark.parametrize(("source", "reason"), [
    ("len(change_types)", "may be called"),
    ("print('x')", "may be called"),
    ("__import__('os')", "may be called"),
    ("opt.x()", "may be called"),
    ("any_of(a)", "takes a name and a list"),
    ("any_of(a, ['x'], ['y'])", "takes a name and a list"),
    ("any_of(a, values=['x'])", "takes a name and a list"),
    ("a.b", "opt.<option>"),
    ("opt.a.b", "opt.<option>"),
    ("application_type.__class__", "opt.<option>"),
    ("(1).real", "opt.<option>"),
    ("a == b == c", "chained"),
    ("'a' in b in c", "chained"),
    ("a + b", "BinOp"),
    ("n == 1 + 1", "BinOp"),
    ("x == -1", "USub"),
    ("lambda: True", "Lambda"),
    ("a[0]", "Subscript"),
    ("a[0:1]", "Subscript"),
    ("a if b else c", "IfExp"),
    ("a < b", "Lt"),
    ("a is None", "Is"),
    ("[x for x in a]", "ListComp"),
    ("{'a': 1}", "Dict"),
    ("{'a'}", "Set"),
    ("f'{a}'", "JoinedStr"),
    ("(a := 1)", "NamedExpr"),
    ("x == 1.5", "unsupported constant"),
    ("x == b'a'", "unsupported constant"),
    ("a ==", "cannot parse"),
    ("", "cannot parse"),
    ("a\x00", "cannot parse"),
    ("import os", "cannot parse"),
])
def test_refused(source: str, reason: str) -> None:
    with pytest.raises(ExpressionError, match=reason):
        parse(source)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_raises_only_expression_error(source: str) -> None:
    try:
        expression = parse(source)
    except ExpressionError as exc:
        assert str(exc)
    else:
        assert expression.source == source


def test_names_and_comparisons() -> None:
    e = parse("application_type == 'new' and 'x' in change_types and opt.a == 'b' "
              "and any_of(owners, ['nav', 'rek']) and not flag")
    assert e.names() == {"application_type", "change_types", "opt.a", "owners", "flag"}
    assert sorted(e.comparisons()) == sorted([
        ("application_type", ["new"]), ("change_types", ["x"]), ("opt.a", ["b"]),
        ("owners", ["nav", "rek"])])


def test_comparisons_see_constants_on_either_side() -> None:
    assert ("era", ["pre_gpdr"]) in parse("'pre_gpdr' == era").comparisons()
    assert ("era", ["pre_gpdr", "post_gdpr"]) in parse(
        "era in ['pre_gpdr', 'post_gdpr']").comparisons()


def test_bare_opt_is_a_name() -> None:
    assert "opt" in parse("opt == 'x'").names()


# -- evaluation --------------------------------------------------------------------------------
def test_truth_of_values() -> None:
    assert ev("a", a=["x"]) and not ev("a", a=[]) and not ev("a", a=None)
    assert ev("not a", a=False) and not ev("not a", a=True)
    assert ev("a == 'x'", a="x") and not ev("a == 'x'", a="y") and ev("a != 'x'", a="y")
    assert ev("a == False", a=False) and not ev("a == False", a=None)


def test_in_with_lists_and_none() -> None:
    assert ev("'x' in a", a=["x", "y"]) and not ev("'z' in a", a=["x"])
    assert not ev("'x' in a", a=None) and ev("'x' not in a", a=None)
    assert not ev("'x' in a") and ev("'x' not in a")
    assert not ev("'x' in a", a="xyz")  # text is not a list: no substring matches
    assert ev("a in ['p', 'q']", a="q") and not ev("a in ['p', 'q']", a=None)


def test_set_functions() -> None:
    assert ev("any_of(a, ['x', 'q'])", a=["x", "y"])
    assert not ev("any_of(a, ['q'])", a=["x"]) and not ev("any_of(a, ['q'])", a=None)
    assert ev("all_of(a, ['x', 'y'])", a=["x", "y", "z"])
    assert not ev("all_of(a, ['x', 'q'])", a=["x"])
    assert ev("none_of(a, ['q'])", a=["x"]) and ev("none_of(a, ['q'])", a=None)
    assert not ev("none_of(a, ['x'])", a=["x"])
    assert ev("any_of(a, ['x'])", a="x")  # a single value counts as one item
    assert not ev("any_of(a, ['x'])", a=[["x"], {"x": 1}])  # nested values are ignored


def test_options() -> None:
    assert ev("opt.a == 'b'", **{"opt.a": "b"})
    assert not ev("opt.a == 'b'")


def test_missing_value_needs_an_answer() -> None:
    e = parse("a == 'x'")
    with pytest.raises(NeedsAnswer) as info:
        e.evaluate(lambda name: MISSING)
    assert info.value.name == "a"
    with pytest.raises(NeedsAnswer):
        parse("'x' in a").evaluate(lambda name: MISSING)
    with pytest.raises(NeedsAnswer):
        parse("any_of(a, ['x'])").evaluate(lambda name: MISSING)
    with pytest.raises(NeedsAnswer):
        parse("not a").evaluate(lambda name: MISSING)


def test_short_circuit_avoids_needs_answer() -> None:
    values: dict[str, Any] = {"kind": "new", "era": MISSING, "flag": True}
    look = values.__getitem__
    assert not parse("kind == 'change' and era == 'pre_gdpr'").evaluate(look)
    assert parse("kind == 'new' or era == 'pre_gdpr'").evaluate(look)
    assert parse("flag or era").evaluate(look)
    with pytest.raises(NeedsAnswer):
        parse("kind == 'new' and era == 'pre_gdpr'").evaluate(look)
    with pytest.raises(NeedsAnswer):
        parse("era == 'pre_gdpr' and kind == 'change'").evaluate(look)


def test_missing_is_a_singleton() -> None:
    assert MISSING is type(MISSING)() and repr(MISSING) == "MISSING"
