"""Settings for every test: a private intake cache, so tests never touch the user's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_intake_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOKNADSPAKKE_CACHE", str(tmp_path_factory.mktemp("intake-cache")))
        yield
