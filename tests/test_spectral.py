"""Spectral descriptors: librosa parity on real FSDD clips, naive twins, properties,
estimator contract."""

from __future__ import annotations

import warnings

import librosa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from naive import descriptors as N
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio import functional as F
from sklaudio._spectral import (
    SpectralBandwidth,
    SpectralCentroid,
    SpectralContrast,
    SpectralEntropy,
    SpectralFlatness,
    SpectralFlux,
    SpectralRolloff,
)
from sklaudio.functional._spectral import (
    contrast_bands,
    spectral_bandwidth,
    spectral_contrast,
    spectral_entropy,
    spectral_flatness,
    spectral_flux,
    spectral_rolloff,
)

SMALL = dict(sample_rate=8000, n_fft=64, hop_length=16)
ESTIMATORS = [
    SpectralCentroid(**SMALL),
    SpectralBandwidth(**SMALL),
    SpectralBandwidth(**SMALL, p=1.5, norm=False),
    SpectralRolloff(**SMALL),
    SpectralFlatness(**SMALL),
    SpectralContrast(**SMALL, n_bands=4),
    SpectralFlux(**SMALL, n_mels=16),
    SpectralFlux(**SMALL, kind="normalized"),
    SpectralEntropy(**SMALL),
    SpectralEntropy(**SMALL, n_bands=4, normalize=True),
]


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


# -- librosa parity (float64, real FSDD clips) ---------------------------------------------------
SR = 8000
STFT_SETS = [(2048, 512), (256, 80)]
# At 8 kHz, librosa's default fmin=200 allows at most n_bands=5; fmin=100 gives the 7 rows.
LIBROSA_TWINS = {
    "bandwidth": (lambda x, **kw: spectral_bandwidth(x, sample_rate=SR, **kw),
                  lambda x, **kw: librosa.feature.spectral_bandwidth(y=x, sr=SR, **kw)),
    "bandwidth_p1.5_unnormed": (
        lambda x, **kw: spectral_bandwidth(x, sample_rate=SR, p=1.5, norm=False, **kw),
        lambda x, **kw: librosa.feature.spectral_bandwidth(y=x, sr=SR, p=1.5, norm=False, **kw)),
    "rolloff": (lambda x, **kw: spectral_rolloff(x, sample_rate=SR, **kw),
                lambda x, **kw: librosa.feature.spectral_rolloff(y=x, sr=SR, **kw)),
    "rolloff_0.3": (lambda x, **kw: spectral_rolloff(x, sample_rate=SR, roll_percent=0.3, **kw),
                    lambda x, **kw: librosa.feature.spectral_rolloff(y=x, sr=SR, roll_percent=0.3,
                                                                     **kw)),
    "flatness": (lambda x, **kw: spectral_flatness(x, **kw),
                 lambda x, **kw: librosa.feature.spectral_flatness(y=x, **kw)),
    "contrast": (lambda x, **kw: spectral_contrast(x, sample_rate=SR, fmin=100.0, **kw),
                 lambda x, **kw: librosa.feature.spectral_contrast(y=x, sr=SR, fmin=100.0, **kw)),
    "contrast_linear": (
        lambda x, **kw: spectral_contrast(x, sample_rate=SR, n_bands=5, linear=True, **kw),
        lambda x, **kw: librosa.feature.spectral_contrast(y=x, sr=SR, n_bands=5, linear=True,
                                                          **kw)),
    "flux_onset": (lambda x, **kw: spectral_flux(x, sample_rate=SR, **kw)[..., 0, :],
                   lambda x, **kw: librosa.onset.onset_strength(y=x, sr=SR, **kw)),
}


@pytest.mark.parametrize("n_fft,hop", STFT_SETS)
@pytest.mark.parametrize("name", sorted(LIBROSA_TWINS))
def test_equals_librosa(fsdd_sample, name, n_fft, hop):
    ours_fn, ref_fn = LIBROSA_TWINS[name]
    for x in fsdd_sample:
        x = x.astype(np.float64)
        ours = ours_fn(x, n_fft=n_fft, hop_length=hop)
        ref = ref_fn(x, n_fft=n_fft, hop_length=hop)
        assert ours.shape == ref.shape
        assert _rel(ours, ref) <= 1e-4, name


@pytest.mark.parametrize("n_fft,hop", STFT_SETS)
def test_precomputed_S_equals_librosa(fsdd_sample, n_fft, hop):
    for x in fsdd_sample[::4]:
        x = x.astype(np.float64)
        S = np.abs(librosa.stft(x, n_fft=n_fft, hop_length=hop))
        pairs = [
            (spectral_bandwidth(S=S, sample_rate=SR),
             librosa.feature.spectral_bandwidth(S=S, sr=SR)),
            (spectral_rolloff(S=S, sample_rate=SR, roll_percent=0.6),
             librosa.feature.spectral_rolloff(S=S, sr=SR, roll_percent=0.6)),
            (spectral_flatness(S=S, power=1.0), librosa.feature.spectral_flatness(S=S, power=1.0)),
            (spectral_contrast(S=S, sample_rate=SR, n_bands=5, quantile=0.1),
             librosa.feature.spectral_contrast(S=S, sr=SR, n_bands=5, quantile=0.1)),
        ]
        # centroid given explicitly (here: a shifted one, so it is really used)
        c = librosa.feature.spectral_centroid(S=S, sr=SR) + 100.0
        pairs.append((spectral_bandwidth(S=S, sample_rate=SR, centroid=c),
                      librosa.feature.spectral_bandwidth(S=S, sr=SR, centroid=c)))
        pairs.append((spectral_bandwidth(x, sample_rate=SR, n_fft=n_fft, hop_length=hop,
                                         centroid=c),
                      librosa.feature.spectral_bandwidth(S=S, sr=SR, centroid=c)))
        # onset strength from a precomputed log-power spectrogram (shift from n_fft, hop_length)
        L = librosa.power_to_db(np.abs(librosa.stft(x, n_fft=n_fft, hop_length=hop)) ** 2)
        pairs.append((spectral_flux(S=L, n_fft=n_fft, hop_length=hop)[0],
                      librosa.onset.onset_strength(S=L, sr=SR, n_fft=n_fft, hop_length=hop)))
        for ours, ref in pairs:
            assert ours.shape == ref.shape
            assert _rel(ours, ref) <= 1e-4


@pytest.mark.parametrize("n_fft", [32, 128, 256, 512, 1024])
@pytest.mark.parametrize("fmin,n_bands,quantile", [(200.0, 5, 0.02), (100.0, 6, 0.02),
                                                   (150.0, 4, 0.2), (250.0, 3, 0.5),
                                                   (300.0, 2, 0.95)])
def test_contrast_band_selection_equals_librosa(n_fft, fmin, n_bands, quantile):
    """Random spectra: any difference in librosa's per-band bin choice would show."""
    S = np.random.default_rng(n_fft).random((n_fft // 2 + 1, 7)) ** 4
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # mean of an empty band
            ref = librosa.feature.spectral_contrast(S=S, sr=SR, fmin=fmin, n_bands=n_bands,
                                                    quantile=quantile, linear=True)
    except IndexError:  # a band without bins
        ref = None
    if ref is None or np.isnan(ref).any():
        # librosa fails (empty band) or returns NaN (a one-bin band emptied by its drop rule);
        # we raise a ValueError instead
        with pytest.raises(ValueError, match="FFT bin"):
            spectral_contrast(S=S, sample_rate=SR, fmin=fmin, n_bands=n_bands, quantile=quantile)
        return
    ours = spectral_contrast(S=S, sample_rate=SR, fmin=fmin, n_bands=n_bands, quantile=quantile,
                             linear=True)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-15)


# -- naive twins ---------------------------------------------------------------------------------
@pytest.mark.parametrize("n_fft,hop", STFT_SETS)
def test_kernels_equal_naive_twins(fsdd_sample, n_fft, hop):
    freq = np.arange(n_fft // 2 + 1) * SR / n_fft
    for x in fsdd_sample[::3]:
        S = N.magnitude(x, n_fft, hop)
        checks = [
            (spectral_bandwidth(x.astype(np.float64), sample_rate=SR, n_fft=n_fft,
                                hop_length=hop, p=3.0), N.bandwidth(S, freq, p=3.0)),
            (spectral_rolloff(x.astype(np.float64), sample_rate=SR, n_fft=n_fft, hop_length=hop,
                              roll_percent=0.5), N.rolloff(S, freq, 0.5)),
            (spectral_flatness(x.astype(np.float64), n_fft=n_fft, hop_length=hop, power=1.5),
             N.flatness(S, power=1.5)),
            (spectral_flux(x.astype(np.float64), kind="normalized", n_fft=n_fft, hop_length=hop),
             N.normalized_flux(S)),
        ]
        for kw in (dict(), dict(n_bands=10), dict(n_bands=7, normalize=True, power=1.0),
                   dict(normalize=True)):
            checks.append((spectral_entropy(x.astype(np.float64), n_fft=n_fft, hop_length=hop,
                                            **kw), N.entropy(S, **kw)))
        for ours, ref in checks:
            assert ours.shape == (1,) + ref.shape
            assert _rel(ours[0], ref) <= 1e-9


def test_normalized_flux_stitches_chunks_and_never_crosses_clips(fsdd_sample):
    """Many clips through the estimator (several chunks, 2 threads) == naive flux per clip."""
    n_fft, hop = 256, 32  # ~ 100-400 frames per clip, 256 frames per chunk: clips straddle chunks
    est = SpectralFlux(sample_rate=SR, n_fft=n_fft, hop_length=hop, kind="normalized",
                       dtype="float64")
    for n_jobs in (None, 2):
        frames = est.set_params(n_jobs=n_jobs).fit(fsdd_sample).transform_frames(fsdd_sample)
        assert sum(f.shape[1] for f in frames) > 4 * 256
        for x, fr in zip(fsdd_sample, frames):
            ref = N.normalized_flux(N.magnitude(x, n_fft, hop))
            assert fr[0, 0] == 0.0
            assert _rel(fr[0], ref) <= 1e-9


def test_onset_flux_never_crosses_clips(fsdd_sample):
    """Each clip of a batch equals the clip alone (own dB reference, zeros in front)."""
    est = SpectralFlux(sample_rate=SR, n_fft=256, hop_length=32, dtype="float64", n_jobs=2)
    clips = fsdd_sample[:8]
    loud = [c * (10.0 ** i) for i, c in enumerate(clips)]  # very different per-clip maxima
    frames = est.fit(loud).transform_frames(loud)
    for x, fr in zip(loud, frames):
        alone = spectral_flux(x.astype(np.float64), sample_rate=SR, n_fft=256, hop_length=32)
        np.testing.assert_allclose(fr, alone, rtol=1e-12, atol=1e-12)
        assert np.all(fr[0, :1 + 256 // 64] == 0)  # shift = lag + n_fft // (2 hop) = 5


def test_leading_dimensions_are_independent_clips(fsdd_sample):
    """(..., n_samples) input: each row is its own clip (own dB reference, own first frame)."""
    n = min(len(x) for x in fsdd_sample[:4])
    Y = np.stack([x[:n].astype(np.float64) * 10.0 ** i for i, x in enumerate(fsdd_sample[:4])])
    Y = Y.reshape(2, 2, n)
    for fn in (lambda y: spectral_flux(y, sample_rate=SR, n_fft=256, hop_length=80),
               lambda y: spectral_flux(y, kind="normalized", n_fft=256, hop_length=80),
               lambda y: spectral_contrast(y, sample_rate=SR, n_fft=256, hop_length=80,
                                           n_bands=5),
               lambda y: spectral_entropy(y, n_fft=256, hop_length=80, n_bands=10)):
        out = fn(Y)
        for i in range(2):
            for j in range(2):
                np.testing.assert_allclose(out[i, j], fn(Y[i, j]), rtol=1e-12, atol=1e-12)


# -- estimators == functional ---------------------------------------------------------------------
EST_FUNC = [
    (SpectralBandwidth(p=1.5), lambda x, **kw: spectral_bandwidth(x, sample_rate=SR, p=1.5,
                                                                  **kw)),
    (SpectralRolloff(roll_percent=0.4),
     lambda x, **kw: spectral_rolloff(x, sample_rate=SR, roll_percent=0.4, **kw)),
    (SpectralFlatness(power=1.0), lambda x, **kw: spectral_flatness(x, power=1.0, **kw)),
    (SpectralContrast(fmin=100.0), lambda x, **kw: spectral_contrast(x, sample_rate=SR,
                                                                    fmin=100.0, **kw)),
    (SpectralFlux(), lambda x, **kw: spectral_flux(x, sample_rate=SR, **kw)),
    (SpectralFlux(kind="normalized"),
     lambda x, **kw: spectral_flux(x, sample_rate=SR, kind="normalized", **kw)),
    (SpectralEntropy(n_bands=10, normalize=True),
     lambda x, **kw: spectral_entropy(x, n_bands=10, normalize=True, **kw)),
]


@pytest.mark.parametrize("est,func", EST_FUNC, ids=lambda v: type(v).__name__)
def test_transform_frames_equals_functional(fsdd_sample, est, func):
    clips = fsdd_sample[:6]
    est.set_params(sample_rate=SR, n_fft=256, hop_length=80, dtype="float64")
    frames = est.fit(clips).transform_frames(clips)
    for x, fr in zip(clips, frames):
        ref = func(x.astype(np.float64), n_fft=256, hop_length=80)
        assert fr.shape == ref.shape
        np.testing.assert_allclose(fr, ref, rtol=1e-12, atol=1e-12)
    pooled = est.set_params(pooling=("mean", "max")).fit(clips).transform(clips)
    np.testing.assert_allclose(pooled[:, : fr.shape[0]],
                               np.stack([f.mean(axis=1) for f in frames]), rtol=1e-12)


# -- float32 vs float64 ---------------------------------------------------------------------------
# Max abs difference / max abs float64 value. Contrast's valleys are the smallest 2 % of the
# magnitudes, near the float32 FFT's rounding floor, so their dB level is only ~1e-3 accurate.
DTYPE_TOL = [(SpectralBandwidth(), 1e-5), (SpectralRolloff(), 1e-5), (SpectralFlatness(), 1e-5),
             (SpectralContrast(fmin=100.0), 1e-3), (SpectralFlux(), 1e-5),
             (SpectralFlux(kind="normalized"), 1e-5), (SpectralEntropy(), 1e-5)]


@pytest.mark.parametrize("est,tol", DTYPE_TOL, ids=lambda v: getattr(type(v), "__name__", ""))
def test_float32_agrees_with_float64(fsdd_sample, est, tol):
    est.set_params(sample_rate=SR, n_fft=256, hop_length=80)
    a = est.set_params(dtype="float32").fit(fsdd_sample).transform_frames(fsdd_sample)
    b = est.set_params(dtype="float64").fit(fsdd_sample).transform_frames(fsdd_sample)
    A, B = np.concatenate(a, axis=1), np.concatenate(b, axis=1)
    assert A.dtype == np.float32 and B.dtype == np.float64
    assert _rel(A.astype(np.float64), B) <= tol


# -- properties (hypothesis) ----------------------------------------------------------------------
spectra = hnp.arrays(np.float64, st.tuples(st.integers(2, 40), st.integers(1, 5)),
                     elements=st.one_of(st.just(0.0), st.floats(1e-6, 1e3)))


@settings(deadline=None, max_examples=60)
@given(S=spectra, r=st.lists(st.floats(0.01, 0.99), min_size=2, max_size=5))
def test_rolloff_is_monotone_in_roll_percent(S, r):
    r = sorted(r)
    vals = [spectral_rolloff(S=S, sample_rate=SR, roll_percent=q) for q in r]
    for lo, hi in zip(vals[:-1], vals[1:]):
        assert np.all(lo <= hi)
    top = librosa.fft_frequencies(sr=SR, n_fft=2 * (S.shape[0] - 1))[-1]  # ~Nyquist
    assert np.all((vals[0] >= 0) & (vals[-1] <= top))


@settings(deadline=None, max_examples=60)
@given(S=spectra, power=st.sampled_from([1.0, 2.0, 0.5]), data=st.data())
def test_entropy_bounds(S, power, data):
    n_bins = S.shape[0]
    n_bands = data.draw(st.one_of(st.none(), st.integers(1, n_bins)))
    n = n_bins if n_bands is None else n_bands
    h = spectral_entropy(S=S, power=power, n_bands=n_bands)
    hn = spectral_entropy(S=S, power=power, n_bands=n_bands, normalize=True)
    assert np.all((h >= 0) & (h <= np.log(n)))
    assert np.all((hn >= 0) & (hn <= 1))
    np.testing.assert_allclose(h[0], N.entropy(S, power=power, n_bands=n_bands), atol=1e-12)


@settings(deadline=None, max_examples=60)
@given(S=spectra, p=st.floats(0.5, 4.0), norm=st.booleans())
def test_bandwidth_non_negative(S, p, norm):
    bw = spectral_bandwidth(S=S, sample_rate=SR, p=p, norm=norm)
    assert np.all(np.isfinite(bw)) and np.all(bw >= 0)


@settings(deadline=None, max_examples=60)
@given(S=spectra, power=st.floats(0.5, 3.0))
def test_flatness_in_unit_interval(S, power):
    f = spectral_flatness(S=S, power=power)
    assert np.all((f >= 0) & (f <= 1))


@settings(deadline=None, max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 600))
def test_normalized_flux_in_range_and_first_frame_zero(seed, n):
    y = np.random.default_rng(seed).standard_normal(n)
    fl = spectral_flux(y, kind="normalized", n_fft=64, hop_length=16)
    assert fl[0, 0] == 0 and np.all((fl >= 0) & (fl <= 2))


# -- silence and errors ----------------------------------------------------------------------------
SILENCE = {  # documented value of an all-zero clip
    "bandwidth": (lambda y: spectral_bandwidth(y, sample_rate=SR, n_fft=256, hop_length=80), 0.0),
    "rolloff": (lambda y: spectral_rolloff(y, sample_rate=SR, n_fft=256, hop_length=80), 0.0),
    "flatness": (lambda y: spectral_flatness(y, n_fft=256, hop_length=80), 1.0),
    "contrast": (lambda y: spectral_contrast(y, sample_rate=SR, n_fft=256, hop_length=80,
                                             n_bands=5), 0.0),
    "flux_onset": (lambda y: spectral_flux(y, sample_rate=SR, n_fft=256, hop_length=80), 0.0),
    "flux_normalized": (lambda y: spectral_flux(y, kind="normalized", n_fft=256, hop_length=80),
                        0.0),
    "entropy": (lambda y: spectral_entropy(y, n_fft=256, hop_length=80), 0.0),
    "entropy_normalized": (lambda y: spectral_entropy(y, n_fft=256, hop_length=80,
                                                      normalize=True, n_bands=8), 0.0),
}


@pytest.mark.parametrize("name", sorted(SILENCE))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_silence_is_finite_and_documented(name, dtype):
    fn, value = SILENCE[name]
    out = fn(np.zeros(4000, dtype=dtype))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, value, atol=1e-12)


def test_silence_matches_librosa():
    y = np.zeros(4000)
    kw = dict(n_fft=256, hop_length=80)
    np.testing.assert_array_equal(spectral_rolloff(y, sample_rate=SR, **kw),
                                  librosa.feature.spectral_rolloff(y=y, sr=SR, **kw))
    np.testing.assert_allclose(spectral_flatness(y, **kw),
                               librosa.feature.spectral_flatness(y=y, **kw), rtol=1e-12)
    np.testing.assert_array_equal(spectral_bandwidth(y, sample_rate=SR, **kw),
                                  librosa.feature.spectral_bandwidth(y=y, sr=SR, **kw))


@pytest.mark.parametrize("est,match", [
    (SpectralBandwidth(p=0), "'p' parameter of SpectralBandwidth must"),
    (SpectralBandwidth(norm="yes"), "'norm' parameter of SpectralBandwidth must be a bool"),
    (SpectralRolloff(roll_percent=1.0), "roll_percent"),
    (SpectralRolloff(roll_percent=0), "roll_percent"),
    (SpectralFlatness(amin=0), "amin"),
    (SpectralFlatness(power=-1), "power"),
    (SpectralContrast(sample_rate=8000, n_bands=6), "Nyquist"),  # fmin=200: 6400 Hz edge at 8 kHz
    (SpectralContrast(sample_rate=8000, n_fft=16, n_bands=3), "no FFT bin|single FFT bin"),
    (SpectralContrast(quantile=1.0), "quantile"),
    (SpectralContrast(n_bands=0), "n_bands"),
    (SpectralContrast(fmin=-5), "fmin"),
    (SpectralFlux(kind="positive"), "'kind' parameter of SpectralFlux must be a str among"),
    (SpectralFlux(n_mels=0), "n_mels"),
    (SpectralEntropy(n_bands=0), "n_bands"),
    (SpectralEntropy(n_fft=64, n_bands=34), "n_bands"),
    (SpectralEntropy(normalize=1), "normalize"),
], ids=lambda v: type(v).__name__ if not isinstance(v, str) else v)
def test_bad_parameters_raise_at_fit(est, match):
    with pytest.raises(ValueError, match=match):
        est.fit(np.zeros((2, 1000)))


def test_negative_spectrogram_raises():
    S = -np.ones((33, 4))
    for fn in (lambda: spectral_bandwidth(S=S), lambda: spectral_rolloff(S=S),
               lambda: spectral_flatness(S=S), lambda: spectral_entropy(S=S),
               lambda: spectral_flux(S=S, kind="normalized")):
        with pytest.raises(ValueError, match="non-negative"):
            fn()


def test_contrast_bands_cover_librosa_layout():
    freq = np.arange(129) * SR / 256
    start, stop, n_q = contrast_bands(freq, sample_rate=SR, fmin=200.0, n_bands=5)
    assert start[0] == 0 and stop[-1] == 129  # from 0 Hz to Nyquist
    assert np.all(start[1:] == stop[:-1])  # contiguous: the bin below each edge is shared
    assert np.all(n_q >= 1)


@pytest.mark.parametrize("sr,expected", [(8000, 5), (16000, 6), (22050, 6), (44100, 6),
                                         (48000, 6), (2000, 3)])
def test_contrast_auto_bands_are_librosas_6_when_they_fit(sr, expected):
    est = SpectralContrast(sample_rate=sr).fit(np.zeros((1, sr)))
    assert est.n_bands_ == expected
    assert 200.0 * 2 ** (est.n_bands_ - 1) < sr / 2
    assert est.n_features_frame_ == expected + 1
    # "auto" is exactly n_bands=<resolved> (the same spec, the same values)
    x = np.random.default_rng(0).standard_normal((1, sr))
    np.testing.assert_array_equal(est.transform(x),
                                  SpectralContrast(sample_rate=sr, n_bands=expected).fit(x)
                                  .transform(x))
