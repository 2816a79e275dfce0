"""PNCC (Kim & Stern 2016): naive NumPy twins of every stage, shapes, silence, invariance,
the filterbank, the estimator contract, and the purpose (robustness to additive noise)."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
import scipy.fft
import scipy.signal
import soundfile as sf
from hypothesis import given, settings
from hypothesis import strategies as st
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio._kernels import pncc as K
from sklaudio._pncc import PNCC
from sklaudio.functional import mfcc
from sklaudio.functional._pncc import pncc, pncc_filterbank

ESTIMATORS = [PNCC(sample_rate=8000, n_fft=64, hop_length=16, n_filters=20, n_pncc=8)]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS + [PNCC(sample_rate=8000, cmn=True, n_jobs=2)],
                         ids=["small", "default_8k_cmn"])
def test_contract(est):
    check_fit_transform_contract(est, n_samples=300 if est.n_fft == 64 else 2400)


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


# -- naive twins, written from the paper's equations: tests/naive/pncc.py ------------------------
from naive.pncc import af as naive_af  # noqa: E402
from naive.pncc import gammatone as naive_gammatone  # noqa: E402
from naive.pncc import masking as naive_temporal_masking  # noqa: E402
from naive.pncc import mean_power as naive_mean_power  # noqa: E402
from naive.pncc import medium_time as naive_medium_time  # noqa: E402
from naive.pncc import pncc as naive_pncc  # noqa: E402
from naive.pncc import smoothing as naive_smoothing  # noqa: E402
from naive.pncc import suppression as naive_suppression  # noqa: E402

# -- each temporal stage vs its twin ----------------------------------------------------------
positive_power = st.tuples(st.integers(1, 40), st.integers(1, 12), st.integers(0, 2**31 - 1),
                           st.floats(0.0, 0.6))


def _random_power(n, L, seed, p_zero):
    rng = np.random.default_rng(seed)
    P = rng.lognormal(0, 2, (n, L)) * (rng.uniform(size=(n, L)) >= p_zero)
    return P


@settings(deadline=None, max_examples=60)
@given(shape=positive_power, M=st.integers(0, 4), N=st.integers(0, 5))
def test_stage_kernels_equal_their_twins(shape, M, N):
    P = _random_power(*shape)
    out = np.empty_like(P)
    K.medium_time_power(P, M, out)
    np.testing.assert_allclose(out, naive_medium_time(P, M), rtol=1e-12)
    Q = out.copy()
    K.asymmetric_lowpass(Q, 0.999, 0.5, out)
    np.testing.assert_allclose(out, naive_af(Q, 0.999, 0.5), rtol=1e-12)
    K.asymmetric_lowpass(Q, 0.3, 0.9, out)
    np.testing.assert_allclose(out, naive_af(Q, 0.3, 0.9), rtol=1e-12)
    K.temporal_masking(P, 0.85, 0.2, out)
    np.testing.assert_allclose(out, naive_temporal_masking(P, 0.85, 0.2), rtol=1e-12)
    R = np.empty_like(P)
    K.noise_suppression(Q, 0.999, 0.5, 0.85, 0.2, 2.0, R, np.empty_like(P), np.empty_like(P),
                        np.empty_like(P))
    np.testing.assert_allclose(R, naive_suppression(Q), rtol=1e-12)
    K.weight_smoothing(R, Q, N, out)
    np.testing.assert_allclose(out, naive_smoothing(R, Q, N), rtol=1e-12)
    K.mean_power_normalization(P, 0.999, out)
    np.testing.assert_allclose(out, naive_mean_power(P, 0.999), rtol=1e-12)


@settings(deadline=None, max_examples=30)
@given(lengths=st.lists(st.integers(0, 30), min_size=1, max_size=5), L=st.integers(1, 10),
       seed=st.integers(0, 2**31 - 1), cmn=st.booleans())
def test_pncc_clips_restarts_per_clip_and_equals_twin(lengths, L, seed, cmn):
    fo = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    P = _random_power(int(fo[-1]), L, seed, 0.2)
    V = np.empty_like(P)
    K.pncc_clips(P, fo, 2, 0.999, 0.5, 0.85, 0.2, 2.0, 4, 0.999, 1 / 15, V)
    for a, b in zip(fo[:-1], fo[1:]):
        if b > a:
            Q = naive_medium_time(P[a:b], 2)
            T = P[a:b] * naive_smoothing(naive_suppression(Q), Q, 4)
            np.testing.assert_allclose(V[a:b], naive_mean_power(T, 0.999) ** (1 / 15),
                                       rtol=1e-11, atol=1e-300)
    if cmn:
        X = P.copy()
        K.subtract_clip_means(X, fo)
        for a, b in zip(fo[:-1], fo[1:]):
            if b > a:
                np.testing.assert_allclose(X[a:b], P[a:b] - P[a:b].mean(axis=0), atol=1e-9)


# -- the whole pipeline on real speech ----------------------------------------------------------
@pytest.mark.parametrize("kw", [
    dict(),
    dict(n_fft=256, hop_length=64, win_length=200, n_filters=24, n_pncc=20, fmin=100.0,
         medium_time=1, smoothing_width=2, cmn=True),
    dict(preemphasis=0.0, lambda_t=0.5, mu_t=0.4, excitation_threshold=1.5, lambda_mu=0.9,
         power_exponent=0.1),
])
def test_pncc_equals_naive_twin_on_fsdd(fsdd_sample, kw):
    names = dict(medium_time="M", smoothing_width="N", lambda_a="lam_a", lambda_b="lam_b",
                 lambda_t="lam_t", mu_t="mu_t", excitation_threshold="c", lambda_mu="lam_mu",
                 power_exponent="exponent", n_pncc="n_pncc", cmn="cmn", n_filters="n_bands",
                 fmin="fmin", preemphasis="preemphasis")
    n_fft, hop, win = kw.get("n_fft", 512), kw.get("hop_length", 80), kw.get("win_length", 205)
    nk = {names[k]: v for k, v in kw.items() if k in names}
    worst = 0.0
    for x in fsdd_sample[:8]:
        x = x.astype(np.float64)
        ours = pncc(x, sample_rate=8000, **kw)
        ref = naive_pncc(x, 8000, n_fft, hop, win, **nk)
        assert ours.shape == ref.shape == (kw.get("n_pncc", 13), 1 + len(x) // hop)
        worst = max(worst, _rel(ours, ref))
    assert worst <= 1e-12, worst


def test_spectrogram_path_equals_audio_path(fsdd_sample):
    x = fsdd_sample[2].astype(np.float64)
    pre = scipy.signal.lfilter([1.0, -0.97], [1.0], x)
    S = np.abs(librosa.stft(pre, n_fft=512, hop_length=80, win_length=205,
                            window="hamming")) ** 2
    np.testing.assert_allclose(pncc(S=S, sample_rate=8000), pncc(x, sample_rate=8000),
                               rtol=1e-9, atol=1e-9)


def test_estimator_frames_equal_functional_and_batch_shapes(fsdd_sample):
    clips = fsdd_sample[:6]
    est = PNCC(sample_rate=8000, dtype="float64", n_jobs=2).fit(clips)
    assert (est.n_fft_, est.hop_length_, est.win_length_) == (512, 80, 205)
    for x, fr in zip(clips, est.transform_frames(clips)):
        np.testing.assert_allclose(fr, pncc(x.astype(np.float64), sample_rate=8000),
                                   rtol=1e-12, atol=1e-12)
    # functional on a 3-D batch: each row as alone
    Y = np.random.default_rng(0).standard_normal((2, 3, 4000))
    out = pncc(Y, sample_rate=16000)
    assert out.shape == (2, 3, 13, 1 + 4000 // 160)
    np.testing.assert_allclose(out[1, 2], pncc(Y[1, 2], sample_rate=16000), rtol=1e-12)


def test_frame_defaults_follow_the_paper():
    assert PNCC(sample_rate=16000).fit(np.zeros((1, 100)))._plan_params() == dict(
        n_fft=1024, hop_length=160, win_length=410, window="hamming", center=True,
        pad_mode="constant")
    est = PNCC(sample_rate=16000, n_fft=256).fit(np.zeros((1, 100)))
    assert (est.n_fft_, est.win_length_) == (256, 256)


def test_silence_gives_zeros_and_partial_silence_is_finite():
    assert np.all(pncc(np.zeros(4000), sample_rate=8000) == 0)
    y = np.random.default_rng(0).standard_normal(8000)
    y[2000:6000] = 0.0
    c = pncc(y, sample_rate=8000)
    assert np.all(np.isfinite(c))
    est = PNCC(sample_rate=8000).fit([y])
    assert np.all(np.isfinite(est.transform([y, np.zeros(3000), y[:50]])))


@settings(deadline=None, max_examples=15)
@given(gain=st.floats(1e-3, 1e3), seed=st.integers(0, 1000))
def test_gain_invariance(gain, seed):
    y = np.random.default_rng(seed).standard_normal(3000) * np.hanning(3000)
    np.testing.assert_allclose(pncc(gain * y, sample_rate=8000), pncc(y, sample_rate=8000),
                               rtol=1e-8, atol=1e-10)


def test_float32_close_to_float64(fsdd_sample):
    x = fsdd_sample[4]
    c32 = pncc(x, sample_rate=8000)
    c64 = pncc(x.astype(np.float64), sample_rate=8000)
    assert c32.dtype == np.float32
    assert _rel(c32, c64) < 1e-4


# -- filterbank ----------------------------------------------------------------------------------
def test_filterbank_equals_twin_and_is_erb_wide():
    W = pncc_filterbank(sample_rate=16000, n_fft=1024)
    Wn, fc = naive_gammatone(16000, 1024)
    np.testing.assert_allclose(W, Wn, rtol=1e-10, atol=1e-15)
    assert W.shape == (40, 513) and np.isclose(fc[0], 200) and fc[-1] < 8000
    # the centres are Slaney's ERBSpace(200, 8000, 40) (EarQ 9.26449, minBW 24.7), ascending
    c = 9.26449 * 24.7
    slaney = -c + np.exp(np.arange(1, 41) * (np.log(200 + c) - np.log(8000 + c)) / 40) * (8000 + c)
    np.testing.assert_allclose(fc, slaney[::-1], rtol=1e-6)
    # each squared filter's equivalent rectangular bandwidth is ERB(fc) (the reason for 1.019)
    sr, n_fft = 16000, 1 << 15
    W = pncc_filterbank(sample_rate=sr, n_fft=n_fft, fmin=500.0, fmax=6000.0)
    _, fc = naive_gammatone(sr, n_fft, fmin=500.0, fmax=6000.0)
    erb_width = W.sum(axis=1) * sr / n_fft / W.max(axis=1)
    np.testing.assert_allclose(erb_width, 24.7 * (4.37 * fc / 1000 + 1), rtol=3e-3)
    # peaks at the bin nearest the centre frequency
    assert np.all(np.abs(W.argmax(axis=1) - np.round(fc * n_fft / sr)) <= 1)


def test_filterbank_is_capped_at_nyquist():
    W8 = pncc_filterbank(sample_rate=8000, n_fft=512)
    Wn, fc = naive_gammatone(8000, 512)
    np.testing.assert_allclose(W8, Wn, rtol=1e-10, atol=1e-15)
    np.testing.assert_array_equal(W8, pncc_filterbank(sample_rate=8000, n_fft=512, fmax=4000.0))
    assert 3700 < fc[-1] < 4000 and W8[-1].argmax() == np.round(fc[-1] * 512 / 8000)
    with pytest.raises(ValueError, match="fmin"):
        pncc_filterbank(sample_rate=8000, n_fft=512, fmin=4000.0)


# -- the purpose: robustness to additive noise ----------------------------------------------------
def _corr_per_coefficient(a, b):
    r = [np.corrcoef(a[k], b[k])[0, 1] for k in range(a.shape[0])
         if a[k].std() > 0 and b[k].std() > 0]
    return float(np.mean(r))


def _corr_flat(a, b):
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def test_pncc_is_more_noise_robust_than_mfcc(fsdd_paths):
    """White noise at 10 dB SNR on 100 FSDD clips: clean/noisy feature correlation per clip.

    Both features use the same framing (8 kHz, 512-point FFT, 205-sample Hamming window, 80-sample
    hop), 40 bands and 13 coefficients; MFCC keeps its default fmin=0 and top_db=80. Two
    correlations per clip, averaged over clips: per coefficient over frames (then averaged over
    the 13 coefficients) and over all (frame, coefficient) values at once.
    Measured: per coefficient PNCC 0.634 vs MFCC 0.557; flattened PNCC 0.989 vs MFCC 0.978.
    """
    clips = [sf.read(str(f), dtype="float64")[0] for f in fsdd_paths[::30][:100]]
    rng = np.random.default_rng(0)
    noisy = [x + rng.standard_normal(len(x)) * np.sqrt(np.mean(x ** 2) / 10.0) for x in clips]
    frame = dict(n_fft=512, win_length=205, hop_length=80, window="hamming")
    scores = {}
    for name, fn in [("pncc", lambda y: pncc(y, sample_rate=8000, **frame)),
                     ("mfcc", lambda y: mfcc(y=y, sample_rate=8000, n_mfcc=13, n_mels=40,
                                             **frame))]:
        pairs = [(fn(x), fn(n)) for x, n in zip(clips, noisy)]
        assert pairs[0][0].shape[0] == 13
        scores[name] = (np.mean([_corr_per_coefficient(a, b) for a, b in pairs]),
                        np.mean([_corr_flat(a, b) for a, b in pairs]))
    print("clean/noisy correlation (per coefficient, flattened):", scores)
    assert scores["pncc"][0] > scores["mfcc"][0]
    assert scores["pncc"][1] > scores["mfcc"][1]


# -- parameters ---------------------------------------------------------------------------------
@pytest.mark.parametrize("params,match", [
    (dict(n_pncc=41), "n_pncc"),
    (dict(n_pncc=0), "n_pncc"),
    (dict(n_filters=0), "n_filters"),
    (dict(fmin=-1.0), "fmin"),
    (dict(fmin=5000.0), "fmin"),
    (dict(fmax=0.0), "fmax"),
    (dict(sample_rate=0), "sample_rate"),
    (dict(preemphasis=1.5), "preemphasis"),
    (dict(medium_time=-1), "medium_time"),
    (dict(smoothing_width=1.5), "smoothing_width"),
    (dict(lambda_a=1.0), "lambda_a"),
    (dict(lambda_b=-0.1), "lambda_b"),
    (dict(lambda_t=2.0), "lambda_t"),
    (dict(mu_t=-1.0), "mu_t"),
    (dict(excitation_threshold=float("nan")), "excitation_threshold"),
    (dict(lambda_mu=1.0), "lambda_mu"),
    (dict(power_exponent=0.0), "power_exponent"),
    (dict(cmn="yes"), "cmn"),
    (dict(n_fft=256, win_length=400), "win_length"),
    (dict(hop_length=0), "hop_length"),
    (dict(window="nope"), "window"),
    (dict(pad_mode="wrap"), "pad_mode"),
])
def test_bad_parameters_raise_clear_errors(params, match):
    with pytest.raises(ValueError, match=match):
        PNCC(**{"sample_rate": 8000, **params}).fit(np.zeros((2, 1000)))
    with pytest.raises(ValueError, match=match):
        pncc(np.zeros(1000), **{"sample_rate": 8000, **params})


def test_n_bands_is_a_deprecated_alias_of_n_filters(fsdd_sample):
    x = fsdd_sample[0].astype(np.float64)
    with pytest.warns(FutureWarning, match="'n_bands' was renamed 'n_filters'"):
        old = pncc(x, sample_rate=8000, n_bands=24)
    np.testing.assert_array_equal(old, pncc(x, sample_rate=8000, n_filters=24))
    X = [x]
    with pytest.warns(FutureWarning, match="'n_bands' was renamed 'n_filters'"):
        old = PNCC(sample_rate=8000, n_bands=24).fit_transform(X)
    np.testing.assert_array_equal(old, PNCC(sample_rate=8000, n_filters=24).fit_transform(X))
