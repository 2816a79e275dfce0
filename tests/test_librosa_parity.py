"""Parity with the librosa release pip installs, on real FSDD clips and synthetic signals.

Tolerances (issue #2): max |error| <= 1e-5 x max |reference| in float64 and
<= 1e-3 x max |reference| in float32.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

librosa = pytest.importorskip("librosa")
soxr = pytest.importorskip("soxr")

from sklaudio import MFCC, MelSpectrogram  # noqa: E402
from sklaudio import functional as F  # noqa: E402

TOL = {np.float64: 1e-5, np.float32: 1e-3}


def _rel_err(a, b):
    a = np.asarray(a)
    b = np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    return np.abs(a - b).max() / np.abs(b).max()


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _synthetic(sr, seconds=1.3, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(int(sr * seconds)) / sr
    chirp = np.sin(2 * np.pi * (100 * t + 0.5 * (sr / 4 - 100) / seconds * t**2))
    return 0.5 * chirp + 0.05 * rng.standard_normal(t.size)


@pytest.fixture(scope="module", params=[8000, 22050, 48000], ids=lambda s: f"{s}Hz")
def clips_at(request, fsdd_sample):
    """Real FSDD clips resampled to the rate, plus a synthetic chirp + noise and a tiny clip."""
    sr = request.param
    real = [x if sr == 8000 else soxr.resample(x, 8000, sr) for x in fsdd_sample[::4]]
    return sr, real + [_synthetic(sr), _synthetic(sr, seconds=0.01, seed=1)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mfcc_functional_and_frames_equal_librosa(clips_at, dtype):
    sr, clips = clips_at
    est = MFCC(sample_rate=sr, dtype=np.dtype(dtype).name).fit(clips)
    frames = est.transform_frames(clips)
    for x, fr in zip(clips, frames):
        x = x.astype(dtype)
        ref = _quiet(librosa.feature.mfcc, y=x, sr=sr)
        got = F.mfcc(x, sample_rate=sr)
        assert got.dtype == ref.dtype
        assert _rel_err(got, ref) <= TOL[dtype]
        assert _rel_err(fr, ref) <= TOL[dtype]


@pytest.mark.parametrize("params", [
    dict(n_fft=256, hop_length=80, n_mels=40, n_mfcc=13),
    dict(n_fft=512, hop_length=128, win_length=400, n_mels=40, htk=True, lifter=22),
    dict(n_fft=512, hop_length=160, n_mels=64, fmin=50.0, fmax=3800.0, dct_type=3),
    dict(n_fft=400, hop_length=100, n_mels=26, window="hamming", pad_mode="reflect", dct_type=1),
    dict(n_fft=256, hop_length=64, n_mels=32, center=False, mel_norm=None, norm=None),
    dict(n_fft=256, hop_length=64, n_mels=32, power=1.0),
])
def test_mfcc_parameters_equal_librosa(fsdd_sample, params):
    for x in fsdd_sample[::3]:
        x = x.astype(np.float64)
        ref = _quiet(librosa.feature.mfcc, y=x, sr=8000, **params)
        got = F.mfcc(x, sample_rate=8000, **params)
        assert _rel_err(got, ref) <= 1e-5


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("pad_mode", ["constant", "reflect", "edge"])
def test_stft_equals_librosa(fsdd_sample, dtype, pad_mode):
    for x in fsdd_sample[::4] + [_synthetic(8000), np.ones(5)]:
        x = np.asarray(x, dtype=dtype)
        ref = _quiet(librosa.stft, x, n_fft=256, hop_length=80, pad_mode=pad_mode)
        got = F.stft(x, n_fft=256, hop_length=80, pad_mode=pad_mode)
        assert got.dtype == ref.dtype
        assert _rel_err(got, ref) <= TOL[dtype]


def test_stft_win_length_and_window_equal_librosa():
    x = _synthetic(16000)
    for win_length, window in [(300, "hann"), (512, "hamming"), (401, ("kaiser", 8.0))]:
        ref = librosa.stft(x, n_fft=512, hop_length=128, win_length=win_length, window=window)
        got = F.stft(x, n_fft=512, hop_length=128, win_length=win_length, window=window)
        assert _rel_err(got, ref) <= 1e-5


@pytest.mark.parametrize("htk", [False, True])
@pytest.mark.parametrize("norm", ["slaney", None])
def test_melspectrogram_and_filterbank_equal_librosa(fsdd_sample, htk, norm):
    W = F.mel_filterbank(sample_rate=22050, n_fft=2048, n_mels=128, htk=htk, norm=norm)
    Wr = librosa.filters.mel(sr=22050, n_fft=2048, n_mels=128, htk=htk, norm=norm)
    assert _rel_err(W, Wr) <= 1e-6
    for x in fsdd_sample[::6]:
        x = x.astype(np.float64)
        ref = _quiet(librosa.feature.melspectrogram, y=x, sr=8000, n_fft=512, hop_length=128,
                     n_mels=48, htk=htk, norm=norm, fmin=60.0)
        got = F.melspectrogram(x, sample_rate=8000, n_fft=512, hop_length=128, n_mels=48,
                               htk=htk, norm=norm, fmin=60.0)
        assert _rel_err(got, ref) <= 1e-5


@pytest.mark.parametrize("ref", [1.0, np.max, 1e-3])
@pytest.mark.parametrize("top_db", [80.0, None, 30.0])
def test_power_to_db_equals_librosa(fsdd_sample, ref, top_db):
    S = librosa.feature.melspectrogram(y=fsdd_sample[0].astype(np.float64), sr=8000)
    S[:, 0] = 0.0
    got = F.power_to_db(S, ref=ref, top_db=top_db)
    want = librosa.power_to_db(S, ref=ref, top_db=top_db)
    assert _rel_err(got, want) <= 1e-12


def test_log_mel_estimator_equals_librosa(fsdd_sample):
    est = MelSpectrogram(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40, dtype="float64")
    frames = est.fit(fsdd_sample).transform_frames(fsdd_sample)
    for x, fr in zip(fsdd_sample, frames):
        S = librosa.feature.melspectrogram(y=x.astype(np.float64), sr=8000, n_fft=256,
                                           hop_length=80, n_mels=40)
        assert _rel_err(fr, librosa.power_to_db(S)) <= 1e-5


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("width", [3, 9])
def test_delta_equals_librosa(fsdd_sample, order, width):
    M = librosa.feature.mfcc(y=fsdd_sample[1].astype(np.float64), sr=8000, n_fft=256,
                             hop_length=80)
    assert _rel_err(F.delta(M, width=width, order=order),
                    librosa.feature.delta(M, width=width, order=order)) <= 1e-9
    # along axis 0 as well
    assert _rel_err(F.delta(M.T, width=width, order=order, axis=0),
                    librosa.feature.delta(M.T, width=width, order=order, axis=0)) <= 1e-9


def test_mfcc_estimator_deltas_equal_librosa_stack(fsdd_sample):
    est = MFCC(sample_rate=8000, n_fft=256, hop_length=80, n_mels=40, n_mfcc=13, delta_order=2,
               dtype="float64").fit(fsdd_sample)
    for x, fr in zip(fsdd_sample, est.transform_frames(fsdd_sample)):
        M = librosa.feature.mfcc(y=x.astype(np.float64), sr=8000, n_fft=256, hop_length=80,
                                 n_mels=40, n_mfcc=13)
        ref = np.vstack([M, librosa.feature.delta(M), librosa.feature.delta(M, order=2)])
        assert _rel_err(fr, ref) <= 1e-5


def test_istft_equals_librosa():
    x = _synthetic(8000)
    D = librosa.stft(x, n_fft=256, hop_length=64)
    for length in (None, len(x), len(x) - 17):
        got = F.istft(D, hop_length=64, length=length)
        want = librosa.istft(D, hop_length=64, length=length)
        assert _rel_err(got, want) <= 1e-9


@pytest.mark.parametrize("power", [1.0, 2.0])
def test_spectrogram_equals_abs_librosa_stft(fsdd_sample, power):
    x = fsdd_sample[2].astype(np.float64)
    ref = np.abs(librosa.stft(x, n_fft=256, hop_length=80)) ** power
    assert _rel_err(F.spectrogram(x, n_fft=256, hop_length=80, power=power), ref) <= 1e-9


def test_precomputed_spectrogram_paths_equal_librosa(fsdd_sample):
    x = fsdd_sample[3].astype(np.float64)
    S = np.abs(librosa.stft(x, n_fft=512, hop_length=128)) ** 2
    mel_ref = librosa.feature.melspectrogram(S=S, sr=8000, n_mels=40)
    mel = F.melspectrogram(S=S, sample_rate=8000, n_fft=512, n_mels=40)
    assert _rel_err(mel, mel_ref) <= 1e-6  # librosa's basis is float32
    logmel = librosa.power_to_db(mel_ref)
    for dct_type in (1, 2, 3):
        ref = librosa.feature.mfcc(S=logmel, n_mfcc=13, dct_type=dct_type, lifter=10)
        got = F.mfcc(S=logmel, n_mfcc=13, dct_type=dct_type, lifter=10)
        assert _rel_err(got, ref) <= 1e-9
