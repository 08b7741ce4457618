"""The examples in the package's docstrings are tests: every module's doctests run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import chenzhou_report

MODULES = sorted(m.name for m in pkgutil.walk_packages(chenzhou_report.__path__, "chenzhou_report."))
#: modules whose docstrings carry examples: a module that loses them all fails here
WITH_EXAMPLES = {"chenzhou_report.contentfiles", "chenzhou_report.errors", "chenzhou_report.escape",
                 "chenzhou_report.explain", "chenzhou_report.languages", "chenzhou_report.convert"}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if name in WITH_EXAMPLES:
        assert result.attempted > 0


def test_every_module_with_examples_is_in_the_package():
    assert WITH_EXAMPLES <= set(MODULES)
