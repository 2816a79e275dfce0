"""Every public estimator is covered by scikit-learn's estimator checks somewhere in the suite."""

from __future__ import annotations

import importlib

import pytest
from sklearn.base import BaseEstimator

import sklaudio

CHECKED_MODULES = ["test_estimators", "test_spectral", "test_chroma", "test_temporal",
                   "test_energy", "test_pitch", "test_lpc", "test_gammatone",
                   "test_cepstral_variants", "test_pncc", "test_composite", "test_trim"]

PUBLIC = [getattr(sklaudio, n) for n in sklaudio.__all__
          if isinstance(getattr(sklaudio, n), type) and issubclass(getattr(sklaudio, n), BaseEstimator)]


def _checked_classes():
    classes = set()
    for name in CHECKED_MODULES:
        mod = importlib.import_module(name)
        for est in getattr(mod, "ESTIMATORS", []) + getattr(mod, "ALL_PUBLIC", []):
            classes.add(type(est))
    return classes


@pytest.mark.parametrize("cls", PUBLIC, ids=lambda c: c.__name__)
def test_every_public_estimator_runs_sklearn_checks(cls):
    assert cls in _checked_classes(), (
        f"{cls.__name__} is public but no parametrize_with_checks list in tests/ includes it")


@pytest.mark.parametrize("cls", PUBLIC, ids=lambda c: c.__name__)
def test_every_public_estimator_constructs_at_defaults(cls):
    est = cls()
    assert est.get_params() == cls().get_params()
    assert repr(est).startswith(cls.__name__)


def test_public_names_resolve():
    import sklaudio.filters
    import sklaudio.functional

    for mod in (sklaudio, sklaudio.functional, sklaudio.filters):
        for name in mod.__all__:
            assert hasattr(mod, name), f"{mod.__name__}.{name} is in __all__ but missing"
