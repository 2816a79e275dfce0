"""Chroma filterbank, chroma and tuning estimation: naive twins of the kernels, librosa parity
on real FSDD clips, properties, errors, estimator contract."""

from __future__ import annotations

import warnings

import librosa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio._chroma import Chroma
from sklaudio._engine import plan_frames, run_features
from sklaudio._kernels.chroma import (
    NORM_INF,
    NORM_NEG_INF,
    NORM_NONE,
    NORM_P,
    NORM_ZERO,
    chroma_rows,
    normalize_rows,
    tuning_peaks_rows,
)
from sklaudio._validation import ClipBatch
from sklaudio.filters import chroma, chroma_names
from sklaudio.functional._chroma import (
    chroma_spec,
    chroma_stft,
    estimate_tuning,
    pitch_tuning,
    tuning_spec,
)

SMALL = dict(sample_rate=8000, n_fft=64, hop_length=16)
ESTIMATORS = [Chroma(**SMALL), Chroma(**SMALL, tuning=None)]
NORMS = [(None, NORM_NONE, 0.0), (np.inf, NORM_INF, 0.0), (-np.inf, NORM_NEG_INF, 0.0),
         (0, NORM_ZERO, 0.0), (1.0, NORM_P, 1.0), (2.0, NORM_P, 2.0), (0.5, NORM_P, 0.5)]


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


def _power(x, n_fft, hop, **kw):
    return np.abs(librosa.stft(np.asarray(x, dtype=np.float64), n_fft=n_fft, hop_length=hop,
                               **kw)) ** 2


# -- naive twins ------------------------------------------------------------------------------
def naive_chroma(S, W, norm):
    """(n_chroma, n_frames): W @ S, then librosa's util.normalize per frame (the definition)."""
    return librosa.util.normalize(W.astype(np.float64) @ S, norm=norm, axis=0)


from naive.chroma import estimate_tuning as naive_estimate_tuning  # noqa: E402
from naive.chroma import piptrack_peaks as naive_piptrack_peaks  # noqa: E402

# -- filterbank -------------------------------------------------------------------------------
FB_PARAMS = [
    dict(sr=8000, n_fft=2048),
    dict(sr=22050, n_fft=4096, tuning=0.37, n_chroma=24, octwidth=None, norm=np.inf,
         base_c=False),
    dict(sr=8000, n_fft=255, tuning=-0.5, n_chroma=7, norm=1, ctroct=3.0, octwidth=1.0),
    dict(sr=16000, n_fft=512, n_chroma=36, norm=None),
]


@pytest.mark.parametrize("params", FB_PARAMS, ids=str)
def test_filterbank_equals_librosa(params):
    p = dict(params)
    sr = p.pop("sr")
    ref = librosa.filters.chroma(sr=sr, dtype=np.float64, **p)
    ours = chroma(sample_rate=sr, dtype=np.float64, **p)
    assert ours.shape == ref.shape == (p.get("n_chroma", 12), p["n_fft"] // 2 + 1)
    assert _rel(ours, ref) <= 1e-12


def test_filterbank_is_cached_and_read_only():
    a = chroma(sample_rate=8000, n_fft=512)
    assert a is chroma(sample_rate=8000.0, n_fft=512, tuning=0)
    assert a.dtype == np.float32 and not a.flags.writeable
    with pytest.raises(ValueError):
        a[0, 0] = 1.0
    assert chroma(sample_rate=8000, n_fft=512, dtype=np.float64).dtype == np.float64


@pytest.mark.parametrize("kwargs,match", [
    (dict(sample_rate=0), "sample_rate"), (dict(n_fft=1), "n_fft"), (dict(n_chroma=0), "n_chroma"),
    (dict(tuning=np.nan), "tuning"), (dict(ctroct=np.inf), "ctroct"),
    (dict(octwidth=0), "octwidth"), (dict(norm=-1), "norm"), (dict(norm="l2"), "norm"),
    (dict(base_c=1), "base_c"),
])
def test_filterbank_bad_params(kwargs, match):
    kw = dict(sample_rate=8000, n_fft=512) | kwargs
    with pytest.raises(ValueError, match=match):
        chroma(**kw)


def test_feature_names_follow_librosa_pitch_classes():
    assert chroma_names(12) == [f"chroma_{n}" for n in
                                ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]]
    assert chroma_names(12, base_c=False)[:4] == ["chroma_A", "chroma_A#", "chroma_B", "chroma_C"]
    assert chroma_names(24)[:2] == ["chroma_0", "chroma_1"]
    est = Chroma(**SMALL, pooling=("mean", "max")).fit(np.zeros((2, 300)))
    names = est.get_feature_names_out().tolist()
    assert names[0] == "chroma_C_mean" and names[11] == "chroma_B_mean"
    assert names[12] == "chroma_C_max"


# -- kernels vs naive -------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("norm,code,p", NORMS, ids=[str(n[0]) for n in NORMS])
def test_chroma_kernel_equals_naive(dtype, norm, code, p):
    rng = np.random.default_rng(0)
    S = (rng.random((23, 129)) ** 4).astype(dtype)      # 23 frames: blocks of 4 and a tail
    S[3] = 0.0                                            # silent frame: left unnormalised
    S[7, :] = 1e-30                                       # tiny but not zero
    W = chroma(sample_rate=8000, n_fft=256, dtype=dtype)
    out = np.empty((23, 12), dtype=dtype)
    chroma_rows(S, W, code, p, out)
    ref = naive_chroma(S.T.astype(np.float64), W, norm).T
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, ref, rtol=tol, atol=tol * np.abs(ref).max())
    assert np.all(out[3] == 0)


@pytest.mark.parametrize("norm,code,p", NORMS, ids=[str(n[0]) for n in NORMS])
def test_normalize_rows_equals_librosa_normalize(norm, code, p):
    X = np.random.default_rng(1).standard_normal((10, 12))
    X[2] = 0.0
    X[4, :6] = 0.0
    X[5] = 1e-310          # subnormal: below tiny, left as is
    ref = librosa.util.normalize(X, norm=norm, axis=1)
    normalize_rows(X, code, p)
    np.testing.assert_allclose(X, ref, rtol=1e-13)


@pytest.mark.parametrize("n_fft,threshold,fmin,fmax", [(2048, 0.1, 150.0, 4000.0),
                                                       (255, 0.0, 0.0, 8000.0),
                                                       (512, 0.5, 300.0, 1000.0)])
def test_peak_kernel_equals_naive_and_piptrack(fsdd_sample, n_fft, threshold, fmin, fmax):
    for x in fsdd_sample[:4]:
        S = np.abs(librosa.stft(x.astype(np.float64), n_fft=n_fft, hop_length=n_fft // 4))
        n_bins, T = S.shape
        freqs = np.fft.rfftfreq(n_fft, 1 / 8000)
        band = np.flatnonzero((fmin <= freqs) & (freqs < min(fmax, 4000.0)))
        pitch, mag = np.empty(T * n_bins), np.empty(T * n_bins)
        counts = np.empty(T, dtype=np.int64)
        total = tuning_peaks_rows(np.ascontiguousarray(S.T), band[0], band[-1] + 1, threshold,
                                  8000.0, n_fft, pitch, mag, counts)
        naive = naive_piptrack_peaks(S, 8000, n_fft, fmin, fmax, threshold)
        assert counts.tolist() == [len(fr) for fr in naive]
        np.testing.assert_array_equal(pitch[:total], [p for fr in naive for p, _ in fr])
        np.testing.assert_array_equal(mag[:total], [m for fr in naive for _, m in fr])
        # and librosa's own piptrack, frame by frame (its arrays are bin-ordered per frame)
        lp, lm = librosa.piptrack(S=S, sr=8000, n_fft=n_fft, threshold=threshold, fmin=fmin,
                                  fmax=fmax)
        idx = np.nonzero(lp.T > 0)
        np.testing.assert_array_equal(pitch[:total], lp.T[idx])
        np.testing.assert_array_equal(mag[:total], lm.T[idx])


# -- tuning -----------------------------------------------------------------------------------
def test_estimate_tuning_agrees_with_librosa(fsdd_sample):
    """Same value (to the 0.01 resolution) as librosa.estimate_tuning on real clips.

    Measured on all 3000 FSDD clips (float64): 3000/3000 equal from ``y`` and
    from a power ``S``; the histogram decision can only differ when a peak
    lands within rounding of a bin edge, so this asserts >= 95 % here and
    every disagreement within one resolution step.
    """
    ours, ref = [], []
    for x in fsdd_sample:
        x = x.astype(np.float64)
        ours.append(estimate_tuning(x, sample_rate=8000))
        ref.append(librosa.estimate_tuning(y=x, sr=8000))
        S = _power(x, 512, 128)
        ours.append(estimate_tuning(S=S, sample_rate=8000, bins_per_octave=24, resolution=0.02))
        ref.append(librosa.estimate_tuning(S=S, sr=8000, bins_per_octave=24, resolution=0.02))
    ours, ref = np.array(ours), np.array(ref)
    same = np.isclose(ours, ref, rtol=0, atol=1e-12)
    assert same.mean() >= 0.95, (same.mean(), ours[~same], ref[~same])
    assert np.all(np.abs(ours - ref) <= 0.02 + 1e-12)


def test_estimate_tuning_equals_naive(fsdd_sample):
    for x in fsdd_sample[:6]:
        S = np.abs(librosa.stft(x.astype(np.float64), n_fft=2048, hop_length=512))
        ref = naive_estimate_tuning(naive_piptrack_peaks(S, 8000, 2048))
        assert estimate_tuning(x.astype(np.float64), sample_rate=8000) == ref


@settings(deadline=None, max_examples=40)
@given(cents=st.integers(-49, 49), f0=st.floats(160.0, 1500.0))
def test_estimate_tuning_of_detuned_tone(cents, f0):
    """A tone detuned by c cents from the equal-tempered grid is found within 0.01 + rounding."""
    sr = 8000
    f = 440.0 * 2 ** (np.round(12 * np.log2(f0 / 440.0)) / 12 + cents / 1200)
    y = np.sin(2 * np.pi * f * np.arange(sr) / sr)
    t = estimate_tuning(y, sample_rate=sr, n_fft=4096)
    assert t == librosa.estimate_tuning(y=y, sr=sr, n_fft=4096)
    assert abs(t - cents / 100) <= 0.021


@settings(deadline=None, max_examples=40)
@given(freqs=st.lists(st.floats(-100.0, 5000.0), min_size=1, max_size=60),
       resolution=st.sampled_from([0.01, 0.02, 0.05, 0.1, 0.3]),
       bins_per_octave=st.sampled_from([12, 24, 36]))
def test_pitch_tuning_equals_librosa(freqs, resolution, bins_per_octave):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ref = librosa.pitch_tuning(np.array(freqs), resolution=resolution,
                                   bins_per_octave=bins_per_octave)
        ours = pitch_tuning(freqs, resolution=resolution, bins_per_octave=bins_per_octave)
    assert ours == ref


def test_pitch_tuning_of_nothing_warns_and_is_zero():
    with pytest.warns(UserWarning, match="empty frequency set"):
        assert pitch_tuning([0.0, -3.0]) == 0.0


def test_tuning_of_silence_is_zero_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert estimate_tuning(np.zeros(4000), sample_rate=8000) == 0.0
        C = chroma_stft(np.zeros((2, 4000)), sample_rate=8000)
    assert np.all(C == 0)


def test_tuning_spec_gives_each_frame_its_clip_tuning(fsdd_sample):
    clips = [x.astype(np.float64) for x in fsdd_sample[:5]]
    b = ClipBatch(np.concatenate(clips), np.concatenate(([0], np.cumsum([len(c) for c in clips]))))
    plan = plan_frames(b, n_fft=256, hop_length=16, win_length=None, window="hann",
                       center=True, pad_mode="constant", dtype=np.float64)
    out = run_features(b, plan, [tuning_spec(8000, 256, np.float64, power=1.0)], n_jobs=2)[0]
    fo = plan.frame_offsets
    for i, x in enumerate(clips):   # several chunks, two threads: stitched per clip
        ref = librosa.estimate_tuning(y=x, sr=8000, n_fft=256, hop_length=16)
        np.testing.assert_array_equal(out[fo[i]:fo[i + 1], 0], ref)


def test_multichannel_tuning_is_per_row():
    t = np.arange(8000) / 8000
    Y = np.stack([np.sin(2 * np.pi * 440 * 2 ** (k / 1200) * t) for k in (-20, 0, 30)])
    est = estimate_tuning(Y.reshape(3, 1, -1), sample_rate=8000, n_fft=4096)
    assert est.shape == (3, 1)
    np.testing.assert_array_equal(est[:, 0], [estimate_tuning(y, sample_rate=8000, n_fft=4096)
                                              for y in Y])


# -- chroma vs librosa ------------------------------------------------------------------------
CHROMA_PARAMS = [dict(n_fft=2048, hop_length=512), dict(n_fft=256, hop_length=80),
                 dict(n_fft=255, hop_length=64, center=False)]


@pytest.mark.parametrize("tuning", [0.0, None], ids=["tuning0", "estimated"])
@pytest.mark.parametrize("params", CHROMA_PARAMS, ids=str)
def test_chroma_equals_librosa(fsdd_sample, params, tuning):
    worst = 0.0
    clips = [x for x in fsdd_sample if len(x) >= params["n_fft"]]
    for x in clips:
        x = x.astype(np.float64)
        ours = chroma_stft(x, sample_rate=8000, tuning=tuning, **params)
        ref = librosa.feature.chroma_stft(y=x, sr=8000, tuning=tuning, **params)
        assert ours.shape == ref.shape
        worst = max(worst, _rel(ours, ref))
    assert worst <= 1e-4


@pytest.mark.parametrize("kwargs", [
    dict(norm=None, tuning=0.25), dict(norm=2, n_chroma=24, tuning=None),
    dict(base_c=False, octwidth=None, ctroct=4.0, tuning=-0.1), dict(norm=1, n_chroma=36)])
def test_chroma_options_equal_librosa(fsdd_sample, kwargs):
    for x in fsdd_sample[:5]:
        x = x.astype(np.float64)
        ours = chroma_stft(x, sample_rate=8000, n_fft=512, hop_length=128, **kwargs)
        ref = librosa.feature.chroma_stft(y=x, sr=8000, n_fft=512, hop_length=128, **kwargs)
        assert _rel(ours, ref) <= 1e-4


@pytest.mark.parametrize("tuning", [0.1, None])
def test_chroma_from_power_spectrogram_equals_librosa(fsdd_sample, tuning):
    S = np.stack([_power(x, 512, 128)[:, :8] for x in fsdd_sample[:4]])   # (4, 257, 8)
    ours = chroma_stft(S=S, sample_rate=8000, tuning=tuning)
    for i in range(4):
        ref = librosa.feature.chroma_stft(S=S[i], sr=8000, tuning=tuning)
        assert _rel(ours[i], ref) <= 1e-4


def test_batch_with_different_tunings_equals_each_clip():
    """Clips with different estimated tunings get their own filterbanks (grouped run)."""
    sr = 8000
    t = np.arange(6000) / sr
    Y = np.stack([np.sin(2 * np.pi * 330 * 2 ** (c / 1200) * t) + 0.3 * np.sin(
        2 * np.pi * 523 * 2 ** (c / 1200) * t) for c in (-30, 10, 10, 40)])
    tun = [librosa.estimate_tuning(S=_power(y, 512, 128), sr=sr) for y in Y]
    assert len(set(tun)) == 3
    C = chroma_stft(Y, sample_rate=sr, n_fft=512, hop_length=128)
    est = Chroma(sample_rate=sr, n_fft=512, hop_length=128, tuning=None, dtype="float64")
    frames = est.fit(Y).transform_frames(list(Y[::-1]))[::-1]
    for i, y in enumerate(Y):
        ref = librosa.feature.chroma_stft(y=y, sr=sr, n_fft=512, hop_length=128)
        assert _rel(C[i], ref) <= 1e-4
        np.testing.assert_array_equal(C[i], chroma_stft(y, sample_rate=sr, n_fft=512,
                                                        hop_length=128))
        np.testing.assert_array_equal(frames[i], C[i])


def test_chroma_spec_requires_a_fixed_tuning():
    with pytest.raises(ValueError, match="fixed tuning"):
        chroma_spec(8000, 256, np.float64, tuning=None)


def test_threads_and_float32(fsdd_sample):
    clips = fsdd_sample[:3]
    n = min(len(c) for c in clips)
    x = np.stack([c[:n] for c in clips])
    a = chroma_stft(x, sample_rate=8000, n_fft=256, hop_length=32, n_jobs=2)
    np.testing.assert_array_equal(a, chroma_stft(x, sample_rate=8000, n_fft=256, hop_length=32))
    assert a.dtype == np.float32
    b = chroma_stft(x.astype(np.float64), sample_rate=8000, n_fft=256, hop_length=32)
    np.testing.assert_allclose(a, b, atol=1e-4)


# -- properties -------------------------------------------------------------------------------
@settings(deadline=None, max_examples=30)
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(200, 3000),
       tuning=st.one_of(st.none(), st.floats(-0.5, 0.5)), n_fft=st.sampled_from([128, 256, 511]))
def test_chroma_rows_bounded_and_max_one(seed, n, tuning, n_fft):
    rng = np.random.default_rng(seed)
    y = rng.standard_normal(n) * rng.uniform(1e-3, 1e3)
    y[: n // 3] = 0.0                                   # some silent frames
    C = chroma_stft(y, sample_rate=8000, n_fft=n_fft, hop_length=64, tuning=tuning)
    assert np.all(np.isfinite(C)) and np.all(C >= 0)
    assert np.all(C.sum(axis=0) <= 12 + 1e-9)
    raw = chroma_stft(y, sample_rate=8000, n_fft=n_fft, hop_length=64, tuning=tuning, norm=None)
    loud = raw.max(axis=0) >= np.finfo(np.float64).tiny
    np.testing.assert_allclose(C[:, loud].max(axis=0), 1.0, rtol=1e-12)
    assert np.all(C[:, ~loud] == 0)


@settings(deadline=None, max_examples=24)
@given(midi=st.integers(55, 95))
def test_pure_tone_peaks_at_its_pitch_class(midi):
    sr = 22050
    f = 440.0 * 2 ** ((midi - 69) / 12)
    y = np.sin(2 * np.pi * f * np.arange(sr // 2) / sr)
    C = chroma_stft(y, sample_rate=sr, n_fft=4096, tuning=0.0)
    assert np.all(np.argmax(C[:, 2:-2], axis=0) == midi % 12)


# -- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,match", [
    (dict(norm=-2), "norm"), (dict(n_chroma=0), "n_chroma"), (dict(octwidth=-1.0), "octwidth"),
    (dict(tuning=np.inf), "tuning"), (dict(tuning="auto"), "tuning"), (dict(ctroct=None), "ctroct"),
    (dict(sample_rate=-1), "sample_rate"), (dict(n_fft=1), "n_fft"), (dict(hop_length=0), "hop"),
    (dict(base_c="yes"), "base_c"), (dict(pad_mode="wrap"), "pad_mode"),
    (dict(y=np.array([0.0, np.inf])), "NaN or inf"), (dict(y=None), "y is required"),
    (dict(S=-np.ones((129, 3))), "non-negative"), (dict(S=np.ones((1, 3))), "at least 2"),
    (dict(S=np.ones(5)), "shape"),
])
def test_chroma_bad_inputs(kwargs, match):
    kw = dict(y=np.random.default_rng(0).standard_normal(2000), sample_rate=8000, n_fft=256)
    kw.update(kwargs)
    if "S" in kwargs:
        kw.pop("y")
    with pytest.raises(ValueError, match=match):
        chroma_stft(**kw)


@pytest.mark.parametrize("kwargs,match", [
    (dict(resolution=0), "resolution"), (dict(resolution=2.0), "resolution"),
    (dict(bins_per_octave=0), "bins_per_octave"), (dict(fmin=5000.0), "'fmin' parameter of estimate_tuning must be below fmax"),
    (dict(threshold=-0.1), "threshold"), (dict(fmax=np.nan), "fmax"),
])
def test_tuning_bad_params(kwargs, match):
    with pytest.raises(ValueError, match=match):
        estimate_tuning(np.ones(4000), sample_rate=8000, **kwargs)


@pytest.mark.parametrize("est", [Chroma(**SMALL, n_chroma=0), Chroma(**SMALL, norm="max"),
                                 Chroma(**SMALL, tuning=np.nan), Chroma(**SMALL, octwidth=0),
                                 Chroma(**SMALL, base_c=None), Chroma(sample_rate=0)], ids=repr)
def test_estimator_bad_params_raise_at_fit(est):
    with pytest.raises(ValueError):
        est.fit(np.ones((2, 4000)))


# -- estimator --------------------------------------------------------------------------------
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=["tuning0", "estimated"])
def test_contract(est):
    check_fit_transform_contract(est)


@pytest.mark.parametrize("tuning", [0.0, -0.2, None])
def test_estimator_transform_frames_equal_functional(fsdd_sample, tuning):
    clips = fsdd_sample[:6]
    est = Chroma(sample_rate=8000, n_fft=512, hop_length=128, tuning=tuning, dtype="float64")
    frames = est.fit(clips).transform_frames(clips)
    for x, fr in zip(clips, frames):
        f = chroma_stft(x.astype(np.float64), sample_rate=8000, n_fft=512, hop_length=128,
                        tuning=tuning)
        np.testing.assert_array_equal(fr, f)
        ref = librosa.feature.chroma_stft(y=x.astype(np.float64), sr=8000, n_fft=512,
                                          hop_length=128, tuning=tuning)
        assert _rel(fr, ref) <= 1e-4
    pooled = est.transform(clips)
    np.testing.assert_allclose(pooled[:, :12], [fr.mean(axis=1) for fr in frames], rtol=1e-12)
