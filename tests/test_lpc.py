"""Cepstrum, LPC and LPCC: naive NumPy/SciPy twins on real FSDD clips, properties, contract."""

from __future__ import annotations

import librosa
import naive
import numpy as np
import pytest
import scipy.linalg
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio._kernels.lpc import levinson, lpc_to_cepstrum
from sklaudio._lpc import LPC, LPCC, Cepstrum
from sklaudio.functional._lpc import cepstrum, lpc, lpcc

ESTIMATORS = [
    Cepstrum(n_fft=64, hop_length=16, qmin=2, qmax=20),
    LPC(order=6, frame_length=64, hop_length=16, return_gain=True),
    LPCC(order=6, n_lpcc=10, frame_length=64, hop_length=16),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_contract(est):
    check_fit_transform_contract(est)


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


def _window(name, n):
    return scipy.signal.get_window(name, n, fftbins=True)


# -- naive twins (from the defining formulas) ---------------------------------------------------
def naive_cepstrum(y, n_fft, hop, window, qmin, qmax, amin=1e-10):
    """(n_q, n_frames): real(ifft(ln max(|fft(frame)|, amin))) with a full complex DFT."""
    F = naive.stft.frames(y, n_fft, hop, _window(window, n_fft))
    X = np.fft.fft(F, axis=1)
    c = np.fft.ifft(np.log(np.maximum(np.abs(X), amin)), axis=1)
    assert np.max(np.abs(c.imag)) < 1e-9 * max(1.0, np.max(np.abs(c.real)))
    return c.real[:, qmin:qmax + 1].T


from naive.lpc import lpc as naive_lpc  # noqa: E402
from naive.lpc import lpcc as naive_lpcc  # noqa: E402


def model_cepstrum(a, err, n_ceps, n_grid=1 << 14):
    """Cepstrum of the all-pole model E / |A(e^jw)|^2, evaluated numerically on a DFT grid."""
    A = np.fft.rfft(np.r_[1.0, a], n=n_grid)
    return np.fft.irfft(np.log(err / np.abs(A) ** 2), n=n_grid)[:n_ceps]


# -- cepstrum ------------------------------------------------------------------------------------
@pytest.mark.parametrize("n_fft,hop,window,qmin,qmax", [(256, 80, "hann", 0, None),
                                                        (512, 128, "hamming", 16, 160)])
def test_cepstrum_equals_naive_on_fsdd(fsdd_sample, n_fft, hop, window, qmin, qmax):
    worst = 0.0
    for x in fsdd_sample[:8]:
        x = x.astype(np.float64)
        ours = cepstrum(x, n_fft=n_fft, hop_length=hop, window=window, qmin=qmin, qmax=qmax)
        ref = naive_cepstrum(x, n_fft, hop, window, qmin, n_fft // 2 if qmax is None else qmax)
        assert ours.shape == ref.shape
        worst = max(worst, _rel(ours, ref))
    assert worst <= 1e-12, worst


def test_cepstrum_from_spectrogram_equals_audio_path(fsdd_sample):
    x = fsdd_sample[3].astype(np.float64)
    S = np.abs(librosa.stft(x, n_fft=256, hop_length=64))
    np.testing.assert_allclose(cepstrum(S=S, qmin=5, qmax=90),
                               cepstrum(x, n_fft=256, hop_length=64, qmin=5, qmax=90),
                               rtol=1e-7, atol=1e-9)
    with pytest.raises(ValueError, match="non-negative"):
        cepstrum(S=-S)


@settings(deadline=None, max_examples=25)
@given(period=st.integers(20, 200), amp=st.floats(0.01, 10), phase=st.integers(0, 199))
def test_cepstrum_of_pulse_train_peaks_at_its_period(period, amp, phase):
    y = np.zeros(8192)
    y[phase % period::period] = amp
    c = cepstrum(y, n_fft=2048, hop_length=512, qmin=10, qmax=1024, center=False)
    assert np.all(10 + np.argmax(c, axis=0) == period)


def test_cepstrum_of_silence():
    c = cepstrum(np.zeros(2000), n_fft=256, hop_length=64, amin=1e-6)
    np.testing.assert_allclose(c[0], np.log(1e-6))
    assert np.all(c[1:] == 0)


# -- LPC -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("order,frame_length,hop,window", [(12, 256, 80, "hamming"),
                                                           (20, 512, 200, "hann"),
                                                           (4, 200, 200, "boxcar")])
def test_lpc_equals_solve_toeplitz_on_fsdd(fsdd_sample, order, frame_length, hop, window):
    worst_a = worst_e = 0.0
    n_checked = 0
    for x in fsdd_sample[:8]:
        x = x.astype(np.float64)
        a, err = lpc(x, order=order, frame_length=frame_length, hop_length=hop, window=window,
                     return_gain=True)
        F = naive.stft.frames(x, frame_length, hop, _window(window, frame_length))
        assert a.shape == (order, len(F)) and err.shape == (1, len(F))
        for t, fr in enumerate(F):
            ref = naive_lpc(fr, order)
            if ref is None:
                assert np.all(a[:, t] == 0) and err[0, t] == 0
                continue
            worst_a = max(worst_a, _rel(a[:, t], ref[0]))
            worst_e = max(worst_e, abs(err[0, t] - ref[1]) / ref[1])
            n_checked += 1
    assert n_checked > 100
    assert worst_a <= 1e-8, worst_a
    assert worst_e <= 1e-8, worst_e


def _ar4(n, seed=0):
    # poles 0.9 e^{+-j 0.3 pi}, 0.8 e^{+-j 0.7 pi}
    poles = [0.9 * np.exp(1j * 0.3 * np.pi), 0.8 * np.exp(1j * 0.7 * np.pi)]
    A = np.real(np.poly(poles + [np.conj(p) for p in poles]))
    e = np.random.default_rng(seed).standard_normal(n)
    return A, scipy.signal.lfilter([1.0], A, e)


def test_lpc_and_librosa_burg_recover_a_synthetic_ar4():
    A, y = _ar4(1 << 15)
    ours = lpc(y, order=4, frame_length=len(y), hop_length=len(y), center=False)[:, 0]
    burg = librosa.lpc(y, order=4)
    assert burg[0] == 1.0
    assert np.max(np.abs(ours - A[1:])) < 0.02
    assert np.max(np.abs(burg[1:] - A[1:])) < 0.02
    assert np.max(np.abs(ours - burg[1:])) < 0.02
    # and frame by frame: the median over 1024-sample frames is also close
    frames = lpc(y, order=4, frame_length=1024, hop_length=512)
    assert np.max(np.abs(np.median(frames, axis=1) - A[1:])) < 0.05


def test_lpc_of_silence_is_zero_and_finite():
    a, err = lpc(np.zeros(3000), order=10, frame_length=256, hop_length=64, return_gain=True)
    assert np.all(a == 0) and np.all(err == 0)
    c = lpcc(np.zeros(3000), order=10, n_lpcc=14, frame_length=256, hop_length=64)
    np.testing.assert_allclose(c[0], np.log(1e-10))
    assert np.all(c[1:] == 0)
    # a clip silent in its middle: finite everywhere, zeros on the silent frames
    y = np.random.default_rng(0).standard_normal(6000)
    y[2000:4500] = 0
    a = lpc(y, order=10, frame_length=256, hop_length=64, center=False)
    assert np.all(np.isfinite(a))
    assert np.all(a[:, (2000 // 64) + 1:(4500 - 256) // 64] == 0)


def test_levinson_degenerate_autocorrelation():
    # r of a fully correlated process: exactly predicted at order 1; higher coefficients 0
    a = np.empty(5)
    tmp = np.empty(5)
    err = levinson(np.ones(5), 4, a, tmp)
    assert err == 0.0
    np.testing.assert_array_equal(a, [1.0, -1.0, 0.0, 0.0, 0.0])
    assert levinson(np.zeros(5), 4, a, tmp) == 0.0 and np.all(a[1:] == 0)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**31 - 1), order=st.integers(1, 16), n=st.integers(17, 300),
       kind=st.sampled_from(["noise", "sine", "constant", "sparse"]))
def test_lpc_kernel_equals_solve_toeplitz_or_is_exact(seed, order, n, kind):
    rng = np.random.default_rng(seed)
    if kind == "noise":
        x = rng.standard_normal(n)
    elif kind == "sine":
        x = np.cos(2 * np.pi * rng.uniform(0.01, 0.49) * np.arange(n) + rng.uniform(0, 6))
    elif kind == "constant":
        x = np.full(n, rng.uniform(-2, 2))
    else:
        x = np.zeros(n)
        x[rng.integers(0, n, 3)] = rng.standard_normal(3)
    a, err = lpc(x, order=order, frame_length=n, hop_length=n, window="boxcar", center=False,
                 return_gain=True)
    a, err = a[:, 0], err[0, 0]
    assert np.all(np.isfinite(a)) and err >= 0
    r = np.correlate(x, x, mode="full")[n - 1:n + order]
    # the normal equations hold (also when the recursion stopped early)
    R = scipy.linalg.toeplitz(r[:order])
    resid = R @ a + r[1:order + 1]
    assert np.max(np.abs(resid)) <= 1e-7 * r[0]
    np.testing.assert_allclose(err, r[0] + a @ r[1:order + 1], atol=1e-9 * r[0])


# -- LPCC ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("order,n_lpcc", [(12, 13), (10, 30), (16, 8)])
def test_lpcc_equals_naive_and_model_cepstrum_on_fsdd(fsdd_sample, order, n_lpcc):
    worst_naive = worst_model = 0.0
    for x in fsdd_sample[:6]:
        x = x.astype(np.float64)
        ours = lpcc(x, order=order, n_lpcc=n_lpcc, frame_length=256, hop_length=80)
        a, err = lpc(x, order=order, frame_length=256, hop_length=80, return_gain=True)
        for t in range(ours.shape[1]):
            if err[0, t] <= 0:
                continue
            ref = naive_lpcc(a[:, t], err[0, t], n_lpcc)
            worst_naive = max(worst_naive, _rel(ours[:, t], ref))
            mod = model_cepstrum(a[:, t], err[0, t], n_lpcc)
            worst_model = max(worst_model, _rel(ours[:, t], mod))
    assert worst_naive <= 1e-12, worst_naive
    assert worst_model <= 1e-10, worst_model


def pole_cepstrum(a, err, n_ceps):
    """Exact cepstrum of E / |A|^2 from the poles p_i of 1 / A(z): c_n = sum_i p_i^n / n."""
    poles = np.roots(np.r_[1.0, a])
    n = np.arange(1, n_ceps)
    return np.r_[np.log(err), np.real((poles[None, :] ** n[:, None]).sum(axis=1)) / n]


def test_lpc_to_cepstrum_kernel_vs_naive_and_poles_random_stable_models():
    rng = np.random.default_rng(1)
    for _ in range(50):
        p = int(rng.integers(1, 20))
        k = rng.uniform(-0.95, 0.95, p)  # reflection coefficients -> a minimum-phase A(z)
        a = np.array([1.0])
        for ki in k:
            a = np.r_[a, 0.0] + ki * np.r_[0.0, a[::-1]]
        err = float(rng.uniform(1e-3, 10))
        n = int(rng.integers(1, 40))
        c = np.empty(n)
        lpc_to_cepstrum(a, err, n, 1e-10, c)
        np.testing.assert_allclose(c, naive_lpcc(a[1:], err, n), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(c, pole_cepstrum(a[1:], err, n), rtol=1e-8, atol=1e-10)


# -- estimators == functional; parameters ----------------------------------------------------
def test_estimators_transform_frames_equal_functional(fsdd_sample):
    clips = fsdd_sample[:5]
    cases = [
        (Cepstrum(n_fft=256, hop_length=80, qmin=3, qmax=100, dtype="float64"),
         lambda x: cepstrum(x, n_fft=256, hop_length=80, qmin=3, qmax=100)),
        (LPC(order=10, frame_length=256, hop_length=80, return_gain=True, dtype="float64"),
         lambda x: np.vstack(lpc(x, order=10, frame_length=256, hop_length=80,
                                 return_gain=True))),
        (LPCC(order=10, n_lpcc=15, frame_length=256, hop_length=80, dtype="float64"),
         lambda x: lpcc(x, order=10, n_lpcc=15, frame_length=256, hop_length=80)),
    ]
    for est, fn in cases:
        frames = est.fit(clips).transform_frames(clips)
        for x, fr in zip(clips, frames):
            np.testing.assert_allclose(fr, fn(x.astype(np.float64)), rtol=1e-12, atol=1e-12)
        names = est.get_feature_names_out()
        assert len(names) == est.n_features_out_


def test_feature_names():
    X = np.random.default_rng(0).standard_normal((2, 600))
    assert Cepstrum(n_fft=64, qmin=4, qmax=6, pooling="mean").fit(X).get_feature_names_out(
    ).tolist() == ["cepstrum_4_mean", "cepstrum_5_mean", "cepstrum_6_mean"]
    assert LPC(order=2, frame_length=64, return_gain=True, pooling="max").fit(
        X).get_feature_names_out().tolist() == ["lpc_1_max", "lpc_2_max", "lpc_gain_max"]
    assert LPCC(order=2, n_lpcc=3, frame_length=64, pooling="min").fit(
        X).get_feature_names_out().tolist() == ["lpcc_0_min", "lpcc_1_min", "lpcc_2_min"]


@pytest.mark.parametrize("est,match", [
    (LPC(order=64, frame_length=64), "order"),
    (LPC(order=0), "order"),
    (LPC(order=2.5), "order"),
    (LPC(return_gain="yes"), "return_gain"), (LPC(with_gain="yes"), "with_gain"),
    (LPC(frame_length=1), "frame_length"),
    (LPC(hop_length=0), "hop_length"),
    (LPC(pad_mode="wrap"), "pad_mode"),
    (LPC(window="nope"), "window"),
    (LPCC(order=300, frame_length=256), "order"),
    (LPCC(n_lpcc=0), "n_lpcc"),
    (LPCC(amin=0.0), "amin"),
    (Cepstrum(n_fft=64, qmax=33), "qmax"),
    (Cepstrum(n_fft=64, qmin=10, qmax=5), "qmax"),
    (Cepstrum(qmin=-1), "qmin"),
    (Cepstrum(amin=-1.0), "amin"),
    (Cepstrum(center="no"), "center"),
])
def test_bad_parameters_raise_clear_errors(est, match):
    with pytest.raises(ValueError, match=match):
        est.fit(np.zeros((2, 4096)))


def test_functional_bad_parameters():
    y = np.zeros(1000)
    with pytest.raises(ValueError, match="order"):
        lpc(y, order=256, frame_length=256)
    with pytest.raises(ValueError, match="order"):
        lpcc(y, order=0, frame_length=256)
    with pytest.raises(ValueError, match="qmax"):
        cepstrum(y, n_fft=128, qmax=65)
    with pytest.raises(ValueError, match="NaN"):
        lpc(np.r_[y, np.nan], frame_length=256)


def test_float32_close_to_float64(fsdd_sample):
    x = fsdd_sample[5]
    c32 = lpcc(x, order=12, frame_length=256, hop_length=80)
    c64 = lpcc(x.astype(np.float64), order=12, frame_length=256, hop_length=80)
    assert c32.dtype == np.float32 and c64.dtype == np.float64
    assert _rel(c32, c64) < 1e-3
    q32 = cepstrum(x, n_fft=256, hop_length=80)
    q64 = cepstrum(x.astype(np.float64), n_fft=256, hop_length=80)
    assert q32.dtype == np.float32 and _rel(q32, q64) < 1e-4


def test_with_gain_is_a_deprecated_alias_of_return_gain():
    X = np.random.default_rng(3).standard_normal((2, 4000))
    with pytest.warns(FutureWarning, match="'with_gain' was renamed 'return_gain'"):
        old = LPC(order=4, with_gain=True, frame_length=256, hop_length=128).fit(X)
    new = LPC(order=4, return_gain=True, frame_length=256, hop_length=128).fit(X)
    np.testing.assert_array_equal(old.transform(X), new.transform(X))
    assert old.get_feature_names_out().tolist() == new.get_feature_names_out().tolist()
