"""Zero-crossing rate and RMS: naive twins of the kernels, librosa parity on real FSDD clips,
properties, errors, estimator contract."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio._engine import plan_frames, run_features
from sklaudio._kernels.temporal import rms_rows, rms_spectrum_rows, zcr_rows
from sklaudio._temporal import RMS, ZeroCrossingRate
from sklaudio._validation import ClipBatch
from sklaudio.functional._temporal import rms, rms_spec, zcr_spec, zero_crossing_rate

SMALL = dict(frame_length=64, hop_length=16)
ESTIMATORS = [ZeroCrossingRate(**SMALL), RMS(**SMALL)]


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


# -- naive twins ------------------------------------------------------------------------------
from naive.temporal import raw_frames as naive_frames  # noqa: E402
from naive.temporal import rms_frames as naive_rms_frames  # noqa: E402
from naive.temporal import rms_spectrum as naive_rms_spectrum  # noqa: E402
from naive.temporal import zcr_frames as naive_zcr_frames  # noqa: E402


# -- kernels vs naive ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("zero_pos", [True, False])
@pytest.mark.parametrize("pad", [False, True])
def test_zcr_kernel_equals_naive(dtype, zero_pos, pad):
    rng = np.random.default_rng(1)
    F = rng.standard_normal((40, 33)).astype(dtype)
    F[rng.random(F.shape) < 0.2] = 0.0          # exact zeros
    F[rng.random(F.shape) < 0.1] *= 1e-3        # values near a threshold of 1e-3
    F[5] = -0.0
    for thr in (np.array([0.0]), np.array([1e-3]), rng.uniform(0, 0.5, 40)):
        out = np.empty((40, 1), dtype=dtype)
        zcr_rows(F, thr.astype(dtype), zero_pos, pad, out)
        np.testing.assert_array_equal(out[:, 0], naive_zcr_frames(F, thr, zero_pos, pad)
                                      .astype(dtype))


def test_zcr_kernel_accepts_strided_frames():
    y = np.random.default_rng(2).standard_normal(500)
    F = np.lib.stride_tricks.sliding_window_view(y, 64)[::10]
    out = np.empty((F.shape[0], 1))
    zcr_rows(F, np.array([1e-10]), True, False, out)
    np.testing.assert_array_equal(out[:, 0], naive_zcr_frames(np.ascontiguousarray(F), 1e-10))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rms_kernels_equal_naive(dtype):
    rng = np.random.default_rng(3)
    F = rng.standard_normal((20, 50)).astype(dtype)
    out = np.empty((20, 1), dtype=dtype)
    rms_rows(F, out)
    np.testing.assert_allclose(out[:, 0], naive_rms_frames(F), rtol=1e-6 if dtype == np.float32
                               else 1e-13)
    for L in (50, 51):
        S = np.abs(rng.standard_normal((20, L // 2 + 1))).astype(dtype)
        rms_spectrum_rows(S, L, out)
        np.testing.assert_allclose(out[:, 0], naive_rms_spectrum(S.T, L),
                                   rtol=1e-6 if dtype == np.float32 else 1e-13)


@pytest.mark.parametrize("frame_length", [64, 65])
def test_rms_from_spectrum_is_parseval(frame_length):
    """With a rectangular window and no padding, the S formula gives the time-domain RMS."""
    y = np.random.default_rng(4).standard_normal(1000)
    F = naive_frames(y, frame_length, 20, False, "constant")
    S = np.abs(np.fft.rfft(F, axis=1)).T
    np.testing.assert_allclose(rms(S=S, frame_length=frame_length)[0],
                               rms(y, frame_length=frame_length, hop_length=20, center=False)[0],
                               rtol=1e-12)


# -- functional vs naive and librosa -----------------------------------------------------------
@pytest.mark.parametrize("center", [True, False])
def test_functional_equals_naive(center):
    y = np.random.default_rng(5).standard_normal(3001)
    y[100:400] = 0.0
    F_edge = naive_frames(y, 256, 100, center, "edge")
    np.testing.assert_array_equal(
        zero_crossing_rate(y, frame_length=256, hop_length=100, center=center)[0],
        naive_zcr_frames(F_edge, 1e-10))
    for mode in ("constant", "reflect"):
        F = naive_frames(y, 256, 100, center, mode)
        np.testing.assert_allclose(
            rms(y, frame_length=256, hop_length=100, center=center, pad_mode=mode)[0],
            naive_rms_frames(F), rtol=1e-13)


ZCR_PARAMS = [dict(frame_length=2048, hop_length=512),
              dict(frame_length=256, hop_length=80, threshold=0.02, ref_magnitude=np.max,
                   zero_pos=False),
              dict(frame_length=255, hop_length=64, center=False, threshold=1e-3,
                   ref_magnitude=0.5, pad=True)]


@pytest.mark.parametrize("params", ZCR_PARAMS)
def test_zcr_equals_librosa(fsdd_sample, params):
    worst = 0.0
    for x in fsdd_sample:
        x = x.astype(np.float64)
        ours = zero_crossing_rate(x, **params)
        ref = librosa.feature.zero_crossing_rate(x, **params)
        assert ours.shape == ref.shape
        worst = max(worst, _rel(ours, ref))
    assert worst <= 1e-4


RMS_PARAMS = [dict(frame_length=2048, hop_length=512),
              dict(frame_length=256, hop_length=80, pad_mode="reflect"),
              dict(frame_length=255, hop_length=64, center=False)]


@pytest.mark.parametrize("params", RMS_PARAMS)
def test_rms_equals_librosa(fsdd_sample, params):
    worst = 0.0
    for x in fsdd_sample:
        x = x.astype(np.float64)
        ours = rms(x, **params)
        ref = librosa.feature.rms(y=x, dtype=np.float64, **params)
        assert ours.shape == ref.shape
        worst = max(worst, _rel(ours, ref))
    assert worst <= 1e-4


@pytest.mark.filterwarnings("ignore:n_fft=.* is too large:UserWarning")
@pytest.mark.parametrize("n_fft,hop", [(2048, 512), (255, 80)])
def test_rms_from_spectrogram_equals_librosa(fsdd_sample, n_fft, hop):
    worst = 0.0
    for x in fsdd_sample[:8]:
        S = np.abs(librosa.stft(x.astype(np.float64), n_fft=n_fft, hop_length=hop))
        ref = librosa.feature.rms(S=S, frame_length=n_fft, dtype=np.float64)
        worst = max(worst, _rel(rms(S=S, frame_length=n_fft), ref))
        # the same S-formula from the audio inside the engine (one STFT pass)
        b = ClipBatch.from_2d(x.astype(np.float64)[None])
        plan = plan_frames(b, n_fft=n_fft, hop_length=hop, win_length=None, window="hann",
                           center=True, pad_mode="constant", dtype=np.float64)
        eng = run_features(b, plan, [rms_spec(n_fft, np.float64, spectrum=True)])[0]
        worst = max(worst, _rel(eng[:, 0], ref[0]))
    assert worst <= 1e-4


def test_rms_complex_spectrogram_uses_modulus():
    D = librosa.stft(np.random.default_rng(6).standard_normal(4000), n_fft=256)
    np.testing.assert_allclose(rms(S=D, frame_length=256), rms(S=np.abs(D), frame_length=256))


def test_multichannel_is_per_row():
    Y = np.random.default_rng(7).standard_normal((2, 3, 2000))
    for f in (lambda y: zero_crossing_rate(y, frame_length=128, hop_length=32),
              lambda y: rms(y, frame_length=128, hop_length=32)):
        out = f(Y)
        assert out.shape == (2, 3, 1, 1 + 2000 // 32)
        np.testing.assert_array_equal(out[1, 2], f(Y[1, 2]))


def test_callable_ref_is_per_clip():
    Y = np.random.default_rng(8).standard_normal((2, 3000)) * np.array([[1.0], [100.0]])
    out = zero_crossing_rate(Y, frame_length=256, hop_length=64, threshold=0.3,
                             ref_magnitude=np.max)
    for i in range(2):
        np.testing.assert_array_equal(
            out[i], librosa.feature.zero_crossing_rate(Y[i], frame_length=256, hop_length=64,
                                                       threshold=0.3, ref_magnitude=np.max))


def test_callable_ref_per_frame():
    y = np.random.default_rng(9).standard_normal(3000)
    kw = dict(frame_length=256, hop_length=64, threshold=0.5,
              ref_magnitude=lambda a: np.max(a, axis=-2))
    np.testing.assert_array_equal(zero_crossing_rate(y, **kw),
                                  librosa.feature.zero_crossing_rate(y, **kw))


def test_specs_share_one_framing_pass():
    """ZCR and RMS specs on one plan equal the separate functions (composite estimators)."""
    y = np.random.default_rng(10).standard_normal((3, 4000))
    b = ClipBatch.from_2d(y)
    plan = plan_frames(b, n_fft=512, hop_length=128, win_length=None, window="boxcar",
                       center=False, pad_mode="constant", dtype=np.float64)
    z, r = run_features(b, plan, [zcr_spec(512, np.float64), rms_spec(512, np.float64)])
    np.testing.assert_array_equal(
        z[:, 0], zero_crossing_rate(y, frame_length=512, hop_length=128, center=False)[:, 0]
        .ravel())
    np.testing.assert_array_equal(
        r[:, 0], rms(y, frame_length=512, hop_length=128, center=False)[:, 0].ravel())


def test_threads_give_identical_results():
    y = np.random.default_rng(11).standard_normal((4, 20000))
    for f in (zero_crossing_rate, rms):
        np.testing.assert_array_equal(f(y, frame_length=256, hop_length=16, n_jobs=2),
                                      f(y, frame_length=256, hop_length=16))


def test_float32_close_to_float64(fsdd_sample):
    x = fsdd_sample[0]
    np.testing.assert_allclose(rms(x), rms(x.astype(np.float64)), rtol=1e-5)
    assert rms(x).dtype == np.float32
    z32 = zero_crossing_rate(x)
    assert z32.dtype == np.float32
    np.testing.assert_allclose(z32, zero_crossing_rate(x.astype(np.float64)), atol=2e-3)


# -- properties -----------------------------------------------------------------------------
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(deadline=None, max_examples=40)
@given(y=st.lists(finite, min_size=1, max_size=400),
       frame_length=st.integers(2, 64), hop=st.integers(1, 32), zero_pos=st.booleans())
def test_zcr_in_unit_interval(y, frame_length, hop, zero_pos):
    z = zero_crossing_rate(np.asarray(y), frame_length=frame_length, hop_length=hop,
                           zero_pos=zero_pos)
    assert np.all((z >= 0) & (z <= (frame_length - 1) / frame_length))


@settings(deadline=None, max_examples=30)
@given(n=st.integers(300, 1500), amp=st.floats(1e-6, 1e3), frame_length=st.integers(2, 128))
def test_zcr_of_alternating_signal_is_nearly_one(n, amp, frame_length):
    y = amp * np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    z = zero_crossing_rate(y, frame_length=frame_length, hop_length=7, center=False)
    np.testing.assert_array_equal(z, (frame_length - 1) / frame_length)


@settings(deadline=None, max_examples=30)
@given(a=st.one_of(st.just(0.0), st.floats(1e-100, 1e3), st.floats(-1e3, -1e-100)),
       frame_length=st.integers(2, 200), hop=st.integers(1, 64))
def test_rms_of_constant_is_abs_away_from_edges(a, frame_length, hop):
    # (|a| < ~1e-154 underflows a ** 2 to 0 in float64, in librosa too.)
    n = 3 * frame_length + 2 * hop + 50
    r = rms(np.full(n, a), frame_length=frame_length, hop_length=hop)[0]
    t = np.arange(r.size) * hop
    inner = (t >= frame_length // 2) & (t + frame_length - frame_length // 2 <= n)
    assert inner.any()
    np.testing.assert_allclose(r[inner], abs(a), rtol=1e-12)
    assert np.all(r <= abs(a) * (1 + 1e-12))   # zero padding only lowers the edges


def test_silence_is_zero_and_finite():
    y = np.zeros((2, 5000))
    assert np.all(zero_crossing_rate(y) == 0)
    assert np.all(rms(y) == 0)
    assert np.all(rms(S=np.zeros((1025, 4)), frame_length=2048) == 0)
    for est in (ZeroCrossingRate(**SMALL), RMS(**SMALL)):
        out = est.fit_transform(y)
        assert np.all(out == 0)


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,match", [
    (dict(frame_length=1), "frame_length"),
    (dict(frame_length=64.0), "frame_length"),
    (dict(hop_length=0), "hop_length"),
    (dict(hop_length=None), "hop_length"),
    (dict(threshold=-1.0), "threshold"),
    (dict(threshold=np.nan), "threshold"),
    (dict(ref_magnitude=0.0), "ref_magnitude"),
    (dict(ref_magnitude="max"), "ref_magnitude"),
    (dict(ref_magnitude=lambda a: np.ones(3)), "ref_magnitude returned shape"),
    (dict(ref_magnitude=lambda a: np.nan), "non-finite"),
    (dict(zero_pos="yes"), "zero_pos"),
    (dict(pad=1), "pad"),
    (dict(center="no"), "center"),
])
def test_zcr_bad_params(kwargs, match):
    with pytest.raises(ValueError, match=match):
        zero_crossing_rate(np.ones(1000), **kwargs)


@pytest.mark.parametrize("kwargs,match", [
    (dict(y=np.ones(1000), frame_length=1), "frame_length"),
    (dict(y=np.ones(1000), pad_mode="wrap"), "pad_mode"),
    (dict(y=np.ones(100), center=False), "at least n_fft=2048"),
    (dict(y=np.array([1.0, np.nan])), "NaN"),
    (dict(), "Either y"),
    (dict(S=np.ones((100, 3))), "frame_length must be 198 or 199"),
    (dict(S=np.ones(5)), "S must have shape"),
    (dict(S=np.full((1025, 2), np.inf)), "NaN or inf"),
])
def test_rms_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rms(**kwargs)


def test_zcr_spec_rejects_callable_reference():
    with pytest.raises(ValueError, match="callable ref_magnitude"):
        zcr_spec(256, np.float64, ref_magnitude=np.max)


@pytest.mark.parametrize("est", [ZeroCrossingRate(frame_length=1), ZeroCrossingRate(threshold=-1),
                                 ZeroCrossingRate(zero_pos=None), RMS(pad_mode="wrap"),
                                 RMS(hop_length=0), RMS(center=1)],
                         ids=repr)
def test_estimator_bad_params_raise_at_fit(est):
    with pytest.raises(ValueError):
        est.fit(np.ones((2, 4000)))


# -- estimators -----------------------------------------------------------------------------
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS + [ZeroCrossingRate(**SMALL, ref_magnitude=np.max,
                                                               threshold=0.1)],
                         ids=lambda e: type(e).__name__)
def test_contract(est):
    check_fit_transform_contract(est)


def test_estimators_transform_frames_equal_functional(fsdd_sample):
    clips = fsdd_sample[:6]
    cases = [
        (ZeroCrossingRate(frame_length=256, hop_length=80, dtype="float64"),
         lambda x: zero_crossing_rate(x, frame_length=256, hop_length=80)),
        (ZeroCrossingRate(frame_length=512, hop_length=128, threshold=0.05, ref_magnitude=np.max,
                          zero_pos=False, dtype="float64"),
         lambda x: zero_crossing_rate(x, frame_length=512, hop_length=128, threshold=0.05,
                                      ref_magnitude=np.max, zero_pos=False)),
        (RMS(frame_length=256, hop_length=80, pad_mode="reflect", dtype="float64"),
         lambda x: rms(x, frame_length=256, hop_length=80, pad_mode="reflect")),
    ]
    for est, f in cases:
        frames = est.fit(clips).transform_frames(clips)
        for x, fr in zip(clips, frames):
            np.testing.assert_array_equal(fr, f(x.astype(np.float64)))
        pooled = est.transform(clips)
        np.testing.assert_allclose(pooled[:, 0], [fr.mean() for fr in frames], rtol=1e-12)


def test_feature_names():
    X = np.random.default_rng(0).standard_normal((2, 500))
    assert ZeroCrossingRate(**SMALL).fit(X).get_feature_names_out().tolist() == [
        "zero_crossing_rate_mean", "zero_crossing_rate_std"]
    assert RMS(**SMALL, pooling="max").fit(X).get_feature_names_out().tolist() == ["rms_max"]


def test_zcr_estimator_uses_edge_padding():
    """librosa pads centred ZCR frames with edge values: a DC offset gives no crossing."""
    X = np.full((1, 1000), 0.5)
    X[0, 500:] = -0.5
    fr = ZeroCrossingRate(frame_length=256, hop_length=64).fit(X).transform_frames(X)[0]
    assert fr.max() == np.float32(1 / 256)
    assert fr[0, 0] == 0 and fr[0, -1] == 0


def test_rms_prefers_y_over_S_like_librosa():
    y = np.random.default_rng(12).standard_normal(3000)
    np.testing.assert_array_equal(rms(y, S=np.ones((3, 3)), frame_length=256, hop_length=64),
                                  rms(y, frame_length=256, hop_length=64))
