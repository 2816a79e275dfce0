"""Per-clip jitter and shimmer of sklaudio against Praat (parselmouth) on FSDD speech.

Run: ``PYTHONPATH=. python benchmarks/compare_voice_praat.py [n_clips]`` (needs
``praat-parselmouth`` and ``../shared/datasets/fsdd``). Prints the medians, Pearson and
Spearman correlations across clips and the median relative difference.
"""

from __future__ import annotations

import glob
import sys

import numpy as np
import parselmouth
import soundfile as sf
from parselmouth.praat import call
from scipy.stats import pearsonr, spearmanr

from sklaudio.functional import jitter, shimmer

ROOT = "/work/shared/datasets/fsdd"


def main(n_clips=60):
    files = sorted(glob.glob(f"{ROOT}/**/*.wav", recursive=True))[::30][:n_clips]
    rows = []
    for f in files:
        y, sr = sf.read(f)
        snd = parselmouth.Sound(y, sr)
        try:
            pp = call(snd, "To PointProcess (periodic, cc)", 75, 600)
            pj = call(pp, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
            ps = call([snd, pp], "Get shimmer (local_dB)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
        except parselmouth.PraatError:
            continue
        fmax = min(600, sr / 2)
        rows.append((pj, jitter(y, sample_rate=sr, fmax=fmax),
                     ps, shimmer(y, sample_rate=sr, fmax=fmax)))
    a = np.array(rows, dtype=float)
    a = a[np.isfinite(a).all(1)]
    print(f"{len(files)} clips, {len(a)} with both values")
    for name, (p, o) in (("jitter", a[:, :2].T), ("shimmer_dB", a[:, 2:].T)):
        print(f"{name}: praat median {np.median(p):.4f}, sklaudio median {np.median(o):.4f}, "
              f"pearson {pearsonr(p, o)[0]:.3f}, spearman {spearmanr(p, o)[0]:.3f}, "
              f"median rel diff {np.median(np.abs(o - p) / p):.3f}")


if __name__ == "__main__":
    main(*(int(v) for v in sys.argv[1:]))
