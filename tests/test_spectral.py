"""Spectral descriptors: librosa parity on real FSDD clips, properties, estimator contract."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.estimator_checks import parametrize_with_checks
from sk_contract import check_fit_transform_contract, expected_failures

from sklaudio import functional as F
from sklaudio._spectral import SpectralCentroid

SMALL = dict(sample_rate=8000, n_fft=64, hop_length=16)
ESTIMATORS = [SpectralCentroid(**SMALL)]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_contract(est):
    check_fit_transform_contract(est)


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


@pytest.mark.parametrize("n_fft,hop", [(2048, 512), (256, 80)])
def test_centroid_equals_librosa(fsdd_sample, n_fft, hop):
    for x in fsdd_sample:
        x = x.astype(np.float64)
        ours = F.spectral_centroid(x, sample_rate=8000, n_fft=n_fft, hop_length=hop)
        ref = librosa.feature.spectral_centroid(y=x, sr=8000, n_fft=n_fft, hop_length=hop)
        assert ours.shape == ref.shape
        assert _rel(ours, ref) <= 1e-4
    est = SpectralCentroid(sample_rate=8000, n_fft=256, hop_length=80, dtype="float64")
    for x, fr in zip(fsdd_sample, est.fit(fsdd_sample).transform_frames(fsdd_sample)):
        ref = librosa.feature.spectral_centroid(y=x.astype(np.float64), sr=8000, n_fft=256,
                                                hop_length=80)
        assert _rel(fr, ref) <= 1e-4


@settings(deadline=None, max_examples=30)
@given(k=st.integers(1, 126), amp=st.floats(0.01, 10))
def test_bin_centred_tone_centroid_is_its_frequency(k, amp):
    sr, n_fft = 8000, 256
    f = k * sr / n_fft
    t = np.arange(4 * n_fft) / sr
    y = amp * np.cos(2 * np.pi * f * t)
    c = F.spectral_centroid(y, sample_rate=sr, n_fft=n_fft, hop_length=64, center=False,
                            window="boxcar")
    np.testing.assert_allclose(c, f, rtol=1e-6)


def test_centroid_of_silence_is_zero():
    c = F.spectral_centroid(np.zeros(4000), sample_rate=8000, n_fft=256, hop_length=80)
    assert np.all(c == 0)
