"""The one notice the window shows when Office files cannot be converted on this computer."""

from __future__ import annotations

import pytest

from soknadspakke.intake import convert as convert_module
from soknadspakke.intake import office_conversion_notice


def test_notice_when_libreoffice_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert_module, "find_soffice", lambda: None)
    notice = office_conversion_notice()
    assert notice is not None
    english = notice.render("en")
    assert english.startswith("Office conversion is not available")
    assert "Save As > PDF" in english and "install LibreOffice" in english
    bokmal = notice.render("nb")
    assert bokmal.startswith("Office-konvertering er ikke tilgjengelig")
    assert "Lagre som > PDF" in bokmal and "installer LibreOffice" in bokmal


def test_no_notice_when_libreoffice_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert_module, "find_soffice", lambda: "/opt/libreoffice/soffice")
    assert office_conversion_notice() is None
