"""Voice-quality measures (jitter, shimmer) against synthetic signals of known value and Praat."""

from __future__ import annotations

import numpy as np
import pytest

from sklaudio.functional import jitter, period_marks, shimmer


def pulse_train(sr=16000, dur=1.0, f0=120.0, jit=0.01, shim=0.1, seed=0, sigma=0.00025):
    """Gaussian glottal-like pulses at perturbed periods and amplitudes; the true local
    jitter (mean |dT| / mean T) and local shimmer (mean |20 log10(A_i+1 / A_i)|)."""
    rng = np.random.default_rng(seed)
    times = [0.02]
    while times[-1] < dur - 0.03:
        times.append(times[-1] + (1 + jit * rng.uniform(-1, 1)) / f0)
    times = np.array(times)
    amps = 1 + shim * rng.uniform(-1, 1, times.size)
    t = np.arange(int(sr * dur)) / sr
    y = (amps[:, None] * np.exp(-0.5 * ((t[None, :] - times[:, None]) / sigma) ** 2)).sum(0)
    periods = np.diff(times)
    true_j = np.mean(np.abs(np.diff(periods))) / periods.mean()
    true_s = np.mean(np.abs(20 * np.log10(amps[1:] / amps[:-1])))
    return y, times, amps, true_j, true_s


def marked_truth(y, times, amps, sr):
    """The true jitter and shimmer over the pulses the marker found (voicing drops a few
    frames at the clip edges): every mark must sit on a true pulse and a run must skip none."""
    marks, _, runs = period_marks(y, sample_rate=sr, fmin=75, fmax=600)[0]
    idx = np.abs(marks[:, None] - times[None, :]).argmin(1)
    np.testing.assert_allclose(marks, times[idx], atol=0.1 / sr)
    same = np.diff(runs) == 0
    assert (np.diff(idx)[same] == 1).all()
    assert marks.size >= times.size - 4 and runs.max() <= 2
    P, A = np.diff(times[idx]), amps[idx]
    pairs = same[1:] & same[:-1]
    tj = np.mean(np.abs(np.diff(P))[pairs]) / P[same].mean()
    ts = np.mean(np.abs(20 * np.log10(A[1:] / A[:-1]))[same])
    return tj, ts


@pytest.mark.parametrize("sr, f0", [(16000, 120.0), (16000, 210.0), (8000, 150.0)])
# 3 % local jitter is three times Praat's pathology threshold (1.04 %); at 5 % with narrow
# pulses YIN's voicing (CMND trough < 0.45) starts dropping frames (the runs then break).
@pytest.mark.parametrize("jit, shim", [(0.005, 0.05), (0.02, 0.1), (0.03, 0.2)])
def test_known_jitter_and_shimmer(sr, f0, jit, shim):
    y, times, amps, _, _ = pulse_train(sr=sr, f0=f0, jit=jit, shim=shim, sigma=2.0 / sr)
    tj, ts = marked_truth(y, times, amps, sr)
    # the parabolic peak refinement limits the accuracy to about 0.01 sample
    assert jitter(y, sample_rate=sr) == pytest.approx(tj, rel=0.02, abs=2e-4)
    assert shimmer(y, sample_rate=sr) == pytest.approx(ts, rel=0.02, abs=0.02)


def test_periodic_signal_has_no_jitter_or_shimmer():
    t = np.arange(16000) / 16000
    y = np.sin(2 * np.pi * 120 * t) + 0.5 * np.sin(2 * np.pi * 240 * t + 0.3)
    assert jitter(y, sample_rate=16000) < 1e-4
    assert shimmer(y, sample_rate=16000) < 1e-3


def test_noise_and_silence_are_unvoiced_nan():
    y = np.random.default_rng(1).standard_normal((2, 16000))
    y[1] = 0.0
    assert np.isnan(jitter(y, sample_rate=16000)).all()
    assert np.isnan(shimmer(y, sample_rate=16000)).all()


def test_batch_equals_clip_by_clip():
    ys = np.stack([pulse_train(jit=j, shim=s, seed=k)[0]
                   for k, (j, s) in enumerate([(0.01, 0.1), (0.03, 0.05), (0.0, 0.2)])])
    batch = np.stack([ys[:2], ys[1:]])
    J = jitter(batch, sample_rate=16000)
    S = shimmer(batch, sample_rate=16000)
    assert J.shape == S.shape == (2, 2)
    for i in range(2):
        for k in range(2):
            assert J[i, k] == jitter(batch[i, k], sample_rate=16000)
            assert S[i, k] == shimmer(batch[i, k], sample_rate=16000)


def test_voiced_runs_are_not_joined():
    """Two voiced stretches with a silence between: no period spans the gap."""
    y1 = pulse_train(dur=0.5, jit=0.01, seed=3)[0]
    y = np.concatenate([y1, np.zeros(4000), y1])
    times, _, runs = period_marks(y, sample_rate=16000, fmin=75, fmax=600)[0]
    assert runs.max() == 1
    assert np.diff(times)[np.diff(runs) == 0].max() < 1.3 / 120
    assert jitter(y, sample_rate=16000) == pytest.approx(jitter(y1, sample_rate=16000), rel=0.05)


@pytest.mark.parametrize("kwargs, match", [
    (dict(fmax=9000), "fmax"),
    (dict(fmin=700), "fmin"),
    (dict(period_floor=0.02, period_ceiling=0.01), "period_ceiling"),
    (dict(max_period_factor=0.5), "max_period_factor"),
    (dict(trough_threshold=0), "trough_threshold"),
])
def test_invalid_parameters(kwargs, match):
    y = np.zeros(4000)
    with pytest.raises(ValueError, match=match):
        jitter(y, sample_rate=16000, **kwargs)


def test_invalid_audio():
    with pytest.raises(ValueError, match="NaN"):
        shimmer(np.full(4000, np.nan), sample_rate=16000)


@pytest.mark.parametrize("jit, shim", [(0.005, 0.05), (0.02, 0.1), (0.05, 0.2)])
def test_agrees_with_praat_on_pulse_trains(jit, shim):
    parselmouth = pytest.importorskip("parselmouth")
    from parselmouth.praat import call

    y, _, _, _, _ = pulse_train(jit=jit, shim=shim, seed=7)
    snd = parselmouth.Sound(y, 16000)
    pp = call(snd, "To PointProcess (periodic, cc)", 75, 600)
    pj = call(pp, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
    ps = call([snd, pp], "Get shimmer (local_dB)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
    assert jitter(y, sample_rate=16000) == pytest.approx(pj, rel=0.02)
    assert shimmer(y, sample_rate=16000) == pytest.approx(ps, rel=0.02)


def _praat_marks(y, sr):
    parselmouth = pytest.importorskip("parselmouth")
    from parselmouth.praat import call

    snd = parselmouth.Sound(np.asarray(y, dtype=np.float64), sr)
    pp = call(snd, "To PointProcess (periodic, cc)", 75, 600)
    n = call(pp, "Get number of points")
    times = np.array([call(pp, "Get time from index", i) for i in range(1, n + 1)])
    return call, snd, pp, times


def test_jitter_formula_equals_praat_on_praats_marks(fsdd_sample):
    """The period selection and the ratio are Praat's: on Praat's own point process of real
    speech (24 FSDD clips) the value is Praat's "Get jitter (local)" to rounding."""
    from sklaudio.functional._voice import _jitter_one

    for y in fsdd_sample:
        call, _, pp, times = _praat_marks(y, 8000)
        want = call(pp, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
        got = _jitter_one(times, np.zeros(times.size, np.int64), 0.0001, 0.02, 1.3)
        assert got == pytest.approx(want, rel=1e-9)


def test_shimmer_formula_equals_praat_on_praats_amplitudes(fsdd_sample):
    """Praat's "Get shimmer (local_dB)" is the mean |20 log10(A_i+1 / A_i)| over consecutive
    points of its period AmplitudeTier whose ratio is at most 1.6: the formula here, given
    those amplitudes, equals it to rounding (Praat pairs consecutive tier points even across
    an unvoiced gap, hence no period limit in this comparison)."""
    from sklaudio.functional._voice import _shimmer_one

    for y in fsdd_sample[:12]:
        call, snd, pp, _ = _praat_marks(y, 8000)
        want = call([snd, pp], "Get shimmer (local_dB)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
        tier = call([snd, pp], "To AmplitudeTier (period)", 0, 0, 0.0001, 0.02, 1.3)
        n = call(tier, "Get number of points")
        t = np.array([call(tier, "Get time from index", i) for i in range(1, n + 1)])
        a = np.array([call(tier, "Get value at index", i) for i in range(1, n + 1)])
        got = _shimmer_one(t, a, np.zeros(n, np.int64), 0.0, np.inf, None, 1.6)
        assert got == pytest.approx(want, rel=1e-9)
