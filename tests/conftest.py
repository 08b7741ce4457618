"""Shared fixtures: the real project, its content, and the real site built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chenzhou_report.build import Project, build_site
from chenzhou_report.model import load_content
from drafts import copy_project

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
#: the Nu HTML checker the site checks run (checks/external.py): the one `make node-deps` installs for the tests
os.environ.setdefault("CHENZHOU_VNU_JAR", str(ROOT / "tests/node/node_modules/vnu-jar/build/dist/vnu.jar"))


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def content():
    return load_content(ROOT / "content", ROOT)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, project) -> Path:
    """The real content built by the real pipeline (MkDocs + Material), both languages."""
    site = tmp_path_factory.mktemp("built") / "site"
    build_site(project, site)
    return site


@pytest.fixture
def project_copy(tmp_path) -> Project:
    """A throwaway copy of the project (content, templates, mkdocs files) to break on purpose: a draft, without the
    record of published figures (drafts.py says why)."""
    return Project(copy_project(tmp_path, published=False))
