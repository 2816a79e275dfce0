"""Hypothesis properties of the reference math (deadline=None: first calls compile)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sklaudio import MFCC, filters
from sklaudio import functional as F

SETTINGS = settings(deadline=None, max_examples=40)

finite = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, width=64)


def signals(min_size=1, max_size=600):
    return arrays(np.float64, st.integers(min_size, max_size), elements=finite)


stft_params = st.sampled_from([(64, 16), (128, 32), (32, 8), (100, 25)])


@SETTINGS
@given(signals(), signals(), st.floats(-3, 3), stft_params)
def test_stft_is_linear(x, y, a, params):
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    n_fft, hop = params
    lhs = F.stft(a * x + y, n_fft=n_fft, hop_length=hop)
    rhs = a * F.stft(x, n_fft=n_fft, hop_length=hop) + F.stft(y, n_fft=n_fft, hop_length=hop)
    scale = max(1.0, np.abs(rhs).max())
    np.testing.assert_allclose(lhs, rhs, atol=1e-10 * scale)


@SETTINGS
@given(signals(), stft_params)
def test_stft_parseval_per_frame(x, params):
    """sum_k |X_k|^2 over the full spectrum == n_fft * sum_n (w x)_n^2 for every frame."""
    n_fft, hop = params
    D = F.stft(x, n_fft=n_fft, hop_length=hop)
    w = filters.get_window("hann", n_fft)
    xp = np.pad(x, n_fft // 2)
    n_frames = D.shape[1]
    energy_time = np.array([np.sum((w * xp[t * hop: t * hop + n_fft]) ** 2) for t in range(n_frames)])
    P = np.abs(D) ** 2
    full = P[0] + P[-1] + 2 * P[1:-1].sum(axis=0)  # even n_fft: DC and Nyquist once
    np.testing.assert_allclose(full, n_fft * energy_time, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(signals(min_size=64, max_size=2000), st.sampled_from([(64, 16), (128, 32), (256, 64)]))
def test_istft_round_trip(x, params):
    """Hann with hop n_fft/4 satisfies squared COLA: istft(stft(y)) == y."""
    n_fft, hop = params
    y = F.istft(F.stft(x, n_fft=n_fft, hop_length=hop), hop_length=hop, length=len(x))
    np.testing.assert_allclose(y, x, atol=1e-10)


@SETTINGS
@given(st.sampled_from([8000, 16000, 22050, 44100]), st.sampled_from([256, 512, 2048]),
       st.integers(1, 64), st.booleans(), st.sampled_from(["slaney", None]),
       st.floats(0, 0.3))
def test_mel_filterbank_is_non_negative(sr, n_fft, n_mels, htk, norm, fmin_frac):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        W = filters.mel(sample_rate=sr, n_fft=n_fft, n_mels=n_mels, htk=htk, norm=norm,
                        fmin=fmin_frac * sr / 2)
    assert W.shape == (n_mels, n_fft // 2 + 1)
    assert np.isfinite(W).all() and (W >= 0).all()


@SETTINGS
@given(st.floats(0.01, 100.0), st.integers(0, 2**31 - 1))
def test_gain_changes_only_c0(gain, seed):
    """A gain g adds 20 log10(g) dB to every mel band: after an orthonormal DCT-II only c0 moves,
    by 20 log10(g) sqrt(n_mels)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(3000) * 0.1
    kw = dict(sample_rate=8000, n_fft=256, hop_length=64, n_mels=32, top_db=None)
    a = F.mfcc(x, **kw)
    b = F.mfcc(gain * x, **kw)
    np.testing.assert_allclose(b[1:], a[1:], atol=1e-7 * np.abs(a).max())
    np.testing.assert_allclose(b[0] - a[0], 20 * np.log10(gain) * np.sqrt(32), rtol=1e-9)


@SETTINGS
@given(st.lists(signals(min_size=1, max_size=1500), min_size=1, max_size=6),
       st.sampled_from(["float32", "float64"]), st.sampled_from([None, 2]))
def test_batch_equals_per_clip(clips, dtype, n_jobs):
    est = MFCC(sample_rate=8000, n_fft=128, hop_length=32, n_mels=20, n_mfcc=8, dtype=dtype,
               pooling=("mean", "std", "max"), n_jobs=n_jobs).fit(clips)
    batch = est.transform(clips)
    single = np.vstack([est.transform([c]) for c in clips])
    np.testing.assert_array_equal(batch, single)
    frames = est.transform_frames(clips)
    for c, fr in zip(clips, frames):
        np.testing.assert_array_equal(fr, est.transform_frames([c])[0])


@SETTINGS
@given(st.lists(signals(min_size=200, max_size=3000), min_size=1, max_size=4))
def test_float32_close_to_float64(clips):
    clips = [c + 0.01 * np.sin(np.arange(len(c))) for c in clips]  # avoid exact silence
    kw = dict(sample_rate=8000, n_fft=256, hop_length=64, n_mels=32)
    f32 = MFCC(dtype="float32", **kw).fit(clips).transform_frames(clips)
    f64 = MFCC(dtype="float64", **kw).fit(clips).transform_frames(clips)
    for a, b in zip(f32, f64):
        assert a.dtype == np.float32 and b.dtype == np.float64
        assert np.abs(a - b).max() <= 1e-3 * np.abs(b).max()


@SETTINGS
@given(signals(min_size=1, max_size=300), st.sampled_from([(64, 16), (256, 80)]))
def test_frame_count_matches_documented_formula(x, params):
    n_fft, hop = params
    assert F.stft(x, n_fft=n_fft, hop_length=hop).shape == (n_fft // 2 + 1, 1 + len(x) // hop)
