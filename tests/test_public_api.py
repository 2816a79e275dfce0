"""Every public estimator is covered by scikit-learn's estimator checks somewhere in the suite."""

from __future__ import annotations

import importlib
import inspect

import pytest
from sklearn.base import BaseEstimator

import sklaudio

CHECKED_MODULES = ["test_estimators", "test_spectral", "test_chroma", "test_temporal",
                   "test_energy", "test_pitch", "test_lpc", "test_gammatone",
                   "test_cepstral_variants", "test_pncc", "test_composite", "test_trim",
                   "test_windows", "test_patches", "test_voice_hnr", "test_voice_balance"]

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
    assert repr(est).startswith(cls.__name__)


@pytest.mark.parametrize("cls", PUBLIC, ids=lambda c: c.__name__)
def test_every_init_parameter_is_stored_unchanged_under_its_name(cls):
    """scikit-learn's rule: ``__init__`` stores each argument as is, as the attribute of the
    same name, so ``get_params`` returns exactly the constructor's arguments (the default
    object itself at defaults, the given object otherwise)."""
    sig = inspect.signature(cls.__init__)
    names = [n for n, p in sig.parameters.items()
             if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    assert set(cls().get_params(deep=False)) == set(names)
    est = cls()
    for n in names:
        assert getattr(est, n) is sig.parameters[n].default, n
    # non-default values: a fresh sentinel object per parameter, stored as that very object
    # (no validation or conversion in __init__)
    marks = {n: object() for n in names}
    est = cls(**marks)
    params = est.get_params(deep=False)
    for n in names:
        assert params[n] is marks[n] and getattr(est, n) is marks[n], n


def test_public_names_resolve():
    import sklaudio.events
    import sklaudio.filters
    import sklaudio.functional

    for mod in (sklaudio, sklaudio.functional, sklaudio.filters, sklaudio.events):
        for name in mod.__all__:
            assert hasattr(mod, name), f"{mod.__name__}.{name} is in __all__ but missing"
