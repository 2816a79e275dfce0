"""Gammatone filterbank, gammatone spectrogram and GFCC.

The ERB scale against Glasberg & Moore's formulas, the centre frequencies
against Slaney's ERBSpace, the FFT-domain weights against a numerical Fourier
transform of the analytic gammatone, the IIR filters against the analytic
impulse response and against a naive NumPy/SciPy twin built from Slaney's
literal MakeERBFilters formulas, the two modes against each other, and the
estimator contract.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

# -- naive twins (reference math, written from the sources): tests/naive/gammatone.py -----------
from naive.gammatone import cascade as naive_filter  # noqa: E402
from naive.gammatone import iir_energy as naive_iir_energy  # noqa: E402
from naive.gammatone import slaney_filters as naive_slaney_filters  # noqa: E402
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio import filters
from sklaudio._cepstral import GFCC, GammatoneSpectrogram
from sklaudio._engine import plan_frames
from sklaudio._validation import ClipBatch
from sklaudio.functional._cepstral import (
    gammatone_iir_energy,
    gammatone_spectrogram,
    gfcc,
)


def analytic_gammatone(t, fc):
    """The 4th-order gammatone t^3 exp(-2 pi b t) cos(2 pi fc t), b = 1.019 ERB(fc)."""
    b = 1.019 * 24.7 * (4.37 * fc / 1000 + 1)
    return t ** 3 * np.exp(-2 * np.pi * b * t) * np.cos(2 * np.pi * fc * t)


def _corr(a, b):
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


# -- ERB scale -------------------------------------------------------------------------------------
def test_erb_values_match_glasberg_moore():
    f = np.array([0.0, 50.0, 100.0, 1000.0, 4000.0, 10000.0])
    np.testing.assert_allclose(filters.erb_bandwidth(f), 24.7 * (4.37 * f / 1000 + 1), rtol=1e-14)
    # hand-computed: ERB(1000) = 24.7 * 5.37; E(1000) = 21.4 log10(5.37)
    assert filters.erb_bandwidth(1000.0) == pytest.approx(132.639, abs=1e-9)
    assert filters.erb_bandwidth(0.0) == pytest.approx(24.7, abs=1e-12)
    assert filters.hz_to_erb(1000.0) == pytest.approx(21.4 * np.log10(5.37), rel=1e-14)
    assert filters.hz_to_erb(0.0) == 0.0
    np.testing.assert_allclose(filters.erb_to_hz(filters.hz_to_erb(f)), f, rtol=1e-12, atol=1e-9)
    # the ERB-rate counts ERBs: dE/df = 1 / ERB(f) (G&M's constants agree to 0.32 %)
    h = 1e-3
    lo = np.maximum(f - h, 0)
    dE = (filters.hz_to_erb(f + h) - filters.hz_to_erb(lo)) / (f + h - lo)
    np.testing.assert_allclose(dE * filters.erb_bandwidth(f), 1.0, rtol=4e-3)


@settings(deadline=None, max_examples=60)
@given(n=st.integers(1, 128), fmin=st.floats(0, 2000), width=st.floats(1.0, 20000))
def test_center_frequencies_monotone_within_band_and_erb_spaced(n, fmin, width):
    fmax = fmin + width
    cf = filters.erb_frequencies(n, fmin=fmin, fmax=fmax)
    assert cf.shape == (n,)
    assert cf[0] == fmin
    assert np.all(cf >= fmin) and np.all(cf < fmax)
    if n > 1:
        assert np.all(np.diff(cf) > 0)
        steps = np.diff(filters.hz_to_erb(cf))
        np.testing.assert_allclose(steps, (filters.hz_to_erb(fmax) - filters.hz_to_erb(fmin)) / n,
                                   rtol=1e-9)


@pytest.mark.parametrize("fs,n,fmin", [(8000, 64, 50.0), (16000, 32, 100.0), (44100, 10, 20.0)])
def test_center_frequencies_equal_slaney_erbspace(fs, n, fmin):
    """Slaney's ERBSpace: -C + exp(i (log(fmin + C) - log(fmax + C)) / N) (fmax + C), i = 1..N."""
    C = 9.26449 * 24.7
    i = np.arange(1, n + 1)
    ref = -C + np.exp(i * (np.log(fmin + C) - np.log(fs / 2 + C)) / n) * (fs / 2 + C)
    cf = filters.erb_frequencies(n, fmin=fmin, fmax=fs / 2)
    # Slaney's EarQ * minBW = 228.8329 vs 1 / 0.00437 = 228.8330: equal to ~1e-6
    np.testing.assert_allclose(cf, ref[::-1], rtol=2e-6)


# -- FFT-domain weights ------------------------------------------------------------------------
def test_fft_weights_equal_fourier_transform_of_analytic_gammatone():
    sr, n_fft, n = 8000, 128, 12
    W = filters.gammatone(sample_rate=sr, n_fft=n_fft, n_filters=n, fmin=50.0, dtype=np.float64)
    cf = filters.erb_frequencies(n, fmin=50.0, fmax=sr / 2)
    fs_hi = 64 * sr  # dense sampling: aliasing of the f^-4 tail is < 1e-12
    t = np.arange(int(0.15 * fs_hi)) / fs_hi  # the slowest envelope has decayed by 1e-8
    f = np.arange(n_fft // 2 + 1) * sr / n_fft
    for m in range(0, n, 2):
        g = analytic_gammatone(t, cf[m])
        G = np.exp(-2j * np.pi * np.outer(np.append(f, cf[m]), t)) @ g
        ref = np.abs(G[:-1]) ** 2 / np.abs(G[-1]) ** 2
        np.testing.assert_allclose(W[m], ref, rtol=1e-6, atol=1e-12)
    assert W.shape == (n, n_fft // 2 + 1) and np.all(W > 0) and np.all(W <= 1 + 1e-9)


def test_fft_weights_cached_readonly_sparse_equal_dense():
    kw = dict(sample_rate=8000, n_fft=256, n_filters=20)
    a = filters.gammatone(**kw)
    a[:] = -1
    b = filters.gammatone(**kw)
    assert (b > 0).all()
    fb = filters.sparse_gammatone(**kw)
    assert fb is filters.sparse_gammatone(**kw)
    assert not fb.weights.flags.writeable and not fb.start.flags.writeable
    np.testing.assert_array_equal(fb.to_dense(), b)


# -- IIR filters ---------------------------------------------------------------------------------
def _sections(fs, cf):
    C = filters.gammatone_iir_coefficients(fs, cf)
    return [[([C[k, m], C[4 + k, m]], [1.0, C[8, m], C[9, m]]) for k in range(4)]
            for m in range(len(cf))]


@pytest.mark.parametrize("fs", [8000, 16000, 44100])
def test_iir_impulse_response_matches_analytic_gammatone(fs):
    """Correlation of each channel's impulse response with t^3 exp(-2 pi b t) cos(2 pi fc t).

    Slaney's design puts the poles exactly where impulse invariance puts the
    analog gammatone's (exp((-2 pi b +- 2i pi fc) / fs), four times) and
    approximates its zeros; the mismatch grows with fc / fs (near Nyquist the
    sampled analog response is itself aliased). Measured minima: 0.9988
    (fc < 0.05 fs), 0.9971 (< 0.1 fs), 0.9872 (< 0.25 fs), 0.9105 (top
    channel at 0.47 fs). The bounds below sit just under those.
    """
    cf = filters.erb_frequencies(64, fmin=50.0, fmax=fs / 2)
    n = int(0.25 * fs)
    x = np.zeros(n)
    x[0] = 1.0
    t = np.arange(n) / fs
    corr = np.array([_corr(naive_filter(x, s), analytic_gammatone(t, f))
                     for s, f in zip(_sections(fs, cf), cf)])
    r = cf / fs
    assert corr[r <= 0.05].min() > 0.998
    assert corr[r <= 0.10].min() > 0.995
    assert corr[r <= 0.25].min() > 0.985
    assert corr.min() > 0.9


@pytest.mark.parametrize("fs", [8000, 44100])
def test_iir_unit_gain_at_centre_and_equal_to_slaney_literal(fs):
    cf = filters.erb_frequencies(40, fmin=30.0, fmax=fs / 2)
    x = np.zeros(4096)
    x[0] = 1.0
    for ours, slaney, f in zip(_sections(fs, cf), naive_slaney_filters(fs, cf), cf):
        h = 1.0 + 0j
        for b, a in ours:
            h *= scipy.signal.freqz(b, a, worN=[f], fs=fs)[1][0]
        assert abs(h) == pytest.approx(1.0, rel=1e-10)
        a_, b_ = naive_filter(x, ours), naive_filter(x, slaney)
        # Slaney's closed-form gain cancels terms of size ~ (1 - exp(-B T)) ** 2 at low
        # fc / fs (~1e-5 at 44.1 kHz), so the two agree to ~1e-11, not to 1e-16.
        np.testing.assert_allclose(a_, b_, rtol=0, atol=1e-10 * np.abs(b_).max())


def _plan(clips, n_fft, hop, **kw):
    batch = ClipBatch(np.concatenate(clips),
                      np.concatenate([[0], np.cumsum([len(c) for c in clips])]).astype(np.int64))
    params = dict(n_fft=n_fft, hop_length=hop, win_length=None, window="hann", center=True,
                  pad_mode="constant")
    params.update(kw)
    return batch, plan_frames(batch, dtype=batch.samples.dtype, **params)


@pytest.mark.parametrize("center,pad_mode,win_length", [
    (True, "constant", None), (True, "reflect", None), (True, "edge", 96),
    (True, "symmetric", None), (False, "constant", 100)])
@pytest.mark.parametrize("n_jobs", [None, 2])
def test_iir_kernel_equals_naive_lfilter_twin(center, pad_mode, win_length, n_jobs):
    rng = np.random.default_rng(1)
    fs, n_fft, hop = 8000, 128, 40
    clips = [rng.standard_normal(n) for n in (700, 129, 1500, 300)]
    cf = filters.erb_frequencies(12, fmin=50.0, fmax=fs / 2)
    batch, plan = _plan(clips, n_fft, hop, center=center, pad_mode=pad_mode,
                        win_length=win_length)
    E = gammatone_iir_energy(batch, plan, sample_rate=fs, center_freqs=cf, n_jobs=n_jobs)
    fo = plan.frame_offsets
    for i, y in enumerate(clips):
        ref = naive_iir_energy(y, fs, cf, n_fft, hop, win_length=win_length, center=center,
                               pad_mode=pad_mode)
        got = E[fo[i]:fo[i + 1]]
        assert got.shape == ref.shape
        np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12 * ref.max())


def test_iir_float32_close_to_float64():
    rng = np.random.default_rng(2)
    y = rng.standard_normal((3, 2000))
    a = gammatone_spectrogram(y, sample_rate=8000, n_fft=256, hop_length=64, filterbank="iir",
                              compression=None)
    b = gammatone_spectrogram(y.astype(np.float32), sample_rate=8000, n_fft=256, hop_length=64,
                              filterbank="iir", compression=None)
    assert b.dtype == np.float32
    assert _rel(b, a) < 1e-5


@settings(deadline=None, max_examples=40)
@given(m=st.integers(0, 31), u=st.floats(-0.4, 0.4), amp=st.floats(0.01, 10.0))
def test_pure_tone_iir_and_fft_agree_on_peak_channel(m, u, amp):
    """A tone within 0.4 ERB steps of channel m's centre peaks in channel m in both modes,
    at about the same level (Parseval scaling).

    The FFT mode sees each filter response smoothed by the Hann window's main lobe
    (+-2 bins = +-31 Hz here), which lowers the peak of the narrow low channels
    (b = 31 Hz at 50 Hz): measured up to 1.05 dB below 400 Hz, <= 0.3 dB from 400 Hz
    to 0.4 fs (and 0.47 dB in the top channel, half of which lies above Nyquist)."""
    sr, n = 8000, 32
    cf = filters.erb_frequencies(n, fmin=50.0, fmax=sr / 2)
    e = filters.hz_to_erb(cf)
    f = float(filters.erb_to_hz(e[m] + u * (e[1] - e[0])))
    y = amp * np.sin(2 * np.pi * f * np.arange(sr) / sr)
    levels = []
    for mode in ("fft", "iir"):
        G = gammatone_spectrogram(y, sample_rate=sr, n_filters=n, n_fft=512, hop_length=128,
                                  filterbank=mode, top_db=None)
        levels.append(G[:, 8:-8].mean(axis=1))  # steady state
        assert levels[-1].argmax() == m, mode
    diff = abs(levels[0][m] - levels[1][m])
    assert diff < (0.3 if 400 <= cf[m] <= 0.4 * sr else 1.2)


def test_fft_and_iir_long_term_spectra_agree_on_fsdd(fsdd_sample):
    """Per clip, the frame-averaged channel energies of both modes agree (median over
    channels within 0.5 dB): the same filters, the same frames, the same (Parseval) scale."""
    for x in fsdd_sample[:8]:
        x = x.astype(np.float64)
        L = [10 * np.log10(gammatone_spectrogram(x, sample_rate=8000, n_fft=256, hop_length=80,
                                                 filterbank=mode, compression=None).mean(axis=1))
             for mode in ("fft", "iir")]
        assert np.median(np.abs(L[0] - L[1])) < 0.5


@settings(deadline=None, max_examples=25)
@given(n=st.integers(1, 3000), hop=st.integers(1, 300), center=st.booleans())
def test_both_modes_give_the_same_frames(n, hop, center):
    n_fft = 256
    if not center and n < n_fft:
        n = n_fft
    y = np.random.default_rng(n).standard_normal(n)
    a = gfcc(y, sample_rate=8000, n_fft=n_fft, hop_length=hop, center=center, n_gfcc=8,
             n_filters=16)
    b = gfcc(y, sample_rate=8000, n_fft=n_fft, hop_length=hop, center=center, n_gfcc=8,
             n_filters=16, filterbank="iir")
    assert a.shape == b.shape == (8, (1 + n // hop) if center else 1 + (n - n_fft) // hop)
    assert np.isfinite(a).all() and np.isfinite(b).all()


# -- features --------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["fft", "iir"])
def test_gfcc_is_dct_of_cube_root_spectrogram(mode):
    rng = np.random.default_rng(3)
    y = rng.standard_normal((2, 3000))
    kw = dict(sample_rate=8000, n_filters=24, n_fft=256, hop_length=100, filterbank=mode)
    E = gammatone_spectrogram(y, compression=None, **kw)
    c = gfcc(y, n_gfcc=10, lifter=4.0, **kw)
    ref = scipy.fft.dct(np.cbrt(E), type=2, norm="ortho", axis=-2)[..., :10, :]
    ref = ref * (1 + 2.0 * np.sin(np.pi * np.arange(1, 11) / 4.0))[:, None]
    assert _rel(c, ref) < 1e-10
    d = gammatone_spectrogram(y, compression="log", top_db=40.0, **kw)
    db = 10 * np.log10(np.maximum(E, 1e-10))
    db = np.maximum(db, db.max(axis=(-2, -1), keepdims=True) - 40.0)  # per clip
    assert _rel(d, db) < 1e-10


@pytest.mark.parametrize("mode", ["fft", "iir"])
def test_estimators_equal_functional(fsdd_sample, mode):
    X = fsdd_sample[:5]
    kw = dict(sample_rate=8000, n_fft=256, hop_length=80, filterbank=mode)
    est = GFCC(n_gfcc=13, dtype="float64", **kw).fit(X)
    for x, fr in zip(X, est.transform_frames(X)):
        ref = gfcc(x.astype(np.float64), n_gfcc=13, **kw)
        np.testing.assert_allclose(fr, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())
    est = GammatoneSpectrogram(ref="max", dtype="float64", **kw).fit(X)
    for x, fr in zip(X, est.transform_frames(X)):
        ref = gammatone_spectrogram(x.astype(np.float64), ref="max", **kw)
        np.testing.assert_allclose(fr, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", ["fft", "iir"])
@pytest.mark.parametrize("compression", ["log", "cubic", None])
def test_silence_is_finite_and_documented(mode, compression):
    G = gammatone_spectrogram(np.zeros((2, 1000)), sample_rate=8000, n_fft=256, hop_length=64,
                              filterbank=mode, compression=compression)
    assert np.all(G == (-100.0 if compression == "log" else 0.0))
    if compression is not None:
        c = gfcc(np.zeros(1000), sample_rate=8000, n_fft=256, hop_length=64, filterbank=mode,
                 compression=compression)
        assert np.isfinite(c).all()
        if compression == "cubic":
            assert np.all(c == 0)


def test_ref_max_makes_log_features_level_invariant():
    y = np.random.default_rng(4).standard_normal(4000)
    for mode in ("fft", "iir"):
        a = gfcc(y, sample_rate=8000, n_fft=256, hop_length=80, compression="log", ref="max",
                 filterbank=mode)
        b = gfcc(1e-3 * y, sample_rate=8000, n_fft=256, hop_length=80, compression="log",
                 ref="max", filterbank=mode)
        np.testing.assert_allclose(a, b, atol=1e-8 * np.abs(a).max())


@pytest.mark.parametrize("params,match", [
    (dict(filterbank="gammatone"), "filterbank"),
    (dict(compression="ln"), "compression"),
    (dict(n_gfcc=65), "n_gfcc"),
    (dict(fmax=5000.0), "Nyquist"),
    (dict(fmin=-1.0), "fmin"),
    (dict(n_filters=0), "n_filters"),
    (dict(ref=0.0), "ref"),
    (dict(top_db=-1.0), "top_db"),
    (dict(lifter=-1.0), "lifter"),
    (dict(dct_type=4), "dct_type"),
])
def test_bad_parameters_raise_value_error(params, match):
    X = np.zeros((1, 1000))
    with pytest.raises(ValueError, match=match):
        GFCC(sample_rate=8000, n_fft=256, **params).fit(X)
    func_params = {k: v for k, v in params.items()}
    with pytest.raises(ValueError, match=match):
        gfcc(X[0], sample_rate=8000, n_fft=256, **func_params)


def test_gammatone_spectrogram_compression_none_only_there():
    with pytest.raises(ValueError, match="compression"):
        GFCC(sample_rate=8000, compression=None).fit(np.zeros((1, 100)))
    GammatoneSpectrogram(sample_rate=8000, n_fft=64, compression=None).fit(np.zeros((1, 100)))


def test_iir_mode_is_not_an_engine_spec():
    est = GFCC(sample_rate=8000, n_fft=64, filterbank="iir").fit(np.zeros((1, 100)))
    with pytest.raises(ValueError, match="iir"):
        est._specs(np.dtype(np.float32))


# -- scikit-learn contract -------------------------------------------------------------------
SMALL = dict(sample_rate=8000, n_fft=64, hop_length=16, n_filters=16)
ESTIMATORS = [
    GFCC(**SMALL, n_gfcc=8),
    GFCC(**SMALL, n_gfcc=8, filterbank="iir", compression="log", lifter=2.0),
    GammatoneSpectrogram(**SMALL),
    GammatoneSpectrogram(**SMALL, filterbank="iir", compression="cubic"),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: f"{type(e).__name__}-{e.filterbank}")
def test_contract(est):
    check_fit_transform_contract(est)
    names = est.fit(np.zeros((1, 300))).get_feature_names_out()
    prefix = "gfcc" if isinstance(est, GFCC) else "gammatone"
    assert names[0] == f"{prefix}_0_mean" and names[1] == f"{prefix}_1_mean"
