"""Pooling statistics against NumPy/SciPy, names, and GridSearchCV over pooling."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from sklaudio import MFCC
from sklaudio.functional._pooling import check_pooling, pool_frames, pooled_names

ALL = ("mean", "std", "min", "max", "median", "p10", "p90", "p2.5", "skew", "kurtosis", "slope")


def naive_stat(x, s):
    """Reference value of statistic ``s`` over the frames ``x`` (n_frames, n_features)."""
    if s == "mean":
        return x.mean(0)
    if s == "std":
        return x.std(0)
    if s == "min":
        return x.min(0)
    if s == "max":
        return x.max(0)
    if s == "median":
        return np.median(x, 0)
    if s[0] == "p":
        return np.percentile(x, float(s[1:]), axis=0)
    if s in ("skew", "kurtosis"):
        f = scipy.stats.skew if s == "skew" else scipy.stats.kurtosis
        const = np.ptp(x, axis=0) == 0
        with np.errstate(all="ignore"):
            v = f(x, axis=0) if len(x) > 1 else np.zeros(x.shape[1])
        return np.where(const, 0.0, v)
    if s == "slope":
        if len(x) < 2:
            return np.zeros(x.shape[1])
        return np.polyfit(np.arange(len(x)), x, 1)[0]
    raise AssertionError(s)


def naive_trajectory(x, n):
    T = len(x)
    pos = np.linspace(0, T - 1, n) if n > 1 else np.array([(T - 1) / 2])
    return np.stack([np.interp(pos, np.arange(T), x[:, j]) for j in range(x.shape[1])], 1)


@settings(deadline=None, max_examples=60)
@given(lengths=st.lists(st.integers(1, 40), min_size=1, max_size=5),
       n_feat=st.integers(1, 4), seed=st.integers(0, 2**32 - 1),
       n_points=st.integers(1, 9))
def test_pooling_equals_numpy_scipy(lengths, n_feat, seed, n_points):
    rng = np.random.default_rng(seed)
    offs = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    feats = rng.standard_normal((offs[-1], n_feat))
    stats = (*ALL, "trajectory")
    out = pool_frames(feats, offs, stats, n_points)
    names = pooled_names([f"f{j}" for j in range(n_feat)], stats, n_points)
    assert out.shape == (len(lengths), len(names))
    for c in range(len(lengths)):
        x = feats[offs[c]:offs[c + 1]]
        ref = np.concatenate([naive_stat(x, s) for s in ALL]
                             + [naive_trajectory(x, n_points).ravel()])
        np.testing.assert_allclose(out[c], ref, rtol=1e-9, atol=1e-9)


def test_constant_feature_gives_zero_skew_kurtosis_slope():
    feats = np.full((10, 2), 3.0, dtype=np.float32)
    out = pool_frames(feats, np.array([0, 10]), ("skew", "kurtosis", "slope"))
    assert np.all(out == 0)


def test_trajectory_keeps_endpoints_and_slope_sign():
    x = np.arange(7, dtype=float)[:, None] * 2.0
    out = pool_frames(x, np.array([0, 7]), ("trajectory", "slope"), 4)
    np.testing.assert_allclose(out[0], [0, 4, 8, 12, 2])


@pytest.mark.parametrize("bad", ["p101", "p-1", "pxx", "", (), ("mean", "mean"), 3])
def test_bad_pooling_raises(bad):
    with pytest.raises(ValueError, match="pooling|statistic"):
        check_pooling(bad)


def test_estimator_names_match_columns_and_grid_search_tunes_pooling(fsdd_sample):
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    est = MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40, n_mfcc=5,
               pooling=("p10", "trajectory", "slope"), trajectory_length=4)
    Z = est.fit_transform(fsdd_sample)
    names = est.get_feature_names_out()
    assert Z.shape == (len(fsdd_sample), 5 * (1 + 4 + 1)) == (len(fsdd_sample), len(names))
    assert names[5] == "mfcc_0_t0" and names[-1] == "mfcc_4_slope"
    frames = est.transform_frames(fsdd_sample)
    for z, fr in zip(Z, frames):
        np.testing.assert_allclose(z[:5], np.percentile(fr, 10, axis=1), rtol=1e-5, atol=1e-4)
        np.testing.assert_allclose(z[5:10], fr[:, 0], rtol=1e-6)
    y = np.arange(len(fsdd_sample)) % 2
    pipe = make_pipeline(MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40),
                         StandardScaler(), SVC())
    gs = GridSearchCV(pipe, {"mfcc__pooling": [("mean",), ("mean", "trajectory")],
                             "mfcc__trajectory_length": [2, 4]}, cv=2).fit(fsdd_sample, y)
    assert len(gs.cv_results_["params"]) == 4
