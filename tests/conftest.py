"""Settings for every test: a private intake cache (tests never touch the user's), and English
as the language of messages that tests read (a test that checks bokmål sets it itself; the
language is restored after every test, here and nowhere else)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from soknadspakke.core import i18n


@pytest.fixture(autouse=True, scope="session")
def _private_intake_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOKNADSPAKKE_CACHE", str(tmp_path_factory.mktemp("intake-cache")))
        # In-process runs of the CLI pick their language from the environment.
        patch.setenv("SOKNADSPAKKE_LANG", "en")
        yield


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    """Every test starts in English and the program's language is restored after it.

    ``set_language`` is process-wide (the CLI's ``main`` and the window's language menu call it
    too), so a test may switch the language freely: this is the one place that undoes it.
    """
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)
