"""The engine with a small pack of its own: behaviour the SSB pack does not exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from soknadspakke.core.project import Document, Project
from soknadspakke.rules.engine import evaluate
from soknadspakke.rules.loader import load_pack
from soknadspakke.rules.schema import RulePack

MINI = """
[pack]
id = "mini"
version = "1"
name = { nb = "Mini", en = "Mini" }

[guidance.S1]
nb = "Alt må med."
en = "Everything must be attached."

[[groups]]
id = "all"
label = { nb = "Alt", en = "All" }

[[questions]]
id = "flag"
kind = "bool"
label = { nb = "Flagg?", en = "Flag?" }
default = false

[[document_types]]
id = "a"
group = "all"
name = { nb = "A-dok", en = "A doc" }
short = { nb = "A", en = "A" }
description = { nb = "A", en = "A" }

[[document_types]]
id = "b"
group = "all"
name = { nb = "B-dok", en = "B doc" }
short = { nb = "B", en = "B" }
description = { nb = "B", en = "B" }

[[document_types]]
id = "c"
group = "all"
name = { nb = "C-dok", en = "C doc" }
short = { nb = "C", en = "C" }
description = { nb = "C", en = "C" }

[[requirements]]
id = "R1"
kind = "documents"
all_of = ["a", "b"]
severity = "error"
source = ["S1"]
message = { nb = "Legg ved {type}.", en = "Attach the {type}." }
[[requirements.also_accepts]]
type = "c"
severity = "warning"
when = "not flag"
message = { nb = "{type} i stedet for {types}.", en = "{type} instead of {types}." }
"""


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> RulePack:
    path: Path = tmp_path_factory.mktemp("pack") / "mini.toml"
    path.write_text(MINI, encoding="utf-8")
    return load_pack(path)


def codes(pack: RulePack, *docs: Document, flag: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    ev = evaluate(Project(answers={"flag": flag}, documents=list(docs)), pack)
    return [(f.code, f.document_types) for f in ev.findings if f.rule == "R1"]


def test_alternative_replaces_one_missing_type_only(mini: RulePack) -> None:
    c = Document("c.pdf", ["c"])
    assert codes(mini, c) == [("missing_document", ("a",)), ("missing_document", ("b",))]
    assert codes(mini, Document("a.pdf", ["a"]), c) == [("accepted_alternative", ("c",))]


def test_alternative_condition(mini: RulePack) -> None:
    docs = (Document("a.pdf", ["a"]), Document("c.pdf", ["c"]))
    assert codes(mini, *docs, flag=True) == [("missing_document", ("b",))]


def test_no_reminder_or_form_rules_in_another_pack(mini: RulePack) -> None:
    ev = evaluate(Project(answers={}, documents=[Document("a.pdf", ["a"]),
                                                 Document("b.pdf", ["b"])]), mini)
    assert ev.ready
    assert {f.code for f in ev.findings} == {"project_field_missing"}
    assert [s.rule for s in ev.satisfied] == ["R1"]
