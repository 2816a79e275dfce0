"""Shared fixtures: real FSDD audio from ``$SKLAUDIO_DATA`` (never the network)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf


def _fsdd_dir() -> Path | None:
    root = os.environ.get("SKLAUDIO_DATA")
    candidates = [Path(root)] if root else []
    candidates.append(Path(__file__).resolve().parents[1].parent / "shared" / "datasets")
    for c in candidates:
        d = c / "fsdd" / "recordings"
        if d.is_dir() and any(d.glob("*.wav")):
            return d
    return None


FSDD_DIR = _fsdd_dir()
_NAME = re.compile(r"(\d)_([a-z]+)_(\d+)\.wav$")


def fsdd_files() -> list[Path]:
    if FSDD_DIR is None:
        pytest.skip("FSDD not found: set SKLAUDIO_DATA to the folder holding fsdd/recordings")
    return sorted(FSDD_DIR.glob("*.wav"))


@pytest.fixture(scope="session")
def fsdd_dir() -> Path:
    """The shared FSDD ``recordings`` folder; the test is skipped when it is absent."""
    fsdd_files()
    return FSDD_DIR


@pytest.fixture(scope="session")
def fsdd_paths() -> list[Path]:
    """All 3,000 FSDD recording paths, sorted by name."""
    return fsdd_files()


@pytest.fixture(scope="session")
def fsdd_sample() -> list[np.ndarray]:
    """24 real FSDD clips (float32, 8 kHz): every speaker, several digits, shortest and longest."""
    files = fsdd_files()
    lengths = {f: sf.info(str(f)).frames for f in files}
    pick = files[::125] + [min(files, key=lengths.get), max(files, key=lengths.get)]
    return [sf.read(str(f), dtype="float32")[0] for f in pick]


@pytest.fixture(scope="session")
def fsdd_split():
    """The official split as (X_train, y_train, X_test, y_test) of float32 clips."""
    files = fsdd_files()
    X, y, test = [], [], []
    for f in files:
        m = _NAME.search(f.name)
        X.append(sf.read(str(f), dtype="float32")[0])
        y.append(int(m.group(1)))
        test.append(int(m.group(3)) < 5)
    y = np.asarray(y)
    test = np.asarray(test)
    Xtr = [x for x, t in zip(X, test) if not t]
    Xte = [x for x, t in zip(X, test) if t]
    return Xtr, y[~test], Xte, y[test]
