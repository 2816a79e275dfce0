"""Harmonics-to-noise ratio (Boersma 1993) against its formula, known SNRs and Praat."""

from __future__ import annotations

import numpy as np
import pytest
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio import HNR
from sklaudio.functional import hnr

SR = 16000


def harmonic_plus_noise(snr_db, seed=0, f0=140.0, dur=2.0, sr=SR):
    rng = np.random.default_rng(seed)
    t = np.arange(int(dur * sr)) / sr
    h = sum(np.sin(2 * np.pi * k * f0 * t + k) / k for k in range(1, 6))
    noise = rng.standard_normal(t.size) * np.sqrt(np.mean(h ** 2) / 10 ** (snr_db / 10))
    return h + noise


def naive_hnr(y, sr, fmin=75.0, fmax=600.0, frame_length=None, hop_length=None):
    """Frame by frame, time-domain sums (Boersma 1993, Eqs. 4 and 9)."""
    L = int(round(4.5 * sr / fmin)) if frame_length is None else frame_length
    hop = int(round(0.01 * sr)) if hop_length is None else hop_length
    yp = np.pad(y, L // 2)
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(L) / (L - 1))
    rw = np.array([np.dot(w[:L - k], w[k:]) for k in range(L)]) / np.dot(w, w)
    lo, hi = int(np.floor(sr / fmax)), int(np.ceil(sr / fmin))
    out = []
    for s in range(0, len(y) + 1, hop):
        if s + L > len(yp):
            break
        x = yp[s:s + L]
        xw = (x - x.mean()) * w
        e = np.dot(xw, xw)
        if e == 0:
            out.append(-200.0)
            continue
        r = np.array([np.dot(xw[:L - k], xw[k:]) for k in range(hi + 2)]) / e / rw[:hi + 2]
        k = lo + int(np.argmax(r[lo:hi + 1]))
        best = r[k]
        if lo < k < hi:
            den = r[k - 1] - 2 * best + r[k + 1]
            if den < 0:
                d = 0.5 * (r[k - 1] - r[k + 1]) / den
                best = best - 0.25 * (r[k - 1] - r[k + 1]) * d
        best = min(best, 1 - 1e-15)
        out.append(10 * np.log10(best / (1 - best)) if best > 0 else -200.0)
    return np.array(out)


def test_equals_naive_formula():
    y = harmonic_plus_noise(8.0, dur=0.3)
    y[1500:2600] = 0.0  # silent stretch: -200 dB frames
    got = hnr(y, sample_rate=SR)
    want = naive_hnr(y, SR)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-7)
    assert (got == -200.0).any()


@pytest.mark.parametrize("snr", [5.0, 10.0, 20.0, 30.0])
def test_known_harmonics_to_noise_ratio(snr):
    got = hnr(harmonic_plus_noise(snr), sample_rate=SR)
    assert np.median(got[5:-5]) == pytest.approx(snr, abs=0.5)


def test_pure_harmonic_is_high_and_noise_low():
    t = np.arange(SR) / SR
    assert np.median(hnr(np.sin(2 * np.pi * 200 * t), sample_rate=SR)[5:-5]) > 40
    noise = np.random.default_rng(0).standard_normal(SR)
    assert np.median(hnr(noise, sample_rate=SR)) < -5


def test_batch_and_framing():
    y = np.stack([harmonic_plus_noise(s, seed=s, dur=0.5) for s in (3, 12, 25)])
    H = hnr(y, sample_rate=SR, hop_length=80)
    assert H.shape == (3, 1 + y.shape[1] // 80)
    for i in range(3):
        np.testing.assert_array_equal(H[i], hnr(y[i], sample_rate=SR, hop_length=80))


@pytest.mark.parametrize("kwargs, match", [
    (dict(fmax=9000), "fmax"), (dict(fmin=700), "fmin"),
    (dict(frame_length=100), "fmin"), (dict(sample_rate=-1), "sample_rate"),
])
def test_invalid_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        hnr(np.zeros(4000), **{"sample_rate": SR, **kwargs})


@pytest.mark.parametrize("snr", [5.0, 10.0, 20.0, 30.0])
def test_agrees_with_praat(snr):
    parselmouth = pytest.importorskip("parselmouth")
    from parselmouth.praat import call

    y = harmonic_plus_noise(snr, seed=1)
    h = call(parselmouth.Sound(y, SR), "To Harmonicity (ac)", 0.01, 75, 0.1, 4.5)
    praat = np.median(h.values[h.values > -199])
    assert np.median(hnr(y, sample_rate=SR)[5:-5]) == pytest.approx(praat, abs=0.3)


# -- estimator ---------------------------------------------------------------------------------
ESTIMATORS = [HNR(), HNR(sample_rate=8000, frame_length=512, hop_length=80, pooling="median")]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: str(e.sample_rate))
def test_fit_transform_contract(est):
    check_fit_transform_contract(est)


def test_estimator_equals_functional_pooled():
    y = np.stack([harmonic_plus_noise(s, seed=s, dur=0.5) for s in (5, 15)])
    est = HNR(sample_rate=SR, frame_length=1200, hop_length=160, dtype="float64",
              pooling=("mean", "std")).fit(y)
    H = hnr(y, sample_rate=SR, frame_length=1200, hop_length=160)
    np.testing.assert_allclose(est.transform(y), np.stack([H.mean(-1), H.std(-1)], 1),
                               rtol=1e-9)
    assert est.get_feature_names_out().tolist() == ["hnr_mean", "hnr_std"]


def test_estimator_rejects_bad_range():
    with pytest.raises(ValueError, match="fmax"):
        HNR(sample_rate=1000).fit(np.zeros((2, 400)))
