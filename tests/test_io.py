"""Tests for sklaudio.io: load() and AudioLoader."""

from __future__ import annotations

import pathlib
import pickle

import numpy as np
import pytest
import soundfile as sf
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from sklaudio.io import AudioLoader, load


@pytest.fixture(scope="module")
def fsdd_few(fsdd_dir) -> list[str]:
    names = [f"{d}_{s}_{t}.wav" for d in (0, 7) for s in ("jackson", "theo") for t in (0, 1, 2)]
    return [str(fsdd_dir / n) for n in names]


@pytest.fixture
def stereo_wav(tmp_path) -> tuple[pathlib.Path, np.ndarray]:
    """A 0.5 s, 16 kHz, 2-channel float WAV; returns the path and the (n, 2) data."""
    rng = np.random.default_rng(0)
    data = (rng.uniform(-0.5, 0.5, size=(8000, 2))).astype(np.float32)
    path = tmp_path / "stereo.wav"
    sf.write(path, data, 16000, subtype="FLOAT")
    return path, data


# ---------------------------------------------------------------------------
# load
# ---------------------------------------------------------------------------


def test_load_real_fsdd_file(fsdd_dir):
    y, sr = load(fsdd_dir / "7_jackson_32.wav")
    assert sr == 8000
    assert y.dtype == np.float32
    assert y.ndim == 1 and y.shape[0] > 1000
    assert y.flags.c_contiguous
    assert np.all(np.abs(y) <= 1.0)
    assert np.abs(y).max() > 0.01  # not silence

    # str and PathLike give the same; float64 on request
    y2, _ = load(str(fsdd_dir / "7_jackson_32.wav"), dtype="float64")
    assert y2.dtype == np.float64
    np.testing.assert_allclose(y2, y, atol=1e-7)


def test_load_matches_soundfile(fsdd_dir):
    path = fsdd_dir / "3_theo_10.wav"
    ref, sr_ref = sf.read(path, dtype="float32")
    y, sr = load(path)
    assert sr == sr_ref
    np.testing.assert_array_equal(y, ref)


def test_load_resample(fsdd_dir):
    path = fsdd_dir / "7_jackson_32.wav"
    y, _ = load(path)
    y16, sr16 = load(path, sample_rate=16000)
    assert sr16 == 16000
    assert y16.dtype == np.float32
    assert abs(y16.shape[0] - 2 * y.shape[0]) <= 2
    # same rate as the file: no resampling, identical samples
    y8, sr8 = load(path, sample_rate=8000)
    assert sr8 == 8000
    np.testing.assert_array_equal(y8, y)


def test_load_stereo(stereo_wav):
    path, data = stereo_wav
    y, sr = load(path)
    assert sr == 16000
    assert y.shape == (8000,)
    np.testing.assert_allclose(y, data.mean(axis=1), atol=1e-7)

    y2, _ = load(path, mono=False)
    assert y2.shape == (2, 8000)
    assert y2.flags.c_contiguous
    np.testing.assert_array_equal(y2, data.T)

    y3, sr3 = load(path, mono=False, sample_rate=8000)
    assert sr3 == 8000
    assert y3.shape[0] == 2 and abs(y3.shape[1] - 4000) <= 2


def test_load_offset_duration(stereo_wav):
    path, data = stereo_wav
    y, _ = load(path, offset=0.25, duration=0.1)
    np.testing.assert_allclose(y, data[4000:5600].mean(axis=1), atol=1e-7)
    y, _ = load(path, offset=0.4)  # to the end
    assert y.shape == (1600,)
    y, _ = load(path, duration=10.0)  # longer than the file: whole file
    assert y.shape == (8000,)
    with pytest.raises(ValueError, match="stereo.wav.*past the end"):
        load(path, offset=1.0)
    with pytest.raises(ValueError, match="offset"):
        load(path, offset=-1)
    with pytest.raises(ValueError, match="duration"):
        load(path, duration=0)


def test_load_missing_file(tmp_path):
    path = tmp_path / "nope.wav"
    with pytest.raises(FileNotFoundError, match="nope.wav"):
        load(path)


def test_load_corrupt_file(tmp_path):
    path = tmp_path / "corrupt.wav"
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    with pytest.raises(ValueError, match="corrupt.wav.*libsndfile"):
        load(path)


def test_load_text_file_and_directory(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("this is not audio\n")
    with pytest.raises(ValueError, match="notes.wav"):
        load(path)
    with pytest.raises(ValueError, match="directory"):
        load(tmp_path)


def test_load_empty_wav(tmp_path):
    path = tmp_path / "empty.wav"
    sf.write(path, np.zeros((0, 1), dtype=np.float32), 8000, subtype="PCM_16")
    with pytest.raises(ValueError, match="empty.wav.*no audio samples"):
        load(path)


@pytest.mark.parametrize("bad", [3, None, b"file.wav", ["a.wav"]])
def test_load_not_a_path(bad):
    with pytest.raises(TypeError, match="file path"):
        load(bad)


@pytest.mark.parametrize(
    "kwargs", [{"sample_rate": 0}, {"sample_rate": 8000.5}, {"dtype": "int16"}, {"mono": "yes"}]
)
def test_load_bad_params(fsdd_dir, kwargs):
    with pytest.raises(ValueError):
        load(fsdd_dir / "7_jackson_32.wav", **kwargs)


# ---------------------------------------------------------------------------
# AudioLoader
# ---------------------------------------------------------------------------


def test_audioloader_real_paths(fsdd_few):
    clips = AudioLoader().fit_transform(fsdd_few)
    assert isinstance(clips, list) and len(clips) == len(fsdd_few)
    for clip, path in zip(clips, fsdd_few):
        assert clip.dtype == np.float32 and clip.ndim == 1
        np.testing.assert_array_equal(clip, load(path)[0])
    assert len({c.shape[0] for c in clips}) > 1  # ragged


@pytest.mark.parametrize(
    "to_input",
    [tuple, np.array, lambda p: np.array(p, dtype=object), lambda p: [pathlib.Path(x) for x in p]],
)
def test_audioloader_input_forms(fsdd_few, to_input):
    expected = AudioLoader().fit_transform(fsdd_few)
    got = AudioLoader().fit_transform(to_input(fsdd_few))
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)


def test_audioloader_pandas_series(fsdd_few):
    pd = pytest.importorskip("pandas")
    s = pd.Series(fsdd_few, index=np.arange(100, 100 + len(fsdd_few)))
    clips = AudioLoader().fit_transform(s)
    assert len(clips) == len(fsdd_few)
    np.testing.assert_array_equal(clips[0], load(fsdd_few[0])[0])


def test_audioloader_n_jobs_equal(fsdd_few):
    one = AudioLoader(n_jobs=1).fit_transform(fsdd_few)
    two = AudioLoader(n_jobs=2).fit_transform(fsdd_few)
    assert len(one) == len(two)
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)


def test_audioloader_resample_dtype(fsdd_few):
    clips = AudioLoader(sample_rate=16000, dtype="float64").fit_transform(fsdd_few[:2])
    for clip, path in zip(clips, fsdd_few):
        y, _ = load(path)
        assert clip.dtype == np.float64
        assert abs(clip.shape[0] - 2 * y.shape[0]) <= 2


def test_audioloader_mono_false(stereo_wav):
    path, data = stereo_wav
    (clip,) = AudioLoader(mono=False).fit_transform([path])
    assert clip.shape == (2, 8000)


def test_audioloader_in_pipeline(fsdd_dir):
    paths = [str(fsdd_dir / f"{d}_jackson_{t}.wav") for d in (0, 1) for t in range(5, 13)]
    y = np.array([0] * 8 + [1] * 8)

    def summarize(clips):
        return np.array([[np.log(len(c)), np.log(np.mean(c**2) + 1e-9)] for c in clips])

    pipe = Pipeline(
        [
            ("load", AudioLoader()),
            ("features", FunctionTransformer(summarize)),
            ("clf", LogisticRegression()),
        ]
    )
    pipe.fit(paths, y)
    assert pipe.predict(paths).shape == (16,)
    assert clone(pipe).fit(paths, y).score(paths, y) == pipe.score(paths, y)


def test_audioloader_errors_name_every_failing_file(fsdd_few, tmp_path):
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(np.random.default_rng(1).bytes(2048))
    missing = tmp_path / "missing.wav"
    X = [fsdd_few[0], str(missing), fsdd_few[1], str(corrupt)]
    with pytest.raises(ValueError) as info:
        AudioLoader(n_jobs=2).fit_transform(X)
    msg = str(info.value)
    assert "2 of 4" in msg
    assert f"X[1] {str(missing)!r}" in msg
    assert f"X[3] {str(corrupt)!r}" in msg
    assert fsdd_few[0] not in msg

    # only missing files -> FileNotFoundError, listing all of them
    X = [str(missing), fsdd_few[0], str(tmp_path / "also_missing.wav")]
    with pytest.raises(FileNotFoundError, match=r"(?s)X\[0\].*missing.wav.*X\[2\].*also_missing"):
        AudioLoader().fit_transform(X)


def test_audioloader_mixed_sample_rates(fsdd_few, stereo_wav):
    path, _ = stereo_wav
    X = [fsdd_few[0], path]
    with pytest.raises(ValueError, match="sample_rate="):
        AudioLoader().fit_transform(X)
    clips = AudioLoader(sample_rate=8000).fit_transform(X)
    assert clips[1].shape == (4000,) or abs(clips[1].shape[0] - 4000) <= 2


@pytest.mark.parametrize(
    "X, match",
    [
        (np.zeros((3, 100)), "1-D"),
        ("a.wav", "single str"),
        (["a.wav", 3], r"X\[1\]"),
        ([np.zeros(100)], r"X\[0\]"),
        (np.zeros(5), r"X\[0\]"),
        ({"a.wav"}, "order"),
        (42, "sequence"),
    ],
)
def test_audioloader_bad_X(X, match):
    with pytest.raises(TypeError, match=match):
        AudioLoader().fit(X)
    loader = AudioLoader().fit(["a.wav"])
    with pytest.raises(TypeError, match=match):
        loader.transform(X)


@pytest.mark.parametrize(
    "params",
    [
        {"sample_rate": -1},
        {"sample_rate": "16k"},
        {"dtype": "int32"},
        {"mono": None},
        {"n_jobs": 0},
        {"verbose": "loud"},
    ],
)
def test_audioloader_bad_params(params):
    with pytest.raises(ValueError):
        AudioLoader(**params).fit(["a.wav"])


def test_audioloader_not_fitted(fsdd_few):
    with pytest.raises(NotFittedError):
        AudioLoader().transform(fsdd_few)


def test_audioloader_empty_input():
    assert AudioLoader().fit_transform([]) == []


def test_audioloader_clone_pickle(fsdd_few):
    loader = AudioLoader(sample_rate=16000, n_jobs=2)
    cloned = clone(loader)
    assert cloned.get_params() == loader.get_params()
    assert not hasattr(cloned, "is_fitted_")

    loader.fit(fsdd_few)
    restored = pickle.loads(pickle.dumps(loader))
    assert restored.get_params() == loader.get_params()
    for a, b in zip(restored.transform(fsdd_few), loader.transform(fsdd_few)):
        np.testing.assert_array_equal(a, b)


def test_audioloader_tags():
    tags = AudioLoader().__sklearn_tags__()
    assert tags.input_tags.string
    assert not tags.input_tags.two_d_array
    assert tags.requires_fit


def test_audioloader_verbose(fsdd_few, capsys):
    clips = AudioLoader(verbose=True).fit_transform(fsdd_few[:2])
    assert len(clips) == 2
