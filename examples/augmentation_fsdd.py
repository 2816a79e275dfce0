"""What audio augmentation buys a classical pipeline on FSDD, leave-one-speaker-out.

The pipeline is the repository's best classical one (``best`` in
``examples/compare_features.py``: :class:`sklaudio.Trim` at 30 dB, then MFCC-13 and
CMN-PNCC-13 trajectories plus MFCC-13 delta statistics, ``StandardScaler``,
``SVC(C=10)``). Each row of the table puts one augmenter of :mod:`sklaudio.augment`
in front of it, as an :class:`~sklaudio.augment.AugmentSampler` in an
``imblearn.pipeline.Pipeline``::

    Pipeline([("augment", AugmentSampler(augmenter, n_copies=1, sample_rate=8000,
                                         random_state=0)),
              ("trim", Trim(...)), ("features", union), ("scale", StandardScaler()),
              ("svc", SVC(C=10))])

and scores it with ``cross_val_score(..., groups=speakers, cv=GroupKFold(6))``: every fold
trains on the clips of five speakers plus ``n_copies`` augmented copies of each, and is
scored on the untouched clips of the sixth (the sampler runs in ``fit`` only). The
features are recomputed in every fold, exactly as a user's pipeline would.

Rows: ``none`` (no augmentation: the sampler with ``n_copies=0``), each transform
alone, and ``all`` (every transform in turn, each with probability 0.5). The gain
column is the difference to ``none`` in accuracy points; the folds are the same
speakers for every row, so ``paired`` gives the fold-wise gains' mean and their
range.

Needs ``pip install sklaudio[augment]`` (audiomentations for stretch and pitch,
imbalanced-learn for the Pipeline). Run from the repository root (about
1.5 min per row on one core; ``--n-jobs 2`` runs two folds at once)::

    SKLAUDIO_DATA=../shared/datasets python examples/augmentation_fsdd.py
    SKLAUDIO_DATA=../shared/datasets python examples/augmentation_fsdd.py --rows none shift_zeros
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import sklaudio
from sklaudio.augment import (
    AddNoise,
    AugmentSampler,
    Compose,
    Gain,
    PitchShift,
    TimeShift,
    TimeStretch,
)
from sklaudio.datasets import fetch_fsdd

SR = 8000


def union_features():
    """The ``union`` feature set of ``examples/compare_features.py``."""
    from sklearn.pipeline import FeatureUnion

    asr = {"sample_rate": SR, "n_fft": 256, "win_length": 200, "hop_length": 80}
    traj = {"pooling": ("mean", "std", "trajectory"), "trajectory_length": 24}
    return FeatureUnion([
        ("mfcc_traj", sklaudio.MFCC(n_mels=26, n_mfcc=13, ref="max", **asr, **traj)),
        ("pncc_traj", sklaudio.PNCC(sample_rate=SR, n_pncc=13, cmn=True, **traj)),
        ("mfcc_deltas", sklaudio.MFCC(n_mels=26, n_mfcc=13, ref="max", delta_order=2, **asr)),
    ])


def augmenters() -> dict:
    """Row name -> (description, augmenter)."""
    each = {
        "shift_circular": ("TimeShift(0.2): circular, up to 20 % of the clip",
                           TimeShift(0.2, mode="circular")),
        "shift_zeros": ("TimeShift(0.2, mode='zeros'): zero-filled, up to 20 %",
                        TimeShift(0.2, mode="zeros")),
        "stretch": ("TimeStretch(0.85, 1.15): tempo +-15 %, pitch kept", TimeStretch(0.85, 1.15)),
        "pitch": ("PitchShift(-2, 2): +-2 semitones, tempo kept", PitchShift(-2.0, 2.0)),
        "noise": ("AddNoise(10, 30): white noise at 10-30 dB SNR", AddNoise(10.0, 30.0)),
        "gain": ("Gain(-12, 12): level +-12 dB", Gain(-12.0, 12.0)),
    }
    chain = Compose([TimeShift(0.2, mode="zeros", p=0.5), TimeStretch(0.85, 1.15, p=0.5),
                     PitchShift(-2.0, 2.0, p=0.5), AddNoise(10.0, 30.0, p=0.5),
                     Gain(-12.0, 12.0, p=0.5)])
    return {"none": ("no augmentation (n_copies=0)", None), **each,
            "all": ("shift (zeros), stretch, pitch, noise, gain; each with p=0.5", chain)}


def pipeline(augmenter, n_copies: int, random_state: int) -> Pipeline:
    trim = sklaudio.Trim(top_db=30.0, frame_length=int(0.025 * SR), hop_length=int(0.010 * SR),
                         margin=int(0.010 * SR))
    sampler = AugmentSampler(augmenter if augmenter is not None else TimeShift(),
                             n_copies=n_copies if augmenter is not None else 0,
                             sample_rate=SR, random_state=random_state)
    return Pipeline([("augment", sampler), ("trim", trim), ("features", union_features()),
                     ("scale", StandardScaler()), ("svc", SVC(C=10))])


def main(argv=None):
    rows = augmenters()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", nargs="+", default=list(rows), choices=list(rows))
    parser.add_argument("--copies", type=int, default=1, help="augmented copies per clip")
    parser.add_argument("--n-jobs", type=int, default=1, help="folds run in parallel")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if "none" not in args.rows:
        args.rows.insert(0, "none")

    fsdd = fetch_fsdd()
    X, y, speakers = fsdd.data, np.asarray(fsdd.target), np.asarray(fsdd.speaker)
    cv = GroupKFold(n_splits=len(np.unique(speakers)))
    order = [np.unique(speakers[test])[0] for _, test in cv.split(X, y, speakers)]
    print(f"FSDD: {len(X)} clips, {len(order)} speakers; leave-one-speaker-out (GroupKFold), "
          f"Trim + union + StandardScaler + SVC(C=10); {args.copies} augmented copy(ies) per "
          f"training clip, random_state={args.seed}")
    print(f"fold order (test speaker): {', '.join(order)}\n")
    header = (f"{'row':15s} {'accuracy':>15s} {'gain':>7s} {'paired gain [min, max]':>24s}  "
              f"{'time':>6s}  per-fold accuracy (%)")
    print(header)
    print("-" * len(header))
    base = None
    for name in args.rows:
        desc, aug = rows[name]
        t0 = time.perf_counter()
        scores = cross_val_score(pipeline(aug, args.copies, args.seed), X, y, groups=speakers,
                                 cv=cv, n_jobs=args.n_jobs)
        dt = time.perf_counter() - t0
        if base is None:
            base = scores
        d = 100 * (scores - base)
        gain = "" if name == "none" else f"{d.mean():+6.1f}"
        paired = "" if name == "none" else f"[{d.min():+5.1f}, {d.max():+5.1f}]"
        folds = " ".join(f"{100 * s:5.1f}" for s in scores)
        print(f"{name:15s} {100 * scores.mean():6.1f} +- {100 * scores.std():4.1f} % {gain:>7s} "
              f"{paired:>24s}  {dt:5.0f}s  {folds}", flush=True)
    print("\nrows:")
    for name in args.rows:
        print(f"  {name:15s} {rows[name][0]}")


if __name__ == "__main__":
    main()
