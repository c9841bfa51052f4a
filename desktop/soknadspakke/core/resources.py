"""Finding the ``resources/`` folder the same way from a checkout, a wheel and a frozen bundle.

- checkout: ``<repo>/resources`` next to ``<repo>/desktop/soknadspakke``;
- installed wheel: ``soknadspakke/resources`` inside the package (pyproject force-include);
- frozen bundle (PyInstaller): ``<sys._MEIPASS>/resources``;
- ``SOKNADSPAKKE_RESOURCES`` overrides all three (tests, administrators' custom rule packs).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from soknadspakke.core.errors import SoknadError

_MARKER = Path("rules")
ENV_VAR = "SOKNADSPAKKE_RESOURCES"


def candidate_roots() -> list[Path]:
    """The places to look for ``resources/``, most specific first."""
    candidates: list[Path] = []
    override = os.environ.get(ENV_VAR)
    if override:
        candidates.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    package_dir = Path(__file__).resolve().parent.parent
    candidates.append(package_dir / "resources")  # installed wheel
    candidates.append(package_dir.parent.parent / "resources")  # checkout: desktop/soknadspakke
    return candidates


def find_resources_root(candidates: list[Path] | None = None) -> Path:
    """Return the first candidate that holds a ``rules/`` folder.

    A ``SOKNADSPAKKE_RESOURCES`` override that holds none is an error, not a reason to fall back
    to the built-in rules: an administrator's custom rule pack must not be ignored silently.
    """
    if candidates is None:
        override = os.environ.get(ENV_VAR)
        if override and not (Path(override) / _MARKER).is_dir():
            # English on purpose: the translation catalogues live in the resources not found.
            raise SoknadError(f"{ENV_VAR} is set to '{override}', which has no '{_MARKER}' "
                              "folder. Correct or remove the setting.")
    tried = candidates if candidates is not None else candidate_roots()
    for root in tried:
        if (root / _MARKER).is_dir():
            return root
    # English on purpose: the translation catalogues live in the resources not found.
    raise SoknadError(
        "the program's resources folder was not found; looked in: "
        + ", ".join(str(p) for p in tried)
        + ". Reinstall the program, or set SOKNADSPAKKE_RESOURCES to the folder."
    )


@cache
def resources_root() -> Path:
    """The resources folder for this run (cached)."""
    return find_resources_root()


def resource_path(*parts: str) -> Path:
    """A path inside the resources folder, e.g. ``resource_path("rules", "ssb-mikrodata.toml")``."""
    return resources_root().joinpath(*parts)
