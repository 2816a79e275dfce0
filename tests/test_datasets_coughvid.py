"""fetch_coughvid against a local HTTP server serving a zip in Zenodo's layout."""

from __future__ import annotations

import numpy as np
import pytest
from _archive_server import digest, listdir, make_zip, serve, truncate, write_wav

import sklaudio.datasets._coughvid as _coughvid
from sklaudio.datasets import fetch_coughvid
from sklaudio.datasets._fetch import Remote

pytest.importorskip("pandas")

ROWS = [  # uuid, cough_detected, status, extension
    ("a1", 0.95, "healthy", ".wav"),
    ("b2", 0.50, "COVID-19", ".ogg"),
    ("c3", 0.99, "", ".wav"),
    ("d4", 0.85, "symptomatic", ".ogg"),
]


@pytest.fixture
def release(tmp_path, monkeypatch):
    root = tmp_path / "src"
    root.mkdir()
    (root / "metadata_compiled.csv").write_text(
        "uuid,datetime,cough_detected,age,gender,status\n" + "".join(
            f"{u},2020-05-01T00:00:00,{c},30,female,{s}\n" for u, c, s, _ in ROWS))
    signals = {}
    for i, (u, _, _, ext) in enumerate(ROWS):
        signals[u] = write_wav(root / f"{u}{ext}", i, 48000, n=4800,
                               subtype="VORBIS" if ext == ".ogg" else "PCM_16")
        (root / f"{u}.json").write_text("{}")
    archive = make_zip(root, tmp_path / "served" / "public_dataset_v3.zip", "coughvid_20211012/")
    with serve(tmp_path / "served", monkeypatch) as (base, seen):
        monkeypatch.setattr(_coughvid, "_REMOTE", Remote(
            f"{base}/public_dataset_v3.zip", "public_dataset_v3.zip",
            f"md5:{digest(archive, 'md5')}"))
        yield archive, signals, seen


def test_download_labels_and_filters(tmp_path, release):
    archive, signals, seen = release
    home = tmp_path / "home"
    b = fetch_coughvid(home, sample_rate=16000)
    assert sorted(listdir(home / "coughvid")) == ["a1.wav", "b2.ogg", "c3.wav", "d4.ogg",
                                                  "metadata_compiled.csv"]  # no .json
    assert list(b.metadata.uuid) == ["a1", "b2", "d4"]
    assert [b.target_names[t] for t in b.target] == ["healthy", "COVID-19", "symptomatic"]
    assert list(b.groups) == ["a1", "b2", "d4"] and b.sample_rate == 16000
    assert all(abs(len(x) - 1600) <= 1 for x in b.data)
    assert "Orlandic" in b.DESCR
    b = fetch_coughvid(home, subset="all", min_cough_detected=0.8, sample_rate=None)
    assert list(b.metadata.uuid) == ["a1", "c3", "d4"] and list(b.target)[1] == -1
    np.testing.assert_array_equal(b.data[0], signals["a1"])
    assert len(seen) == 1


def test_wrong_checksum_and_truncated(tmp_path, release, monkeypatch):
    archive, signals, seen = release
    good = _coughvid._REMOTE
    monkeypatch.setattr(_coughvid, "_REMOTE", Remote(good.url, good.filename, "md5:" + "0" * 32))
    with pytest.raises(OSError, match="does not match the publisher's MD5"):
        fetch_coughvid(tmp_path / "home")
    monkeypatch.setattr(_coughvid, "_REMOTE", Remote(good.url, good.filename, None))
    truncate(archive)
    with pytest.raises(OSError, match="not a readable COUGHVID archive"):
        fetch_coughvid(tmp_path / "home2")
    assert listdir(tmp_path / "home2" / "coughvid") == []


def test_missing_recording_is_named(tmp_path, release):
    home = tmp_path / "home"
    fetch_coughvid(home)
    (home / "coughvid" / "d4.ogg").unlink()
    with pytest.raises(OSError, match="d4.webm"):
        fetch_coughvid(home, download_if_missing=False)


def test_webm_needs_pyav(tmp_path, release):
    pytest.importorskip("soundfile")
    try:
        import av  # noqa: F401
        pytest.skip("PyAV installed")
    except ImportError:
        pass
    home = tmp_path / "home"
    fetch_coughvid(home)
    (home / "coughvid" / "d4.ogg").rename(home / "coughvid" / "d4.webm")
    with pytest.raises(ImportError, match="sklaudio\\[coughvid\\]"):
        fetch_coughvid(home)
