"""The command line speaks the chosen language, argparse's own texts included."""

from __future__ import annotations

import pytest

from soknadspakke.cli import main


def test_help_in_bokmal_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "nb", "--help"]) == 0
    norwegian = capsys.readouterr().out
    assert norwegian.startswith("bruk: soknadspakke")
    assert "valg:" in norwegian and "lag PDF-en med søknadspakken" in norwegian
    assert main(["--lang", "en", "--help"]) == 0
    english = capsys.readouterr().out
    assert english.startswith("usage: soknadspakke")
    assert "options:" in english and "build the application package PDF" in english


def test_usage_errors_in_bokmal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "nb", "build"]) == 2
    assert "feil: disse argumentene mangler: PROSJEKT" in capsys.readouterr().err
