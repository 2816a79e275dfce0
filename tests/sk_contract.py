"""Shared scikit-learn contract checks for every sklaudio estimator (imported by test files)."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone

# Clip lengths are free by design: a transformer fitted on 1 s clips must accept 2 s clips
# (and ragged lists), so "n_samples per clip" is not a fixed feature count.
_RAGGED = ("Clips may have any number of samples: transform accepts a different n_samples "
           "than fit by design, so n_features_in_ is not enforced.")
EXPECTED_FAILURES = {
    "check_n_features_in_after_fitting": _RAGGED,
    "check_transformer_general": _RAGGED + " (its other assertions are covered by "
                                           "check_fit_transform_contract).",
}


def expected_failures(estimator):
    return EXPECTED_FAILURES


def check_fit_transform_contract(est, n_samples=300):
    """fit_transform == fit().transform(), stateless fit, shape, names, finite output."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, n_samples))
    a = clone(est).fit_transform(X)
    b = clone(est).fit(X).transform(X)
    np.testing.assert_array_equal(a, b)
    c = clone(est).fit(rng.standard_normal((2, max(50, n_samples // 6)))).transform(X)
    np.testing.assert_array_equal(a, c)
    fitted = clone(est).fit(X)
    assert a.shape == (5, fitted.n_features_out_)
    names = fitted.get_feature_names_out()
    assert len(names) == a.shape[1] and len(set(names)) == len(names)
    assert np.all(np.isfinite(a))
    # ragged clips: each row equals the clip transformed alone
    clips = [rng.standard_normal(n) for n in (n_samples, n_samples // 2 + 7, 2 * n_samples)]
    together = fitted.transform(clips)
    for i, x in enumerate(clips):
        np.testing.assert_allclose(together[i], fitted.transform([x])[0], rtol=1e-5, atol=1e-6)
    # silence is finite
    assert np.all(np.isfinite(fitted.transform(np.zeros((2, n_samples)))))
