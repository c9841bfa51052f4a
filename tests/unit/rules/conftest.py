"""Fixtures for the rules tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from soknadspakke.core import i18n


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)
