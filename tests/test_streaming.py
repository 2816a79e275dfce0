"""``est.stream(blocks)``: the frames of a stream, end to end, are the whole signal's frames.

Every public frame-feature estimator is streamed over random block splits
(hypothesis: empty blocks, 1-sample blocks, one big block, random cuts),
centred and not, with every ``pad_mode``, in float32 and float64, and the
concatenated frames are compared with ``transform_frames`` of the whole
signal, with parameters for which streaming is exact.

Tolerance: ``|stream - whole| <= tol * max(1, max |whole|)`` per feature row,
``tol = 1e-6`` for float32 (about 8 ulp of the row's largest magnitude: features
within [-1, 1] are held to 1e-6 absolutely, features in Hz or dB relative to
their scale) and ``1e-12`` for float64. (In practice the frames are equal bit
for bit: the same kernels see the same frames.)

The documented non-causal cases are tested too: ``top_db`` (and the fixed 80 dB
range of spectral contrast and onset flux) clamps below the running maximum,
which is checked against a reference computed from the unclamped whole-signal
values; the parameters that cannot stream raise when ``stream`` is called.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

import sklaudio
from sklaudio import (
    BFCC,
    GFCC,
    HNR,
    LFCC,
    LPC,
    LPCC,
    MFCC,
    PNCC,
    RMS,
    AudioFeatures,
    Cepstrum,
    Chroma,
    EnergyEntropy,
    GammatoneSpectrogram,
    MelSpectrogram,
    Pitch,
    ShortTermEnergy,
    SpectralBalance,
    SpectralBandwidth,
    SpectralCentroid,
    SpectralContrast,
    SpectralEntropy,
    SpectralFlatness,
    SpectralFlux,
    SpectralRolloff,
    ZeroCrossingRate,
)
from sklaudio._base import FrameFeatureTransformer

SR = 8000
STFT = {"sample_rate": SR, "n_fft": 128, "hop_length": 32}
FRAMES = {"frame_length": 128, "hop_length": 32}
PAD_MODES = ("constant", "edge", "reflect", "symmetric")
TOL = {np.float32: 1e-6, np.float64: 1e-12}

#: id -> (estimator factory, frame length): parameters for which a stream is exact
CASES = {
    "ZeroCrossingRate": (lambda: ZeroCrossingRate(**FRAMES), 128),
    "RMS": (lambda: RMS(**FRAMES), 128),
    "RMS-hop-beyond-frame": (lambda: RMS(frame_length=32, hop_length=50), 32),
    "ShortTermEnergy-odd": (lambda: ShortTermEnergy(frame_length=127, hop_length=32), 127),
    "EnergyEntropy": (lambda: EnergyEntropy(**FRAMES, n_sub_frames=8), 128),
    "Pitch": (lambda: Pitch(sample_rate=SR, fmin=80.0, fmax=1000.0, frame_length=256), 256),
    "HNR": (lambda: HNR(sample_rate=SR, fmin=80.0, fmax=1000.0, frame_length=256), 256),
    "SpectralBalance": (lambda: SpectralBalance(**STFT), 128),
    "MFCC-deltas": (lambda: MFCC(**STFT, n_mels=24, n_mfcc=13, top_db=None, lifter=22,
                                 delta_order=2, delta_width=5), 128),
    "MFCC-ref": (lambda: MFCC(**STFT, n_mels=24, n_mfcc=13, top_db=None, ref=2.0), 128),
    "MelSpectrogram": (lambda: MelSpectrogram(**STFT, n_mels=24, top_db=None, ref=1e-3), 128),
    "Chroma": (lambda: Chroma(**STFT, tuning=0.1), 128),
    "SpectralCentroid": (lambda: SpectralCentroid(**STFT), 128),
    "SpectralBandwidth": (lambda: SpectralBandwidth(**STFT, p=1.5), 128),
    "SpectralRolloff": (lambda: SpectralRolloff(**STFT), 128),
    "SpectralFlatness": (lambda: SpectralFlatness(**STFT), 128),
    "SpectralContrast-linear": (lambda: SpectralContrast(**STFT, fmin=300.0, n_bands=3,
                                                         linear=True), 128),
    "SpectralFlux-normalized": (lambda: SpectralFlux(**STFT, kind="normalized"), 128),
    "SpectralEntropy": (lambda: SpectralEntropy(**STFT, n_bands=8), 128),
    "GFCC": (lambda: GFCC(**STFT, n_filters=24, n_gfcc=12), 128),
    "GFCC-iir": (lambda: GFCC(**STFT, n_filters=16, n_gfcc=12, filterbank="iir"), 128),
    "GFCC-log": (lambda: GFCC(**STFT, n_filters=24, n_gfcc=12, compression="log",
                              top_db=None, lifter=10), 128),
    "BFCC": (lambda: BFCC(**STFT, n_filters=20, n_bfcc=12, top_db=None), 128),
    "LFCC": (lambda: LFCC(**STFT, n_filters=24, n_lfcc=12, top_db=None), 128),
    "GammatoneSpectrogram": (lambda: GammatoneSpectrogram(**STFT, n_filters=16, top_db=None),
                             128),
    "GammatoneSpectrogram-iir": (lambda: GammatoneSpectrogram(**STFT, n_filters=16,
                                                              filterbank="iir",
                                                              compression="cubic"), 128),
    "PNCC": (lambda: PNCC(sample_rate=SR, n_fft=256, hop_length=64, lambda_mu=0.0), 256),
    "Cepstrum": (lambda: Cepstrum(n_fft=128, hop_length=32, qmin=2, qmax=40), 128),
    "LPC": (lambda: LPC(order=8, return_gain=True, **FRAMES), 128),
    "LPCC": (lambda: LPCC(order=8, n_lpcc=12, **FRAMES), 128),
    "AudioFeatures": (lambda: AudioFeatures(
        features=tuple(f for f in AudioFeatures.available_features()
                       if f != "spectral_contrast"),  # its 80 dB clamp: tested below
        sample_rate=SR, n_fft=256, hop_length=64, n_mels=24, n_mfcc=13, top_db=None,
        flux_kind="normalized", gammatone_n_filters=16, n_gfcc=12, n_bfcc=12, n_lfcc=12,
        lpc_order=8, pitch_fmin=150.0, pitch_fmax=1000.0), 256),
}


def _estimator(case, center, pad_mode, dtype):
    factory, _ = CASES[case]
    est = factory()
    params = {"center": center, "dtype": np.dtype(dtype).name}
    if "pad_mode" in est.get_params():
        params["pad_mode"] = pad_mode
    return est.set_params(**params)


def _signal(n, seed, dtype=np.float32):
    """Noise with a changing level plus a gliding tone: every feature moves."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SR
    env = 0.05 + np.abs(np.sin(2 * np.pi * 3.0 * t + rng.uniform(0, np.pi)))
    tone = 0.5 * np.sin(2 * np.pi * (200 * t + 300 * t ** 2))
    return (env * rng.standard_normal(n) + tone).astype(dtype)


def _blocks(y, cuts):
    return np.split(y, sorted(cuts))


def _streamed(est, blocks):
    outs = list(est.stream(blocks))
    assert len(outs) == len(blocks) + 1  # one array per block, then the end of the stream
    for o in outs:
        assert o.ndim == 2 and o.shape[0] == est.n_features_frame_
        assert o.dtype == np.dtype(est.dtype)
    return np.concatenate(outs, axis=1)


def _assert_frames_equal(got, ref, dtype, what=""):
    assert got.shape == ref.shape, (what, got.shape, ref.shape)
    if ref.size == 0:
        return
    scale = np.maximum(1.0, np.abs(ref.astype(np.float64)).max(axis=1, keepdims=True))
    err = np.abs(got.astype(np.float64) - ref) / scale
    assert err.max() <= TOL[np.dtype(dtype).type], (what, float(err.max()))


@st.composite
def streams(draw, min_len):
    """(signal length, cut points, seed): random cuts (repeats give empty blocks), 1-sample
    blocks, blocks of 0-7 samples, or one block."""
    n = draw(st.integers(min_len, 2000))
    kind = draw(st.sampled_from(["random", "random", "ones", "tiny", "one"]))
    if kind == "one":
        cuts = []
    elif kind == "ones":
        cuts = list(range(1, n))
    elif kind == "tiny":
        sizes = draw(st.lists(st.integers(0, 7), min_size=1, max_size=40))
        cuts = [c for c in np.cumsum(sizes * (n // max(1, sum(sizes)) + 1)) if c <= n]
    else:
        cuts = draw(st.lists(st.integers(0, n), max_size=25))
    return n, cuts, draw(st.integers(0, 2 ** 31))


SETTINGS = settings(deadline=None, max_examples=25,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_every_public_frame_feature_estimator_has_a_case():
    public = {n for n in sklaudio.__all__ if isinstance(getattr(sklaudio, n), type)
              and issubclass(getattr(sklaudio, n), FrameFeatureTransformer)}
    covered = {type(f()).__name__ for f, _ in CASES.values()}
    assert public == covered, sorted(public ^ covered)


@pytest.mark.parametrize("case", list(CASES))
@SETTINGS
@given(data=st.data())
def test_stream_equals_whole_signal_frames(case, data):
    center = data.draw(st.booleans(), label="center")
    pad_mode = data.draw(st.sampled_from(PAD_MODES), label="pad_mode")
    dtype = data.draw(st.sampled_from([np.float32, np.float64]), label="dtype")
    n, cuts, seed = data.draw(streams(1 if center else CASES[case][1]), label="stream")
    y = _signal(n, seed, dtype)
    est = _estimator(case, center, pad_mode, dtype).fit([y])
    ref = est.transform_frames([y])[0]
    got = _streamed(est, _blocks(y, cuts))
    _assert_frames_equal(got, ref, dtype, case)


# -- the documented differences: top_db below the running maximum ---------------------------
def _running_clamp(db, top_db, ref_db=0.0):
    """Reference of the streamed clamp: frame t clamped to (max of frames <= t) - top_db."""
    top = np.maximum.accumulate(db.max(axis=0))
    return np.maximum(db, top - top_db) - ref_db


def _quiet_then_loud(n, seed):
    """A quiet stretch (-60 dB) then noise: the running maximum grows late."""
    y = _signal(n, seed).astype(np.float64)
    y[: n // 2] *= 1e-3
    return y.astype(np.float32)


@SETTINGS
@given(st.integers(600, 2000), st.lists(st.integers(0, 2000), max_size=20),
       st.integers(0, 2 ** 31), st.booleans(), st.sampled_from([20.0, 40.0, 80.0]))
def test_top_db_clamps_below_the_running_maximum(n, cuts, seed, center, top_db):
    y = _quiet_then_loud(n, seed)
    blocks = _blocks(y, [c for c in cuts if c <= n])
    kw = dict(STFT, n_mels=24, center=center)
    raw = MelSpectrogram(**kw, top_db=None).fit([y]).transform_frames([y])[0].astype(np.float64)
    whole = MelSpectrogram(**kw, top_db=top_db, ref=10.0).fit([y])
    got = _streamed(whole, blocks).astype(np.float64)
    ref = _running_clamp(raw, top_db, ref_db=10.0)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-4)  # dB near 100: float32 ulp 8e-6
    # as documented: never above the whole-signal values, equal from the loudest frame on
    w = whole.transform_frames([y])[0]
    assert np.all(got <= w + 1e-4)
    k = int(np.argmax(raw.max(axis=0)))
    np.testing.assert_array_equal(got[:, k:], w[:, k:])
    # MFCC: the DCT (and lifter) of the same clamped log-mel
    mfcc = MFCC(**kw, n_mfcc=13, top_db=top_db, lifter=22).fit([y])
    got_c = _streamed(mfcc, blocks).astype(np.float64)
    ref_c = (mfcc.dct_basis_.astype(np.float64) @ _running_clamp(raw, top_db)) \
        * mfcc.lifter_[:, None]
    np.testing.assert_allclose(got_c, ref_c, rtol=0, atol=1e-6 * np.abs(ref_c).max())


@SETTINGS
@given(st.integers(600, 2000), st.lists(st.integers(0, 2000), max_size=20),
       st.integers(0, 2 ** 31), st.booleans())
def test_onset_flux_is_the_difference_of_the_running_clamped_log_mel(n, cuts, seed, center):
    y = _quiet_then_loud(n, seed)
    blocks = _blocks(y, [c for c in cuts if c <= n])
    kw = dict(STFT, center=center)
    flux = SpectralFlux(**kw, n_mels=24).fit([y])
    got = _streamed(flux, blocks)[0].astype(np.float64)
    L = _running_clamp(MelSpectrogram(**kw, n_mels=24, top_db=None).fit([y])
                       .transform_frames([y])[0].astype(np.float64), 80.0)
    shift = 1 + (128 // (2 * 32) if center else 0)
    ref = np.zeros(L.shape[1])
    ref[shift:] = np.maximum(0.0, np.diff(L, axis=1)).mean(axis=0)[: L.shape[1] - shift]
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


DB_ESTIMATORS = {
    "MelSpectrogram": lambda: MelSpectrogram(**STFT, n_mels=24),
    "MFCC": lambda: MFCC(**STFT, n_mels=24, n_mfcc=13, delta_order=1, delta_width=3),
    "GFCC-log": lambda: GFCC(**STFT, n_filters=24, n_gfcc=12, compression="log"),
    "GFCC-iir-log": lambda: GFCC(**STFT, n_filters=16, n_gfcc=12, compression="log",
                                 filterbank="iir"),
    "BFCC": lambda: BFCC(**STFT, n_filters=20, n_bfcc=12),
    "LFCC": lambda: LFCC(**STFT, n_filters=24, n_lfcc=12),
    "GammatoneSpectrogram": lambda: GammatoneSpectrogram(**STFT, n_filters=16),
    "SpectralContrast": lambda: SpectralContrast(**STFT, fmin=300.0, n_bands=3),
    "SpectralFlux-onset": lambda: SpectralFlux(**STFT, n_mels=24),
    "AudioFeatures": lambda: AudioFeatures(sample_rate=SR, n_fft=256, hop_length=64, n_mels=24,
                                           contrast_fmin=300.0, contrast_n_bands=3),
}


@pytest.mark.parametrize("name", list(DB_ESTIMATORS))
@pytest.mark.parametrize("center", [True, False])
def test_running_clamp_equals_whole_signal_once_the_maximum_has_passed(name, center):
    """A decaying sound (loudest first, then 100 dB down): from a few frames on, the running
    maximum is the clip's maximum, so the default 80 dB ranges (``top_db``, the fixed ones of
    SpectralContrast and SpectralFlux) clamp the streamed frames as the whole signal's."""
    n = 4000
    y = (_signal(n, 3) * np.exp(-np.arange(n) / 150.0) + 1e-5 * _signal(n, 4)).astype(np.float32)
    est = DB_ESTIMATORS[name]().set_params(center=center).fit([y])
    ref = est.transform_frames([y])[0]
    got = _streamed(est, _blocks(y, [1, 100, 101, 700, 2500]))
    assert got.shape == ref.shape
    _assert_frames_equal(got[:, 12:], ref[:, 12:], np.float32, name)


# -- parameters that cannot stream ----------------------------------------------------------
NOT_STREAMABLE = [
    (MFCC(sample_rate=SR, ref="max"), "ref"),
    (MelSpectrogram(sample_rate=SR, ref="max"), "ref"),
    (GFCC(sample_rate=SR, compression="log", ref="max"), "ref"),
    (GammatoneSpectrogram(sample_rate=SR, filterbank="iir", ref="max"), "ref"),
    (AudioFeatures(sample_rate=SR, ref="max", features=("mfcc", "rms")), "ref"),
    (Chroma(sample_rate=SR, tuning=None), "tuning"),
    (PNCC(sample_rate=SR), "lambda_mu"),
    (PNCC(sample_rate=SR, lambda_mu=0.0, cmn=True), "cmn"),
    (ZeroCrossingRate(ref_magnitude=np.max), "ref_magnitude"),
]


@pytest.mark.parametrize("est,param", NOT_STREAMABLE,
                         ids=[f"{type(e).__name__}-{p}" for e, p in NOT_STREAMABLE])
def test_whole_clip_parameters_raise_when_stream_is_called(est, param):
    y = _signal(4000, 0)
    est.fit([y])
    with pytest.raises(ValueError, match=f"'{param}' parameter of {type(est).__name__}"):
        est.stream(iter([]))  # at the call, before any block is read
    with pytest.raises(ValueError, match=param):
        est.stream_latency()
    est.transform_frames([y])  # the estimator itself is fine


def test_stream_needs_a_fitted_estimator():
    with pytest.raises(NotFittedError):
        MFCC().stream([np.zeros(10)])
    with pytest.raises(NotFittedError):
        MFCC().stream_latency()


# -- blocks -----------------------------------------------------------------------------------
BAD_BLOCKS = [
    (np.zeros((64, 2)), "shape \\(64, 2\\).*mono"),
    (np.array([0.0, np.nan, 1.0]), "NaN or infinite"),
    (np.array([0.0, -np.inf]), "NaN or infinite"),
    (np.array([1e39, 0.0]), "NaN or infinite"),  # overflows float32
    (np.ones(8, dtype=complex), "complex"),
    (np.ones(8, dtype=bool), "dtype bool"),
    (np.array([0.0, {}], dtype=object), "non-numeric"),
    (["0.5", "1"], "dtype <U"),
    ("clip.wav", "file path"),
    (np.float64(1.0), "shape \\(\\)"),
]


@pytest.mark.parametrize("bad,match", BAD_BLOCKS, ids=[m for _, m in BAD_BLOCKS])
def test_invalid_blocks_are_named_by_index(bad, match):
    est = RMS(**FRAMES).fit([np.zeros(1000)])
    gen = est.stream(iter([np.zeros(100), np.ones(300), bad, np.zeros(10)]))
    n = next(gen).shape[1] + next(gen).shape[1]  # the blocks before are consumed and yielded
    assert n == (64 + 400 - 128) // 32 + 1
    with pytest.raises(ValueError, match=f"Block 2 .*{match}"):
        next(gen)


def test_integer_blocks_are_cast_without_rescaling():
    y = np.random.default_rng(0).integers(-2000, 2000, 3000).astype(np.int16)
    est = RMS(**FRAMES).fit([y.astype(np.float32)])
    got = _streamed(est, np.split(y, [700, 701, 2000]))
    _assert_frames_equal(got, est.transform_frames([y.astype(np.float32)])[0], np.float32)


@pytest.mark.parametrize("pad_mode", ["constant", "reflect"])
@pytest.mark.parametrize("case", ["MFCC-deltas", "PNCC", "GFCC-iir"])
def test_blocks_are_copied_not_kept(case, pad_mode):
    """A sound card reuses its buffer: refilling a block after it was streamed changes nothing."""
    y = _signal(3000, 1)
    est = _estimator(case, True, pad_mode, np.float32).fit([y])
    buf = np.empty(10, dtype=np.float32)

    def card():
        for i in range(0, 3000, 10):
            buf[:] = y[i:i + 10]
            yield buf

    got = np.concatenate(list(est.stream(card())), axis=1)
    _assert_frames_equal(got, est.transform_frames([y])[0], np.float32)


# -- short streams ------------------------------------------------------------------------------
@pytest.mark.parametrize("pad_mode", PAD_MODES)
@pytest.mark.parametrize("n", [1, 2, 5, 63, 64, 65, 127])
def test_streams_shorter_than_the_padding_are_padded_as_a_whole(pad_mode, n):
    y = _signal(n, n)
    est = MFCC(**STFT, n_mels=24, top_db=None, pad_mode=pad_mode).fit([y])
    got = _streamed(est, [y[:1], y[1:2], y[2:]])
    _assert_frames_equal(got, est.transform_frames([y])[0], np.float32)


def test_streams_without_a_whole_frame_yield_no_frames():
    est = MFCC(**STFT, n_mels=24, n_mfcc=13, center=False).fit([np.zeros(200)])
    assert _streamed(est, [np.zeros(50), np.zeros(77)]).shape == (13, 0)  # < n_fft samples
    with pytest.raises(ValueError, match="center=False"):
        est.transform_frames([np.zeros(127)])
    centred = MFCC(**STFT, n_mels=24, n_mfcc=13).fit([np.zeros(200)])
    assert _streamed(centred, []).shape == (13, 0)  # no samples at all
    assert _streamed(centred, [np.zeros(0), np.zeros(0)]).shape == (13, 0)


# -- latency ------------------------------------------------------------------------------------
LATENCY = {
    "RMS": (lambda: RMS(**FRAMES), 0),
    "MFCC-deltas": (lambda: MFCC(**STFT, n_mels=24, top_db=None, delta_order=1,
                                 delta_width=7), 3),
    "PNCC": (lambda: PNCC(sample_rate=SR, n_fft=256, hop_length=64, lambda_mu=0.0,
                          medium_time=2), 2),
    "GFCC-iir": (lambda: GFCC(**STFT, n_filters=16, n_gfcc=12, filterbank="iir"), 0),
}


def _framing(est):
    """(frame length, hop) in samples."""
    if isinstance(est, PNCC):
        return est.n_fft_, est.hop_length_
    return getattr(est, "n_fft", None) or est.frame_length, est.hop_length


@pytest.mark.parametrize("name", list(LATENCY))
@pytest.mark.parametrize("center", [True, False])
def test_frames_are_yielded_as_declared_by_stream_latency(name, center):
    factory, lookahead = LATENCY[name]
    y = _signal(1500, 2)
    est = factory().set_params(center=center).fit([y])
    lat = est.stream_latency()
    n_fft, hop = _framing(est)
    pad = n_fft // 2 if center else 0
    assert lat["lookahead_frames"] == lookahead
    assert lat["samples"] == n_fft - pad + lookahead * hop
    sr = getattr(est, "sample_rate", None)
    assert lat["seconds"] == (None if sr is None else lat["samples"] / sr)
    # one sample per block: frame k comes with sample max(k, lookahead) * hop + samples - 1
    # at the latest, exactly then for k >= lookahead; the rest comes at the end of the stream
    when = []
    for i, out in enumerate(est.stream(y[:, None])):
        when += [i] * out.shape[1]
    assert len(when) == est.transform_frames([y])[0].shape[1]
    for k, i in enumerate(when):
        due = max(k, lookahead) * hop + lat["samples"] - 1
        if due >= len(y):
            assert i == len(y)  # the end of the stream
        elif k >= lookahead:
            assert i == due, (k, i, due)
        else:
            assert i <= due, (k, i, due)


def test_stream_latency_of_the_defaults():
    est = MFCC().fit([np.zeros(4096)])
    assert est.stream_latency() == {"lookahead_frames": 0, "samples": 1024,
                                    "seconds": 1024 / 22050}
    est = MFCC(delta_order=2, center=False).fit([np.zeros(4096)])
    assert est.stream_latency()["samples"] == 2048 + 4 * 512
    assert RMS().fit([np.zeros(4096)]).stream_latency()["seconds"] is None


# -- larger blocks, threads, real audio ---------------------------------------------------------
def test_blocks_larger_than_an_engine_chunk_use_the_threaded_pass():
    y = _signal(60000, 5)
    est = MFCC(**STFT, n_mels=24, top_db=None, delta_order=1, n_jobs=2).fit([y])
    from sklaudio._engine import SpecPass
    chunk = SpecPass(est._specs(np.dtype(np.float32)), 128, np.float32).chunk
    assert 60000 // 32 > 2 * chunk
    got = _streamed(est, [y[:5], y[5:50000], y[50000:]])
    _assert_frames_equal(got, est.transform_frames([y])[0], np.float32)


def test_fsdd_files_streamed_with_soundfile_blocks(fsdd_paths):
    """Real speech read block by block from several files (``soundfile.blocks``) as one stream."""
    paths = fsdd_paths[::400][:6]
    y = np.concatenate([sf.read(str(p), dtype="float32")[0] for p in paths])

    def file_blocks():
        for p in paths:
            yield from sf.blocks(str(p), blocksize=300, dtype="float32")

    speech = {"sample_rate": 8000, "n_fft": 256, "hop_length": 80, "n_mels": 40}
    for est in (MFCC(**speech, top_db=None, delta_order=2),
                AudioFeatures(**speech, top_db=None, flux_kind="normalized", pitch_fmin=150.0,
                              features=("mfcc", "chroma", "spectral_centroid", "spectral_flux",
                                        "rms", "pitch"))):
        est.fit([y])
        got = np.concatenate(list(est.stream(file_blocks())), axis=1)
        _assert_frames_equal(got, est.transform_frames([y])[0], np.float32, type(est).__name__)
    # the default top_db=80: the running clamp, as documented
    mel = MelSpectrogram(**speech).fit([y])
    got = np.concatenate(list(mel.stream(file_blocks())), axis=1)
    whole = mel.transform_frames([y])[0]
    raw = MelSpectrogram(**speech, top_db=None).fit([y]).transform_frames([y])[0]
    np.testing.assert_allclose(got, _running_clamp(raw.astype(np.float64), 80.0), atol=1e-4)
    assert np.all(got <= whole + 1e-4)
    k = int(np.argmax(raw.max(axis=0)))
    np.testing.assert_array_equal(got[:, k:], whole[:, k:])


# -- documentation --------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["stream", "stream_latency"])
def test_stream_methods_pass_numpydoc_validation(method):
    validate = pytest.importorskip("numpydoc.validate")
    ignored = {"ES01", "SA01", "SA04", "EX01", "RT02"}  # as tests/test_numpydoc.py
    for est in ("MFCC", "PNCC", "AudioFeatures"):
        errors = [f"{c}: {m}" for c, m in
                  validate.validate(f"sklaudio.{est}.{method}")["errors"] if c not in ignored]
        assert not errors, errors
