"""The vectorised MFCC-path kernels against plain-NumPy twins.

Covers the float32 log (exponent/mantissa split + polynomial), the floored dB
conversion, the bins-contiguous filterbank path and its batching invariance,
the engine's choice of FFT layout, and the float32 DCT.
"""

from __future__ import annotations

import naive
import numpy as np
import pytest
import scipy.fft

from sklaudio import filters
from sklaudio._engine import FrameSpec, filterbank_frames, plan_frames, run_features
from sklaudio._kernels._fastmath import FLT_MIN, log_f32
from sklaudio._kernels.cepstral import dct_rows
from sklaudio._kernels.spectral import (
    filter_band,
    floor_db,
    power_filterbank,
    power_row,
    spectrum_power,
)
from sklaudio._validation import check_clips

rng = np.random.default_rng(7)


# -- naive twins -----------------------------------------------------------------------------


def naive_ln(x):
    return np.log(np.asarray(x, dtype=np.float64))


def naive_floor_db(x, amin):
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.maximum(np.asarray(x, dtype=np.float64), amin))


def naive_band(W):
    nz = np.flatnonzero(W.any(axis=0))
    return (int(nz[0]), int(nz[-1]) + 1) if nz.size else (0, 0)


# -- log / dB ----------------------------------------------------------------------------------


def _run_log(x, scale=1.0):
    x = np.ascontiguousarray(x, dtype=np.float32)
    out = np.empty_like(x)
    log_f32(x, scale, out)
    return out


def test_log_f32_within_2_ulp_over_the_whole_float32_range():
    # every 4099th bit pattern from the smallest normal to the largest finite float32
    # (~520k values spanning all exponents and mantissas; the full sweep of all 2.1e9
    # normal floats gives the same bound: max 2.0 ulp, max rel error 1.22e-7)
    bits = np.arange(0x00800000, 0x7F800000, 4099, dtype=np.int64).astype(np.int32)
    x = bits.view(np.float32)
    got = _run_log(x).astype(np.float64)
    ref = naive_ln(x)
    ulp = np.spacing(np.abs(ref.astype(np.float32))).astype(np.float64)
    assert np.max(np.abs(got - ref) / ulp) <= 2.5
    nz = ref != 0
    assert np.max(np.abs(got - ref)[nz] / np.abs(ref[nz])) < 2.5e-7
    assert np.max(np.abs(got - ref)) < 1e-5  # absolute, in nepers (max |ln| is ~88.7)


def test_log_f32_exact_points_and_specials():
    x = np.array([1.0, 2.0, 0.5, FLT_MIN, np.finfo(np.float32).max, np.inf, np.nan],
                 dtype=np.float32)
    got = _run_log(x)
    assert got[0] == 0.0
    np.testing.assert_allclose(got[1:5], naive_ln(x[1:5]), rtol=2e-7)
    assert got[5] == np.inf
    assert np.isnan(got[6])
    # the scale is applied: dB of power
    np.testing.assert_allclose(_run_log(x[:4], 10 / np.log(10)), 10 * np.log10(x[:4].astype(float)),
                               rtol=3e-7, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("amin", [1e-10, 1e-3, 0.0, 1e-42])
def test_floor_db_matches_naive(dtype, amin):
    x = np.concatenate([10.0 ** rng.uniform(-14, 30, 300), [0.0, 1e-12, 1.0, np.nan, np.inf]])
    x = x.astype(dtype)
    ref = naive_floor_db(x, float(dtype(amin)))  # amin is applied in the data's dtype
    got = np.empty_like(x)
    xin = x.copy()
    floor_db(xin, amin, got)
    fin = np.isfinite(ref)
    tol = 3e-6 if dtype == np.float32 else 1e-12  # dB, absolute (|ref| <= ~420 dB)
    np.testing.assert_allclose(got[fin], ref[fin], rtol=0, atol=tol * 100)
    assert np.isnan(got[-2]) and got[-1] == np.inf
    if amin == 0.0:
        assert got[x.size - 5] == -np.inf  # log(0): the np.log fallback, as before
    np.testing.assert_array_equal(np.isnan(xin), np.isnan(x))  # floor keeps NaN


# -- power, band, filterbank -------------------------------------------------------------------


@pytest.mark.parametrize("power", [2.0, 1.0, 0.7])
def test_power_row_and_spectrum_power_match_naive(power):
    z = (rng.standard_normal(37) + 1j * rng.standard_normal(37)).astype(np.complex64)
    out = np.empty(37, np.float32)
    power_row(z, power, out)
    np.testing.assert_allclose(out, np.abs(z.astype(complex)) ** power, rtol=2e-6)
    spec = rng.standard_normal((4, 9)) + 1j * rng.standard_normal((4, 9))
    got = np.empty((6, 9))
    spectrum_power(spec.T.copy().T, power, got, 2)  # bins-contiguous input too
    np.testing.assert_allclose(got[2:], np.abs(spec) ** power, rtol=1e-12)


def test_filter_band_matches_naive():
    W = naive.filters.mel_filterbank(8000, 256, 20, fmin=300.0, fmax=3000.0)
    fb = filters.SparseFilterbank.from_dense(W)
    assert filter_band(fb.start, fb.stop, W.shape[1]) == naive_band(W)
    empty = filters.SparseFilterbank.from_dense(np.zeros((3, 9)))
    assert filter_band(empty.start, empty.stop, 9) == (0, 0)


def _spec_pair(n_frames, n_fft, dtype):
    x = rng.standard_normal((n_frames, n_fft)).astype(dtype)
    x *= rng.uniform(1e-3, 10, (n_frames, 1)).astype(dtype)
    x[n_frames // 2] = 0.0  # a silent frame exercises amin
    return scipy.fft.rfft(x, axis=1), scipy.fft.rfft(x.T, axis=0).T  # C, bins-contiguous


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("power,log", [(2.0, True), (2.0, False), (1.0, True), (1.5, False)])
def test_bins_contiguous_filterbank_matches_naive(dtype, power, log):
    W = naive.filters.mel_filterbank(8000, 256, 40, fmin=60.0)
    fb = filters.SparseFilterbank.from_dense(W.astype(dtype))
    spec_c, spec_t = _spec_pair(150, 256, dtype)  # > SUB frames: several sub-blocks
    assert spec_t.T.flags.c_contiguous and not spec_t.flags.c_contiguous
    ref = naive.spectral.power_filterbank_dense(spec_c, W, power, log)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for spec in (spec_c, spec_t):
        out = np.full((153, 40), np.nan, dtype=dtype)
        power_filterbank(spec, power, fb.start, fb.stop, fb.offset, fb.weights, log, 1e-10, out, 3)
        np.testing.assert_allclose(out[3:], ref, rtol=tol, atol=tol * np.abs(ref).max())
        assert np.isnan(out[:3]).all()


def test_empty_filters_give_the_floor():
    W = naive.filters.mel_filterbank(8000, 64, 6)
    W[[0, 3]] = 0.0  # two empty filters
    fb = filters.SparseFilterbank.from_dense(W.astype(np.float32))
    spec_c, spec_t = _spec_pair(9, 64, np.float32)
    for log, floor in ((True, -100.0), (False, 0.0)):
        out = np.empty((9, 6), np.float32)
        power_filterbank(spec_t, 2.0, fb.start, fb.stop, fb.offset, fb.weights, log, 1e-10, out, 0)
        np.testing.assert_allclose(out[:, [0, 3]], floor, atol=1e-4)
        ref = naive.spectral.power_filterbank_dense(spec_c, W, 2.0, log)
        np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5 * np.abs(ref).max())
    nothing = filters.SparseFilterbank.from_dense(np.zeros((3, 33), np.float32))
    out = np.empty((9, 3), np.float32)
    power_filterbank(spec_t, 2.0, nothing.start, nothing.stop, nothing.offset, nothing.weights,
                     True, 1e-10, out, 0)
    np.testing.assert_allclose(out, -100.0, atol=1e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_filterbank_rows_do_not_depend_on_layout_or_batching(dtype):
    """Bit-identical rows whatever the chunking and layout (batch == per-clip, n_jobs)."""
    fb = filters.sparse_mel(sample_rate=8000, n_fft=128, n_mels=20, dtype=dtype)
    spec_c, spec_t = _spec_pair(131, 128, dtype)
    for log in (True, False):
        ref = np.empty((131, 20), dtype)
        for t in range(131):  # one frame at a time, C order
            power_filterbank(spec_c[t:t + 1], 2.0, fb.start, fb.stop, fb.offset, fb.weights, log,
                             1e-10, ref, t)
        for size in (2, 5, 64, 65, 131):
            for spec in (spec_c, spec_t):
                out = np.empty_like(ref)
                for f0 in range(0, 131, size):
                    part = spec[f0:f0 + size]
                    if spec is spec_t:  # fresh bins-contiguous chunk, as the engine makes it
                        part = np.ascontiguousarray(part.T).T
                    power_filterbank(part, 2.0, fb.start, fb.stop, fb.offset, fb.weights, log,
                                     1e-10, out, f0)
                np.testing.assert_array_equal(out, ref)


def test_engine_layout_choice_does_not_change_results():
    """A mel spec alone gets the bins-contiguous FFT; with a "spectrum" reader, C order."""
    clips = [rng.standard_normal(n).astype(np.float32) for n in (50, 3000, 777, 9000)]
    batch = check_clips(clips, dtype=np.float32)
    plan = plan_frames(batch, n_fft=256, hop_length=80, win_length=None, window="hann",
                       center=True, pad_mode="constant", dtype=np.float32)
    fb = filters.sparse_mel(sample_rate=8000, n_fft=256, n_mels=40, dtype=np.float32)
    seen = []

    def mel_reduce(spec, out):
        seen.append(spec.flags.c_contiguous)
        power_filterbank(spec, 2.0, fb.start, fb.stop, fb.offset, fb.weights, True, 1e-10, out, 0)

    def sum_reduce(S, out):
        out[:, 0] = S.sum(axis=1)

    mel = FrameSpec(n_out=40, reduce=mel_reduce, input="complex")
    alone = run_features(batch, plan, [mel])[0]
    assert not any(seen)
    seen.clear()
    both = run_features(batch, plan, [mel, FrameSpec(n_out=1, reduce=sum_reduce)])[0]
    assert all(seen)
    np.testing.assert_array_equal(alone, both)
    via_helper = filterbank_frames(batch, plan, fb, power=2.0, log=True, amin=1e-10)
    np.testing.assert_array_equal(via_helper, alone)
    ref = np.concatenate([
        naive.spectral.power_filterbank_dense(naive.stft.stft(c.astype(np.float64), 256, 80, naive.stft.hann_periodic(256)).T,
                               fb.to_dense().astype(np.float64), 2.0, True)
        for c in clips])
    np.testing.assert_allclose(alone, ref, rtol=0, atol=1e-3 * np.abs(ref).max())


# -- DCT ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("n_in,n_out", [(40, 13), (128, 20)])
def test_dct_rows_float32_matches_naive(n_in, n_out):
    x = rng.uniform(-100, 10, (33, n_in)).astype(np.float32)
    basis = filters.dct(n_in, n_out).astype(np.float32)
    lift = rng.uniform(0.5, 2, n_out).astype(np.float32)
    out = np.empty((33, n_out), np.float32)
    dct_rows(x, basis, lift, out)
    ref = naive.cepstral.dct2_ortho(x.astype(np.float64), axis=1)[:, :n_out] * lift
    np.testing.assert_allclose(out, ref, rtol=0, atol=2e-6 * np.abs(ref).max())
