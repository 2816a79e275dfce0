"""fetch_urbansound8k against a local HTTP server serving a tar.gz in Zenodo's layout."""

from __future__ import annotations

import numpy as np
import pytest
from _archive_server import digest, listdir, make_tar, serve, truncate, write_wav

import sklaudio.datasets._urbansound8k as _us8k
from sklaudio.datasets import fetch_urbansound8k
from sklaudio.datasets._fetch import Remote

pytest.importorskip("pandas")

ROWS = [  # slice_file_name, fsID, start, end, salience, fold, classID, class
    ("100032-3-0-0.wav", 100032, 0.0, 0.3, 1, 5, 3, "dog_bark", 44100, 1),
    ("100263-2-0-117.wav", 100263, 58.5, 62.5, 1, 5, 2, "children_playing", 48000, 2),
    ("7061-6-0-0.wav", 7061, 0.0, 0.5, 2, 1, 6, "gun_shot", 22050, 1),
    ("7383-3-0-0.wav", 7383, 0.0, 0.4, 1, 1, 3, "dog_bark", 16000, 1),
]


@pytest.fixture
def release(tmp_path, monkeypatch):
    root = tmp_path / "src" / "UrbanSound8K"
    (root / "metadata").mkdir(parents=True)
    (root / "metadata" / "UrbanSound8K.csv").write_text(
        "slice_file_name,fsID,start,end,salience,fold,classID,class\n"
        + "".join(",".join(map(str, r[:8])) + "\n" for r in ROWS))
    for i, r in enumerate(ROWS):  # mixed rates and channels, as the real files
        path = root / "audio" / f"fold{r[5]}" / r[0]
        write_wav(path, i, r[8], n=r[8] // 10)
        if r[9] == 2:
            import soundfile as sf
            y, sr = sf.read(path)
            sf.write(path, np.stack([y, -y], axis=1), sr, subtype="PCM_24")
    archive = make_tar(root, tmp_path / "served" / "UrbanSound8K.tar.gz", "UrbanSound8K")
    with serve(tmp_path / "served", monkeypatch) as (base, seen):
        monkeypatch.setattr(_us8k, "_REMOTE", Remote(f"{base}/UrbanSound8K.tar.gz",
                                                     "UrbanSound8K.tar.gz",
                                                     f"md5:{digest(archive, 'md5')}"))
        yield archive, seen


def test_download_and_folds(tmp_path, release):
    archive, seen = release
    home = tmp_path / "home"
    b = fetch_urbansound8k(home, sample_rate=8000)
    assert listdir(home / "urbansound8k") == ["audio", "metadata"]
    assert len(b.data) == 4 and b.sample_rate == 8000
    assert all(x.ndim == 1 and abs(len(x) - 800) <= 1 for x in b.data)  # 0.1 s each
    np.testing.assert_array_equal(b.target, [3, 2, 6, 3])
    assert b.target_names[3] == "dog_bark" and b.target_names[6] == "gun_shot"
    np.testing.assert_array_equal(b.groups, [r[1] for r in ROWS])
    np.testing.assert_array_equal(b.fold, [5, 5, 1, 1])
    b1 = fetch_urbansound8k(home, folds=1)
    assert len(b1.data) == 2 and set(b1.fold) == {1} and b1.sample_rate == 22050
    assert len(seen) == 1
    with pytest.raises(ValueError, match="different sample rates"):
        fetch_urbansound8k(home, sample_rate=None)


def test_wrong_checksum(tmp_path, release, monkeypatch):
    archive, seen = release
    monkeypatch.setattr(_us8k, "_REMOTE", Remote(_us8k._REMOTE.url, "UrbanSound8K.tar.gz",
                                                 "md5:" + "0" * 32))
    with pytest.raises(OSError, match="does not match the publisher's MD5 checksum"):
        fetch_urbansound8k(tmp_path / "home")
    assert listdir(tmp_path / "home" / "urbansound8k") == []


def test_truncated(tmp_path, release):
    archive, seen = release
    truncate(archive)  # the published checksum no longer matches
    with pytest.raises(OSError, match="UrbanSound8K.tar.gz"):
        fetch_urbansound8k(tmp_path / "home")
    assert listdir(tmp_path / "home" / "urbansound8k") == []


def test_missing_without_download(tmp_path):
    with pytest.raises(OSError, match="download_if_missing is False"):
        fetch_urbansound8k(tmp_path, download_if_missing=False)
    with pytest.raises(ValueError, match="folds"):
        fetch_urbansound8k(tmp_path, folds=11)
