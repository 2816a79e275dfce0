"""cepstral_spec (shared by MFCC-style cepstra), Bark and linear filterbanks, BFCC and LFCC.

``cepstral_spec`` with the mel filterbank must reproduce ``functional.mfcc``;
the Bark scale is checked against Traunmüller's formula (and its inverse by
bisection); filterbanks against the triangle definition; BFCC/LFCC against a
plain NumPy pipeline (naive DFT STFT, dense filterbank, per-clip dB, scipy DCT).
"""

from __future__ import annotations

import warnings

import naive
import numpy as np
import pytest
import scipy.fft
from hypothesis import given, settings
from hypothesis import strategies as st
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio import filters
from sklaudio import functional as F
from sklaudio._cepstral import BFCC, LFCC
from sklaudio._engine import plan_frames, run_features
from sklaudio.functional._cepstral import bfcc, cepstral_spec, lfcc
from sklaudio.functional._core import _frame_feature

SR = 8000


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


# -- naive twins -----------------------------------------------------------------------------------
def naive_hz_to_bark(f):
    """Traunmüller (1990), eq. 6 with the corrections of his section IV, one value at a time."""
    out = []
    for x in np.atleast_1d(np.asarray(f, dtype=float)):
        z = 26.81 * x / (1960.0 + x) - 0.53
        if z < 2.0:
            z = z + 0.15 * (2.0 - z)
        elif z > 20.1:
            z = z + 0.22 * (z - 20.1)
        out.append(z)
    return np.array(out)


def naive_bark_to_hz(z):
    """Inverse by bisection on the forward formula (independent of the closed form)."""
    out = []
    for target in np.atleast_1d(z):
        lo, hi = 0.0, 1e6
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if naive_hz_to_bark(mid)[0] < target:
                lo = mid
            else:
                hi = mid
        out.append(0.5 * (lo + hi))
    return np.array(out)


def naive_triangles(sr, n_fft, pts, norm=None):
    return naive.filters.triangles(sr, n_fft, pts, equal_area=norm == "area")


def naive_cepstrum(y, W, *, n_ceps, n_fft, hop, power=2.0, compression="log", ref=1.0,
                   top_db=80.0, dct_type=2, lifter=0.0, center=True):
    """Naive DFT STFT -> W @ |X|**power -> dB (per-clip ref/top_db) or cube root -> DCT -> lifter."""
    X = naive.stft.stft(y, n_fft, hop, naive.stft.hann_periodic(n_fft), center=center)
    E = W @ np.abs(X) ** power
    if compression == "log":
        db = 10 * np.log10(np.maximum(1e-10, E))
        if top_db is not None:
            db = np.maximum(db, db.max() - top_db)
        C = db - (db.max() if ref == "max" else 10 * np.log10(ref))
    else:
        C = np.cbrt(E)
    c = scipy.fft.dct(C, type=dct_type, norm="ortho", axis=0)[:n_ceps]
    if lifter:
        c = c * (1 + lifter / 2 * np.sin(np.pi * np.arange(1, n_ceps + 1) / lifter))[:, None]
    return c


# -- cepstral_spec == MFCC ---------------------------------------------------------------------
MFCC_CASES = [
    dict(),
    dict(n_fft=256, hop_length=80, n_mels=40, n_mfcc=13, lifter=22.0),
    dict(n_fft=512, hop_length=128, n_mels=64, htk=True, top_db=None, dct_type=3, fmin=100.0),
    dict(n_fft=256, hop_length=64, n_mels=32, power=1.0, mel_norm=None, top_db=40.0,
         dct_type=1),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", range(len(MFCC_CASES)))
def test_cepstral_spec_with_mel_reproduces_mfcc(fsdd_sample, case, dtype):
    kw = dict(MFCC_CASES[case])
    stft = {k: kw.pop(k) for k in ("n_fft", "hop_length") if k in kw}
    n_fft = stft.get("n_fft", 2048)
    n_mels, n_mfcc = kw.get("n_mels", 128), kw.get("n_mfcc", 20)
    fb = filters.sparse_mel(sample_rate=SR, n_fft=n_fft, n_mels=n_mels, fmin=kw.get("fmin", 0.0),
                            htk=kw.get("htk", False), norm=kw.get("mel_norm", "slaney"),
                            dtype=np.float64)
    spec = cepstral_spec(fb, power=kw.get("power", 2.0), compression="log",
                         top_db=kw.get("top_db", 80.0),
                         dct_basis=filters.dct(n_mels, n_mfcc, dct_type=kw.get("dct_type", 2)),
                         lifter=kw.get("lifter", 0.0))
    X = np.stack([x[:3000] for x in fsdd_sample if len(x) >= 3000][:6]).astype(dtype)
    ours = _frame_feature(X, None, [spec], **stft)[0]
    ref = F.mfcc(X, sample_rate=SR, **stft, **kw)
    assert ours.dtype == ref.dtype == dtype
    np.testing.assert_array_equal(ours, ref)  # same kernels, same order of operations


def test_cepstral_spec_shares_one_stft_pass():
    y = np.random.default_rng(0).standard_normal((3, 4000))
    from sklaudio._validation import ClipBatch
    batch = ClipBatch.from_2d(y)
    plan = plan_frames(batch, n_fft=256, hop_length=80, win_length=None, window="hann",
                       center=True, pad_mode="constant", dtype=np.float64)
    specs = [cepstral_spec(filters.sparse_linear(sample_rate=SR, n_fft=256, n_filters=40,
                                                 dtype=np.float64), dct_basis=filters.dct(40, 13)),
             cepstral_spec(filters.sparse_bark(sample_rate=SR, n_fft=256, n_filters=24,
                                               dtype=np.float64), compression="cubic")]
    together = run_features(batch, plan, specs)
    for s, t in zip(specs, together):
        np.testing.assert_array_equal(run_features(batch, plan, [s])[0], t)
    assert together[0].shape[1] == 13 and together[1].shape[1] == 24


def test_cepstral_spec_validation():
    fb = filters.sparse_linear(sample_rate=SR, n_fft=256, n_filters=20)
    with pytest.raises(ValueError, match="compression"):
        cepstral_spec(fb, compression="ln")
    with pytest.raises(ValueError, match="dct_basis"):
        cepstral_spec(fb, dct_basis=filters.dct(21, 5))
    with pytest.raises(ValueError, match="lifter"):
        cepstral_spec(fb, lifter=2.0)
    with pytest.raises(ValueError, match="lifter"):
        cepstral_spec(fb, dct_basis=filters.dct(20, 5), lifter=-1.0)
    with pytest.raises(ValueError, match="power"):
        cepstral_spec(fb, power=0.0)
    with pytest.raises(ValueError, match="ref"):
        cepstral_spec(fb, ref=-1.0)
    with pytest.raises(ValueError, match="top_db"):
        cepstral_spec(fb, top_db=-3.0)


# -- Bark scale and filterbanks ---------------------------------------------------------------
def test_bark_scale_matches_traunmuller():
    f = np.array([0.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 12000.0,
                  15000.0, 20000.0])
    np.testing.assert_allclose(filters.hz_to_bark(f), naive_hz_to_bark(f), rtol=1e-14, atol=1e-14)
    # hand-computed: 26.81 * 1000 / 2960 - 0.53; 100 Hz and 15 kHz take the corrections
    assert filters.hz_to_bark(1000.0) == pytest.approx(26.81 * 1000 / 2960 - 0.53, rel=1e-14)
    z100 = 26.81 * 100 / 2060 - 0.53
    assert filters.hz_to_bark(100.0) == pytest.approx(z100 + 0.15 * (2 - z100), rel=1e-14)
    z15k = 26.81 * 15000 / 16960 - 0.53
    assert filters.hz_to_bark(15000.0) == pytest.approx(z15k + 0.22 * (z15k - 20.1), rel=1e-14)
    z = np.linspace(float(filters.hz_to_bark(0.0)), 24.0, 40)  # the scale starts at -0.15 Bark
    np.testing.assert_allclose(filters.bark_to_hz(z), naive_bark_to_hz(z), rtol=1e-9, atol=1e-6)


@settings(deadline=None, max_examples=100)
@given(f=st.floats(0.0, 24000.0), df=st.floats(1e-3, 1000.0))
def test_bark_scale_monotone_and_inverts(f, df):
    assert filters.hz_to_bark(f + df) > filters.hz_to_bark(f)
    assert filters.bark_to_hz(filters.hz_to_bark(f)) == pytest.approx(f, rel=1e-10, abs=1e-7)


@pytest.mark.parametrize("sr,n_fft,n,fmin,fmax", [(8000, 256, 24, 0.0, None),
                                                  (16000, 512, 40, 50.0, 7000.0),
                                                  (22050, 2048, 64, 0.0, None)])
@pytest.mark.parametrize("norm", [None, "area"])
def test_bark_and_linear_filterbanks_match_triangle_definition(sr, n_fft, n, fmin, fmax, norm):
    top = sr / 2 if fmax is None else fmax
    pts_bark = naive_bark_to_hz(np.linspace(naive_hz_to_bark(fmin)[0], naive_hz_to_bark(top)[0],
                                            n + 2))
    W = filters.bark(sample_rate=sr, n_fft=n_fft, n_filters=n, fmin=fmin, fmax=fmax, norm=norm,
                     dtype=np.float64)
    ref = naive_triangles(sr, n_fft, pts_bark, norm)
    assert W.shape == (n, n_fft // 2 + 1)
    np.testing.assert_allclose(W, ref, rtol=1e-7, atol=1e-9 * ref.max())
    W = filters.linear(sample_rate=sr, n_fft=n_fft, n_filters=n, fmin=fmin, fmax=fmax, norm=norm,
                       dtype=np.float64)
    ref = naive_triangles(sr, n_fft, np.linspace(fmin, top, n + 2), norm)
    np.testing.assert_allclose(W, ref, rtol=1e-12, atol=1e-14 * ref.max())
    for sparse, dense in ((filters.sparse_bark, filters.bark),
                          (filters.sparse_linear, filters.linear)):
        fb = sparse(sample_rate=sr, n_fft=n_fft, n_filters=n, fmin=fmin, fmax=fmax, norm=norm,
                    dtype=np.float32)
        assert not fb.weights.flags.writeable
        assert fb is sparse(sample_rate=sr, n_fft=n_fft, n_filters=n, fmin=fmin, fmax=fmax,
                            norm=norm, dtype=np.float32)
        np.testing.assert_array_equal(fb.to_dense(), dense(sample_rate=sr, n_fft=n_fft,
                                                           n_filters=n, fmin=fmin, fmax=fmax,
                                                           norm=norm))


def test_filterbank_errors_and_empty_filter_warning():
    with pytest.raises(ValueError, match="norm"):
        filters.bark(sample_rate=SR, n_fft=256, norm="slaney")
    with pytest.raises(ValueError, match="Nyquist"):
        filters.linear(sample_rate=SR, n_fft=256, fmax=5000.0)
    with pytest.raises(ValueError, match="fmin < fmax"):
        filters.bark(sample_rate=SR, n_fft=256, fmin=3000.0, fmax=2000.0)
    with pytest.raises(ValueError, match="n_fft"):
        filters.linear(sample_rate=SR, n_fft=1)
    with pytest.warns(UserWarning, match="Empty filters"):
        filters.linear(sample_rate=SR, n_fft=64, n_filters=128)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        filters.bark(sample_rate=SR, n_fft=256, n_filters=24)


# -- BFCC / LFCC ------------------------------------------------------------------------------------
CEPS_CASES = [
    dict(),
    dict(compression="cubic", power=1.0),
    dict(ref="max", top_db=50.0, lifter=22.0, dct_type=3),
    dict(top_db=None, filter_norm="area", fmin=100.0, fmax=3500.0),
]


@pytest.mark.parametrize("kind", ["bfcc", "lfcc"])
@pytest.mark.parametrize("case", range(len(CEPS_CASES)))
def test_bfcc_lfcc_equal_naive_pipeline(fsdd_sample, kind, case):
    kw = dict(CEPS_CASES[case])
    n_fft, hop, n_filters, n_ceps = 256, 80, 32, 13
    fmin, fmax = kw.pop("fmin", 0.0), kw.pop("fmax", None)
    norm = kw.pop("filter_norm", None)
    top = SR / 2 if fmax is None else fmax
    if kind == "bfcc":
        pts = naive_bark_to_hz(np.linspace(naive_hz_to_bark(fmin)[0], naive_hz_to_bark(top)[0],
                                           n_filters + 2))
        fn, name = bfcc, "n_bfcc"
    else:
        pts = np.linspace(fmin, top, n_filters + 2)
        fn, name = lfcc, "n_lfcc"
    W = naive_triangles(SR, n_fft, pts, norm)
    for x in fsdd_sample[::6]:
        x = x.astype(np.float64)
        ours = fn(x, sample_rate=SR, n_filters=n_filters, fmin=fmin, fmax=fmax, filter_norm=norm,
                  n_fft=n_fft, hop_length=hop, **{name: n_ceps}, **kw)
        ref = naive_cepstrum(x, W, n_ceps=n_ceps, n_fft=n_fft, hop=hop, **kw)
        assert ours.shape == ref.shape
        assert _rel(ours, ref) <= 1e-10  # measured <= 4e-14


@pytest.mark.parametrize("Est,fn,name", [(BFCC, bfcc, "n_bfcc"), (LFCC, lfcc, "n_lfcc")])
def test_estimators_equal_functional(fsdd_sample, Est, fn, name):
    X = fsdd_sample[:5]
    kw = dict(sample_rate=SR, n_fft=256, hop_length=80, n_filters=40, lifter=10.0,
              **{name: 15})
    est = Est(dtype="float64", **kw).fit(X)
    for x, fr in zip(X, est.transform_frames(X)):
        ref = fn(x.astype(np.float64), **kw)
        np.testing.assert_allclose(fr, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())
    assert est.filter_basis_.shape == (40, 129) and est.dct_basis_.shape == (15, 40)


@pytest.mark.parametrize("fn", [bfcc, lfcc])
def test_silence_gives_documented_values(fn):
    c = fn(np.zeros((2, 1000)), sample_rate=SR, n_fft=256, hop_length=64, n_filters=24)
    # DCT-II (ortho) of a constant -100 dB: c0 = -100 sqrt(n_filters), the rest 0
    np.testing.assert_allclose(c[:, 0], -100 * np.sqrt(24), rtol=1e-12)
    np.testing.assert_allclose(c[:, 1:], 0.0, atol=1e-9)
    c = fn(np.zeros(1000), sample_rate=SR, n_fft=256, hop_length=64, n_filters=24,
           compression="cubic")
    assert np.all(c == 0)


@settings(deadline=None, max_examples=25)
@given(gain=st.floats(1e-3, 1e3), seed=st.integers(0, 1000))
def test_level_dependence(gain, seed):
    """ref='max' removes the level entirely; the cube root scales by gain ** (2/3)."""
    y = np.random.default_rng(seed).standard_normal(2000)
    kw = dict(sample_rate=SR, n_fft=256, hop_length=100, n_filters=24)
    a = lfcc(y, ref="max", **kw)
    b = lfcc(gain * y, ref="max", **kw)
    np.testing.assert_allclose(b, a, rtol=0, atol=1e-9 * np.abs(a).max())
    a = bfcc(y, compression="cubic", **kw)
    b = bfcc(gain * y, compression="cubic", **kw)
    np.testing.assert_allclose(b, gain ** (2 / 3) * a, rtol=1e-9, atol=1e-12 * np.abs(b).max())


@settings(deadline=None, max_examples=30)
@given(m=st.integers(0, 19))
def test_tone_peaks_in_its_linear_filter(m):
    """A tone at filter m's centre frequency has its largest energy in filter m."""
    n_fft, n = 512, 20
    fb = filters.sparse_linear(sample_rate=SR, n_fft=n_fft, n_filters=n, dtype=np.float64)
    f = np.linspace(0, SR / 2, n + 2)[m + 1]
    y = np.cos(2 * np.pi * f * np.arange(4000) / SR)
    E = _frame_feature(y, None, [cepstral_spec(fb, compression=None)], n_fft=n_fft,
                       hop_length=256)[0]
    assert np.all(E[:, 2:-2].argmax(axis=0) == m)


@pytest.mark.parametrize("Est,params,match", [
    (BFCC, dict(n_bfcc=65), "n_bfcc"),
    (LFCC, dict(n_lfcc=0), "n_lfcc"),
    (LFCC, dict(filter_norm="slaney"), "norm"),
    (BFCC, dict(compression=None), "compression"),
    (BFCC, dict(power=-2.0), "power"),
    (LFCC, dict(fmax=4001.0), "Nyquist"),
    (BFCC, dict(ref="min"), "ref"),
    (LFCC, dict(n_filters=1.5), "n_filters"),
])
def test_bad_parameters_raise_value_error(Est, params, match):
    with pytest.raises(ValueError, match=match):
        Est(sample_rate=SR, n_fft=256, **params).fit(np.zeros((1, 500)))


def test_empty_filters_warn_at_fit():
    with pytest.warns(UserWarning, match="Empty filters"):
        LFCC(sample_rate=SR, n_fft=64).fit(np.zeros((1, 500)))


# -- scikit-learn contract -------------------------------------------------------------------
SMALL = dict(sample_rate=SR, n_fft=64, hop_length=16, n_filters=12)
ESTIMATORS = [
    BFCC(**SMALL, n_bfcc=8),
    BFCC(**SMALL, n_bfcc=6, compression="cubic", lifter=3.0),
    LFCC(**SMALL, n_lfcc=8),
    LFCC(**SMALL, n_lfcc=8, ref="max", filter_norm="area", power=1.0),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_contract(est):
    check_fit_transform_contract(est)
    prefix = type(est).__name__.lower()
    names = est.fit(np.zeros((1, 300))).get_feature_names_out()
    assert names[0] == f"{prefix}_0_mean"
