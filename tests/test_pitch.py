"""YIN pitch: librosa.yin parity on real FSDD clips, a naive twin, tones, voicing, silence,
errors, estimator contract."""

from __future__ import annotations

import warnings

import librosa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio._pitch import Pitch
from sklaudio.functional._pitch import yin

SR = 8000


# -- naive twin, from the formulas (direct sums, no FFT), with librosa 0.11's conventions ---------
from naive.pitch import yin as naive_yin  # noqa: E402


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


# -- scikit-learn contract ------------------------------------------------------------------------
SMALL = dict(sample_rate=SR, fmin=200.0, fmax=2000.0, frame_length=128, hop_length=32)
ESTIMATORS = [
    Pitch(**SMALL),
    Pitch(**SMALL, f0_scale="log", trough_threshold=0.3),
    Pitch(**SMALL, f0_scale="midi", pad_mode="reflect"),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: e.f0_scale)
def test_contract(est):
    check_fit_transform_contract(est)


def test_feature_names():
    X = np.zeros((2, 400))
    for scale, name in [("hz", "f0"), ("log", "f0_log2"), ("midi", "f0_midi")]:
        est = Pitch(**SMALL, f0_scale=scale, pooling=("mean", "max")).fit(X)
        assert est.get_feature_names_out().tolist() == [
            f"{name}_mean", "voiced_mean", f"{name}_max", "voiced_max"]


# -- librosa parity (float64, real FSDD clips) -----------------------------------------------------
LIBROSA_SETS = [
    dict(fmin=60.0, fmax=500.0, frame_length=512),
    dict(fmin=60.0, fmax=500.0, frame_length=1024),
    dict(fmin=80.0, fmax=400.0, frame_length=1024, hop_length=80, trough_threshold=0.2),
    dict(fmin=65.40639132514966, fmax=2093.004522404789, frame_length=2048),
    dict(fmin=100.0, fmax=4000.0, frame_length=256, hop_length=100, pad_mode="edge"),
    dict(fmin=60.0, fmax=500.0, frame_length=512, center=False),
    dict(fmin=70.0, fmax=1000.0, frame_length=255, hop_length=50, trough_threshold=0.05,
         pad_mode="reflect"),
]


@pytest.mark.parametrize("kw", LIBROSA_SETS, ids=lambda kw: "-".join(f"{v}" for v in kw.values()))
def test_yin_equals_librosa(fsdd_sample, kw):
    for x in fsdd_sample:
        x = x.astype(np.float64)
        ours = yin(x, sample_rate=SR, **kw)
        ref = librosa.yin(x, sr=SR, **kw)
        assert ours.shape == ref.shape
        assert _rel(ours, ref) <= 1e-4
        # same operations in the same order: in practice equal to the last bits
        assert _rel(ours, ref) <= 1e-12


def test_estimator_frames_equal_librosa(fsdd_sample):
    est = Pitch(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=512, dtype="float64")
    frames = est.fit(fsdd_sample).transform_frames(fsdd_sample)
    for x, fr in zip(fsdd_sample, frames):
        ref = librosa.yin(x.astype(np.float64), fmin=60.0, fmax=500.0, sr=SR, frame_length=512)
        assert fr.shape == (2, ref.size)
        assert _rel(fr[0], ref) <= 1e-12
        assert set(np.unique(fr[1])) <= {0.0, 1.0}


def test_silence_equals_librosa():
    y = np.zeros(3000)
    for fmax in (500.0, 3000.0, 4000.0):
        ours = yin(y, fmin=60.0, fmax=fmax, sample_rate=SR, frame_length=512)
        ref = librosa.yin(y, fmin=60.0, fmax=fmax, sr=SR, frame_length=512)
        np.testing.assert_array_equal(ours, ref)
        np.testing.assert_array_equal(ours, SR / np.floor(SR / fmax))


# -- naive twin -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmin,fmax,frame_length,hop,threshold", [
    (60.0, 500.0, 512, 128, 0.1), (100.0, 1000.0, 256, 80, 0.25), (150.0, 4000.0, 200, 64, 0.1)])
def test_kernel_equals_naive_twin(fsdd_sample, fmin, fmax, frame_length, hop, threshold):
    est = Pitch(sample_rate=SR, fmin=fmin, fmax=fmax, frame_length=frame_length,
                hop_length=hop, trough_threshold=threshold, dtype="float64")
    clips = fsdd_sample[::4]
    frames = est.fit(clips).transform_frames(clips)
    for x, fr in zip(clips, frames):
        ref = naive_yin(x, SR, fmin, fmax, frame_length, hop, threshold)
        assert fr.shape == ref.shape
        np.testing.assert_array_equal(fr[1], ref[1])  # same voicing decisions
        assert _rel(fr[0], ref[0]) <= 1e-9


# -- tones, voicing, scales -------------------------------------------------------------------------
@settings(deadline=None, max_examples=40)
@given(f=st.floats(70.0, 480.0), amp=st.floats(1e-3, 10.0), phase=st.floats(0, 2 * np.pi),
       frame_length=st.sampled_from([1024, 2048]))
def test_pure_tone_f0_is_recovered(f, amp, phase, frame_length):
    """Every frame of a steady tone is voiced and within librosa-YIN's bias of f0.

    librosa's difference function uses the whole frame's energy, which biases a tone's
    period by about f0 * period / frame_length; measured at most 0.47 % (1024) and
    0.23 % (2048) over 70-480 Hz, hence the bound 6 / frame_length.
    """
    t = np.arange(2 * SR) / SR
    y = amp * np.sin(2 * np.pi * f * t + phase)
    out = Pitch(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=frame_length,
                center=False, dtype="float64").fit([y]).transform_frames([y])[0]
    assert np.all(out[1] == 1.0)
    assert np.max(np.abs(out[0] / f - 1)) <= 6.0 / frame_length


def test_voiced_fraction_of_tone_then_silence():
    """voiced_mean is the fraction of voiced frames: tone frames voiced, silent ones not."""
    fl, hop = 512, 128
    y = np.r_[np.sin(2 * np.pi * 200 * np.arange(SR) / SR), np.zeros(SR)]
    est = Pitch(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=fl, hop_length=hop,
                pooling=("mean",), dtype="float64")
    fr = est.fit([y]).transform_frames([y])[0]
    starts = np.arange(fr.shape[1]) * hop - fl // 2  # frame t covers [start, start + fl)
    in_tone = (starts >= 0) & (starts + fl <= SR)
    in_silence = starts >= SR
    assert in_tone.sum() > 40 and in_silence.sum() > 40
    assert np.all(fr[1, in_tone] == 1.0) and np.all(fr[1, in_silence] == 0.0)
    np.testing.assert_allclose(fr[0, in_silence], SR / np.floor(SR / 500.0))
    pooled = est.transform([y])[0]
    names = est.get_feature_names_out().tolist()
    assert names == ["f0_mean", "voiced_mean"]
    assert pooled[1] == pytest.approx(np.mean(fr[1]))
    assert 0.4 < pooled[1] < 0.6


def test_f0_scales(fsdd_sample):
    clips = fsdd_sample[:5]
    kw = dict(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=512, dtype="float64")
    hz = Pitch(**kw).fit(clips).transform_frames(clips)
    lg = Pitch(**kw, f0_scale="log").fit(clips).transform_frames(clips)
    md = Pitch(**kw, f0_scale="midi").fit(clips).transform_frames(clips)
    for a, b, c in zip(hz, lg, md):
        np.testing.assert_allclose(b[0], np.log2(a[0]), rtol=1e-12)
        np.testing.assert_allclose(c[0], librosa.hz_to_midi(a[0]), rtol=1e-12)
        np.testing.assert_array_equal(a[1], b[1])
        np.testing.assert_array_equal(a[1], c[1])


# -- estimator == functional; batches, threads, dtypes ---------------------------------------------
def test_transform_frames_equals_functional_and_threads(fsdd_sample):
    est = Pitch(sample_rate=SR, fmin=70.0, fmax=500.0, frame_length=256, hop_length=32,
                dtype="float64")
    a = est.fit(fsdd_sample).transform_frames(fsdd_sample)
    b = est.set_params(n_jobs=2).fit(fsdd_sample).transform_frames(fsdd_sample)
    assert sum(f.shape[1] for f in a) > 4 * 256  # several chunks
    for x, fa, fb in zip(fsdd_sample, a, b):
        np.testing.assert_array_equal(fa, fb)
        ref = yin(x.astype(np.float64), fmin=70.0, fmax=500.0, sample_rate=SR,
                  frame_length=256, hop_length=32)
        np.testing.assert_array_equal(fa[0], ref)
    pooled = est.set_params(pooling=("mean", "max")).fit(fsdd_sample).transform(fsdd_sample)
    np.testing.assert_allclose(pooled[:, :2], np.stack([f.mean(axis=1) for f in a]),
                               rtol=1e-12)


def test_leading_dimensions_are_independent_clips(fsdd_sample):
    n = min(len(x) for x in fsdd_sample[:4])
    Y = np.stack([x[:n].astype(np.float64) for x in fsdd_sample[:4]]).reshape(2, 2, n)
    out = yin(Y, fmin=60.0, fmax=500.0, sample_rate=SR, frame_length=512)
    ref = librosa.yin(Y, fmin=60.0, fmax=500.0, sr=SR, frame_length=512)
    assert out.shape == ref.shape == (2, 2, 1 + n // 128)
    assert _rel(out, ref) <= 1e-12
    for i in range(2):
        for j in range(2):
            np.testing.assert_array_equal(out[i, j], yin(Y[i, j], fmin=60.0, fmax=500.0,
                                                         sample_rate=SR, frame_length=512))


def test_float32_agrees_with_float64(fsdd_sample):
    """float32 YIN: voicing decisions and f0 as in float64 on real speech."""
    kw = dict(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=512)
    a = Pitch(**kw, dtype="float32").fit(fsdd_sample).transform_frames(fsdd_sample)
    b = Pitch(**kw, dtype="float64").fit(fsdd_sample).transform_frames(fsdd_sample)
    A, B = np.concatenate(a, axis=1), np.concatenate(b, axis=1)
    assert A.dtype == np.float32 and B.dtype == np.float64
    np.testing.assert_array_equal(A[1], B[1])
    assert _rel(A[0].astype(np.float64), B[0]) <= 1e-5


# -- silence and errors ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_silence_is_finite_unvoiced_and_documented(dtype):
    est = Pitch(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=512,
                pooling=("mean", "std", "max"), dtype=dtype)
    out = est.fit_transform(np.zeros((2, 4000)))
    assert np.all(np.isfinite(out))
    # f0_mean, voiced_mean, f0_std, voiced_std, f0_max, voiced_max
    np.testing.assert_allclose(out[:, 0], SR / np.floor(SR / 500.0), rtol=1e-6)
    np.testing.assert_array_equal(out[:, [1, 2, 3, 5]], 0.0)
    log = Pitch(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=512, f0_scale="log",
                dtype=dtype).fit_transform(np.zeros((1, 4000)))
    np.testing.assert_allclose(log[0, 0], np.log2(500.0), rtol=1e-6)


def test_constant_signal_is_unvoiced():
    fr = Pitch(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=512, center=False,
               dtype="float64").fit([np.full(3000, 0.3)]).transform_frames([np.full(3000, 0.3)])
    assert np.all(fr[0][1] == 0.0) and np.all(np.isfinite(fr[0][0]))


BAD = [
    (dict(fmin=500.0, fmax=500.0), r"'fmin' parameter of (Pitch|yin) must be below fmax = 500.0 Hz"),
    (dict(fmin=600.0, fmax=500.0), r"must be below fmax .*Got 600.0 instead"),
    (dict(fmax=4500.0), "Nyquist"),
    (dict(fmin=0.0), r"'fmin' parameter (of \w+ )?must be a finite float in the range \(0"),
    (dict(fmin=-5.0), r"'fmin' parameter (of \w+ )?must be a finite float in the range \(0"),
    (dict(fmin=float("nan")), "'fmin' parameter (of \\w+ )?must be a finite float"),
    (dict(fmin=10.0), r"'fmin' .* one period fits in a frame .*frame_length - 1 = 511"),
    (dict(trough_threshold=0.0), "trough_threshold"),
    (dict(trough_threshold="0.1"), "trough_threshold"),
    (dict(f0_scale="semitones"), "f0_scale"),
    (dict(frame_length=1), "frame_length"),
    (dict(frame_length=512.0), "frame_length"),
    (dict(hop_length=0), "hop_length"),
    (dict(pad_mode="wrap"), "pad_mode"),
    (dict(center=1), "center"),
    (dict(sample_rate=0), "sample_rate"),
]


@pytest.mark.parametrize("kw,match", BAD, ids=[str(k) for k, _ in BAD])
def test_bad_parameters_raise(kw, match):
    params = dict(sample_rate=SR, fmin=60.0, fmax=500.0, frame_length=512)
    params.update(kw)
    with pytest.raises(ValueError, match=match):
        Pitch(**params).fit(np.ones((2, 1000)))
    f0_scale = params.pop("f0_scale", None)
    if f0_scale is None:
        with pytest.raises(ValueError, match=match):
            yin(np.ones(1000), **params)


def test_missing_range_raises():
    with pytest.raises(ValueError, match="'fmin' parameter of yin must be a finite float"):
        yin(np.ones(1000), fmin=None, fmax=500.0, sample_rate=SR)
    with pytest.raises(ValueError, match="'fmax' parameter of Pitch must be a finite float"):
        Pitch(sample_rate=SR, fmin=60.0, fmax=None, frame_length=512).fit(np.ones((1, 100)))


def test_few_periods_warns_once_at_fit():
    kw = dict(sample_rate=SR, fmin=30.0, fmax=500.0, frame_length=400)  # 267 > 400 // 2
    with pytest.warns(UserWarning, match="fewer than two periods") as rec:
        est = Pitch(**kw).fit(np.ones((1, 1000)))
    assert [w.filename for w in rec] == [__file__]  # points at the caller of fit
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.transform(np.ones((1, 1000)))
    with pytest.warns(UserWarning, match="fewer than two periods") as rec:
        yin(np.ones(1000), fmin=30.0, fmax=500.0, sample_rate=SR, frame_length=400)
    assert [w.filename for w in rec] == [__file__]


def test_bad_audio_raises():
    with pytest.raises(ValueError, match="NaN or inf"):
        yin(np.r_[np.ones(600), np.nan], fmin=60.0, fmax=500.0, sample_rate=SR, frame_length=512)
    with pytest.raises(ValueError, match="clip 1"):
        Pitch(**SMALL).fit([np.ones(300), np.array([np.inf, 1.0])])
    with pytest.raises(ValueError, match="at least n_fft=512 samples"):
        yin(np.ones(300), fmin=60.0, fmax=500.0, sample_rate=SR, frame_length=512, center=False)
