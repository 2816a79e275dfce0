"""fetch_gtzan against a local HTTP server serving genres.tar.gz in the publisher's layout."""

from __future__ import annotations

import numpy as np
import pytest
from _archive_server import digest, listdir, make_tar, serve, truncate, write_wav

import sklaudio.datasets._gtzan as _gtzan
from sklaudio.datasets import fetch_gtzan
from sklaudio.datasets._fetch import Remote

pytest.importorskip("pandas")


@pytest.fixture
def release(tmp_path, monkeypatch):
    monkeypatch.setattr(_gtzan, "GENRES", ("jazz", "pop"))
    monkeypatch.setattr(_gtzan, "_tracks", lambda genres: [f"{g}.{i:05d}" for g in genres
                                                          for i in (0, 33, 54)])
    root = tmp_path / "src" / "genres"
    signals = {}
    for i, t in enumerate(_gtzan._tracks(_gtzan.GENRES)):
        signals[t] = write_wav(root / t.split(".")[0] / f"{t}.au", i, 22050)
    (root / "bextract_single.mf").write_text("not installed")
    archive = make_tar(root, tmp_path / "served" / "genres.tar.gz", "genres")
    good = f"sha256:{digest(archive)}"
    with serve(tmp_path / "served", monkeypatch) as (base, seen):
        remotes = [Remote(f"{base}/dead.tar.gz", "genres.tar.gz", good),  # publisher down
                   Remote(f"{base}/genres.tar.gz", "genres.tar.gz", good)]
        monkeypatch.setattr(_gtzan, "_REMOTES", remotes)
        yield archive, signals, seen


def test_download_mirror_faults_and_split(tmp_path, release):
    archive, signals, seen = release
    home = tmp_path / "home"
    b = fetch_gtzan(home)
    assert seen == ["/dead.tar.gz", "/genres.tar.gz"]  # the mirror after the dead URL
    assert listdir(home / "gtzan") == ["genres"]
    assert [t for t in b.metadata.track] == list(signals)
    for t, x in zip(b.metadata.track, b.data):
        np.testing.assert_array_equal(x, signals[t])
    assert b.target_names == ["jazz", "pop"] and list(b.target) == [0, 0, 0, 1, 1, 1]
    # jazz.00033 is one of the 70 faulty excerpts; pop.00054 too
    assert list(b.split) == ["train", "fault", "train", "test", "train", "fault"]
    assert list(b.metadata.fault) == [False, True, False, False, False, True]
    assert len(fetch_gtzan(home, exclude_faults=True).data) == 4
    assert list(fetch_gtzan(home, subset="train").metadata.track) == [
        "jazz.00000", "jazz.00054", "pop.00033"]
    assert len(fetch_gtzan(home, genres="pop", sample_rate=11025).data[0]) == 200
    assert "Sturm" in b.DESCR and len(seen) == 2


def test_wav_copy_is_accepted(tmp_path, release, monkeypatch):
    home = tmp_path / "home"
    for i, t in enumerate(_gtzan._tracks(_gtzan.GENRES)):
        write_wav(home / "gtzan" / "genres" / t.split(".")[0] / f"{t}.wav", i, 22050)
    monkeypatch.setattr("pooch.retrieve", lambda *a, **k: pytest.fail("downloaded"))
    b = fetch_gtzan(home)
    assert all(f.endswith(".wav") for f in b.filenames) and len(b.data) == 6


def test_wrong_checksum_and_truncated(tmp_path, release, monkeypatch):
    archive, signals, seen = release
    monkeypatch.setattr(_gtzan, "_REMOTES", [Remote(_gtzan._REMOTES[1].url, "genres.tar.gz",
                                                    "sha256:" + "0" * 64)])
    with pytest.raises(OSError, match="does not match the publisher's SHA-256"):
        fetch_gtzan(tmp_path / "home")
    truncate(archive)
    with pytest.raises(OSError, match="genres.tar.gz"):
        fetch_gtzan(tmp_path / "home2")
    assert listdir(tmp_path / "home" / "gtzan") == listdir(tmp_path / "home2" / "gtzan") == []


def test_fault_filtered_partition_is_complete():
    split = _gtzan._split()
    counts = {p: sum(v == p for v in split.values()) for p in ("train", "valid", "test")}
    assert counts == {"train": 443, "valid": 197, "test": 290}
    assert len(split) == 930
    faults = sorted(set(_gtzan._tracks(_gtzan.GENRES)) - set(split))
    assert len(faults) == 70 and "reggae.00086" in faults and "jazz.00054" not in faults
