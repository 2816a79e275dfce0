"""Every Numba kernel against its plain-NumPy twin in ``tests/naive/``."""

from __future__ import annotations

import naive
import numpy as np
import pytest

from sklaudio import filters
from sklaudio._kernels.cepstral import db_reference_clamp, dct_rows
from sklaudio._kernels.delta import delta_clips
from sklaudio._kernels.pooling import STAT_PERCENTILE, STATS, pool_clips
from sklaudio._kernels.spectral import power_filterbank, spectrum_power
from sklaudio._kernels.stft import PAD_MODES, frame_chunk, overlap_add, padded_index
from sklaudio.functional import _delta_table

rng = np.random.default_rng(1234)


def _offsets(lengths):
    o = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=o[1:])
    return o


@pytest.mark.parametrize("mode", sorted(PAD_MODES))
@pytest.mark.parametrize("n", [1, 2, 3, 7, 40])
def test_padded_index_matches_numpy_pad(mode, n):
    y = np.arange(n, dtype=float) + 1.0
    pad = 25
    ref = np.pad(y, pad, mode=mode)
    for i in range(-pad, n + pad):
        j = i if 0 <= i < n else padded_index(i, n, PAD_MODES[mode])
        got = 0.0 if j < 0 else y[j]
        assert got == ref[i + pad], (mode, n, i)


@pytest.mark.parametrize("mode", sorted(PAD_MODES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_fft,win_length,hop", [(16, 16, 4), (32, 20, 7), (64, 64, 64)])
def test_frame_chunk_matches_naive(mode, dtype, n_fft, win_length, hop):
    lengths = [1, 5, 16, 33, 100, 3]
    clips = [rng.standard_normal(n).astype(dtype) for n in lengths]
    samples = np.concatenate(clips)
    offsets = _offsets(lengths)
    counts = [1 + n // hop for n in lengths]
    fo = _offsets(counts)
    window = filters.get_window("hann", win_length, n_fft).astype(dtype)
    nz = np.flatnonzero(window)
    out = np.full((fo[-1], n_fft), np.nan, dtype=dtype)
    # Two chunks that split a clip, to check chunk boundaries.
    mid = int(fo[3]) + 2
    for f0, f1 in [(0, mid), (mid, int(fo[-1]))]:
        c0 = int(np.searchsorted(fo, f0, side="right") - 1)
        frame_chunk(samples, offsets, fo, c0, f0, f1, window, nz[0], nz[-1] + 1, hop,
                    n_fft // 2, PAD_MODES[mode], out[f0:f1])
    ref = np.concatenate([naive.stft.frames(c.astype(np.float64), n_fft, hop, window.astype(np.float64),
                                       True, mode) for c in clips])
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("power", [1.0, 2.0, 1.5])
@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_power_filterbank_matches_naive(power, log, dtype):
    n_fft = 64
    spec = (rng.standard_normal((11, 33)) + 1j * rng.standard_normal((11, 33))).astype(
        np.complex64 if dtype == np.float32 else np.complex128)
    spec[3] = 0.0  # silent frame: exercises amin
    W = naive.filters.mel_filterbank(8000, n_fft, 10)
    fb = filters.SparseFilterbank.from_dense(W.astype(dtype))
    out = np.full((13, 10), np.nan, dtype=dtype)
    power_filterbank(spec, power, fb.start, fb.stop, fb.offset, fb.weights, log, 1e-10, out, 2)
    ref = naive.spectral.power_filterbank_dense(spec, W, power, log)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out[2:], ref, rtol=tol, atol=tol * np.abs(ref).max())
    assert np.isnan(out[:2]).all()  # rows outside row0: untouched


def test_spectrum_power_matches_naive():
    spec = rng.standard_normal((5, 9)) + 1j * rng.standard_normal((5, 9))
    for p in (1.0, 2.0, 0.5):
        out = np.empty((5, 9))
        spectrum_power(spec, p, out, 0)
        np.testing.assert_allclose(out, np.abs(spec) ** p, rtol=1e-12)


@pytest.mark.parametrize("ref_is_max", [False, True])
@pytest.mark.parametrize("top_db", [-1.0, 0.0, 20.0, 80.0])
def test_db_reference_clamp_matches_naive(ref_is_max, top_db):
    fo = _offsets([4, 1, 9])
    db = rng.uniform(-100, 10, size=(fo[-1], 6))
    ref = naive.cepstral.db_referenced(db, fo, 3.0, ref_is_max, top_db)
    db_reference_clamp(db, fo, 3.0, ref_is_max, top_db)
    np.testing.assert_allclose(db, ref, rtol=1e-12)


def test_dct_rows_matches_naive():
    x = rng.standard_normal((7, 16))
    basis = filters.dct(16, 5)
    lift = rng.uniform(0.5, 2, 5)
    out = np.empty((7, 5))
    dct_rows(x, basis, lift, out)
    ref = naive.cepstral.dct2_ortho(x, axis=1)[:, :5] * lift
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pool_clips_matches_naive(dtype):
    fo = _offsets([1, 2, 5, 8])
    feats = rng.standard_normal((fo[-1], 3)).astype(dtype)
    stats = list(STATS) + ["p10", "p90"]
    codes = np.array([STATS.get(s, STAT_PERCENTILE) for s in stats], dtype=np.int64)
    qs = np.array([0.0 if s in STATS else float(s[1:]) for s in stats])
    resolution = float(np.finfo(dtype).resolution)
    out = np.empty((4, len(stats) * 3), dtype=dtype)
    pool_clips(feats, fo, codes, qs, resolution, out)
    ref = naive.pooling.pool(feats, fo, stats)
    np.testing.assert_allclose(out, ref, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-6)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("width", [3, 5, 9])
def test_delta_clips_matches_savgol(order, width):
    lengths = [width, width + 1, 30]
    fo = _offsets(lengths)
    feats = rng.standard_normal((fo[-1], 4))
    out = np.empty_like(feats)
    delta_clips(feats, fo, _delta_table(width, order), out)
    for a, b in zip(fo[:-1], fo[1:]):
        ref = naive.delta.delta(feats[a:b].T, width, order).T
        np.testing.assert_allclose(out[a:b], ref, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("order", [1, 2])
def test_delta_clips_short_clip_is_one_fit_over_all_frames(order):
    feats = np.array([[0.0], [1.0], [4.0], [9.0]])  # t ** 2 at t = 0..3
    out = np.empty_like(feats)
    delta_clips(feats, _offsets([4]), _delta_table(9, order), out)
    expected = 3.0 if order == 1 else 2.0  # LS slope of t^2 on 0..3 is 3; 2nd derivative 2
    np.testing.assert_allclose(out[:, 0], expected, rtol=1e-12)


def test_overlap_add_matches_naive():
    fr = rng.standard_normal((6, 16))
    w = naive.stft.hann_periodic(16)
    length = 16 + 4 * 5
    out = np.zeros(length)
    wss = np.zeros(length)
    overlap_add(fr, w, 4, out, wss)
    ref, ref_wss = naive.stft.overlap_add_signal(fr, w, 4, length)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    np.testing.assert_allclose(wss, ref_wss, rtol=1e-12)
