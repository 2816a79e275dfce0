"""Tests for sklaudio.datasets. They never use the network: the download path is
exercised against a local HTTP server on 127.0.0.1 serving a tiny archive."""

from __future__ import annotations

import functools
import hashlib
import http.server
import logging
import os
import pathlib
import tarfile
import threading

import numpy as np
import pooch
import pytest
import soundfile as sf
from sklearn.utils import Bunch

import sklaudio.datasets._fsdd as _fsdd
from sklaudio.datasets import clear_data_home, fetch_fsdd, get_data_home


@pytest.fixture(scope="module")
def shared_data_home(fsdd_dir) -> str:
    """The shared data folder holding fsdd/recordings (skipped when absent)."""
    return str(fsdd_dir.parent.parent)


@pytest.fixture
def no_download(monkeypatch):
    """Fail loudly if fetch_fsdd tries to download anything."""

    def _fail(*args, **kwargs):
        raise AssertionError("fetch_fsdd tried to download")

    monkeypatch.setattr(_fsdd.pooch, "retrieve", _fail)


@pytest.fixture(scope="module")
def fsdd_all(shared_data_home):
    return fetch_fsdd(shared_data_home, download_if_missing=False)


# ---------------------------------------------------------------------------
# data home
# ---------------------------------------------------------------------------


def test_get_data_home_resolution_order(monkeypatch, tmp_path):
    arg, env, home = tmp_path / "arg", tmp_path / "env", tmp_path / "home"
    monkeypatch.setenv("SKLAUDIO_DATA", str(env))
    monkeypatch.setenv("HOME", str(home))

    assert get_data_home(arg) == str(arg)
    assert arg.is_dir()
    assert get_data_home() == str(env)
    assert env.is_dir()

    monkeypatch.delenv("SKLAUDIO_DATA")
    assert get_data_home() == str(home / "sklaudio_data")
    assert (home / "sklaudio_data").is_dir()

    # "~" is expanded in the argument and in the variable
    assert get_data_home("~/other") == str(home / "other")
    monkeypatch.setenv("SKLAUDIO_DATA", "~/from_env")
    assert get_data_home() == str(home / "from_env")


def test_get_data_home_bad_type():
    with pytest.raises(TypeError, match="data_home"):
        get_data_home(42)


def test_clear_data_home(tmp_path):
    home = tmp_path / "to_clear"
    (home / "fsdd").mkdir(parents=True)
    (home / "fsdd" / "x.wav").write_bytes(b"x")
    clear_data_home(home)
    assert not home.exists()


# ---------------------------------------------------------------------------
# fetch_fsdd on the shared copy
# ---------------------------------------------------------------------------


def test_manifest_matches_packaged_dataset():
    manifest = _fsdd._load_manifest()
    assert len(manifest) == 3000
    assert list(manifest) == sorted(manifest)
    _fsdd._check_manifest(manifest)


def test_fetch_fsdd_all(fsdd_all, shared_data_home):
    b = fsdd_all
    assert isinstance(b, Bunch)
    assert len(b.data) == 3000
    for key in ("target", "speaker", "groups", "take", "filenames", "split"):
        assert len(b[key]) == 3000, key
    assert b.sample_rate == 8000
    assert all(x.dtype == np.float32 and x.ndim == 1 for x in b.data)
    assert all(np.abs(x).max() <= 1.0 for x in b.data[:50])
    assert b.target.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(b.target), [300] * 10)
    assert set(b.speaker) == {"jackson", "nicolas", "theo", "yweweler", "george", "lucas"}
    np.testing.assert_array_equal(b.groups, b.speaker)
    assert b.take.dtype == np.int64
    assert b.take.min() == 0 and b.take.max() == 49
    assert (b.split == "test").sum() == 300
    np.testing.assert_array_equal(b.split == "test", b.take < 5)
    assert "Free Spoken Digit" in b.DESCR

    # deterministic order: digit, then speaker, then take (numeric)
    keys = list(zip(b.target, b.speaker, b.take))
    assert keys == sorted(keys)
    # file names and metadata agree; paths are absolute and exist
    for i in (0, 1234, 2999):
        path = b.filenames[i]
        assert os.path.isabs(path) and os.path.isfile(path)
        assert os.path.basename(path) == f"{b.target[i]}_{b.speaker[i]}_{b.take[i]}.wav"
    y, sr = sf.read(b.filenames[1234], dtype="float32")
    assert sr == 8000
    np.testing.assert_array_equal(b.data[1234], y)


@pytest.mark.parametrize("subset, n", [("train", 2700), ("test", 300)])
def test_fetch_fsdd_subsets(shared_data_home, no_download, subset, n):
    b = fetch_fsdd(shared_data_home, subset=subset, n_jobs=2)
    assert len(b.data) == len(b.target) == n
    assert set(b.split) == {subset}
    np.testing.assert_array_equal(np.bincount(b.target), [n // 10] * 10)
    if subset == "test":
        assert set(b.take) == set(range(5))
    else:
        assert set(b.take) == set(range(5, 50))


def test_fetch_fsdd_from_env(shared_data_home, monkeypatch, no_download):
    monkeypatch.setenv("SKLAUDIO_DATA", shared_data_home)
    X, y = fetch_fsdd(subset="test", return_X_y=True)
    assert isinstance(X, list) and len(X) == 300
    assert y.dtype == np.int64 and y.shape == (300,)


def test_fetch_fsdd_bad_subset(tmp_path):
    with pytest.raises(ValueError, match="subset"):
        fetch_fsdd(tmp_path, subset="validation")


def test_fetch_fsdd_missing_no_download(tmp_path, no_download):
    with pytest.raises(OSError, match="not found in .* download_if_missing is False"):
        fetch_fsdd(tmp_path / "empty", download_if_missing=False)


def test_fetch_fsdd_incomplete_copy_counts_as_missing(tmp_path, shared_data_home, no_download):
    rec = tmp_path / "fsdd" / "recordings"
    rec.mkdir(parents=True)
    src = pathlib.Path(shared_data_home) / "fsdd" / "recordings"
    for name in ("0_jackson_0.wav", "1_theo_7.wav"):
        (rec / name).write_bytes((src / name).read_bytes())
    with pytest.raises(OSError, match="2998 of 3000 files missing"):
        fetch_fsdd(tmp_path, download_if_missing=False)


# ---------------------------------------------------------------------------
# download path, against a local server
# ---------------------------------------------------------------------------

_TINY_NAMES = [
    "0_alice_0.wav",
    "0_alice_12.wav",
    "1_alice_7.wav",
    "1_bob_3.wav",
    "2_bob_10.wav",
    "2_bob_2.wav",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests_seen: list[str] = []

    def do_GET(self):
        type(self).requests_seen.append(self.path)
        super().do_GET()

    def log_message(self, format, *args):  # keep test output clean
        pass


@pytest.fixture
def tiny_release(tmp_path, monkeypatch):
    """Serve a tiny FSDD-like archive on 127.0.0.1 and point _fsdd at it.

    Returns ``(manifest, signals, requests_seen)``.
    """
    rng = np.random.default_rng(0)
    root = tmp_path / "src" / "free-spoken-digit-dataset-1.0.10"
    (root / "recordings").mkdir(parents=True)
    (root / "README.md").write_text("tiny test release\n")
    (root / "recordings" / "not_in_manifest.wav").write_bytes(b"ignored")
    signals, manifest = {}, {}
    for i, name in enumerate(_TINY_NAMES):
        y = (0.3 * rng.standard_normal(400 + 100 * i)).clip(-1, 1)
        path = root / "recordings" / name
        sf.write(path, y, 8000, subtype="PCM_16")
        signals[name] = sf.read(path, dtype="float32")[0]
        manifest[name] = hashlib.sha256(path.read_bytes()).hexdigest()

    served = tmp_path / "served"
    served.mkdir()
    with tarfile.open(served / "v1.0.10.tar.gz", "w:gz") as tar:
        tar.add(root, arcname=root.name)

    seen: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"requests_seen": seen})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(served))
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        port = server.server_address[1]
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
        monkeypatch.setattr(_fsdd, "_FSDD_URL", f"http://127.0.0.1:{port}/v1.0.10.tar.gz")
        monkeypatch.setattr(_fsdd, "_load_manifest", lambda: dict(manifest))
        yield manifest, signals, seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_fetch_fsdd_download(tmp_path, tiny_release, pooch_records):
    manifest, signals, seen = tiny_release
    home = tmp_path / "home"
    b = fetch_fsdd(data_home=home)
    assert pooch_records == []  # quiet unless verbose=True

    rec = home / "fsdd" / "recordings"
    assert sorted(os.listdir(rec)) == sorted(_TINY_NAMES)  # extra archive file not installed
    assert os.listdir(home / "fsdd") == ["recordings"]  # temporary download removed
    for name in _TINY_NAMES:
        assert hashlib.sha256((rec / name).read_bytes()).hexdigest() == manifest[name]
    assert len(seen) == 1

    assert [os.path.basename(f) for f in b.filenames] == [
        "0_alice_0.wav",
        "0_alice_12.wav",
        "1_alice_7.wav",
        "1_bob_3.wav",
        "2_bob_2.wav",
        "2_bob_10.wav",
    ]
    np.testing.assert_array_equal(b.target, [0, 0, 1, 1, 2, 2])
    assert list(b.speaker) == ["alice", "alice", "alice", "bob", "bob", "bob"]
    np.testing.assert_array_equal(b.take, [0, 12, 7, 3, 2, 10])
    assert list(b.split) == ["test", "train", "train", "test", "test", "train"]
    assert b.sample_rate == 8000
    for f, x in zip(b.filenames, b.data):
        np.testing.assert_array_equal(x, signals[os.path.basename(f)])

    # second call reads the local copy: no new request
    X, y = fetch_fsdd(data_home=home, subset="train", return_X_y=True)
    assert len(X) == 3 and list(y) == [0, 1, 2]
    assert len(seen) == 1


@pytest.fixture
def pooch_records():
    """Records that pooch's logger emits (it is not attached to the root logger)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = pooch.get_logger()
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_fetch_fsdd_download_verbose(tmp_path, tiny_release, capfd, pooch_records):
    b = fetch_fsdd(data_home=tmp_path / "home", verbose=True)
    assert len(b.data) == len(_TINY_NAMES)
    assert "Verifying FSDD" in capfd.readouterr().err  # tqdm progress bars
    assert any("Downloading data" in r.getMessage() for r in pooch_records)
    # a later quiet download logs nothing, although pooch's logger cached INFO as enabled
    del pooch_records[:]
    fetch_fsdd(data_home=tmp_path / "home2")
    assert pooch_records == []
    assert capfd.readouterr().err == ""


def test_fetch_fsdd_download_bad_hash(tmp_path, tiny_release, monkeypatch):
    manifest, _, _ = tiny_release
    bad = dict(manifest)
    bad["1_bob_3.wav"] = "0" * 64
    monkeypatch.setattr(_fsdd, "_load_manifest", lambda: dict(bad))
    home = tmp_path / "home"
    with pytest.raises(OSError, match=r"1_bob_3\.wav: SHA-256 [0-9a-f]{64} differs") as info:
        fetch_fsdd(data_home=home)
    assert "0_alice_0.wav" not in str(info.value)  # only the bad file is named
    # nothing installed, download removed
    assert os.listdir(home / "fsdd") == []


def test_fetch_fsdd_download_file_missing_from_archive(tmp_path, tiny_release, monkeypatch):
    manifest, _, _ = tiny_release
    more = dict(manifest, **{"9_carol_1.wav": "a" * 64})
    monkeypatch.setattr(_fsdd, "_load_manifest", lambda: dict(more))
    home = tmp_path / "home"
    with pytest.raises(OSError, match=r"9_carol_1\.wav: missing from the archive"):
        fetch_fsdd(data_home=home)
    assert os.listdir(home / "fsdd") == []


def test_fetch_fsdd_download_http_error(tmp_path, tiny_release, monkeypatch):
    monkeypatch.setattr(_fsdd, "_FSDD_URL", _fsdd._FSDD_URL.replace("v1.0.10", "nope"))
    home = tmp_path / "home"
    with pytest.raises(OSError, match="Could not download the FSDD"):
        fetch_fsdd(data_home=home)
    assert os.listdir(home / "fsdd") == []
