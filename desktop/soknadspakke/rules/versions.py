"""Applications and packs over time: how a change application starts from the earlier one
(``[change_template]``), and what a newer pack version renamed or removed (``[[migrations]]``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChangeTemplate:
    """How a change application starts from the earlier application of the same project.

    The choice question ``question`` is answered ``value``; the answers in ``carry_answers``
    are copied as starting answers (the user checks them); documents are chosen anew.
    """

    question: str
    value: str
    carry_answers: tuple[str, ...] = ()
    source: tuple[str, ...] = ()


@dataclass(frozen=True)
class Renames:
    """Ids renamed (``old -> new``) and removed since a pack version."""

    renamed: Mapping[str, str] = field(default_factory=dict)
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Migration:
    """What changed after pack version ``from_version`` (``[[migrations]]``, oldest first): a
    project file written under that version (or an earlier listed one) is brought up to date
    when it is opened. ``answers`` holds, per question (its current id), renamed and removed
    answer values."""

    from_version: str
    questions: Renames = field(default_factory=Renames)
    document_types: Renames = field(default_factory=Renames)
    answers: Mapping[str, Renames] = field(default_factory=dict)
