"""Settings for every test: a private intake cache (tests never touch the user's), and English
as the language of messages that tests read (a test that checks bokmål sets it itself; the
language is restored after every test, here and nowhere else)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from soknadspakke.core import i18n, resources

REPO_RESOURCES = Path(__file__).resolve().parents[1] / "resources"


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


# -- resources and catalogues (the core and CLI tests) ---------------------------------------

def _clear_caches() -> None:
    resources.resources_root.cache_clear()
    i18n.translations.cache_clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Clear the resources and catalogue caches before and after the test."""
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture
def resources_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A resources folder with the repository's real catalogues and an empty ``rules/``.

    The rule pack arrives from another branch; i18n only needs ``rules/`` as the marker.
    """
    root = tmp_path_factory.mktemp("resources")
    (root / "rules").mkdir()
    shutil.copytree(REPO_RESOURCES / "i18n", root / "i18n")
    return root


@pytest.fixture
def use_resources(resources_dir: Path, monkeypatch: pytest.MonkeyPatch,
                  fresh_caches: None) -> Path:
    """Point the program at :func:`resources_dir`."""
    monkeypatch.setenv(resources.ENV_VAR, str(resources_dir))
    return resources_dir


@pytest.fixture
def clean_lang_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No language variables set."""
    for var in ("SOKNADSPAKKE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch
