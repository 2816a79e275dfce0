"""Spectral-balance parameters (alpha ratio, Hammarberg index, slopes) against naive NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio import SpectralBalance
from sklaudio.functional import spectral_balance, spectrogram


def naive_balance(P, sr, amin=1e-10):
    """Frame by frame, bin by bin, from the eGeMAPS / openSMILE definitions."""
    n_bins, n_frames = P.shape
    n_fft = 2 * (n_bins - 1)
    out = np.zeros((4, n_frames))
    for t in range(n_frames):
        lo = hi = 0.0
        m02 = m25 = 0.0
        xs, ls = {0: [], 1: []}, {0: [], 1: []}
        for k in range(n_bins):
            f = k * sr / n_fft
            p = P[k, t]
            if f < 1000:
                lo += p
            elif f <= 5000:
                hi += p
            if f < 2000:
                m02 = max(m02, p)
            elif f <= 5000:
                m25 = max(m25, p)
            for j, (a, b) in enumerate([(0, 500), (500, 1500)]):
                if a <= f <= b:
                    xs[j].append(f)
                    ls[j].append(10 * np.log10(max(p, amin)))
        out[0, t] = 10 * np.log10(max(hi, amin) / max(lo, amin))
        out[1, t] = 10 * np.log10(max(m02, amin) / max(m25, amin))
        for j in range(2):
            out[2 + j, t] = np.polyfit(xs[j], ls[j], 1)[0]
    return out


@pytest.mark.parametrize("sr, n_fft", [(16000, 512), (8000, 256), (44100, 2048)])
def test_equals_naive(sr, n_fft):
    rng = np.random.default_rng(0)
    P = rng.lognormal(0, 2, (n_fft // 2 + 1, 7))
    P[:, 3] = 0.0  # silent frame
    got = spectral_balance(S=P, sample_rate=sr)
    np.testing.assert_allclose(got, naive_balance(P, sr), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(got[:, 3], 0.0)


def test_audio_path_equals_spectrogram_path():
    y = np.random.default_rng(1).standard_normal((2, 4000))
    got = spectral_balance(y, sample_rate=16000)
    P = spectrogram(y, n_fft=512, hop_length=160, win_length=400, window="hamming", power=2.0)
    np.testing.assert_allclose(got, spectral_balance(S=P, sample_rate=16000), rtol=1e-12)
    assert got.shape == (2, 4, 1 + 4000 // 160)


def test_power_law_spectrum_has_its_slope():
    sr, n_fft = 16000, 1024
    f = np.arange(n_fft // 2 + 1) * sr / n_fft
    a = np.array([-0.02, 0.005, 0.03])
    P = 10 ** ((f[:, None] * a[None, :] + 40.0) / 10)
    got = spectral_balance(S=P, sample_rate=sr)
    np.testing.assert_allclose(got[2], a, rtol=1e-9)
    np.testing.assert_allclose(got[3], a, rtol=1e-9)


def test_tones_give_their_level_differences():
    sr = 16000
    t = np.arange(sr) / sr
    y = np.sin(2 * np.pi * 500 * t) + 0.1 * np.sin(2 * np.pi * 2500 * t)
    B = np.median(spectral_balance(y, sample_rate=sr), axis=-1)
    assert B[0] == pytest.approx(-20.0, abs=0.1)  # 1-5 kHz over 0-1 kHz energy
    assert B[1] == pytest.approx(20.0, abs=0.1)   # 0-2 kHz peak over 2-5 kHz peak


@pytest.mark.parametrize("kwargs, match", [
    (dict(sample_rate=4000), "sample_rate"), (dict(amin=0.0), "amin"),
    (dict(S=-np.ones((257, 3)), y=None), "non-negative"),
    (dict(S=np.ones((5, 3)), y=None), "n_fft"),
])
def test_invalid(kwargs, match):
    args = {"y": np.zeros(4000), "sample_rate": 16000, **kwargs}
    y = args.pop("y")
    with pytest.raises(ValueError, match=match):
        spectral_balance(y, **args)


# -- estimator ---------------------------------------------------------------------------------
ESTIMATORS = [SpectralBalance(),
              SpectralBalance(sample_rate=16000, n_fft=512, win_length=400, hop_length=160,
                              pooling="median")]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: str(e.sample_rate))
def test_fit_transform_contract(est):
    check_fit_transform_contract(est)


def test_estimator_equals_functional_pooled():
    y = np.random.default_rng(3).standard_normal((3, 5000))
    est = SpectralBalance(sample_rate=16000, n_fft=512, win_length=400, hop_length=160,
                          dtype="float64").fit(y)
    B = spectral_balance(y, sample_rate=16000)
    np.testing.assert_allclose(est.transform(y), np.concatenate([B.mean(-1), B.std(-1)], 1),
                               rtol=1e-9, atol=1e-12)
    assert est.get_feature_names_out().tolist()[::4] == ["alpha_ratio_mean", "alpha_ratio_std"]


def test_estimator_rejects_low_rate_and_short_fft():
    with pytest.raises(ValueError, match="sample_rate"):
        SpectralBalance(sample_rate=4000).fit(np.zeros((2, 400)))
    with pytest.raises(ValueError, match="n_fft"):
        SpectralBalance(sample_rate=44100, n_fft=32).fit(np.zeros((2, 400)))


def naive_opensmile_slope(P, sr, lo, hi, amin=1e-10):
    """openSMILE 3 ``cSpectral::processVectorFloat`` band slope, transcribed loop by loop."""
    n_bins = P.shape[0]
    frq = np.arange(n_bins) * sr / (2 * (n_bins - 1))
    ii = next(i for i in range(n_bins) if frq[i] > lo)
    wl = (frq[ii] - lo) / (frq[ii] - frq[ii - 1]) if ii > 0 else 1.0
    il = max(ii - 1, 0)
    jj = next(i for i in range(n_bins) if frq[i] >= hi)
    wr = (hi - frq[jj - 1]) / (frq[jj] - frq[jj - 1])
    ir = jj if frq[jj] == hi else jj - 1
    wl, wr = wl or 1.0, wr or 1.0
    out = []
    for t in range(P.shape[1]):
        L = 10 * np.log10(np.maximum(P[:, t], amin))
        n = ir - il
        sf = frq[il] * wl
        s2f = sf * sf
        sa = frq[il] * wl * L[il]
        sb = wl * L[il]
        for k in range(il + 1, ir):
            s2f += frq[k] ** 2
            sf += frq[k]
            sa += frq[k] * L[k]
            sb += L[k]
        s2f += (frq[ir] * wr) ** 2
        sf += frq[ir] * wr
        sa += frq[ir] * wr * L[ir]
        sb += wr * L[ir]
        out.append((n * sa - sf * sb) / (n * s2f - sf * sf))
    return np.array(out)


@pytest.mark.parametrize("sr, n_fft", [(16000, 512), (8000, 256), (44100, 2048)])
def test_opensmile_slopes_equal_their_formula(sr, n_fft):
    P = np.random.default_rng(4).lognormal(0, 2, (n_fft // 2 + 1, 5))
    got = spectral_balance(S=P, sample_rate=sr, slope_method="opensmile")
    np.testing.assert_allclose(got[2], naive_opensmile_slope(P, sr, 0, 500), rtol=1e-9)
    np.testing.assert_allclose(got[3], naive_opensmile_slope(P, sr, 500, 1500), rtol=1e-9)
    np.testing.assert_array_equal(got[:2], spectral_balance(S=P, sample_rate=sr)[:2])


def test_agrees_with_opensmile_egemaps(fsdd_sample):
    """Per-frame correlation with the ``opensmile`` package's eGeMAPSv02 LLDs (3-frame
    smoothed, its own framing: so correlation, not equality)."""
    opensmile = pytest.importorskip("opensmile")
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.LowLevelDescriptors)
    cols = ["alphaRatio_sma3", "hammarbergIndex_sma3", "slope0-500_sma3", "slope500-1500_sma3"]
    ref, ours = [], []
    for y in fsdd_sample[:8]:
        y = np.asarray(y, dtype=np.float64)
        df = smile.process_signal(y, 8000)
        B = spectral_balance(y, sample_rate=8000, n_fft=256, win_length=200, hop_length=80,
                             center=False, slope_method="opensmile")
        B = np.stack([np.convolve(b, np.ones(3) / 3, mode="same") for b in B])
        n = min(len(df), B.shape[1])
        ref.append(df[cols].to_numpy()[:n])
        ours.append(B[:, :n].T)
    ref, ours = np.concatenate(ref), np.concatenate(ours)
    voiced = (ref != 0).all(axis=1)
    for j in range(4):
        r = np.corrcoef(ref[voiced, j], ours[voiced, j])[0, 1]
        assert r > 0.9, (cols[j], r)
