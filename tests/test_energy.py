"""Short-term energy and entropy of energy: pyAudioAnalysis twins, librosa rms, properties,
estimator contract."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from naive.stft import frames as naive_frames
from sk_contract import check_fit_transform_contract, expected_failures
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklaudio._energy import EnergyEntropy, ShortTermEnergy
from sklaudio._kernels.energy import energy_entropy_rows, energy_rows
from sklaudio.functional._energy import energy_entropy, short_term_energy

# -- naive twins: pyAudioAnalysis ShortTermFeatures.energy / energy_entropy, as written there ------
EPS = 0.00000001


from naive.energy import energy as pyaa_energy  # noqa: E402
from naive.energy import energy_entropy as pyaa_energy_entropy  # noqa: E402


def raw_frames(y, frame_length, hop, center=True, pad_mode="constant"):
    return naive_frames(np.asarray(y, dtype=np.float64), frame_length, hop,
                        np.ones(frame_length), center, pad_mode)


def naive_energy(y, frame_length, hop, center=True, pad_mode="constant"):
    return np.array([pyaa_energy(f) for f in raw_frames(y, frame_length, hop, center, pad_mode)])


def naive_entropy(y, frame_length, hop, k=10, center=True, pad_mode="constant"):
    return np.array([pyaa_energy_entropy(f, k)
                     for f in raw_frames(y, frame_length, hop, center, pad_mode)])


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30)


# -- scikit-learn contract ------------------------------------------------------------------------
SMALL = dict(frame_length=64, hop_length=16)
ESTIMATORS = [
    ShortTermEnergy(**SMALL),
    ShortTermEnergy(**SMALL, pad_mode="reflect"),
    EnergyEntropy(**SMALL),
    EnergyEntropy(**SMALL, n_sub_frames=7),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_contract(est):
    check_fit_transform_contract(est)


def test_feature_names():
    X = np.zeros((2, 300))
    assert ShortTermEnergy(**SMALL).fit(X).get_feature_names_out().tolist() == [
        "short_term_energy_mean", "short_term_energy_std"]
    assert EnergyEntropy(**SMALL, pooling="max").fit(X).get_feature_names_out().tolist() == [
        "energy_entropy_max"]


# -- librosa rms and the pyAudioAnalysis twins on real speech ------------------------------------
FRAMINGS = [(2048, 512, True, "constant"), (256, 80, True, "constant"),
            (400, 160, True, "reflect"), (255, 100, False, "constant"),
            (200, 80, True, "edge")]


@pytest.mark.parametrize("frame_length,hop,center,pad_mode", FRAMINGS)
def test_energy_is_librosa_rms_squared(fsdd_sample, frame_length, hop, center, pad_mode):
    for x in fsdd_sample:
        x = x.astype(np.float64)
        ours = short_term_energy(x, frame_length=frame_length, hop_length=hop, center=center,
                                 pad_mode=pad_mode)
        ref = librosa.feature.rms(y=x, frame_length=frame_length, hop_length=hop,
                                  center=center, pad_mode=pad_mode, dtype=np.float64) ** 2
        assert ours.shape == ref.shape
        assert _rel(ours, ref) <= 1e-4
        assert _rel(ours, ref) <= 1e-12  # same sums in float64; only rounding differs


@pytest.mark.parametrize("frame_length,hop,center,pad_mode", FRAMINGS)
def test_energy_equals_pyaudioanalysis_twin(fsdd_sample, frame_length, hop, center, pad_mode):
    for x in fsdd_sample[::3]:
        ours = short_term_energy(x.astype(np.float64), frame_length=frame_length,
                                 hop_length=hop, center=center, pad_mode=pad_mode)
        ref = naive_energy(x, frame_length, hop, center, pad_mode)
        assert ours.shape == (1,) + ref.shape
        assert _rel(ours[0], ref) <= 1e-12


# frame lengths that are and are not multiples of K (truncation), K = 1 and K = L
@pytest.mark.parametrize("frame_length,hop,k", [(2048, 512, 10), (256, 80, 10), (250, 80, 10),
                                                (400, 160, 7), (256, 64, 1), (64, 32, 64),
                                                (101, 50, 2)])
@pytest.mark.parametrize("center", [True, False])
def test_entropy_equals_pyaudioanalysis_twin(fsdd_sample, frame_length, hop, k, center):
    for x in fsdd_sample[::3]:
        if not center and len(x) < frame_length:
            continue
        ours = energy_entropy(x.astype(np.float64), frame_length=frame_length, hop_length=hop,
                              n_sub_frames=k, center=center)
        ref = naive_entropy(x, frame_length, hop, k, center)
        assert ours.shape == (1,) + ref.shape
        np.testing.assert_allclose(ours[0], ref, rtol=1e-12, atol=1e-13)


def test_kernels_on_hand_made_frames():
    """Kernels called directly, float32 input accumulated in float64."""
    rng = np.random.default_rng(3)
    F = rng.standard_normal((9, 37)).astype(np.float32)
    out = np.empty((9, 1))
    energy_rows(F, out)
    np.testing.assert_allclose(out[:, 0], [pyaa_energy(f.astype(np.float64)) for f in F],
                               rtol=1e-12)
    energy_entropy_rows(F, 5, EPS, out)
    np.testing.assert_allclose(out[:, 0],
                               [pyaa_energy_entropy(f.astype(np.float64), 5) for f in F],
                               rtol=1e-12)


# -- properties (hypothesis) ----------------------------------------------------------------------
def _entropy_upper_bound(k):
    """max of -sum s log2 s over K values with sum s = S <= 1 (S < 1 after truncation)."""
    return np.log2(k) if k >= np.e else k / np.e * np.log2(np.e)


frames_st = hnp.arrays(np.float64, st.integers(2, 120),
                       elements=st.one_of(st.just(0.0), st.floats(-1e3, 1e3)))


@settings(deadline=None, max_examples=100)
@given(frame=frames_st, data=st.data())
def test_entropy_bounds(frame, data):
    L = frame.size
    k = data.draw(st.integers(1, L))
    h = energy_entropy(frame, frame_length=L, hop_length=L, center=False, n_sub_frames=k)[0, 0]
    assert np.isfinite(h)
    # every term -s log2(s + eps) >= -s eps / ln 2 and sum s <= 1
    assert h >= -EPS / np.log(2) - 1e-15
    assert h <= _entropy_upper_bound(k) + 1e-12  # log2 K for K >= 3, truncated or not
    if L % k == 0:  # no truncation: s sums to S = E / (E + eps), so H <= log2 K - S log2 S
        delta = EPS / (np.sum(frame ** 2) + EPS)
        assert h <= np.log2(k) + delta / np.log(2) + 1e-12
    assert abs(h - pyaa_energy_entropy(frame, k)) <= 1e-12 * max(1.0, abs(h))


@settings(deadline=None, max_examples=50)
@given(frame=frames_st, c=st.floats(1e-3, 1e3))
def test_energy_scales_quadratically(frame, c):
    L = frame.size
    e1 = short_term_energy(frame, frame_length=L, hop_length=L, center=False)[0, 0]
    e2 = short_term_energy(c * frame, frame_length=L, hop_length=L, center=False)[0, 0]
    assert e1 >= 0
    np.testing.assert_allclose(e2, c * c * e1, rtol=1e-12, atol=1e-300)


@settings(deadline=None, max_examples=40)
@given(k=st.integers(1, 20), m=st.integers(2, 30), c=st.floats(1e-2, 1e2))
def test_constant_frame_has_maximal_entropy(k, m, c):
    """Energy evenly spread over K sub-frames: H = log2 K up to eps terms; E = c ** 2."""
    y = np.full(k * m, c)
    kw = dict(frame_length=k * m, hop_length=k * m, center=False)
    h = energy_entropy(y, n_sub_frames=k, **kw)[0, 0]
    E = k * m * c * c
    s = (E / k) / (E + EPS)  # exact: every sub-frame holds 1/K of the energy
    np.testing.assert_allclose(h, -k * s * np.log2(s + EPS), rtol=1e-12, atol=1e-15)
    # to first order H - log2 K = -delta log2 K - (K eps - delta) / ln 2, delta = eps / (E + eps)
    delta = EPS / (E + EPS)
    assert abs(h - np.log2(k)) <= 1.01 * (delta * np.log2(k) + (k * EPS + delta) / np.log(2))
    np.testing.assert_allclose(short_term_energy(y, **kw)[0, 0], c * c, rtol=1e-12)


def test_impulse_has_zero_entropy():
    y = np.zeros(1000)
    y[123] = 0.5
    h = energy_entropy(y, frame_length=1000, hop_length=1000, center=False)[0, 0]
    assert abs(h) < 1e-6


# -- estimators == functional; dtypes; threads -----------------------------------------------------
@pytest.mark.parametrize("est,func", [
    (ShortTermEnergy(), lambda x, **kw: short_term_energy(x, **kw)),
    (EnergyEntropy(n_sub_frames=8), lambda x, **kw: energy_entropy(x, n_sub_frames=8, **kw)),
], ids=["ShortTermEnergy", "EnergyEntropy"])
def test_transform_frames_equals_functional(fsdd_sample, est, func):
    clips = fsdd_sample[:6]
    est.set_params(frame_length=256, hop_length=80, dtype="float64")
    frames = est.fit(clips).transform_frames(clips)
    for x, fr in zip(clips, frames):
        ref = func(x.astype(np.float64), frame_length=256, hop_length=80)
        assert fr.shape == ref.shape
        np.testing.assert_array_equal(fr, ref)
    pooled = est.set_params(pooling=("mean", "max")).fit(clips).transform(clips)
    np.testing.assert_allclose(pooled[:, 0], [f[0].mean() for f in frames], rtol=1e-12)
    np.testing.assert_allclose(pooled[:, 1], [f[0].max() for f in frames], rtol=1e-12)


@pytest.mark.parametrize("est", [ShortTermEnergy(frame_length=256, hop_length=32),
                                 EnergyEntropy(frame_length=256, hop_length=32)],
                         ids=lambda e: type(e).__name__)
def test_threads_and_chunks(fsdd_sample, est):
    """Many chunks, 2 threads: every clip equals its naive twin."""
    est.set_params(dtype="float64")
    a = est.fit(fsdd_sample).transform_frames(fsdd_sample)
    b = est.set_params(n_jobs=2).fit(fsdd_sample).transform_frames(fsdd_sample)
    assert sum(f.shape[1] for f in a) > 4 * 256
    for x, fa, fb in zip(fsdd_sample, a, b):
        np.testing.assert_array_equal(fa, fb)
        ref = (naive_energy(x, 256, 32) if isinstance(est, ShortTermEnergy)
               else naive_entropy(x, 256, 32))
        np.testing.assert_allclose(fa[0], ref, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("est", [ShortTermEnergy(frame_length=256, hop_length=80),
                                 EnergyEntropy(frame_length=256, hop_length=80)],
                         ids=lambda e: type(e).__name__)
def test_float32_agrees_with_float64(fsdd_sample, est):
    a = est.set_params(dtype="float32").fit(fsdd_sample).transform_frames(fsdd_sample)
    b = est.set_params(dtype="float64").fit(fsdd_sample).transform_frames(fsdd_sample)
    A, B = np.concatenate(a, axis=1), np.concatenate(b, axis=1)
    assert A.dtype == np.float32 and B.dtype == np.float64
    assert _rel(A.astype(np.float64), B) <= 1e-6


def test_leading_dimensions_are_independent_clips(fsdd_sample):
    n = min(len(x) for x in fsdd_sample[:4])
    Y = np.stack([x[:n].astype(np.float64) for x in fsdd_sample[:4]]).reshape(2, 2, n)
    for fn in (lambda y: short_term_energy(y, frame_length=256, hop_length=80),
               lambda y: energy_entropy(y, frame_length=256, hop_length=80)):
        out = fn(Y)
        assert out.shape[:3] == (2, 2, 1)
        for i in range(2):
            for j in range(2):
                np.testing.assert_array_equal(out[i, j], fn(Y[i, j]))


# -- silence and errors ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_silence_is_zero(dtype):
    y = np.zeros(4000, dtype=dtype)
    for out in (short_term_energy(y, frame_length=256, hop_length=80),
                energy_entropy(y, frame_length=256, hop_length=80)):
        assert out.dtype == dtype
        assert np.all(out == 0)
    X = np.zeros((2, 4000))
    for est in (ShortTermEnergy(), EnergyEntropy()):
        np.testing.assert_array_equal(est.fit_transform(X), 0.0)


def test_center_false_uses_pyaudioanalysis_frame_count():
    y = np.random.default_rng(0).standard_normal(1000)
    out = energy_entropy(y, frame_length=200, hop_length=50, center=False)
    assert out.shape == (1, 1 + (1000 - 200) // 50)
    with pytest.raises(ValueError, match="at least n_fft=200 samples"):
        short_term_energy(y[:150], frame_length=200, hop_length=50, center=False)


@pytest.mark.parametrize("kw,match", [
    (dict(n_sub_frames=0), "n_sub_frames"),
    (dict(n_sub_frames=65), "n_sub_frames"),
    (dict(n_sub_frames=2.5), "n_sub_frames"),
    (dict(frame_length=1), "frame_length"),
    (dict(frame_length=64.0), "frame_length"),
    (dict(hop_length=0), "hop_length"),
    (dict(pad_mode="wrap"), "pad_mode"),
    (dict(center="yes"), "center"),
])
def test_bad_parameters_raise(kw, match):
    y = np.ones(500)
    params = dict(SMALL, **kw)
    with pytest.raises(ValueError, match=match):
        energy_entropy(y, **params)
    with pytest.raises(ValueError, match=match):
        EnergyEntropy(**params).fit(np.ones((2, 500)))
    if "n_sub_frames" not in kw:
        with pytest.raises(ValueError, match=match):
            short_term_energy(y, **params)
        with pytest.raises(ValueError, match=match):
            ShortTermEnergy(**params).fit(np.ones((2, 500)))


def test_bad_audio_raises():
    with pytest.raises(ValueError, match="NaN or inf"):
        short_term_energy(np.array([0.0, np.nan, 1.0]), frame_length=2, hop_length=1)
    with pytest.raises(ValueError, match="empty"):
        energy_entropy(np.zeros(0))
    with pytest.raises(ValueError, match="clip 1"):
        ShortTermEnergy(**SMALL).fit([np.ones(100), np.array([1.0, np.inf])])
