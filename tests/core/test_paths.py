"""Links that leave the project's folder, and comparing paths as the file system does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from soknadspakke.core.paths import (
    OutsideProjectError,
    check_link_inside,
    outside_target,
    same_file,
)
from soknadspakke.core.project import Project


def test_outside_target_follows_links_and_linked_folders(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "inside.pdf").write_bytes(b"x")
    (tmp_path / "out.pdf").write_bytes(b"y")
    (folder / "good-link.pdf").symlink_to(folder / "sub" / "inside.pdf")
    (folder / "bad-link.pdf").symlink_to(tmp_path / "out.pdf")
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    assert outside_target(folder, folder / "sub" / "inside.pdf") is None
    assert outside_target(folder, folder / "good-link.pdf") is None
    assert outside_target(folder, folder / "bad-link.pdf") == tmp_path / "out.pdf"
    assert outside_target(folder, folder / "linked" / "out.pdf") == tmp_path / "out.pdf"
    assert outside_target(folder, folder / "missing.pdf") is None


def test_project_refuses_a_link_inside_its_folder_that_leads_out(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (tmp_path / "passwd").write_text("root:x:0:0", encoding="utf-8")
    (folder / "vedlegg.pdf").symlink_to(tmp_path / "passwd")
    project = Project(path=folder / "s.soknad")
    with pytest.raises(OutsideProjectError) as caught:
        project.relative_path_for(folder / "vedlegg.pdf")
    assert str(tmp_path / "passwd") in str(caught.value)
    assert "vedlegg.pdf" in str(caught.value)
    # A file outside the folder by its name is not a link problem: it gets copied in.
    with pytest.raises(ValueError, match="not inside"):
        project.relative_path_for(tmp_path / "passwd")
    check_link_inside(tmp_path / "passwd", folder)  # not in the folder: no objection


def test_same_file_sees_links_hard_links_and_dots(tmp_path: Path) -> None:
    a = tmp_path / "a.pdf"
    a.write_bytes(b"x")
    (tmp_path / "link.pdf").symlink_to(a)
    os.link(a, tmp_path / "hard.pdf")
    (tmp_path / "sub").mkdir()
    assert same_file(a, tmp_path / "link.pdf")
    assert same_file(a, tmp_path / "hard.pdf")
    assert same_file(a, tmp_path / "sub" / ".." / "a.pdf")
    assert not same_file(a, tmp_path / "b.pdf")
    assert same_file(tmp_path / "b.pdf", tmp_path / "sub" / ".." / "b.pdf")
