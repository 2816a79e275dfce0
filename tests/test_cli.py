"""The ``sklaudio`` command line: detect."""

from __future__ import annotations

import subprocess
import sys

import joblib
import numpy as np
import pytest
import soundfile as sf
from sklearn.linear_model import LogisticRegression

from sklaudio import RMS
from sklaudio.cli import main
from sklaudio.events import EventDetector, read_events

pd = pytest.importorskip("pandas")
SR = 8000


def _beeps(rng, spans, n=2 * SR):
    y = 0.01 * rng.standard_normal(n)
    for on, off in spans:
        a, b = int(on * SR), int(off * SR)
        y[a:b] += 0.5 * np.sin(2 * np.pi * 700 * np.arange(b - a) / SR)
    return y.astype(np.float32), pd.DataFrame({"onset": [s[0] for s in spans],
                                               "offset": [s[1] for s in spans],
                                               "event_label": "beep"})


@pytest.fixture(scope="module")
def model_and_files(tmp_path_factory):
    rng = np.random.default_rng(0)
    X, Y = zip(*(_beeps(rng, [(0.2 + 0.1 * i, 0.6 + 0.1 * i), (1.1, 1.5)]) for i in range(6)))
    det = EventDetector(RMS(frame_length=256, hop_length=80), LogisticRegression(),
                        sample_rate=SR, median_window=0.05).fit(list(X), list(Y))
    d = tmp_path_factory.mktemp("cli")
    joblib.dump(det, d / "model.joblib")
    files = []
    for i, spans in enumerate(([(0.3, 0.7)], [(0.5, 0.9), (1.2, 1.6)])):
        y, _ = _beeps(rng, spans)
        sf.write(d / f"rec{i}.wav", y, SR)
        files.append(d / f"rec{i}.wav")
    return det, d, files


def test_detect_writes_one_tsv_per_file_equal_to_predict(model_and_files, tmp_path):
    det, d, files = model_and_files
    assert main(["detect", str(d / "model.joblib"), *map(str, files), "-o", str(tmp_path)]) == 0
    for f in files:
        got = read_events(tmp_path / (f.stem + ".tsv"))
        want = det.predict([sf.read(f, dtype="float32")[0]])[0]
        assert len(got) == len(want) > 0
        np.testing.assert_allclose(got.onset, want.onset, atol=1e-6)
        np.testing.assert_allclose(got.offset, want.offset, atol=1e-6)


def test_detect_stream_writes_the_same_events(model_and_files, tmp_path):
    det, d, files = model_and_files
    a, b = tmp_path / "whole", tmp_path / "stream"
    assert main(["detect", str(d / "model.joblib"), *map(str, files), "-o", str(a)]) == 0
    assert main(["detect", str(d / "model.joblib"), *map(str, files), "-o", str(b), "--stream",
                 "--block-size", "333"]) == 0
    for f in files:
        pd.testing.assert_frame_equal(read_events(a / (f.stem + ".tsv")),
                                      read_events(b / (f.stem + ".tsv")))


def test_detect_reports_bad_files_and_still_writes_the_good_ones(model_and_files, tmp_path,
                                                                 capsys):
    det, d, files = model_and_files
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"not audio")
    out = tmp_path / "out"
    status = main(["detect", str(d / "model.joblib"), str(bad), str(files[0]), "-o", str(out)])
    assert status == 1
    assert (out / "rec0.tsv").exists() and not (out / "broken.tsv").exists()
    assert "broken.wav" in capsys.readouterr().err


def test_detect_refuses_something_that_is_not_a_detector(tmp_path, capsys):
    joblib.dump(LogisticRegression(), tmp_path / "m.joblib")
    assert main(["detect", str(tmp_path / "m.joblib"), "x.wav"]) == 2
    assert "EventDetector" in capsys.readouterr().err


def test_console_script_help():
    res = subprocess.run([sys.executable, "-m", "sklaudio.cli", "detect", "--help"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "--stream" in res.stdout
