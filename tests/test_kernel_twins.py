"""Every Numba kernel against its plain-NumPy twin in ``tests/naive/`` (keyed by kernel name).

* ``test_every_kernel_has_a_twin``: each kernel of ``sklaudio._kernels`` (found by walking
  the package) has a twin in ``naive.TWINS`` or an entry in ``naive.COVERED_BY``.
* ``test_kernel_equals_twin``: each kernel and its twin get deep copies of the same small
  random arguments (float32 and float64 where the kernel takes both); afterwards every
  array argument (outputs and in-place results; declared scratch excepted) and the
  return value must agree: 1e-12 relative for float64 (normwise: the tolerance is
  relative to the largest magnitude of the compared array), 1e-5 for float32, unless
  the case documents a looser bound (a documented fast approximation).

Inputs are tiny (a few frames, n_fft <= 64) because CI also runs this file with
``NUMBA_DISABLE_JIT=1``, where the kernels run as plain Python.
"""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
import pkgutil
import zlib

import naive
import numba
import numpy as np
import pytest

import sklaudio._kernels as K
from sklaudio.filters import gammatone_iir_coefficients
from sklaudio.functional import _delta_table

JIT_DISABLED = bool(numba.config.DISABLE_JIT)
F32, F64 = np.float32, np.float64
BOTH = (F32, F64)
RTOL = {F32: 1e-5, F64: 1e-12}


# -- discovery ---------------------------------------------------------------------------------
def _kernel_modules():
    for info in pkgutil.walk_packages(K.__path__, K.__name__ + "."):
        yield importlib.import_module(info.name)


def _decorated_with_jit(node):
    for d in node.decorator_list:
        f = d.func if isinstance(d, ast.Call) else d
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
        if name in ("jit", "njit"):
            return True
    return False


def kernels_from_source():
    """Names of the functions decorated with ``jit``/``njit`` in the kernel modules (works
    under NUMBA_DISABLE_JIT, where the decorators return the plain functions)."""
    names = set()
    for mod in _kernel_modules():
        tree = ast.parse(inspect.getsource(mod))
        names |= {n.name for n in tree.body
                  if isinstance(n, ast.FunctionDef) and _decorated_with_jit(n)}
    return names


def kernel_dispatchers():
    """name -> dispatcher of every Numba dispatcher defined in a kernel module."""
    out = {}
    for mod in _kernel_modules():
        for name, obj in vars(mod).items():
            if hasattr(obj, "py_func") and getattr(obj, "__module__", None) == mod.__name__:
                out[name] = obj
    return out


def kernel_functions():
    """name -> callable (dispatcher, or the plain function under NUMBA_DISABLE_JIT)."""
    out = {}
    names = kernels_from_source()
    for mod in _kernel_modules():
        for name, obj in vars(mod).items():
            if name in names and callable(obj) and getattr(obj, "__module__", None) == mod.__name__:
                out[name] = obj
    return out


KERNELS = kernel_functions()


def test_every_kernel_has_a_twin():
    names = kernels_from_source()
    if not JIT_DISABLED:  # the source scan finds exactly the dispatchers
        assert set(kernel_dispatchers()) == names
    assert len(names) >= 60 and set(KERNELS) == names
    missing = sorted(n for n in names if n not in naive.TWINS and n not in naive.COVERED_BY)
    assert not missing, f"kernels with no twin in tests/naive/ nor COVERED_BY entry: {missing}"
    stale = sorted(set(naive.TWINS) - names)
    assert not stale, f"twins of kernels that no longer exist: {stale}"
    for helper, covering in naive.COVERED_BY.items():
        assert helper in names and covering in naive.TWINS, (helper, covering)
    assert not set(naive.TWINS) & set(naive.COVERED_BY)


def test_every_twin_has_a_case():
    assert sorted(set(naive.TWINS) - set(CASES)) == []


# -- cases -------------------------------------------------------------------------------------
CASES = {}


def case(name, dtypes=BOTH, rtol=None):
    """Register ``fn(rng, dtype) -> list of calls``; a call is ``dict(args=..., skip=(...),
    project=None)``: ``skip`` are scratch argument positions, ``project(args, ret)`` the
    values compared (default: every array argument and the return value)."""
    def deco(fn):
        CASES[name] = dict(fn=fn, dtypes=dtypes, rtol=rtol or {})
        return fn
    return deco


def call(*args, skip=(), project=None):
    return dict(args=args, skip=skip, project=project)


def _offsets(lengths):
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


def _cdt(dt):
    return np.complex64 if dt == F32 else np.complex128


def _spec(rng, n, n_bins, dt):
    z = rng.standard_normal((n, n_bins)) + 1j * rng.standard_normal((n, n_bins))
    return z.astype(_cdt(dt))


def _mag(rng, n, n_bins, dt, zero_row=True):
    S = rng.random((n, n_bins)) ** 2
    if zero_row:
        S[1] = 0.0
    return S.astype(dt)


def _sparse_fb(n_bins, dt=F64):
    """Five triangular-ish filters (one empty, widths up to 7: the 4-weight unroll and its tail)."""
    W = np.zeros((5, n_bins))
    for m, (a, b) in enumerate([(2, 5), (3, 10), (8, 8), (9, 14), (12, n_bins - 1)]):
        if b > a:
            W[m, a:b] = np.hanning(b - a + 2)[1:-1]
    return naive.filters.sparse_from_dense(W, dt)


# stft
@case("padded_index", dtypes=(None,))
def _(rng, dt):
    return [call(i, n, mode) for mode in range(4) for n in (1, 2, 5)
            for i in (-12, -7, -5, -1, n, n + 1, n + 4, n + 9)]


@case("frame_chunk")
def _(rng, dt):
    calls = []
    n_fft, hop = 16, 4
    w = np.zeros(n_fft)
    w[2:14] = np.hanning(14)[1:-1]
    for pad, lengths in ((8, [5, 40, 1, 23]), (0, [16, 30, 17])):
        x = rng.standard_normal(sum(lengths)).astype(dt)
        off = _offsets(lengths)
        fo = _offsets([1 + (n + 2 * pad - n_fft) // hop for n in lengths])
        f0, f1 = 1, int(fo[-1]) - 1
        c0 = int(np.searchsorted(fo, f0, side="right")) - 1
        for mode in range(4) if pad else (0,):
            out = np.full((f1 - f0 + 2, n_fft), np.nan, dtype=dt)
            calls.append(call(x, off, fo, c0, f0, f1, w.astype(dt), 2, 14, hop, pad, mode, out))
    return calls


@case("overlap_add")
def _(rng, dt):
    fr = rng.standard_normal((6, 16)).astype(dt)
    w = np.hanning(16).astype(dt)
    return [call(fr, w, 4, np.zeros(length, dt), np.zeros(length, dt)) for length in (36, 30)]


@case("nonfinite_rows")
def _(rng, dt):
    x = rng.standard_normal((6, 7)).astype(dt)
    x[1, 2], x[3, 0], x[4, 6] = np.nan, np.inf, -np.inf
    return [call(x, np.zeros(6, bool)), call(x[[0, 2, 5]], np.ones(3, bool))]


@case("nonfinite_segments")
def _(rng, dt):
    x = rng.standard_normal(40).astype(dt)
    x[12], x[39] = np.nan, -np.inf
    return [call(x, np.array([0, 10, 10, 25, 39, 40], np.int64), np.zeros(5, bool))]


# cepstral / spectral dB
def _db_calls(rng, dt):
    db = (rng.random((12, 5)) * 90 - 60).astype(dt)
    db[5, 2] = np.nan
    fo = np.array([0, 4, 4, 12], np.int64)
    return [call(db, fo, 3.0, rim, top) for rim in (True, False) for top in (20.0, -1.0, 0.0)]


case("db_reference_clamp")(_db_calls)
case("db_reference_clamp_flat")(_db_calls)


@case("db_running_clamp")
def _(rng, dt):
    db = (rng.random((12, 5)) * 90 - 60).astype(dt)
    return [call(db, np.array([state]), ref, top) for state in (-np.inf, 25.0)
            for ref in (0.0, 3.0) for top in (20.0, -1.0, 0.0)] + [
        call(db[:0], np.array([1.0]), 0.0, 10.0)]


@case("dct_rows")
def _(rng, dt):
    x = rng.standard_normal((6, 10)).astype(dt)
    basis = naive.cepstral.dct2_ortho(np.eye(10))[:5].astype(dt)
    lift = (1 + rng.random(5)).astype(dt)
    return [call(x, basis, lift, np.zeros((6, 5), dt))]


@case("delta_clips")
def _(rng, dt):
    feats = rng.standard_normal((20, 3)).astype(dt)
    fo = np.array([0, 9, 12, 12, 20], np.int64)
    return [call(feats, fo, _delta_table(w, o).astype(dt), np.full((20, 3), np.nan, dt))
            for w, o in ((5, 1), (3, 1), (7, 2))]


# energy / temporal
@case("energy_rows")
def _(rng, dt):
    return [call(rng.standard_normal((5, 20)).astype(dt), np.zeros((5, 1), dt))]


@case("energy_entropy_rows")
def _(rng, dt):
    fr = rng.standard_normal((5, 23)).astype(dt)
    fr[2] = 0.0
    # (n_sub = 1 left out: H = -s log2(s + eps) with s = 1 - O(eps / E) is rounding noise
    # around 0, ill-conditioned whatever the summation order)
    return [call(fr, k, 1e-8, np.zeros((5, 1), dt)) for k in (2, 4, 10)]


@case("zcr_rows")
def _(rng, dt):
    fr = (rng.integers(-1, 2, (6, 24)) * rng.random((6, 24))).astype(dt)
    fr[:, ::5] *= 1e-12
    calls = []
    for thr in (np.array([1e-10], dt), (rng.random(6) * 0.3).astype(dt)):
        for zp in (True, False):
            for pad in (True, False):
                calls.append(call(fr, thr, zp, pad, np.zeros((6, 1), dt)))
    return calls


@case("rms_rows")
def _(rng, dt):
    return [call(rng.standard_normal((5, 16)).astype(dt), np.zeros((5, 1), dt))]


@case("rms_spectrum_rows")
def _(rng, dt):
    return [call(_mag(rng, 5, 9, dt), L, np.zeros((5, 1), dt)) for L in (16, 17)]


# pooling
@case("_sorted_percentile", dtypes=(F64,))
def _(rng, dt):
    buf = np.sort(rng.standard_normal(10))
    return [call(buf, n, q) for n in (1, 7, 10) for q in (0.0, 12.5, 50.0, 99.0, 100.0)]


def _pool_feats(rng, dt):
    feats = rng.standard_normal((20, 3)).astype(dt)
    feats[8:20, 1] = 0.25  # constant feature in the last clip
    return feats, np.array([0, 1, 8, 20], np.int64)


@case("pool_clips")
def _(rng, dt):
    feats, fo = _pool_feats(rng, dt)
    stats = np.arange(9, dtype=np.int64)
    qs = np.zeros(9)
    qs[5] = 25.0
    res = float(np.finfo(dt).resolution)
    return [call(feats, fo, stats, qs, res, np.zeros((3, 27), dt))]


@case("trajectory_clips")
def _(rng, dt):
    feats, fo = _pool_feats(rng, dt)
    return [call(feats, fo, n, np.zeros((3, 2 + 3 * n), dt), 2) for n in (1, 2, 5)]


# chroma
@case("normalize_rows")
def _(rng, dt):
    X = (rng.standard_normal((6, 12)) * (rng.random((6, 12)) < 0.7)).astype(dt)
    X[2] = 0.0
    return [call(X, code, p) for code in range(5) for p in ((2.0, 1.5) if code == 4 else (2.0,))]


@case("chroma_rows")
def _(rng, dt):
    S = _mag(rng, 7, 17, dt)
    W = rng.random((12, 17))
    return [call(S, Wd, code, 2.0, np.zeros((7, 12), dt))
            for Wd in (W.astype(dt), W) for code in (0, 1, 4)]


@case("tuning_peaks_rows")
def _(rng, dt):
    S = _mag(rng, 4, 33, dt)
    S[0, 10:13] = [0.5, 3.0, 1.0]
    S[2, -2:] = [1.0, 4.0]  # a peak on the last bin
    n = S.size
    return [call(S, k0, k1, dt(thr), 8000.0, 64, np.zeros(n), np.zeros(n), np.zeros(4, np.int64))
            for k0, k1 in ((0, 33), (3, 20)) for thr in (0.1, 0.0)]


# lpc
def _frames(rng, n, L, dt):
    fr = rng.standard_normal((n, L)) * np.hanning(L)
    fr[:, 1:] += 0.8 * fr[:, :-1]
    return fr.astype(dt)


@case("autocorrelation")
def _(rng, dt):
    return [call(_frames(rng, 1, 20, dt)[0], 6, np.zeros(8))]


@case("levinson", dtypes=(F64,))
def _(rng, dt):
    calls = []
    for x in (_frames(rng, 1, 32, dt)[0], np.zeros(32)):
        r = np.correlate(x, x, "full")[31:40]
        calls.append(call(r, 8, np.zeros(9), np.zeros(9), skip=(3,)))
    return calls


@case("lpc_rows")
def _(rng, dt):
    fr = _frames(rng, 4, 32, dt)
    fr[2] = 0.0
    return [call(fr, 8, g, np.zeros((4, 8 + g), dt)) for g in (False, True)]


@case("lpc_to_cepstrum", dtypes=(F64,))
def _(rng, dt):
    a = np.array([1.0])
    for k in rng.uniform(-0.9, 0.9, 6):  # reflection coefficients -> a minimum-phase A(z)
        a = np.r_[a, 0.0] + k * np.r_[0.0, a[::-1]]
    return [call(a, err, n, 1e-10, np.zeros(n)) for err in (0.7, 0.0) for n in (1, 4, 12)]


@case("lpcc_rows")
def _(rng, dt):
    fr = _frames(rng, 4, 32, dt)
    fr[2] = 0.0
    return [call(fr, 8, n, 1e-10, np.zeros((4, n), dt)) for n in (5, 13)]


@case("log_magnitude_rows")
def _(rng, dt):
    return [call(_mag(rng, 4, 9, dt), 1e-10, np.zeros((4, 9), dt))]


# pitch
@case("yin_rows")
def _(rng, dt):
    t = np.arange(64) / 8000.0
    fr = np.stack([np.sin(2 * np.pi * f * t) + 0.05 * rng.standard_normal(64)
                   for f in (220.0, 410.0, 0.0)]).astype(dt)
    acf = np.stack([[np.dot(x[:64 - k], x[k:]) for k in range(41)]
                    for x in fr.astype(np.float64)])
    tiny = float(np.finfo(dt).tiny)
    return [call(fr, acf, 4, 40, 0.1, 8000.0, tiny, scale, np.zeros((3, 2), dt))
            for scale in (0, 1, 2)]


# voice
@case("mark_periods")
def _(rng, dt):
    n, sr, hop = 400, 8000.0, 25
    t = np.arange(n) / sr
    calls = []
    for f in (160.0, 275.0):
        y = np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t + 1.0)
        y = (y + 0.05 * rng.standard_normal(n)).astype(dt)
        nf = n // hop + 1
        f0 = (f * (1 + 0.02 * rng.standard_normal(nf))).astype(np.float64)
        voiced = (rng.random(nf) > 0.25).astype(np.float64)
        voiced[3:6] = 1.0
        f0[nf - 2] = 0.0
        for first in (0.0, 12.5):
            calls.append(call(y, f0, voiced, first, hop, sr, np.zeros(n), np.zeros(n),
                              np.zeros(n, np.int64)))
    calls.append(call(np.zeros(50, dt), np.full(3, 200.0), np.ones(3), 0.0, 25, sr,
                      np.zeros(50), np.zeros(50), np.zeros(50, np.int64)))
    return calls


# pncc
def _power(rng, n=8, L=5, p_zero=0.2):
    return rng.lognormal(0, 2, (n, L)) * (rng.random((n, L)) >= p_zero)


@case("preemphasis_clips")
def _(rng, dt):
    return [call(rng.standard_normal(30).astype(dt), np.array([0, 10, 10, 30], np.int64), 0.97,
                 np.zeros(30, dt))]


@case("filterbank_rows")
def _(rng, dt):
    fb = _sparse_fb(17, dt)
    return [call(_mag(rng, 5, 17, dt), *fb, np.zeros((5, 5)))]


@case("medium_time_power", dtypes=(F64,))
def _(rng, dt):
    return [call(_power(rng), M, np.zeros((8, 5))) for M in (0, 2, 5)]


@case("asymmetric_lowpass", dtypes=(F64,))
def _(rng, dt):
    return [call(_power(rng), a, b, np.zeros((8, 5))) for a, b in ((0.999, 0.5), (0.3, 0.9))]


@case("temporal_masking", dtypes=(F64,))
def _(rng, dt):
    return [call(_power(rng, p_zero=0.4), 0.85, 0.2, np.zeros((8, 5)))]


@case("noise_suppression", dtypes=(F64,))
def _(rng, dt):
    z = [np.zeros((8, 5)) for _ in range(4)]
    return [call(_power(rng), 0.999, 0.5, 0.85, 0.2, 2.0, *z),
            call(_power(rng), 0.9, 0.3, 0.5, 0.4, 1.5, *z)]


@case("weight_smoothing", dtypes=(F64,))
def _(rng, dt):
    Q = _power(rng, p_zero=0.3)
    R = Q * rng.random(Q.shape)
    return [call(R, Q, N, np.zeros((8, 5))) for N in (0, 2, 6)]


@case("mean_power_normalization", dtypes=(F64,))
def _(rng, dt):
    T = _power(rng)
    T[3] = 0.0
    return [call(T, lam, np.zeros((8, 5))) for lam in (0.999, 0.5)] + [
        call(np.zeros((3, 5)), 0.9, np.ones((3, 5)))]


@case("pncc_clips")
def _(rng, dt):
    P = _power(rng, 20, 5).astype(dt)
    fo = np.array([0, 1, 8, 8, 20], np.int64)
    return [call(P, fo, 2, 0.999, 0.5, 0.85, 0.2, 2.0, 2, 0.999, 1 / 15, np.zeros((20, 5), dt))]


@case("subtract_clip_means")
def _(rng, dt):
    return [call(rng.standard_normal((20, 4)).astype(dt), np.array([0, 1, 8, 8, 20], np.int64))]


# gammatone
@case("gammatone_frame_energy")
def _(rng, dt):
    n_fft, hop = 16, 4
    wsq = np.zeros(n_fft)
    wsq[1:15] = np.hanning(16)[1:15] ** 2
    coefs = gammatone_iir_coefficients(8000, [300.0, 1000.0, 2500.0])
    calls = []
    for pad, lengths in ((8, [30, 7]), (0, [30, 16])):
        x = rng.standard_normal(sum(lengths)).astype(dt)
        fo = _offsets([1 + (n + 2 * pad - n_fft) // hop for n in lengths])
        for mode in range(4) if pad else (0,):
            calls.append(call(x, _offsets(lengths), fo, 0, 2, coefs, wsq.astype(dt), 1, 15, hop,
                              pad, mode, 8.0, np.zeros((fo[-1], 3), dt)))
    return calls


@case("gammatone_stream_energy")
def _(rng, dt):
    n_fft, hop = 16, 4
    wsq = np.zeros(n_fft)
    wsq[1:15] = np.hanning(16)[1:15] ** 2
    coefs = gammatone_iir_coefficients(8000, [300.0, 1000.0, 2500.0])
    x = rng.standard_normal(40).astype(dt)
    st = 1e-3 * rng.standard_normal((8, 3))
    return [call(x, ip0, coefs, st, wsq.astype(dt), 1, 15, hop, t0, np.zeros((rows, 3)))
            for ip0, t0, rows in ((0, 0, 10), (13, 1, 14), (7, 3, 4))]


# spectral
@case("filter_band", dtypes=(None,))
def _(rng, dt):
    i = np.int64
    return [call(np.array(a, i), np.array(b, i), 20)
            for a, b in (([2, 5, 9], [6, 12, 9]), ([4, 4], [4, 4]), ([0], [20]), ([7, 3], [9, 5]))]


@case("power_row")
def _(rng, dt):
    return [call(_spec(rng, 1, 17, dt)[0], p, np.zeros(17, dt)) for p in (2.0, 1.0, 1.5)]


@case("logf_cephes", dtypes=(F32,), rtol={F32: 1.3e-7})  # documented: < 1.3e-7 relative
def _(rng, dt):
    return [call(F32(v))
            for v in (1.2e-38, 1e-30, 0.3, 0.70710677, 1.0, 1.0000001, 2.0, 3.3e7, 3e38)]


@case("log_f32", dtypes=(F32,), rtol={F32: 1.3e-7})
def _(rng, dt):
    x = np.array([1.2e-38, 1e-20, 0.5, 1.0, 7.0, 1e30, np.inf, np.nan], F32)
    return [call(x, 4.342944819032518, np.zeros(8, F32))]


@case("floor_db")
def _(rng, dt):
    x = np.array([0.0, 1e-45 if dt == F32 else 1e-320, 1e-12, 1e-10, 0.3, 1.0, 5e3, np.nan], dt)
    return [call(x, amin, np.zeros(8, dt)) for amin in (1e-10, 1e-5)]


@case("power_band_transposed")
def _(rng, dt):
    return [call(_spec(rng, n, 17, dt), p, 3, 12, np.zeros((9, n), dt))
            for p in (2.0, 1.0) for n in (40, 33, 1)]  # 33, 1: single-frame blocks


@case("_filterbank_block")
def _(rng, dt):
    fb = _sparse_fb(17)
    lo, hi = naive.spectral.filter_band(fb[0], fb[1], 17)
    pt = (rng.random((hi - lo, 70)) ** 2).astype(dt)
    pt[:, 3] = 0.0
    n = 5 * 64
    return [call(p, *fb, lo, log, 1e-10, np.zeros((72, 5), dt), 2, np.zeros(n, dt),
                 np.zeros(n, dt), skip=(10, 11))
            for log in (False, True) for p in (pt, pt[:, :65], pt[:, :1])]  # 65, 1: one frame


@case("power_filterbank")
def _(rng, dt):
    fb = _sparse_fb(17)
    spec = _spec(rng, 6, 17, dt)
    spec[2] = 0.0
    return [call(s, p, *fb, log, 1e-10, np.zeros((7, 5), dt), 1)
            for s in (spec, np.asfortranarray(spec), spec[:1]) for p in (2.0, 1.0)
            for log in (False, True)]


@case("spectrum_power")
def _(rng, dt):
    return [call(_spec(rng, 5, 17, dt), p, np.zeros((7, 17), dt), 2) for p in (2.0, 1.0, 0.5)]


@case("spectrum_mag_power")
def _(rng, dt):
    return [call(_spec(rng, 5, 17, dt), np.zeros((7, 17), dt), np.zeros((7, 17), dt), 2)]


# descriptors
@case("log_pos", dtypes=(F64,))
def _(rng, dt):
    return [call(v) for v in (2.2250738585072014e-308, 1e-300, 0.3, 0.7071067811865476, 1.0,
                              1.0 + 2**-52, 2.0, 1e300, 1.7e308)]


def _freq(n_bins, dt):
    return (np.arange(n_bins) * 8000.0 / (2 * (n_bins - 1))).astype(dt)


@case("centroid_rows")
def _(rng, dt):
    return [call(_mag(rng, 5, 17, dt), _freq(17, dt), np.zeros((5, 1), dt))]


@case("bandwidth_rows")
def _(rng, dt):
    S = _mag(rng, 5, 17, dt)
    cen = np.empty((5, 1), dt)
    naive.descriptors.centroid_rows(S, _freq(17, dt), cen)
    return [call(S, _freq(17, dt), c, p, norm, np.zeros((5, 1), dt))
            for c in (np.empty(0, dt), cen[:, 0] + dt(10)) for p in (2.0, 1.0, 1.5)
            for norm in (True, False)]


@case("rolloff_rows")
def _(rng, dt):
    S = _mag(rng, 5, 40, dt)
    S[3, :35] = 0.0  # mass in the second 32-bin block
    return [call(S, _freq(40, dt), q, np.zeros((5, 1), dt)) for q in (0.85, 0.3, 0.99)]


@case("_flatness_from_levels", dtypes=(F64,))
def _(rng, dt):
    calls = []
    for amin in (1e-10, 1e-50, 1e-100):
        v = np.maximum(rng.random(40) ** 4, amin)
        v[:5] = amin
        calls.append(call(v, float(v.sum()), -np.log(amin), np.zeros(41), np.zeros(16),
                          skip=(3, 4)))
    return calls


@case("flatness_rows")
def _(rng, dt):
    S = _mag(rng, 4, 40, dt)
    return [call(S, p, amin, np.zeros((4, 1), dt)) for p in (2.0, 1.0, 1.5)
            for amin in (1e-10, 1e-50, 1e-100)]


@case("fused_descriptor_rows")
def _(rng, dt):
    S = _mag(rng, 4, 40, dt)
    return [call(S, _freq(40, dt), *cols, np.zeros((4, 4), dt))
            for cols in ((0, 1, True, 2, 0.85, 3, 2.0, 1e-10),
                         (-1, 0, False, -1, 0.5, 1, 1.0, 1e-50),
                         (3, -1, True, 0, 0.3, -1, 1.5, 1e-10))]


def _partitioned(k):
    def project(args, ret):
        a, n = args[0], args[1]
        return [np.sort(a[:k]), a[k:k + 1], np.sort(a[k + 1:n]), a[n:]]
    return project


@case("_select")
def _(rng, dt):
    calls = []
    for a in (rng.standard_normal(20).astype(dt), rng.integers(0, 3, 20).astype(dt)):
        for k in (0, 7, 14):
            calls.append(call(a, 15, k, project=_partitioned(k)))
    return calls


def _extreme_calls(rng, dt):
    calls = []
    for a in (rng.random(64).astype(dt), rng.integers(0, 4, 64).astype(dt)):
        for n, q in ((64, 9), (10, 3), (10, 10), (40, 1)):
            calls.append(call(a, n, q, np.zeros(q, dt), project=lambda args, ret: [ret]))
    return calls


case("_sum_smallest")(_extreme_calls)
case("_sum_largest")(_extreme_calls)


@case("_band_extremes")
def _(rng, dt):
    calls = []
    for x in (rng.random(33).astype(dt), rng.integers(0, 4, 33).astype(dt),
              -rng.random(33).astype(dt)):
        for q in (1, 3, 8, 9, 20):
            z = [np.zeros(33, dt) for _ in range(3)] + [np.zeros(max(q, 2), dt)]
            calls.append(call(x, q, *z, project=lambda args, ret: [np.array(ret)]))
    return calls


@case("contrast_rows")
def _(rng, dt):
    S = _mag(rng, 5, 33, dt)
    S[2] = np.round(S[2] * 3)   # ties
    S[3, 8:20] = -S[3, 8:20]    # negative values: the float fallback
    S[4, 0:3] = -0.0
    start = np.array([0, 3, 8, 16, 4], np.int64)
    stop = np.array([3, 8, 16, 33, 33], np.int64)
    calls = []
    for n_q in ([1, 2, 3, 4, 7], [3, 5, 8, 17, 1], [1, 1, 2, 2, 3]):
        n_q = np.array(n_q, np.int64)
        for linear in (True, False):
            out = np.zeros((5, 5 if linear else 10), dt)
            calls.append(call(S, start, stop, n_q, linear, 1e-10, out))
    return calls


@case("normalized_flux_rows")
def _(rng, dt):
    S = _mag(rng, 5, 17, dt)
    return [call(S, np.zeros((5, 1), dt), np.zeros(17), np.zeros(17)),
            call(S[:1], np.zeros((1, 1), dt), np.zeros(17), np.zeros(17))]


@case("onset_flux_clips")
def _(rng, dt):
    S = (rng.standard_normal((12, 6)) * 10).astype(dt)
    fo = np.array([0, 5, 5, 12], np.int64)
    return [call(S, fo, s, np.full((12, 1), np.nan, dt)) for s in (1, 3, 6)]


@case("entropy_rows")
def _(rng, dt):
    S = _mag(rng, 4, 26, dt)
    return [call(S, p, bs, nb, norm, np.zeros((4, 1), dt))
            for p in (2.0, 1.0, 1.5) for bs, nb in ((1, 26), (4, 6), (1, 1), (26, 1))
            for norm in (False, True)]


@case("entropy_rows_f32", dtypes=(F32,))
def _(rng, dt):
    S = _mag(rng, 4, 26, F32)
    return [call(S, p, nb, norm, np.zeros((4, 1), F32))
            for p in (2.0, 1.0) for nb in (26, 20, 1) for norm in (False, True)]


# -- the check ---------------------------------------------------------------------------------
def _compare(got, ref, rtol, what):
    got = np.asarray(got)
    ref = np.asarray(ref)
    assert got.shape == ref.shape, what
    if got.dtype.kind in "biu" or ref.dtype.kind in "biu":
        np.testing.assert_array_equal(got, ref, err_msg=what)
        return
    g = got.astype(np.complex128 if got.dtype.kind == "c" else np.float64)
    r = ref.astype(np.complex128 if ref.dtype.kind == "c" else np.float64)
    np.testing.assert_array_equal(np.isnan(g), np.isnan(r), err_msg=what)
    np.testing.assert_array_equal(np.isinf(g) & (g > 0), np.isinf(r) & (r > 0), err_msg=what)
    np.testing.assert_array_equal(np.isinf(g) & (g < 0), np.isinf(r) & (r < 0), err_msg=what)
    fin = np.isfinite(r)
    scale = np.max(np.abs(r[fin]), initial=0.0)
    np.testing.assert_allclose(g[fin], r[fin], rtol=rtol, atol=rtol * scale, err_msg=what)


def _params():
    for name in sorted(naive.TWINS):
        spec = CASES.get(name)
        dtypes = spec["dtypes"] if spec else (None,)
        for dt in dtypes:
            yield pytest.param(name, dt, id=f"{name}-{np.dtype(dt).name if dt else 'int'}")


# (as plain Python, NumPy warns on the inf * 0 that nonfinite_rows/_segments rely on)
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("name,dt", list(_params()))
def test_kernel_equals_twin(name, dt):
    spec = CASES[name]
    kernel, twin = KERNELS[name], naive.TWINS[name]
    rtol = spec["rtol"].get(dt, RTOL.get(dt, 1e-12))
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    calls = spec["fn"](rng, dt)
    assert calls
    for i, c in enumerate(calls):
        ka, ta = copy.deepcopy(c["args"]), copy.deepcopy(c["args"])
        kr, tr = kernel(*ka), twin(*ta)
        what = f"{name} call {i}"
        if c["project"] is not None:
            for j, (g, r) in enumerate(zip(c["project"](ka, kr), c["project"](ta, tr))):
                _compare(g, r, rtol, f"{what} value {j}")
            continue
        for j, (g, r) in enumerate(zip(ka, ta)):
            if isinstance(g, np.ndarray) and j not in c["skip"]:
                _compare(g, r, rtol, f"{what} argument {j}")
        if kr is None or tr is None:
            assert kr is None and tr is None, what
        else:
            _compare(np.asarray(kr, dtype=float) if isinstance(kr, tuple) else kr,
                     np.asarray(tr, dtype=float) if isinstance(tr, tuple) else tr, rtol, what)
