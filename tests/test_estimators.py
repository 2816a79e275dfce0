"""scikit-learn contract: estimator checks, pipelines, grid search, pickling, pandas output."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sk_contract import EXPECTED_FAILURES
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline, make_union
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio import MFCC, AudioLoader, MelSpectrogram
from sklaudio import functional as F

SMALL = dict(n_fft=64, hop_length=16, n_mels=16)
ESTIMATORS = [
    MFCC(sample_rate=8000, n_mfcc=8, **SMALL),
    MFCC(sample_rate=8000, n_mfcc=8, delta_order=2, pooling=("mean", "median"), **SMALL),
    MelSpectrogram(sample_rate=8000, **SMALL),
]
# AudioLoader takes file paths (input tag string=True, two_d_array=False); scikit-learn then
# runs only the checks that apply to such input (cloneability); tests/test_io.py covers the rest.
ALL_PUBLIC = ESTIMATORS + [AudioLoader()]


@parametrize_with_checks(ALL_PUBLIC, expected_failed_checks=lambda est: EXPECTED_FAILURES)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_fit_transform_equals_fit_then_transform(est):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 300))
    a = clone(est).fit_transform(X)
    b = clone(est).fit(X).transform(X)
    np.testing.assert_array_equal(a, b)
    # stateless: fitting on other data changes nothing
    c = clone(est).fit(rng.standard_normal((2, 50))).transform(X)
    np.testing.assert_array_equal(a, c)
    assert a.shape == (5, clone(est).fit(X).n_features_out_)


def test_transform_frames_equals_functional(fsdd_sample):
    est = MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40).fit(fsdd_sample)
    for x, fr in zip(fsdd_sample, est.transform_frames(fsdd_sample)):
        np.testing.assert_allclose(fr, F.mfcc(x, sample_rate=8000, n_fft=256, hop_length=80,
                                              n_mels=40), rtol=1e-6, atol=1e-4)


def test_pooling_columns_are_the_statistics_of_the_frames(fsdd_sample):
    stats = ("mean", "std", "min", "max", "median")
    est = MFCC(sample_rate=8000, n_mfcc=5, n_mels=20, pooling=stats, dtype="float64").fit(fsdd_sample)
    Z = est.transform(fsdd_sample)
    names = est.get_feature_names_out()
    assert Z.shape == (len(fsdd_sample), 25) and len(names) == 25
    fns = dict(mean=np.mean, std=np.std, min=np.min, max=np.max, median=np.median)
    for i, fr in enumerate(est.transform_frames(fsdd_sample)):
        for j, name in enumerate(names):
            _, k, stat = name.split("_")
            assert Z[i, j] == pytest.approx(fns[stat](fr[int(k)]), rel=1e-9, abs=1e-9)


def test_feature_names():
    est = MFCC(n_mfcc=3, delta_order=2, pooling=("mean", "max")).fit([np.ones(4000)])
    names = est.get_feature_names_out().tolist()
    assert names[:4] == ["mfcc_0_mean", "mfcc_1_mean", "mfcc_2_mean", "mfcc_delta_0_mean"]
    assert names[-1] == "mfcc_delta2_2_max" and len(names) == 18
    assert MelSpectrogram(n_mels=4, pooling="std").fit([np.ones(10)]).get_feature_names_out().tolist() == [
        "mel_0_std", "mel_1_std", "mel_2_std", "mel_3_std"]


def test_set_output_pandas(fsdd_sample):
    pd = pytest.importorskip("pandas")
    est = MFCC(sample_rate=8000, n_mfcc=4).set_output(transform="pandas")
    df = est.fit_transform(fsdd_sample)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == est.get_feature_names_out().tolist()
    assert df.shape == (len(fsdd_sample), 8)


def test_pickle_round_trip(fsdd_sample):
    est = MFCC(sample_rate=8000, delta_order=1).fit(fsdd_sample)
    est2 = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(est.transform(fsdd_sample), est2.transform(fsdd_sample))
    assert est2.get_params() == est.get_params()


def test_pipeline_accepts_ragged_clips_and_feature_union(fsdd_sample):
    y = np.arange(len(fsdd_sample)) % 2
    union = make_union(MFCC(sample_rate=8000, n_mfcc=8), MelSpectrogram(sample_rate=8000, n_mels=16))
    clf = Pipeline([("feats", union), ("scale", StandardScaler()), ("svc", SVC())])
    clf.fit(fsdd_sample, y)
    assert clf.predict(fsdd_sample).shape == (len(fsdd_sample),)
    assert union.get_feature_names_out()[0] == "mfcc__mfcc_0_mean"


def test_grid_search_tunes_feature_parameters(fsdd_split):
    Xtr, ytr, _, _ = fsdd_split
    X, y = Xtr[::3], ytr[::3]  # 900 real clips, all digits and speakers
    clf = Pipeline([("mfcc", MFCC(sample_rate=8000)), ("scale", StandardScaler()), ("svc", SVC())])
    gs = GridSearchCV(clf, {"mfcc__n_mfcc": [5, 20], "mfcc__n_mels": [40, 64]},
                      cv=StratifiedKFold(3, shuffle=True, random_state=0))
    gs.fit(X, y)
    assert set(gs.cv_results_["param_mfcc__n_mfcc"]) == {5, 20}
    assert gs.best_estimator_.named_steps["mfcc"].n_mfcc in (5, 20)
    assert gs.best_score_ > 0.8  # real speech: MFCCs separate digits far above chance (0.1)


def test_default_pipeline_on_official_split(fsdd_split):
    """The main job's pipeline with default parameters on FSDD's official split."""
    Xtr, ytr, Xte, yte = fsdd_split
    clf = Pipeline([("mfcc", MFCC(sample_rate=8000)), ("scale", StandardScaler()), ("svc", SVC())])
    acc = (clf.fit(Xtr, ytr).predict(Xte) == yte).mean()
    assert acc >= 0.99


@pytest.mark.parametrize("n_jobs", [2, -1])
def test_n_jobs_gives_identical_results(fsdd_sample, n_jobs):
    a = MFCC(sample_rate=8000, n_fft=256, hop_length=80).fit(fsdd_sample).transform(fsdd_sample * 20)
    b = MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_jobs=n_jobs).fit(fsdd_sample).transform(
        fsdd_sample * 20)
    np.testing.assert_array_equal(a, b)
