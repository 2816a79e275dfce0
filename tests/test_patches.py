"""LogMelPatches: fixed-shape log-mel input for nets (crop, pad with silence, normalise)."""

from __future__ import annotations

import numpy as np
import pytest
from sk_contract import EXPECTED_FAILURES
from sklearn.base import clone
from sklearn.linear_model import RidgeClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio import LogMelPatches, MelSpectrogram
from sklaudio._params import InvalidParameterError

SMALL = dict(sample_rate=8000, n_fft=64, hop_length=16, n_mels=16)
# The 4-D output passes every check that applies; the expected failures are the ones of every
# sklaudio transformer (clips of any length, see sk_contract.py).
ESTIMATORS = [
    LogMelPatches(n_frames=8, **SMALL),
    LogMelPatches(n_frames=40, align="start", normalize="band", **SMALL),
]
SPEECH = dict(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40)


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILURES)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("align", ["center", "start"])
def test_long_clips_are_cropped_from_the_whole_clip_spectrogram(fsdd_sample, align):
    clips = [x for x in fsdd_sample if len(x) >= 19 * 80]  # at least 20 frames of 10 ms
    assert len(clips) >= len(fsdd_sample) - 2
    est = LogMelPatches(n_frames=20, align=align, **SPEECH).fit(clips)
    P = est.transform(clips)
    assert P.shape == (len(clips), 1, 40, 20) and P.dtype == np.float32
    frames = MelSpectrogram(**SPEECH).fit(clips).transform_frames(clips)
    for p, S in zip(P, frames):
        start = (S.shape[1] - 20) // 2 if align == "center" else 0
        np.testing.assert_array_equal(p[0], S[:, start:start + 20])


@pytest.mark.parametrize("align", ["center", "start"])
@pytest.mark.parametrize("top_db,ref", [(80.0, 1.0), (None, 1.0), (30.0, "max"), (None, 1e-3)])
def test_short_clips_are_padded_with_silence_at_the_db_floor(fsdd_sample, align, top_db, ref):
    x = fsdd_sample[0][:2000]  # 0.25 s: 26 frames
    est = LogMelPatches(n_frames=200, align=align, top_db=top_db, ref=ref, **SPEECH).fit([x])
    p = est.transform([x])[0, 0]
    assert p.shape == (40, 200)
    # the patch is the spectrogram of the clip inside digital silence (zeros)
    need = 199 * 80
    before = (need - len(x)) // 2 if align == "center" else 0
    padded = np.zeros(need, np.float32)
    padded[before:before + len(x)] = x
    S = MelSpectrogram(top_db=top_db, ref=ref, **SPEECH).fit([padded]).transform_frames([padded])[0]
    assert S.shape == (40, 200)
    np.testing.assert_array_equal(p, S)
    # padded frames hold the clip's floor, never 0 dB
    pad_col = p[:, -1] if align == "start" else p[:, 0]
    # power_to_db: 10 log10(max(1e-10, S)) - 10 log10(ref), then clamped top_db below the max
    max_db_ref1 = MelSpectrogram(top_db=None, **SPEECH).fit([x]).transform_frames([x])[0].max()
    ref_db = max_db_ref1 if ref == "max" else 10 * np.log10(ref)
    silence = -100.0 - ref_db
    clip_max = max_db_ref1 - ref_db
    floor = silence if top_db is None else max(silence, clip_max - top_db)
    np.testing.assert_allclose(pad_col, floor, rtol=1e-5, atol=1e-3)
    assert pad_col.max() < -20


def test_ragged_batch_equals_each_clip_alone(fsdd_sample):
    est = LogMelPatches(n_frames=50, **SPEECH).fit(fsdd_sample)
    P = est.transform(fsdd_sample)
    for i in (0, 5, len(fsdd_sample) - 2, len(fsdd_sample) - 1):
        np.testing.assert_array_equal(P[i], est.transform([fsdd_sample[i]])[0])
    assert est.patch_shape_ == (1, 40, 50)
    assert LogMelPatches(dtype="float64", n_frames=5, **SPEECH).fit_transform(
        fsdd_sample[:2]).dtype == np.float64


@pytest.mark.parametrize("normalize,axes", [("patch", (1, 2, 3)), ("band", (3,))])
def test_normalisation_is_per_patch(fsdd_sample, normalize, axes):
    raw = LogMelPatches(n_frames=64, **SPEECH).fit_transform(fsdd_sample).astype(np.float64)
    P = LogMelPatches(n_frames=64, normalize=normalize, **SPEECH).fit_transform(fsdd_sample)
    np.testing.assert_allclose(P.mean(axis=axes), 0, atol=1e-4)
    std = P.std(axis=axes)
    raw_std = raw.std(axis=axes)
    np.testing.assert_allclose(std[raw_std > 1e-3], 1, rtol=1e-4)
    # stateless: a patch does not depend on its batch
    np.testing.assert_array_equal(
        P[3], LogMelPatches(n_frames=64, normalize=normalize, **SPEECH).fit_transform(
            [fsdd_sample[3]])[0])
    # silence gives zeros, not NaN
    Z = LogMelPatches(n_frames=10, normalize=normalize, **SPEECH).fit_transform(np.zeros((1, 800)))
    assert np.all(Z == 0)


@pytest.mark.filterwarnings("ignore:When `set_output` is configured:UserWarning")
def test_grid_search_in_a_pipeline_on_real_clips(fsdd_split):
    Xtr, ytr, _, _ = fsdd_split
    X, y = Xtr[::9], ytr[::9]  # 300 clips
    flatten = FunctionTransformer(lambda P: P.reshape(len(P), -1))
    pipe = make_pipeline(LogMelPatches(n_frames=32, normalize="patch", **SPEECH), flatten,
                         RidgeClassifier())
    gs = GridSearchCV(pipe, {"logmelpatches__n_mels": [20, 40],
                             "logmelpatches__align": ["center", "start"]},
                      cv=StratifiedKFold(3, shuffle=True, random_state=0))
    gs.fit(X, y)
    assert len(gs.cv_results_["params"]) == 4
    assert gs.best_score_ > 0.6  # 300 clips, 10 digits: a linear model on the patches (0.80 here)
    est = gs.best_estimator_.named_steps["logmelpatches"]
    assert est.patch_shape_ == (1, est.n_mels, 32)
    assert clone(pipe).set_output(transform="pandas").fit(X, y).predict(X[:3]).shape == (3,)


def test_invalid_parameters_name_log_mel_patches():
    x = [np.zeros(4000)]
    with pytest.raises(InvalidParameterError, match=r"^The 'n_frames' parameter of LogMelPatches"):
        LogMelPatches(n_frames=0).fit(x)
    with pytest.raises(InvalidParameterError, match=r"^The 'normalize' parameter of LogMelPatches"):
        LogMelPatches(normalize="global").fit(x)
    with pytest.raises(InvalidParameterError,
                       match=r"^The 'win_length' parameter of LogMelPatches must be"):
        LogMelPatches(n_fft=256, win_length=300).fit(x)
    with pytest.raises(InvalidParameterError, match=r"^The 'fmax' parameter of LogMelPatches"):
        LogMelPatches(sample_rate=8000, fmax=5000.0).fit(x)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: str(e.get_params()["n_frames"]))
def test_fit_transform_contract(est):
    """What check_transformer_general asserts besides n_features_in_ (see EXPECTED_FAILURES)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 300))
    a = clone(est).fit_transform(X)
    np.testing.assert_array_equal(a, clone(est).fit(X).transform(X))
    # stateless: fitting on other clips (of another length) changes nothing
    np.testing.assert_array_equal(a, clone(est).fit(rng.standard_normal((2, 50))).transform(X))
    assert a.shape == (5, *clone(est).fit(X).patch_shape_)
    assert np.all(np.isfinite(a))
    assert np.all(np.isfinite(clone(est).fit_transform(np.zeros((2, 300)))))
