"""Every bad input from issue #2 item 2 raises its documented error, naming the clip."""

from __future__ import annotations

import numpy as np
import pytest

from sklaudio import MFCC, MelSpectrogram
from sklaudio import functional as F
from sklaudio._validation import NonNumericClipError, check_clips

GOOD = np.random.default_rng(0).standard_normal(800)


@pytest.fixture(params=[MFCC, MelSpectrogram], ids=lambda c: c.__name__)
def est(request):
    return request.param(sample_rate=8000, n_fft=256, hop_length=64, n_mels=20).fit([GOOD])


def test_accepts_2d_ragged_and_integer_input(est):
    X2 = np.vstack([GOOD, GOOD[::-1]])
    a = est.transform(X2)
    b = est.transform([GOOD, GOOD[::-1]])
    np.testing.assert_array_equal(a, b)
    ragged = est.transform([GOOD, GOOD[:100], GOOD[:1]])
    assert ragged.shape[0] == 3 and np.isfinite(ragged).all()
    ints = (GOOD * 1000).astype(np.int16)
    np.testing.assert_allclose(est.transform([ints]), est.transform([ints.astype(np.float64)]),
                               rtol=1e-6)
    assert est.transform(X2).dtype == np.float32


@pytest.mark.parametrize("bad,index,match", [
    (np.nan, 1, "NaN or inf"),
    (np.inf, 1, "NaN or inf"),
    ("empty", 2, "empty"),
])
def test_nan_inf_and_empty_clips_name_the_index(est, bad, index, match):
    clips = [GOOD, GOOD.copy(), GOOD]
    if bad == "empty":
        clips[index] = np.array([])
    else:
        clips[index][10] = bad
    with pytest.raises(ValueError, match=rf"clip {index}: .*{match}"):
        est.transform(clips)


def test_nan_in_2d_array_names_the_row(est):
    X = np.vstack([GOOD] * 4)
    X[3, 5] = np.nan
    with pytest.raises(ValueError, match="clip 3: contains NaN or inf"):
        est.transform(X)


def test_every_bad_clip_is_listed_at_once(est):
    clips = [GOOD, np.array([]), GOOD, np.full(10, np.nan), "x.wav"]
    with pytest.raises(ValueError) as info:
        est.transform(clips)
    msg = str(info.value)
    assert "3 of 5 clips are invalid" in msg
    assert "clip 1:" in msg and "clip 3:" in msg and "clip 4:" in msg and "AudioLoader" in msg


@pytest.mark.parametrize("X,match", [
    (np.zeros((2, 3, 100)), "3 dimensions"),
    ([GOOD, np.zeros((2, 100))], r"clip 1: has shape \(2, 100\)"),
    ([GOOD, ["a", "b"]], "clip 1: contains non-numeric"),
    ([GOOD, {"a": 1}], "clip 1: .*non-numeric"),
    (np.array([["a", "b"], ["c", "d"]]), "dtype"),
    ([GOOD, np.array([1 + 2j, 3j])], "clip 1: .*complex"),
    ([GOOD, 3.0], "clip 1: got a scalar"),
    (GOOD, "1-D"),
    ([], "no clips"),
    (np.zeros((0, 100)), "no clips"),
])
def test_malformed_input_raises_value_error(est, X, match):
    with pytest.raises(ValueError, match=match):
        est.transform(X)


def test_non_numeric_objects_are_value_and_type_errors():
    with pytest.raises(NonNumericClipError) as info:
        check_clips([GOOD, np.array(["a"], dtype=object)])
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


@pytest.mark.parametrize("X", [None, "clip.wav", 3.0, {"a": GOOD}])
def test_non_array_input_raises_type_error(est, X):
    with pytest.raises(TypeError, match="AudioLoader|2-D array"):
        est.transform(X)


def test_short_clips_follow_librosa(est):
    # center=True: any clip length >= 1 works (centre padding), 1 + n // hop frames
    frames = est.transform_frames([GOOD[:1], GOOD[:255], GOOD[:256]])
    assert [f.shape[1] for f in frames] == [1, 1 + 255 // 64, 1 + 256 // 64]
    # center=False: fewer than n_fft samples is an error naming the clip
    nc = MFCC(sample_rate=8000, n_fft=256, hop_length=64, n_mels=20, center=False).fit([GOOD])
    with pytest.raises(ValueError, match=r"clip 1 \(100 samples\)"):
        nc.transform([GOOD, GOOD[:100]])


@pytest.mark.parametrize("params,match", [
    (dict(n_fft=0), "n_fft"),
    (dict(hop_length=0), "hop_length"),
    (dict(win_length=4096), "win_length"),
    (dict(n_mfcc=200), "n_mfcc"),
    (dict(fmax=5000.0), "Nyquist"),
    (dict(fmin=-1.0), "fmin"),
    (dict(pad_mode="wrap"), "pad_mode"),
    (dict(window="nope"), "window"),
    (dict(pooling=("mean", "p101")), "pooling"),
    (dict(pooling=("mean", "average")), "pooling"),
    (dict(trajectory_length=0), "trajectory_length"),
    (dict(pooling=()), "pooling"),
    (dict(dtype="int16"), "dtype"),
    (dict(lifter=-1), "lifter"),
    (dict(dct_type=5), "dct_type"),
    (dict(delta_order=3), "delta_order"),
    (dict(delta_width=4), "width"),
    (dict(top_db=-5.0), "top_db"),
    (dict(power=0.0), "power"),
    (dict(sample_rate=0), "sample_rate"),
    (dict(norm="l1"), "norm"),
    (dict(n_jobs=0), "n_jobs"),
])
def test_impossible_parameters_raise_at_fit(params, match):
    with pytest.raises(ValueError, match=match):
        MFCC(**({"sample_rate": 8000} | params)).fit([GOOD])


def test_unfitted_transform_raises():
    from sklearn.exceptions import NotFittedError
    with pytest.raises(NotFittedError):
        MFCC().transform([GOOD])


@pytest.mark.parametrize("y,match", [
    (np.array([1.0, np.nan, 2.0]), "NaN or inf"),
    (np.array([]), "empty"),
    (np.array(["a"]), "numeric"),
    (np.float64(1.0), "scalar"),
])
def test_functional_rejects_bad_audio(y, match):
    with pytest.raises(ValueError, match=match):
        F.mfcc(y, sample_rate=8000)


def test_functional_center_false_too_short():
    with pytest.raises(ValueError, match="center=False"):
        F.stft(np.ones(100), n_fft=256, center=False)


def test_delta_width_larger_than_frames_raises_like_librosa():
    with pytest.raises(ValueError, match="cannot exceed"):
        F.delta(np.ones((3, 5)), width=9)


def test_functional_batch_shapes():
    y = np.random.default_rng(1).standard_normal((2, 3, 1000))
    M = F.mfcc(y, sample_rate=8000, n_fft=256, hop_length=100, n_mfcc=7, n_mels=20)
    assert M.shape == (2, 3, 7, 11)
    np.testing.assert_allclose(M[1, 2], F.mfcc(y[1, 2], sample_rate=8000, n_fft=256,
                                               hop_length=100, n_mfcc=7, n_mels=20))
