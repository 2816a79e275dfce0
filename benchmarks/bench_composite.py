"""Cost of AudioFeatures(MFCC + chroma + five spectral descriptors) relative to MFCC alone.

Issue target: the 7-feature composite costs <= 1.5x MFCC alone with the same framing.
Two real-audio workloads: all FSDD clips at 8 kHz (n_fft 256, hop 80, 40 mels, 4 contrast
bands) and W1-like clips (FSDD recordings concatenated, resampled to 22,050 Hz with
``scipy.signal.resample_poly``, cut into 3-5 s pieces; n_fft 2048, hop 512, 128 mels).
Thread CPU time of ``transform``, interleaved, minimum over repeats, 1 thread.

Usage (from the repository root)::

    SKLAUDIO_DATA=../shared/datasets python benchmarks/bench_composite.py [--repeat 10]
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
from scipy.signal import resample_poly  # noqa: E402

from sklaudio import MFCC, AudioFeatures  # noqa: E402

FEATS = ("mfcc", "chroma", "spectral_centroid", "spectral_bandwidth", "spectral_rolloff",
         "spectral_flatness", "spectral_contrast")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    root = Path(os.environ.get("SKLAUDIO_DATA", "../shared/datasets")) / "fsdd" / "recordings"
    files = sorted(root.glob("*.wav"))
    if not files:
        raise SystemExit(f"No FSDD recordings under {root}; set SKLAUDIO_DATA.")
    fsdd = [sf.read(f, dtype="float32")[0] for f in files]
    long = resample_poly(np.concatenate(fsdd[:600]).astype(np.float64), 441, 160)
    long = long.astype(np.float32)
    rng = np.random.default_rng(0)
    w1, pos = [], 0
    while len(w1) < 40 and pos < len(long):
        n = int(22050 * rng.uniform(3, 5))
        w1.append(long[pos:pos + n])
        pos += n
    cases = {
        "W1-like (40 clips of 3-5 s, 22,050 Hz, n_fft 2048)": (22050, 2048, 512, 128, {}, w1),
        f"FSDD ({len(fsdd)} clips, 8 kHz, n_fft 256)": (8000, 256, 80, 40,
                                                       {"contrast_n_bands": 4}, fsdd),
    }
    print("| workload | MFCC (ms) | AudioFeatures, 7 features (ms) | ratio |")
    print("|---|---:|---:|---:|")
    for name, (sr, n_fft, hop, n_mels, kw, X) in cases.items():
        frames = dict(sample_rate=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels)
        m = MFCC(**frames).fit(X[:2])
        a = AudioFeatures(features=FEATS, **frames, **kw).fit(X[:2])
        m.transform(X)
        a.transform(X)
        tm, ta = [], []
        for _ in range(args.repeat):
            t = time.thread_time()
            m.transform(X)
            tm.append(time.thread_time() - t)
            t = time.thread_time()
            a.transform(X)
            ta.append(time.thread_time() - t)
        print(f"| {name} | {min(tm) * 1e3:.1f} | {min(ta) * 1e3:.1f} | {min(ta) / min(tm):.2f} |")


if __name__ == "__main__":
    main()
