"""``validate --format json`` shows consistency findings with id and evidence; ``verify``
marks one as checked, which the project file keeps and the package's cover shows."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from soknadspakke.core.project_file import load_project, save_project
from tests.rules.textdocs import application

from .conftest import Cli

DPO = ["Tilrådning fra personvernombudet\nDato: 02.05.2020\nProsjektleder: Kari Nordmann\n",
       "Vurdering\nProsjektslutt: 30.06.2027\nMed vennlig hilsen\n"]


def _project(folder: Path) -> Path:
    project = application(folder, [
        ("skjema.pdf", ["application_form_new"], ["Søknadsskjema\nProsjektleder: Kari Nordmann\n"]),
        ("protokoll.pdf", ["research_protocol"], ["Protokoll\n", "Prosjektleder: Per Olsen\n"]),
        ("variabler.pdf", ["ssb_variable_list"], ["Variabelliste\n"]),
        ("dpia.pdf", ["dpia"], ["DPIA\nDato: 01.03.2020\n"]),
        ("tilradning.pdf", ["dpo_recommendation"], DPO)])
    for index, doc in enumerate(project.documents):
        sha = hashlib.sha256(project.resolve(doc).read_bytes()).hexdigest()
        project.update_document(index, sha256=sha)
    return save_project(project)


def test_validate_verify_and_the_cover(cli: Cli, tmp_path: Path) -> None:
    path = _project(tmp_path / "p")
    result = cli("validate", path, "--format", "json", "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    findings = {f["code"]: f for f in json.loads(result.stdout)["findings"]}
    leader = findings["other_project_leader"]
    assert leader["evidence"] == [{"file": "vedlegg/protokoll.pdf", "page": 2,
                                   "text": "Prosjektleder: Per Olsen"}]
    assert leader["source"] == ["S5"] and "S5" in leader["guidance"]
    assert leader["verified"] is False
    validity = findings["document_valid_until_before_period_end"]
    assert validity["suggestion"] == {"file": "vedlegg/tilradning.pdf", "field": "valid_until",
                                      "value": "2027-06-30"}
    # The text report names the evidence and how to mark the finding as checked.
    text = cli("validate", path, "--lang", "nb").stdout
    assert "Funnet i vedlegg/protokoll.pdf, side 2: «Prosjektleder: Per Olsen»" in text
    assert f"soknadspakke verify PROSJEKT {leader['id']}" in text

    assert cli("verify", path, "nope:123", "--lang", "en").returncode == 2
    done = cli("verify", path, leader["id"], "--lang", "en")
    assert done.returncode == 0, done.stderr
    done = cli("verify", path, validity["id"], "--accept", "--lang", "en")
    assert "valid until set to 2027-06-30" in done.stdout
    project = load_project(path)
    assert project.verified_findings() == {leader["id"], validity["id"]}
    assert next(d for d in project.documents if d.path.endswith("tilradning.pdf")
                ).valid_until is not None

    again = {f["code"]: f for f in json.loads(cli(
        "validate", path, "--format", "json", "--lang", "en").stdout)["findings"]}
    assert again["other_project_leader"]["verified"] is True
    # The date taken is before the project's end: now the rules engine's error says so.
    assert again["approval_expires_before_period_end"]["severity"] == "error"
    assert "document_valid_until_before_period_end" not in again  # no double warning
    built = cli("build", path, "-o", "pakke.pdf", "--lang", "nb", "--quiet", "--draft")
    assert built.returncode == 0, built.stderr
    cover = subprocess.run(["pdftotext", "-l", "1", "-enc", "UTF-8", str(tmp_path / "pakke.pdf"),
                            "-"], capture_output=True, check=True).stdout.decode("utf-8")
    assert "Kontrollert av søker" in cover
    assert "Per Olsen" in cover


def test_validate_json_and_verify_for_a_different_project_title(cli: Cli, tmp_path: Path
                                                                ) -> None:
    """The title check (RULES.md §6 item 4) in ``validate --format json``: its code, guidance
    source and evidence; ``verify`` marks it as checked."""
    project = application(tmp_path / "t", [
        ("skjema.pdf", ["application_form_new"],
         ["Søknadsskjema\nProsjekttittel: Arbeid og helse\n"]),
        ("protokoll.pdf", ["research_protocol"],
         ["Protokoll\n", "Prosjekttittel: Kosthold og kreft hos eldre kvinner\n"]),
        ("dpia.pdf", ["dpia"], ["DPIA\nDato: 01.03.2020\n"])])
    path = save_project(project)
    result = cli("validate", path, "--format", "json", "--lang", "en")
    findings = {f["code"]: f for f in json.loads(result.stdout)["findings"]}
    title = findings["other_project_title"]
    assert title["evidence"] == [{"file": "vedlegg/protokoll.pdf", "page": 2,
                                  "text": "Prosjekttittel: Kosthold og kreft hos eldre kvinner"}]
    assert title["source"] == ["S5"] and title["severity"] == "warning"
    assert cli("verify", path, title["id"], "--lang", "en").returncode == 0
    again = {f["code"]: f for f in json.loads(cli(
        "validate", path, "--format", "json", "--lang", "nb").stdout)["findings"]}
    assert again["other_project_title"]["verified"] is True
    assert "prosjekttittelen «Kosthold og kreft" in again["other_project_title"]["message"]
