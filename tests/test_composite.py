"""AudioFeatures: one STFT pass equals the single-feature estimators; tunable; named."""

from __future__ import annotations

import numpy as np
import pytest
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio._composite import (
    EDGE_DIFFERENCES,
    FEATURES,
    AudioFeatures,
    _sub_estimator,
)

SMALL = dict(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40, n_mfcc=13,
             contrast_n_bands=3, contrast_fmin=200.0)
ESTIMATORS = [
    AudioFeatures(features=("mfcc", "spectral_centroid"), sample_rate=8000, n_fft=64,
                  hop_length=16, n_mels=16, n_mfcc=8),
    AudioFeatures(features=tuple(FEATURES), pooling=("mean", "p90"), **SMALL),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=["small", "all"])
def test_contract(est):
    check_fit_transform_contract(est, n_samples=1200)


def test_every_feature_equals_its_estimator(fsdd_sample):
    est = AudioFeatures(features=tuple(FEATURES), pooling=("mean", "std", "trajectory"),
                        trajectory_length=4, **SMALL).fit(fsdd_sample)
    Z = est.transform(fsdd_sample)
    names = list(est.get_feature_names_out())
    assert Z.shape == (len(fsdd_sample), len(names))
    for f in FEATURES:
        sub = clone(_sub_estimator(est, f)).set_params(pooling=est.pooling,
                                                       trajectory_length=4)
        ref = sub.fit(fsdd_sample).transform(fsdd_sample)
        cols = [names.index(n) for n in sub.get_feature_names_out()]
        if f not in EDGE_DIFFERENCES:
            np.testing.assert_array_equal(Z[:, cols], ref, err_msg=f)
    # frame level: every feature's frames equal its estimator's (edge frames aside, documented)
    frames = est.transform_frames(fsdd_sample)
    assert frames[0].shape[0] == len(est.feature_names_frame_)
    edge = SMALL["n_fft"] // (2 * SMALL["hop_length"])
    for f in FEATURES:
        sub = _sub_estimator(est, f).fit(fsdd_sample)
        rows = [est.feature_names_frame_.index(n) for n in sub._frame_feature_names()]
        for fr, ref in zip(frames, sub.transform_frames(fsdd_sample)):
            got = fr[rows]
            if f in EDGE_DIFFERENCES:
                got, ref = got[:, edge + 1:-edge - 1], ref[:, edge + 1:-edge - 1]
            np.testing.assert_array_equal(got, ref, err_msg=f)


def test_grid_search_tunes_features_and_their_parameters(fsdd_split):
    Xtr, ytr, _, _ = fsdd_split
    X, y = Xtr[::12], ytr[::12]
    pipe = Pipeline([("feats", AudioFeatures(sample_rate=8000, n_fft=256, hop_length=80,
                                             n_mels=40, features=("mfcc",))),
                     ("scale", StandardScaler()), ("svc", SVC())])
    grid = {"feats__features": [("mfcc",), ("mfcc", "spectral_centroid", "spectral_rolloff")],
            "feats__n_mfcc": [8, 13]}
    gs = GridSearchCV(pipe, grid, cv=StratifiedKFold(2)).fit(X, y)
    assert len(gs.cv_results_["params"]) == 4
    assert gs.best_score_ > 0.5
    best = gs.best_estimator_.named_steps["feats"]
    assert len(best.get_feature_names_out()) == gs.best_estimator_.named_steps["svc"].n_features_in_


@pytest.mark.parametrize("features,match", [
    ((), "'features' parameter of AudioFeatures must be a feature name"),
    (("mfcc", "nope"), r"unknown: \['nope'\]"), (("mfcc", "mfcc"), "twice"),
    ("spectral_centroid", None),
])
def test_bad_features(features, match):
    est = AudioFeatures(features=features, sample_rate=8000, n_fft=256, hop_length=80,
                        n_mels=40)
    if match is None:  # a single name is accepted
        assert est.fit(np.zeros((1, 800))).n_features_frame_ == 1
        return
    with pytest.raises(ValueError, match=match):
        est.fit(np.zeros((1, 800)))


def test_sub_estimator_errors_name_the_parameter():
    with pytest.raises(ValueError, match="n_mfcc"):
        AudioFeatures(features=("mfcc",), n_mfcc=500).fit(np.zeros((1, 800)))
