"""The finding codes documented in ``soknadspakke.intake`` are exactly the codes that exist."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import soknadspakke.intake
from soknadspakke.intake import messages

#: A documented code: ````code```` followed by its severity in brackets.
_DOCUMENTED = re.compile(r"``([a-z_]+)``\s*\[(?:error|warning|info)\]")
_INTAKE = Path(soknadspakke.intake.__file__).parent


def _documented_codes() -> set[str]:
    return set(_DOCUMENTED.findall(soknadspakke.intake.__doc__ or ""))


def test_documented_codes_are_the_codes_that_exist() -> None:
    documented = _documented_codes()
    existing = set(messages.CODES)
    assert documented == existing, (
        "the finding codes documented in soknadspakke/intake/__init__.py (as ``code`` "
        "[severity]) differ from the builders in soknadspakke/intake/messages/:\n"
        f"  documented, but no builder: {sorted(documented - existing)}\n"
        f"  built, but not documented: {sorted(existing - documented)}")


def test_only_the_messages_module_makes_findings() -> None:
    """So :data:`messages.CODES` holds every code intake can give (the cache only rebuilds
    findings it was given)."""
    makers = []
    for path in sorted(_INTAKE.rglob("*.py")):
        if path.parent.name == "messages" or path.name == "cache.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute) \
                    and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) \
                    == "Finding":
                makers.append(f"{path.relative_to(_INTAKE)}:{node.lineno}")
    assert makers == [], f"findings made outside intake/messages/: {makers}"


@pytest.mark.parametrize("code", sorted(
    code for code, build in messages.BUILDERS.items()
    if len([p for p in inspect.signature(build).parameters.values()
            if p.default is inspect.Parameter.empty]) == 1))
def test_a_builder_gives_its_code_and_names_the_file(code: str) -> None:
    finding = messages.BUILDERS[code]("skjema.pdf")
    assert (finding.code, finding.files) == (code, ("skjema.pdf",))
    assert "skjema.pdf" in finding.message.render("en")
