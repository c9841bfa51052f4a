"""Conditions in rule packs: a small, safe expression language.

Examples (as written in ``resources/rules/*.toml``)::

    application_type == 'new' and era == 'pre_gdpr'
    personal_data and not health_research
    'new_variables' in change_types
    any_of(change_types, ['new_variables', 'extended_population'])
    other_data_owners                       # true when the list is not empty
    opt.a12_pre_gdpr_change == 'in_addition'

Names are question ids, derived facts (``era``, ``risk_class``) or ``opt.<option id>``. The
loader checks every name and every quoted value against the pack, so a typo is an error when the
pack loads, not a silently false condition.

Evaluation is three-valued where it matters: a question that applies but has no answer makes the
condition *undecidable* (:class:`NeedsAnswer` is raised), which the engine reports as a missing
answer. ``and``/``or`` short-circuit, so ``application_type == 'change' and era == 'pre_gdpr'``
never asks for ``era`` in a new application.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from soknadspakke.core.i18n import _


class _Missing:
    """The value of a question that applies but is not answered."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class NeedsAnswer(Exception):  # noqa: N818 - a signal, not an error
    """Raised while evaluating: ``name`` applies but is not answered."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class ExpressionError(ValueError):
    """A condition that cannot be parsed or uses something not allowed."""


FUNCTIONS = frozenset({"any_of", "all_of", "none_of"})


@dataclass(frozen=True)
class Expr:
    """A parsed condition; call :meth:`evaluate` with the current values."""

    source: str
    tree: ast.Expression

    def evaluate(self, lookup: Callable[[str], Any]) -> bool:
        return bool(_truthy(_eval(self.tree.body, lookup)))

    def names(self) -> set[str]:
        """Every name the condition reads (``opt.x`` as ``opt.x``)."""
        found: set[str] = set()
        prefixes = {id(node.value) for node in ast.walk(self.tree)
                    if isinstance(node, ast.Attribute)}
        callees = {id(node.func) for node in ast.walk(self.tree) if isinstance(node, ast.Call)}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                found.add(f"{node.value.id}.{node.attr}")
            elif (isinstance(node, ast.Name) and id(node) not in prefixes
                  and id(node) not in callees):
                found.add(node.id)
        return found

    def comparisons(self) -> list[tuple[str, list[Any]]]:
        """``(name, [constants])`` pairs compared in the condition, for load-time checks."""
        pairs: list[tuple[str, list[Any]]] = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Compare):
                left, right = node.left, node.comparators[0]
                # 'x' in name, name in ['x', 'y'], name == 'x', 'x' == name
                if isinstance(node.ops[0], (ast.In, ast.NotIn)):
                    sides = ((right, left), (left, right))
                else:
                    sides = ((left, right), (right, left))
                for name_node, const in sides:
                    name = _name_of(name_node)
                    if name is not None:
                        pairs.append((name, _constants(const)))
                        break
            elif (isinstance(node, ast.Call) and len(node.args) == 2
                  and (name := _name_of(node.args[0])) is not None):
                pairs.append((name, _constants(node.args[1])))
        return pairs


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _constants(node: ast.expr) -> list[Any]:
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant)]
    return []


_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Compare,
            ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Name, ast.Load, ast.Constant, ast.List,
            ast.Tuple, ast.Call, ast.Attribute)


def parse(source: str) -> Expr:
    """Parse and check a condition. Raises :class:`ExpressionError` with the reason."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(_("cannot parse condition {source}: {reason}").format(
            source=repr(source), reason=exc.msg)) from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(_("{what} is not allowed in a condition ({source})").format(
                what=type(node).__name__, source=repr(source)))
        if isinstance(node, ast.Compare) and len(node.ops) != 1:
            raise ExpressionError(_("chained comparisons are not allowed ({source})").format(
                source=repr(source)))
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
                raise ExpressionError(_("only {functions} may be called ({source})").format(
                    functions=sorted(FUNCTIONS), source=repr(source)))
            if len(node.args) != 2 or node.keywords:
                raise ExpressionError(_("{function}() takes a name and a list ({source})").format(
                    function=node.func.id, source=repr(source)))
        if isinstance(node, ast.Attribute) and not (
                isinstance(node.value, ast.Name) and node.value.id == "opt"):
            raise ExpressionError(_("only opt.<option> may use a dot ({source})").format(
                source=repr(source)))
        if isinstance(node, ast.Constant) and not isinstance(node.value, (str, bool, int,
                                                                          type(None))):
            raise ExpressionError(_("unsupported constant {value} ({source})").format(
                value=repr(node.value), source=repr(source)))
    return Expr(source, tree)


def _truthy(value: Any) -> bool:
    if value is MISSING:
        raise AssertionError("MISSING must not reach a truth test")  # pragma: no cover
    return bool(value)


def _value(node: ast.expr, lookup: Callable[[str], Any]) -> Any:
    name = _name_of(node)
    if name is not None:
        value = lookup(name)
        if value is MISSING:
            raise NeedsAnswer(name)
        return value
    return _eval(node, lookup)


def _as_set(value: Any) -> set[Any]:
    if value is None:
        return set()
    if isinstance(value, (list, tuple, set, frozenset)):
        return {v for v in value if isinstance(v, (str, int, bool))}
    return {value}


def _eval(node: ast.expr, lookup: Callable[[str], Any]) -> Any:
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(_truthy(_eval(v, lookup)) for v in node.values)
        return any(_truthy(_eval(v, lookup)) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return not _truthy(_eval(node.operand, lookup))
    if isinstance(node, ast.Compare):
        return _compare(node, lookup)
    if isinstance(node, ast.Call):
        return _set_test(node, lookup)
    if isinstance(node, (ast.Name, ast.Attribute)):
        return _value(node, lookup)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, lookup) for e in node.elts]
    raise ExpressionError(_("unsupported expression {node}").format(  # pragma: no cover
        node=ast.dump(node)))


def _compare(node: ast.Compare, lookup: Callable[[str], Any]) -> Any:
    """``a == b``, ``a != b``, ``a in [...]``, ``a not in [...]`` (one operator)."""
    left = _value(node.left, lookup)
    right = _value(node.comparators[0], lookup)
    op = node.ops[0]
    if isinstance(op, ast.Eq):
        return left == right
    if isinstance(op, ast.NotEq):
        return left != right
    contained = isinstance(right, (list, tuple, set)) and left in right
    return contained if isinstance(op, ast.In) else not contained


def _set_test(node: ast.Call, lookup: Callable[[str], Any]) -> bool:
    """``any_of(name, [...])``, ``all_of(name, [...])``, ``none_of(name, [...])``."""
    assert isinstance(node.func, ast.Name)
    have = _as_set(_value(node.args[0], lookup))
    wanted = _as_set(_eval(node.args[1], lookup))
    if node.func.id == "any_of":
        return bool(have & wanted)
    if node.func.id == "all_of":
        return wanted <= have
    return not have & wanted


def evaluate_with(expr: Expr, values: Mapping[str, Any]) -> bool:
    """Evaluate against a plain mapping (absent names are ``None``); for tests and tools."""
    return expr.evaluate(values.get)
