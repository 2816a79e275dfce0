"""fetch_esc50 against a local HTTP server serving a zip in the publisher's layout."""

from __future__ import annotations

import numpy as np
import pytest
from _archive_server import digest, listdir, make_zip, serve, truncate, write_wav

import sklaudio.datasets._esc50 as _esc50
from sklaudio.datasets import fetch_esc50

pytest.importorskip("pandas")

ROWS = [  # filename, fold, target, category, esc10, src_file, take
    ("1-100032-A-0.wav", 1, 0, "dog", True, 100032, "A"),
    ("1-100038-A-14.wav", 1, 14, "chirping_birds", False, 100038, "A"),
    ("2-100648-A-43.wav", 2, 43, "car_horn", False, 100648, "A"),
    ("4-102844-A-49.wav", 4, 49, "hand_saw", False, 102844, "A"),
    ("4-102844-B-49.wav", 4, 49, "hand_saw", False, 102844, "B"),
    ("5-103415-A-2.wav", 5, 2, "pig", False, 103415, "A"),
]


@pytest.fixture
def release(tmp_path, monkeypatch):
    root = tmp_path / "src" / "ESC-50-abc"
    (root / "meta").mkdir(parents=True)
    csv = "filename,fold,target,category,esc10,src_file,take\n" + "".join(
        ",".join(map(str, r)) + "\n" for r in ROWS)
    (root / "meta" / "esc50.csv").write_text(csv)
    (root / "README.md").write_text("not installed")
    signals = {r[0]: write_wav(root / "audio" / r[0], i, 44100) for i, r in enumerate(ROWS)}
    manifest = {f"audio/{r[0]}": digest(root / "audio" / r[0], "md5") for r in ROWS}
    manifest["meta/esc50.csv"] = digest(root / "meta" / "esc50.csv", "md5")
    make_zip(root, tmp_path / "served" / "esc50.zip", "ESC-50-abc/")
    monkeypatch.setattr(_esc50, "load_manifest", lambda name, alg: dict(manifest))
    with serve(tmp_path / "served", monkeypatch) as (base, seen):
        monkeypatch.setattr(_esc50, "_URL", f"{base}/esc50.zip")
        yield tmp_path / "served" / "esc50.zip", signals, manifest, seen


def test_download_folds_and_esc10(tmp_path, release):
    archive, signals, manifest, seen = release
    home = tmp_path / "home"
    b = fetch_esc50(home)
    assert listdir(home / "esc50") == ["audio", "meta"]
    assert [f.rsplit("/", 1)[1] for f in b.filenames] == [r[0] for r in ROWS]
    for f, x in zip(b.filenames, b.data):
        np.testing.assert_array_equal(x, signals[f.rsplit("/", 1)[1]])
    assert b.target_names == ["dog", "pig", "chirping_birds", "car_horn", "hand_saw"]
    assert [b.target_names[t] for t in b.target] == [r[3] for r in ROWS]
    np.testing.assert_array_equal(b.groups, [r[5] for r in ROWS])
    np.testing.assert_array_equal(b.fold, [r[1] for r in ROWS])
    assert b.sample_rate == 44100 and "Piczak" in b.DESCR
    assert list(b.metadata.columns) == ["filename", "fold", "target", "category", "esc10",
                                        "src_file", "take"]
    b4 = fetch_esc50(home, folds=4, sample_rate=22050)
    assert len(b4.data) == 2 and set(b4.fold) == {4} and b4.sample_rate == 22050
    b10 = fetch_esc50(home, subset="esc10")
    assert b10.target_names == ["dog"] and list(b10.target) == [0]
    assert len(seen) == 1


def test_only_selected_folds_are_required(tmp_path, release):
    home = tmp_path / "home"
    fetch_esc50(home)
    (home / "esc50" / "audio" / "1-100032-A-0.wav").unlink()
    assert len(fetch_esc50(home, folds=[4, 5], download_if_missing=False).data) == 3
    with pytest.raises(OSError, match="1 of 4 files missing"):
        fetch_esc50(home, folds=[1, 2], download_if_missing=False)


def test_wrong_checksum_lists_every_bad_file(tmp_path, release, monkeypatch):
    archive, signals, manifest, seen = release
    bad = dict(manifest, **{"audio/2-100648-A-43.wav": "0" * 32, "meta/esc50.csv": "1" * 32})
    monkeypatch.setattr(_esc50, "load_manifest", lambda name, alg: dict(bad))
    with pytest.raises(OSError, match="2 of 7 ESC-50 files") as info:
        fetch_esc50(tmp_path / "home")
    assert "audio/2-100648-A-43.wav: MD5" in str(info.value)
    assert "meta/esc50.csv: MD5" in str(info.value)
    assert listdir(tmp_path / "home" / "esc50") == []


def test_truncated_archive(tmp_path, release):
    truncate(release[0])
    with pytest.raises(OSError, match="not a readable ESC-50 archive"):
        fetch_esc50(tmp_path / "home")
    assert listdir(tmp_path / "home" / "esc50") == []


@pytest.mark.parametrize("kwargs", [{"folds": 6}, {"subset": "esc20"}, {"folds": []}])
def test_bad_parameters(tmp_path, kwargs):
    with pytest.raises(ValueError):
        fetch_esc50(tmp_path, **kwargs)


def test_packaged_manifest():
    manifest = _esc50.load_manifest(_esc50._MANIFEST, "md5")
    assert len(manifest) == 2001 and "meta/esc50.csv" in manifest
    folds = [int(k[6]) for k in manifest if k.startswith("audio/")]
    assert np.bincount(folds).tolist() == [0, 400, 400, 400, 400, 400]
