"""fetch_ravdess: the extracted Zenodo layout, and downloads from a local HTTP server
serving zips in Zenodo's layout (good, wrong checksum, truncated). No network."""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pytest
import soundfile as sf
from _archive_server import digest, listdir, make_zip, serve, truncate, write_wav
from sklearn.utils import Bunch

import sklaudio.datasets._ravdess as _ravdess
from sklaudio.datasets import fetch_ravdess

pd = pytest.importorskip("pandas")

ACTORS = (1, 2)  # the tiny release has two actors


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """Two actors' speech and song files (the real names), their zips as Zenodo serves
    them (``Actor_XX/<name>.wav`` at the root) and the speech manifest."""
    monkeypatch.setattr(_ravdess, "_ACTORS", ACTORS)
    src = {"speech": tmp_path / "src" / "speech", "song": tmp_path / "src" / "song"}
    signals, manifest = {}, {}
    i = 0
    for channel in ("speech", "song"):
        for actor in ACTORS:
            for name in _ravdess._file_names(channel, actor):
                path = src[channel] / f"Actor_{actor:02d}" / name
                signals[name] = write_wav(path, i, 48000, n=200 + i)
                if channel == "speech":
                    manifest[f"Actor_{actor:02d}/{name}"] = digest(path)
                i += 1
    served = tmp_path / "served"
    for channel, folder in _ravdess._ARCHIVES.items():
        make_zip(src[channel], served / f"{folder}.zip")
    monkeypatch.setattr(_ravdess, "load_manifest", lambda name: dict(manifest))
    return src, served, signals, manifest


@pytest.fixture
def server(tiny, monkeypatch):
    src, served, signals, manifest = tiny
    with serve(served, monkeypatch) as (base, seen):
        for channel, folder in _ravdess._ARCHIVES.items():
            monkeypatch.setitem(_ravdess._URLS, channel, f"{base}/{folder}.zip")
        yield served, signals, manifest, seen


def test_file_names_match_the_publishers_counts():
    assert sum(len(_ravdess._file_names("speech", a)) for a in range(1, 25)) == 1440
    assert sum(len(_ravdess._file_names("song", a)) for a in range(1, 25)) == 1012
    assert len(set(_ravdess._file_names("speech", 3))) == 60
    assert _ravdess._file_names("song", 18) == []


def test_parse_every_field():
    row = _ravdess._parse("03-01-06-01-02-01-12.wav")  # the publisher's own example
    assert row == {
        "filename": "03-01-06-01-02-01-12.wav", "modality": "audio-only",
        "vocal_channel": "speech", "emotion": "fearful", "emotion_code": 6,
        "intensity": "normal", "statement": "Dogs are sitting by the door",
        "statement_code": 2, "repetition": 1, "actor": 12, "sex": "female",
    }
    assert _ravdess._parse("03-02-05-02-01-02-07.wav")["vocal_channel"] == "song"
    assert _ravdess._parse("03-02-05-02-01-02-07.wav")["sex"] == "male"
    assert _ravdess._parse("03-02-05-02-01-02-07.wav")["intensity"] == "strong"


def test_download_speech(tmp_path, server):
    served, signals, manifest, seen = server
    home = tmp_path / "home"
    b = fetch_ravdess(home, sample_rate=None)
    assert isinstance(b, Bunch)
    assert len(b.data) == 120 and set(b.groups) == set(ACTORS)
    assert seen == ["/Audio_Speech_Actors_01-24.zip"]  # only the speech archive
    assert listdir(home / "ravdess") == ["Audio_Speech_Actors_01-24"]  # temporary files gone
    assert listdir(home / "ravdess" / "Audio_Speech_Actors_01-24") == ["Actor_01", "Actor_02"]
    for f, x in zip(b.filenames, b.data):
        np.testing.assert_array_equal(x, signals[os.path.basename(f)])
    assert b.sample_rate == 48000
    assert b.target_names[b.target[0]] == "neutral" == b.metadata.emotion[0]
    np.testing.assert_array_equal(b.target, b.metadata.emotion_code.to_numpy() - 1)
    np.testing.assert_array_equal(b.groups, b.metadata.actor.to_numpy())
    assert list(b.metadata.columns) == [
        "filename", "modality", "vocal_channel", "emotion", "emotion_code", "intensity",
        "statement", "statement_code", "repetition", "actor", "sex"]
    assert set(b.metadata.sex[b.groups == 1]) == {"male"}
    assert "Livingstone" in b.DESCR and "CC BY-NC-SA 4.0" in b.DESCR

    # second call: local copy, no request; resampled, one actor
    X, y = fetch_ravdess(home, actors=2, sample_rate=16000, return_X_y=True)
    assert len(X) == 60 and len(seen) == 1
    assert abs(len(X[0]) - round(len(signals[_ravdess._file_names("speech", 2)[0]]) / 3)) <= 1

    # song and all: downloads the song archive only
    b = fetch_ravdess(home, subset="all")
    assert len(b.data) == 120 + 88
    assert seen == ["/Audio_Speech_Actors_01-24.zip", "/Audio_Song_Actors_01-24.zip"]
    assert set(b.metadata.vocal_channel) == {"speech", "song"}
    assert set(b.metadata.emotion[b.metadata.vocal_channel == "song"]) == set(
        _ravdess.EMOTIONS[:6])


def test_download_progress_bars(tmp_path, server, capfd):
    fetch_ravdess(tmp_path / "home", verbose=True)
    err = capfd.readouterr().err
    for bar in ("Extracting RAVDESS", "Verifying RAVDESS (SHA-256)", "Loading RAVDESS"):
        assert bar in err


def test_download_wrong_checksum(tmp_path, server, monkeypatch):
    served, signals, manifest, seen = server
    bad = dict(manifest)
    bad["Actor_02/03-01-03-02-01-01-02.wav"] = "0" * 64
    bad["Actor_01/03-01-01-01-01-01-01.wav"] = "1" * 64
    monkeypatch.setattr(_ravdess, "load_manifest", lambda name: dict(bad))
    home = tmp_path / "home"
    with pytest.raises(OSError, match="2 of 120 RAVDESS files") as info:
        fetch_ravdess(home)
    msg = str(info.value)
    assert "Actor_01/03-01-01-01-01-01-01.wav: SHA-256" in msg
    assert "Actor_02/03-01-03-02-01-01-02.wav: SHA-256" in msg
    assert "03-01-02" not in msg  # good files are not listed
    assert listdir(home / "ravdess") == []  # nothing installed, download removed


def test_download_truncated_archive(tmp_path, server):
    served, *_ = server
    truncate(served / "Audio_Speech_Actors_01-24.zip")
    home = tmp_path / "home"
    with pytest.raises(OSError, match="not a readable RAVDESS archive"):
        fetch_ravdess(home)
    assert listdir(home / "ravdess") == []


def test_download_archive_missing_files(tmp_path, server):
    served, *_ = server
    src = tmp_path / "src" / "speech"
    (src / "Actor_02" / "03-01-08-02-02-02-02.wav").unlink()
    (src / "Actor_01" / "03-01-05-01-01-01-01.wav").unlink()
    make_zip(src, served / "Audio_Speech_Actors_01-24.zip")
    with pytest.raises(OSError, match="2 of 120") as info:
        fetch_ravdess(tmp_path / "home")
    assert "Actor_02/03-01-08-02-02-02-02.wav: missing from the archive" in str(info.value)
    assert "Actor_01/03-01-05-01-01-01-01.wav: missing from the archive" in str(info.value)


def test_download_http_error(tmp_path, server, monkeypatch):
    monkeypatch.setitem(_ravdess._URLS, "speech", _ravdess._URLS["speech"] + ".nope")
    with pytest.raises(OSError, match="Could not download the RAVDESS"):
        fetch_ravdess(tmp_path / "home")


def test_extracted_layout_is_used_without_download(tmp_path, tiny, monkeypatch):
    src, *_ = tiny
    home = tmp_path / "home"
    (home / "ravdess").mkdir(parents=True)
    os.symlink(src["speech"], home / "ravdess" / "Audio_Speech_Actors_01-24")

    def _fail(*args, **kwargs):
        raise AssertionError("fetch_ravdess tried to download")

    monkeypatch.setattr("pooch.retrieve", _fail)
    b = fetch_ravdess(home, n_jobs=2)
    assert len(b.data) == 120
    # a damaged local file: one error naming it
    bad = src["speech"] / "Actor_02" / "03-01-04-01-01-01-02.wav"
    bad.write_bytes(bad.read_bytes()[:20])
    with pytest.raises(ValueError, match="03-01-04-01-01-01-02.wav") as info:
        fetch_ravdess(home)
    assert "Could not load 1 of 120" in str(info.value)


def test_missing_without_download(tmp_path, tiny):
    with pytest.raises(OSError, match="120 of 120 files missing.*download_if_missing is False"):
        fetch_ravdess(tmp_path / "empty", download_if_missing=False)


@pytest.mark.parametrize("kwargs, match", [
    ({"subset": "video"}, "subset"),
    ({"actors": 25}, "actors"),
    ({"actors": [1, True]}, "actors"),
    ({"return_X_y": 1}, "return_X_y"),
])
def test_bad_parameters(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fetch_ravdess(tmp_path, **kwargs)


REAL = pathlib.Path(os.environ.get("SKLAUDIO_DATA", "/nonexistent")) / "ravdess"


@pytest.mark.skipif(not (REAL / "Audio_Speech_Actors_01-24").is_dir(),
                    reason="RAVDESS speech not extracted under $SKLAUDIO_DATA/ravdess")
def test_real_extracted_copy_matches_the_manifest(monkeypatch):
    """The Done-means check: 1,440 speech clips, 24 actor groups, every file's SHA-256."""
    def _fail(*args, **kwargs):
        raise AssertionError("fetch_ravdess tried to download")

    monkeypatch.setattr("pooch.retrieve", _fail)
    b = fetch_ravdess(REAL.parent, n_jobs=2)
    assert len(b.data) == 1440 and len(set(b.groups)) == 24
    np.testing.assert_array_equal(np.bincount(b.target), [96] + [192] * 7)
    manifest = _ravdess.load_manifest(_ravdess._SPEECH_MANIFEST)
    assert len(manifest) == 1440
    for rel in list(manifest)[::97]:
        assert digest(REAL / "Audio_Speech_Actors_01-24" / rel) == manifest[rel]
    assert sf.info(b.filenames[0]).samplerate == 48000
