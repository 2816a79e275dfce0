"""``sklaudio extract`` and ``sklaudio evaluate``: tables equal to AudioFeatures, errors, resume."""

from __future__ import annotations

import csv
import json
import os
import time

import numpy as np
import pytest
import soundfile as sf

from sklaudio import AudioFeatures
from sklaudio.cli import main
from sklaudio.io import find_audio_files, load

SR = 8000
OPTS = ["--features", "mfcc,spectral_centroid", "--features", "rms", "--n-fft", "256",
        "--hop-length", "80", "--n-mels", "40", "--n-mfcc", "13", "--pooling", "mean,std,max"]
PARAMS = dict(features=("mfcc", "spectral_centroid", "rms"), n_fft=256, hop_length=80, n_mels=40,
              n_mfcc=13, pooling=("mean", "std", "max"))


def _expected(paths, sample_rate=SR, **params):
    est = AudioFeatures(sample_rate=sample_rate, **{**PARAMS, **params})
    X = est.fit_transform([load(p, sample_rate=sample_rate)[0] for p in paths])
    return ["path", *est.get_feature_names_out()], X


def _read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    paths = [r[0] for r in body]
    X = np.array([[float(v) for v in r[1:]] for r in body]).astype(np.float32)
    return header, paths, X


def _read_parquet(path):
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(path)
    paths = table.column("path").to_pylist()
    X = np.column_stack([table.column(c).to_numpy() for c in table.column_names[1:]])
    return table.column_names, paths, X


def _read(path):
    return _read_csv(path) if str(path).endswith(".csv") else _read_parquet(path)


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory):
    """A nested folder of 30 short clips (tones in noise), a text file and a hidden file."""
    d = tmp_path_factory.mktemp("audio")
    rng = np.random.default_rng(0)
    for i in range(30):
        sub = d / ("a" if i < 12 else "b") / ("deep" if i % 5 == 0 else "")
        sub.mkdir(parents=True, exist_ok=True)
        n = int(rng.integers(SR // 4, 2 * SR))
        t = np.arange(n) / SR
        y = 0.3 * np.sin(2 * np.pi * (200 + 40 * i) * t) + 0.05 * rng.standard_normal(n)
        sf.write(sub / f"clip{i:02d}.{'flac' if i % 7 == 0 else 'wav'}", y.astype(np.float32), SR)
    (d / "a" / "notes.txt").write_text("not audio")
    (d / "a" / "._clip00.wav").write_bytes(b"macOS fork")
    return d


def test_find_audio_files_recurses_sorted_and_skips_other_files(audio_dir):
    files = find_audio_files([audio_dir])
    assert len(files) == 30
    assert all(f.endswith((".wav", ".flac")) and "/._" not in f for f in files)
    rel = [os.path.relpath(f, audio_dir) for f in files]
    # os.walk order: a folder's files (sorted), then its sub-folders (sorted)
    assert rel[:2] == [os.path.join("a", "clip01.wav"), os.path.join("a", "clip02.wav")]
    assert rel.index(os.path.join("a", "deep", "clip00.flac")) == 9
    assert rel[12].startswith("b" + os.sep)
    # a file given twice (also through its folder) appears once; an explicit file stays
    again = find_audio_files([files[0], audio_dir, audio_dir / "a" / "notes.txt"])
    assert again[0] == files[0] and len(again) == 31 and again[-1].endswith("notes.txt")


@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_extract_rows_equal_audio_features(audio_dir, tmp_path, ext, capsys):
    if ext == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"f.{ext}"
    assert main(["extract", str(audio_dir), "-o", str(out), *OPTS]) == 0
    err = capsys.readouterr().err
    assert "extract: 100%" in err and "30/30" in err  # the progress bar
    header, paths, X = _read(out)
    want_header, want = _expected(find_audio_files([audio_dir]))
    assert header == want_header
    assert paths == find_audio_files([audio_dir])
    assert X.dtype == np.float32
    np.testing.assert_array_equal(X, want)


def test_extract_in_threads_equals_serial(audio_dir, tmp_path):
    assert main(["extract", str(audio_dir), "-o", str(tmp_path / "a.csv"), *OPTS, "-q"]) == 0
    assert main(["extract", str(audio_dir), "-o", str(tmp_path / "b.csv"), *OPTS, "-q",
                 "--n-jobs", "2", "--batch-size", "4"]) == 0
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_extract_collects_errors_and_writes_the_good_files(audio_dir, tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.wav").write_bytes(b"RIFF garbage")
    sf.write(bad / "empty.wav", np.zeros(0, np.float32), SR)
    good = find_audio_files([audio_dir])[:5]
    out = tmp_path / "f.csv"
    status = main(["extract", *good, str(bad), str(tmp_path / "missing.wav"), "-o", str(out),
                   *OPTS, "--batch-size", "3"])
    assert status == 1
    err = capsys.readouterr().err
    for name in ("broken.wav", "empty.wav", "missing.wav"):
        assert name in err
    assert "3 of 8 file(s) failed" in err
    _, paths, X = _read(out)
    assert paths == good
    np.testing.assert_array_equal(X, _expected(good)[1])


def test_extract_resume_skips_done_files_and_repairs_a_cut_line(audio_dir, tmp_path, capsys):
    files = find_audio_files([audio_dir])
    out = tmp_path / "f.csv"
    assert main(["extract", *files[:10], "-o", str(out), *OPTS, "-q"]) == 0
    # an interrupted write: half a row at the end
    with open(out, "a") as f:
        f.write(files[10] + ",1.5,2")
    assert main(["extract", str(audio_dir), "-o", str(out), *OPTS, "--resume"]) == 0
    assert "10 of 30 file(s) already in" in capsys.readouterr().err
    header, paths, X = _read(out)
    assert paths == files and len(set(paths)) == 30
    np.testing.assert_array_equal(X, _expected(files)[1])
    # nothing left to do: the file is unchanged
    before = out.read_text()
    assert main(["extract", str(audio_dir), "-o", str(out), *OPTS, "--resume", "-q"]) == 0
    assert out.read_text() == before


def test_extract_resume_parquet(audio_dir, tmp_path):
    pytest.importorskip("pyarrow")
    files = find_audio_files([audio_dir])
    out = tmp_path / "f.parquet"
    assert main(["extract", *files[:7], "-o", str(out), *OPTS, "-q"]) == 0
    assert main(["extract", str(audio_dir), "-o", str(out), *OPTS, "--resume", "-q"]) == 0
    _, paths, X = _read(out)
    assert paths == files
    np.testing.assert_array_equal(X, _expected(files)[1])
    assert not (tmp_path / "f.parquet.partial").exists()


@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_extract_interrupted_leaves_a_valid_file_and_resumes(audio_dir, tmp_path, ext,
                                                             monkeypatch, capsys):
    if ext == "parquet":
        pytest.importorskip("pyarrow")
    import sklaudio.io

    files = find_audio_files([audio_dir])
    real = sklaudio.io.iter_transform_files

    def interrupted(*args, **kwargs):
        for i, batch in enumerate(real(*args, **kwargs)):
            if i == 2:
                raise KeyboardInterrupt
            yield batch

    monkeypatch.setattr(sklaudio.io, "iter_transform_files", interrupted)
    out = tmp_path / f"f.{ext}"
    assert main(["extract", str(audio_dir), "-o", str(out), *OPTS, "--batch-size", "4"]) == 130
    assert "--resume" in capsys.readouterr().err
    _, paths, X = _read(out)  # readable, with the two finished batches
    assert paths == files[:8]
    monkeypatch.setattr(sklaudio.io, "iter_transform_files", real)
    assert main(["extract", str(audio_dir), "-o", str(out), *OPTS, "--resume", "-q"]) == 0
    _, paths, X = _read(out)
    assert paths == files
    np.testing.assert_array_equal(X, _expected(files)[1])


def test_extract_resume_refuses_other_options(audio_dir, tmp_path, capsys):
    out = tmp_path / "f.csv"
    assert main(["extract", str(audio_dir), "-o", str(out), *OPTS, "-q"]) == 0
    before = out.read_text()
    assert main(["extract", str(audio_dir), "-o", str(out), "--features", "mfcc",
                 "--n-fft", "256", "--n-mels", "40", "--resume", "-q"]) == 2
    assert "other columns" in capsys.readouterr().err
    assert out.read_text() == before


def test_extract_mixed_rates_need_sample_rate(audio_dir, tmp_path, capsys):
    other = tmp_path / "x16k.wav"
    sf.write(other, 0.1 * np.ones(16000, np.float32), 16000)
    files = find_audio_files([audio_dir])[:3] + [str(other)]
    out = tmp_path / "f.csv"
    assert main(["extract", *files, "-o", str(out), *OPTS, "-q"]) == 2
    err = capsys.readouterr().err
    assert "8000 Hz" in err and "16000 Hz" in err and "--sample-rate" in err
    assert main(["extract", *files, "-o", str(out), *OPTS, "-q", "--sample-rate", "11025"]) == 0
    _, paths, X = _read(out)
    np.testing.assert_array_equal(X, _expected(files, sample_rate=11025)[1])


def test_extract_param_and_usage_errors(audio_dir, tmp_path, capsys):
    out = tmp_path / "f.csv"
    assert main(["extract", str(audio_dir), "-o", str(out), *OPTS, "-q",
                 "--param", "fmax=3000", "--param", "window=hamming"]) == 0
    np.testing.assert_array_equal(_read(out)[2], _expected(find_audio_files([audio_dir]),
                                                           fmax=3000, window="hamming")[1])
    assert main(["extract", str(audio_dir), "-o", str(out), "--param", "bogus=1"]) == 2
    assert main(["extract", str(audio_dir), "-o", str(tmp_path / "f.xlsx")]) == 2
    assert main(["extract", str(audio_dir), "-o", str(out), "--features", "nope"]) == 2
    assert main(["extract", str(tmp_path / "nothing"), "-o", str(out)]) != 0
    err = capsys.readouterr().err
    assert "bogus" in err and ".csv or .parquet" in err and "nope" in err
    assert main(["extract", "--list-features"]) == 0
    assert "spectral_centroid" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["extract", "evaluate"])
def test_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--features" in out and "--sample-rate" in out and "--n-jobs" in out


def test_extract_on_1200_fsdd_files(fsdd_paths, tmp_path, capsys):
    """The real data set: 1,200 files, one row each, equal to AudioFeatures."""
    files = [str(p) for p in fsdd_paths[::5]] + [str(p) for p in fsdd_paths[1::5]]
    out = tmp_path / "fsdd.csv"
    t0 = time.perf_counter()
    assert main(["extract", *files, "-o", str(out), *OPTS, "--n-jobs", "2"]) == 0
    elapsed = time.perf_counter() - t0
    assert "1200/1200" in capsys.readouterr().err
    _, paths, X = _read(out)
    assert paths == files and X.shape[0] == 1200
    np.testing.assert_array_equal(X, _expected(files)[1])
    assert elapsed < 120  # about 1 s here; a generous bound against a pathological slowdown


def _class_dir(root, n_per_class=8):
    rng = np.random.default_rng(1)
    for c, f0 in (("low", 250.0), ("mid", 900.0), ("high", 2500.0)):
        (root / c).mkdir(parents=True)
        for i in range(n_per_class):
            n = int(rng.integers(SR // 2, SR))
            t = np.arange(n) / SR
            y = 0.3 * np.sin(2 * np.pi * f0 * (1 + 0.05 * rng.standard_normal()) * t)
            y += 0.05 * rng.standard_normal(n)
            sf.write(root / c / f"{c}{i}.wav", y.astype(np.float32), SR)
    return root


def test_evaluate_equals_cross_validating_the_whole_pipeline(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    root = _class_dir(tmp_path / "data")
    png, rep = tmp_path / "cm.png", tmp_path / "r.json"
    assert main(["evaluate", str(root), *OPTS, "--folds", "4", "-o", str(png),
                 "--report", str(rep), "-q"]) == 0
    out = capsys.readouterr().out
    assert "accuracy" in out and "macro-F1" in out and "high" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = json.loads(rep.read_text())
    assert report["classes"] == ["high", "low", "mid"] and report["n_files"] == 24
    assert np.array(report["confusion_matrix"]).sum() == 24

    paths = find_audio_files([root / c for c in ("high", "low", "mid")])
    y = [os.path.basename(os.path.dirname(p)) for p in paths]
    clips = [load(p)[0] for p in paths]
    pipe = make_pipeline(AudioFeatures(sample_rate=SR, **PARAMS), StandardScaler(), SVC())
    want = cross_validate(pipe, clips, y, scoring=("accuracy", "f1_macro"),
                          cv=StratifiedKFold(4, shuffle=True, random_state=0))
    np.testing.assert_allclose(report["accuracy"], want["test_accuracy"])
    np.testing.assert_allclose(report["f1_macro"], want["test_f1_macro"])


def test_evaluate_usage_errors(tmp_path, capsys):
    root = tmp_path / "one"
    (root / "only").mkdir(parents=True)
    sf.write(root / "only" / "a.wav", np.zeros(800, np.float32), SR)
    assert main(["evaluate", str(root), "-q"]) == 2
    assert "two class folders" in capsys.readouterr().err
    root = _class_dir(tmp_path / "few", n_per_class=2)
    assert main(["evaluate", str(root), *OPTS, "--folds", "3", "-q"]) == 2
    assert "--folds 3" in capsys.readouterr().err
