"""Every docstring example in the public API runs and prints what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import sklaudio

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(sklaudio.__path__, "sklaudio.")
    if "._kernels" not in m.name
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    mod = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [t for t in finder.find(mod, name, globs={"np": np}) if t.examples]
    for t in tests:
        runner.run(t)
    res = runner.summarize(verbose=False)
    assert res.failed == 0, f"{res.failed} docstring example(s) failed in {name}"


def test_every_public_name_has_a_docstring_with_sections():
    import sklaudio.events as E
    import sklaudio.functional as F

    for mod in (sklaudio, F, E):
        for n in mod.__all__:
            obj = getattr(mod, n)
            if not callable(obj):
                continue
            doc = obj.__doc__ or ""
            assert len(doc) > 80, f"{mod.__name__}.{n} has no real docstring"
            if isinstance(obj, type):
                assert "Parameters" in doc or "parameters" in doc, n
            else:
                assert "Returns" in doc or "Return" in doc, f"{mod.__name__}.{n}"
