"""Engine layouts and the fast paths added for one-STFT-many-features (issue "Performance").

* the frames-first (C order) path of ``power_filterbank`` (blocked transposing
  power) is bit-identical to the bins-contiguous path, whatever the chunking;
* the fused ``|X|`` / ``|X|**2`` pass equals two ``spectrum_power`` passes;
* chunks are never a power of two frames long;
* the key-based spectral contrast equals a sort-based twin (any sign, ties,
  silence, every ``n_q``), and the per-clip dB clamp equals its reference
  kernel bit for bit (NaN included);
* input validation: no copy of a float32 C-contiguous input (array, one clip,
  adjacent slices), one finiteness pass that still names every bad clip;
* pooling each feature's block equals pooling the concatenated frames.
"""

from __future__ import annotations

import naive
import numpy as np
import pytest
import scipy.fft

import sklaudio._engine as engine
from sklaudio import MFCC, AudioFeatures, filters
from sklaudio._kernels.cepstral import db_reference_clamp
from sklaudio._kernels.contrast import contrast_rows
from sklaudio._kernels.spectral import (
    db_reference_clamp_flat,
    power_band_transposed,
    power_filterbank,
    spectrum_mag_power,
    spectrum_power,
)
from sklaudio._kernels.stft import nonfinite_rows
from sklaudio._validation import check_clips
from sklaudio.functional._core import apply_db_reference
from sklaudio.functional._spectral import contrast_bands

rng = np.random.default_rng(7)


def _spec(n_frames, n_fft, dtype):
    x = rng.standard_normal((n_frames, n_fft)).astype(dtype)
    x *= rng.uniform(1e-3, 10, (n_frames, 1)).astype(dtype)
    x[n_frames // 2] = 0.0
    return scipy.fft.rfft(x, axis=1)


# -- power_filterbank: frames-first path == bins-contiguous path ------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("power", [2.0, 1.0, 1.5])
def test_frames_first_filterbank_equals_bins_contiguous_bit_for_bit(dtype, power):
    fb = filters.sparse_mel(sample_rate=16000, n_fft=512, n_mels=64, dtype=dtype)
    spec = _spec(203, 512, dtype)  # > several TB blocks and SUB sub-blocks, odd tail
    for log in (True, False):
        ref = np.empty((203, 64), dtype)
        specT = np.ascontiguousarray(spec.T).T  # bins-contiguous
        power_filterbank(specT, power, fb.start, fb.stop, fb.offset, fb.weights, log, 1e-10,
                         ref, 0)
        for size in (1, 7, 32, 33, 203):
            out = np.empty_like(ref)
            for f0 in range(0, 203, size):
                power_filterbank(spec[f0:f0 + size], power, fb.start, fb.stop, fb.offset,
                                 fb.weights, log, 1e-10, out, f0)
            np.testing.assert_array_equal(out, ref)


def test_power_band_transposed_matches_naive():
    spec = _spec(45, 64, np.float32)
    pt = np.empty((20, 45), np.float32)
    power_band_transposed(spec, 2.0, 5, 25, pt)
    np.testing.assert_allclose(pt, (np.abs(spec[:, 5:25].astype(complex)) ** 2).T, rtol=2e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_magnitude_and_power_equal_two_passes(dtype):
    spec = _spec(70, 256, dtype)
    mag, pw = np.empty((72, 129), dtype), np.empty((72, 129), dtype)
    spectrum_mag_power(spec, mag, pw, 2)
    ref1, ref2 = np.empty_like(mag), np.empty_like(pw)
    spectrum_power(spec, 1.0, ref1, 2)
    spectrum_power(spec, 2.0, ref2, 2)
    np.testing.assert_array_equal(mag[2:], ref1[2:])
    np.testing.assert_array_equal(pw[2:], ref2[2:])


def test_chunks_are_not_powers_of_two():
    for n_fft in (64, 256, 512, 2048, 4096):
        for itemsize in (4, 8):
            n = engine._chunk_frames(n_fft, itemsize)
            assert n >= 16 and n & (n - 1) != 0


def test_composite_with_spectrum_readers_equals_estimator_alone():
    """MFCC inside AudioFeatures (frames-first FFT) == MFCC alone (bins-contiguous FFT)."""
    clips = [rng.standard_normal(n).astype(np.float32) for n in (300, 5000, 12345, 8000)]
    kw = dict(sample_rate=16000, n_fft=512, hop_length=160, n_mels=64)
    alone = MFCC(**kw).fit(clips).transform_frames(clips)
    both = AudioFeatures(features=("mfcc", "spectral_contrast", "chroma"),
                         contrast_fmin=100.0, contrast_n_bands=5, **kw).fit(clips)
    for a, b in zip(alone, both.transform_frames(clips)):
        np.testing.assert_array_equal(b[:20], a)


# -- spectral contrast: key-based selection == sorting ------------------------------------------


from naive.descriptors import contrast as _contrast_naive  # noqa: E402


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("quantile", [0.02, 0.05, 0.1])
def test_contrast_equals_sorting(dtype, quantile):
    freq = filters.fft_frequencies(sample_rate=22050, n_fft=2048)
    start, stop, n_q = contrast_bands(freq, sample_rate=22050, fmin=200.0, n_bands=6,
                                      quantile=quantile)
    S = np.abs(_spec(40, 2048, dtype)).astype(dtype)
    S[3] = 0.0                                   # silence: every bin ties
    S[5] = np.round(S[5])                        # many ties
    S[6, 300:600] = -S[6, 300:600]               # negative values: the float fallback
    S[7, 100:200] = -0.0                         # -0.0 is negative for the keys
    S[8, 600:] = 1.0                             # a constant band
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for linear in (False, True):
        out = np.empty((40, len(start) * (1 if linear else 2)), dtype)
        contrast_rows(S, start, stop, n_q, linear, 1e-10, out)
        ref = _contrast_naive(S, start, stop, n_q, linear)
        np.testing.assert_allclose(out, ref, rtol=tol, atol=tol * np.abs(ref).max())


@pytest.mark.parametrize("q", [1, 2, 5, 16, 32, 33, 100])
def test_contrast_every_band_width_and_q(q):
    S = np.abs(_spec(17, 512, np.float32)).astype(np.float32)
    start = np.array([0, 3, 40, 100], dtype=np.int64)
    stop = np.array([3, 40, 100, 257], dtype=np.int64)
    n_q = np.minimum(q, stop - start).astype(np.int64)
    out = np.empty((17, 4), np.float32)
    contrast_rows(S, start, stop, n_q, True, 1e-10, out)
    ref = _contrast_naive(S, start, stop, n_q, True)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5 * np.abs(ref).max())


# -- per-clip dB clamp ------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("args", [(0.0, False, 80.0), (0.0, True, 80.0), (3.0, False, -1.0),
                                  (0.0, True, -1.0)])
def test_db_clamp_flat_equals_reference_kernel(dtype, args):
    db = rng.uniform(-150, 10, (3000, 13)).astype(dtype)
    db[5, 3] = np.nan
    db[200:202] = np.nan                          # a whole clip of NaN below
    db[300] = -np.inf
    db[400, 1] = np.inf
    db[505:606] = -0.0
    fo = np.array([0, 0, 150, 200, 202, 900, 1500, 3000, 3000], dtype=np.int64)
    a, b = db.copy(), db.copy()
    db_reference_clamp(a, fo, *args)
    db_reference_clamp_flat(b, fo, *args)
    np.testing.assert_array_equal(a, b)  # NaN positions compare equal
    finite = rng.uniform(-150, 10, (300, 7)).astype(dtype)
    fo2 = np.array([0, 120, 300], dtype=np.int64)
    got = finite.copy()
    db_reference_clamp_flat(got, fo2, *args)
    ref = naive.cepstral.db_referenced(finite.astype(np.float64), fo2, *args)
    np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-4)


def test_apply_db_reference_uses_either_layout():
    db = rng.uniform(-150, 10, (100, 20)).astype(np.float32)
    fo = np.array([0, 40, 100], dtype=np.int64)
    a = apply_db_reference(db.copy(), fo, ref="max", amin=1e-10, top_db=60.0)
    f = np.asfortranarray(db)
    b = apply_db_reference(f, fo, ref="max", amin=1e-10, top_db=60.0)
    np.testing.assert_array_equal(a, b)
    assert a.max() == 0.0 and a.min() >= -60.0


# -- validation: copies and the finiteness pass ----------------------------------------------


def test_nonfinite_rows_flags_each_row():
    x = rng.standard_normal((6, 50)).astype(np.float32)
    x[1, 3], x[3, 49], x[4, 0] = np.nan, np.inf, -np.inf
    bad = np.zeros(6, np.bool_)
    assert nonfinite_rows(x, bad) == 3
    assert np.flatnonzero(bad).tolist() == [1, 3, 4]
    assert nonfinite_rows(x[:, ::2], bad) == 1  # strided rows keep the -inf at column 0 only
    assert np.flatnonzero(bad).tolist() == [4]


def test_float32_input_is_not_copied():
    sig = rng.standard_normal(5000).astype(np.float32)
    assert check_clips([sig]).samples is sig
    X = rng.standard_normal((3, 400)).astype(np.float32)
    assert np.shares_memory(check_clips(X).samples, X)
    buf = rng.standard_normal(900).astype(np.float32)
    parts = [buf[:100], buf[100:650], buf[650:]]
    batch = check_clips(parts)
    assert np.shares_memory(batch.samples, buf)
    np.testing.assert_array_equal(batch.samples, buf)
    assert batch.offsets.tolist() == [0, 100, 650, 900]
    # gaps, other dtypes or strides: one copy
    for clips in ([buf[:100], buf[101:300]], [sig.astype(np.float64)], [sig[::2]]):
        b = check_clips(clips)
        assert not any(np.shares_memory(b.samples, c) for c in clips)
        np.testing.assert_array_equal(b.samples, np.concatenate(clips).astype(np.float32))


def test_every_nonfinite_clip_is_named_once():
    good = np.ones(50, np.float32)
    big = np.full(50, 1e39)  # float64 beyond float32's range
    nan64 = np.full(50, np.nan)
    with pytest.raises(ValueError) as info:
        check_clips([good, nan64, big, np.array([]), good.copy()])
    msg = str(info.value)
    assert "3 of 5 clips are invalid" in msg
    assert "clip 1: contains NaN" in msg and "clip 2: has values beyond float32" in msg
    assert "clip 3: is empty" in msg
    with pytest.raises(ValueError, match="clip 1: has values beyond float32"):
        check_clips([good, big])
    with pytest.raises(ValueError, match="clip 0: contains NaN"):
        check_clips(np.stack([nan64, np.ones(50)]))
    assert check_clips([big], dtype=np.float64).samples is big


def test_pooling_the_parts_equals_pooling_the_concatenated_frames():
    """AudioFeatures pools each feature's block; same values and order as pooling them joined."""
    from sklaudio.functional._pooling import pool_frames

    clips = [rng.standard_normal(n).astype(np.float32) for n in (900, 4000, 2500)]
    est = AudioFeatures(features=("spectral_centroid", "mfcc", "rms", "chroma"), sample_rate=8000,
                        n_fft=256, hop_length=80, n_mels=20, n_mfcc=5,
                        pooling=("mean", "trajectory", "p90", "std"), trajectory_length=3).fit(clips)
    feats, offs = est._frame_features(check_clips(clips))
    ref = pool_frames(feats, offs, est.pooling_, 3)
    np.testing.assert_array_equal(est.transform(clips), ref)
    assert est.transform(clips).shape == (3, len(est.get_feature_names_out()))
