"""How close is sklaudio's MFCC to librosa's? Max relative error on real FSDD speech.

For every clip, ``max |sklaudio - librosa| / max |librosa|`` of the MFCC frames
(librosa defaults, 20 coefficients), in float64 and float32, with the clips at
8 kHz and resampled (soxr) to 22.05 and 48 kHz. Prints the worst clip per case.

Run from the repository root (needs librosa: ``pip install ".[test]"``)::

    SKLAUDIO_DATA=../shared/datasets python examples/compare_with_librosa.py --n-clips 300
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import soxr

from sklaudio import MFCC
from sklaudio import functional as F
from sklaudio.datasets import fetch_fsdd


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-clips", type=int, default=300, help="clips per case (every k-th)")
    args = parser.parse_args(argv)
    import librosa

    data = fetch_fsdd().data
    step = max(1, len(data) // args.n_clips)
    clips8k = data[::step]
    print(f"{len(clips8k)} FSDD clips per case; tolerance: 1e-5 (float64), 1e-3 (float32)\n")
    print("| rate (Hz) | dtype | functional max rel. err | transform_frames max rel. err |")
    print("|---:|---|---:|---:|")
    for sr in (8000, 22050, 48000):
        clips = clips8k if sr == 8000 else [soxr.resample(x, 8000, sr) for x in clips8k]
        for dtype in ("float64", "float32"):
            est = MFCC(sample_rate=sr, dtype=dtype).fit(clips)
            frames = est.transform_frames(clips)
            e_fun = e_est = 0.0
            for x, fr in zip(clips, frames):
                x = x.astype(dtype)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ref = librosa.feature.mfcc(y=x, sr=sr)
                scale = np.abs(ref).max()
                e_fun = max(e_fun, np.abs(F.mfcc(x, sample_rate=sr) - ref).max() / scale)
                e_est = max(e_est, np.abs(fr - ref).max() / scale)
            print(f"| {sr} | {dtype} | {e_fun:.1e} | {e_est:.1e} |")


if __name__ == "__main__":
    main()
