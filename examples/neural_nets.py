"""Neural nets in scikit-learn Pipelines on FSDD: sklaudio.nn's MLP and log-mel CNN.

Two experiments on the Free Spoken Digit Dataset (3,000 clips, 6 speakers, 8 kHz):

1. **Official split** (takes 5-49 train, 0-4 test)::

       Pipeline([("mfcc", MFCC(sample_rate=8000)), ("scale", StandardScaler()),
                 ("mlp", MLPClassifier(random_state=0))])

2. **Leave-one-speaker-out** (``GroupKFold`` by speaker: train on five speakers, test on
   the sixth), one row per model:

   ``svc``        MFCC + StandardScaler + SVC(C=10)
   ``mlp``        MFCC + StandardScaler + MLPClassifier
   ``cnn``        LogMelPatches(40 mels x 64 frames of 10 ms) + CNNClassifier
   ``cnn_aug``    the same CNN, trained on the clips plus ``--copies`` augmented copies of
                  each (time shift, stretch, pitch, noise, gain, each with p=0.5; an
                  :class:`~sklaudio.augment.AugmentSampler` in an imbalanced-learn Pipeline,
                  so in ``fit`` only) and with mixup (``mixup_alpha=0.2``)

Needs ``pip install "sklaudio[torch,augment]"``. Run from the repository root::

    SKLAUDIO_DATA=../shared/datasets python examples/neural_nets.py
    SKLAUDIO_DATA=../shared/datasets python examples/neural_nets.py --rows svc mlp --folds 6
    SKLAUDIO_DATA=../shared/datasets python examples/neural_nets.py --skip-official \\
        --rows cnn cnn_aug --folds 2 --max-epochs 30

On 2 cores a CNN fold takes minutes (``--folds N`` runs only the first N speakers' folds).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from imblearn.pipeline import Pipeline as ImbPipeline
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklaudio import MFCC, LogMelPatches
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
from sklaudio.nn import CNNClassifier, MLPClassifier

SR = 8000


def patches():
    return LogMelPatches(sample_rate=SR, n_fft=256, hop_length=80, n_mels=40, n_frames=64)


def models(max_epochs: int, copies: int, seed: int) -> dict:
    augment = Compose([TimeShift(0.2, mode="zeros", p=0.5), TimeStretch(0.85, 1.15, p=0.5),
                       PitchShift(-2.0, 2.0, p=0.5), AddNoise(10.0, 30.0, p=0.5),
                       Gain(-12.0, 12.0, p=0.5)])
    cnn = dict(max_epochs=max_epochs, random_state=seed)
    return {
        "svc": lambda: Pipeline([("mfcc", MFCC(sample_rate=SR)), ("scale", StandardScaler()),
                                 ("svc", SVC(C=10))]),
        "mlp": lambda: Pipeline([("mfcc", MFCC(sample_rate=SR)), ("scale", StandardScaler()),
                                 ("mlp", MLPClassifier(random_state=seed))]),
        "cnn": lambda: Pipeline([("patches", patches()), ("cnn", CNNClassifier(**cnn))]),
        "cnn_aug": lambda: ImbPipeline([
            ("augment", AugmentSampler(augment, n_copies=copies, sample_rate=SR,
                                       random_state=seed)),
            ("patches", patches()), ("cnn", CNNClassifier(mixup_alpha=0.2, **cnn))]),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", nargs="+", default=["svc", "mlp", "cnn", "cnn_aug"],
                        choices=["svc", "mlp", "cnn", "cnn_aug"])
    parser.add_argument("--folds", type=int, default=6, help="run the first N speaker folds")
    parser.add_argument("--speakers", nargs="+", default=None,
                        help="run only the folds that test these speakers")
    parser.add_argument("--max-epochs", type=int, default=40, help="CNN epochs (at most)")
    parser.add_argument("--copies", type=int, default=1, help="augmented copies per clip")
    parser.add_argument("--skip-official", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    fsdd = fetch_fsdd()
    X, y, speakers = fsdd.data, np.asarray(fsdd.target), np.asarray(fsdd.speaker)

    if not args.skip_official:
        train, test = fetch_fsdd(subset="train"), fetch_fsdd(subset="test")
        pipe = Pipeline([("mfcc", MFCC(sample_rate=SR)), ("scale", StandardScaler()),
                         ("mlp", MLPClassifier(random_state=args.seed))])
        t0 = time.perf_counter()
        pipe.fit(train.data, train.target)
        acc = pipe.score(test.data, test.target)
        print(f"official split (2,700 / 300): MFCC + StandardScaler + MLPClassifier: "
              f"{100 * acc:.1f} % ({time.perf_counter() - t0:.0f} s, "
              f"{len(pipe[-1].history_)} epochs)\n", flush=True)

    cv = GroupKFold(n_splits=len(np.unique(speakers)))
    folds = list(cv.split(X, y, speakers))
    if args.speakers:
        folds = [f for f in folds if np.unique(speakers[f[1]])[0] in args.speakers]
    folds = folds[:args.folds]
    order = [str(np.unique(speakers[test])[0]) for _, test in folds]
    print(f"leave-one-speaker-out, test speakers: {', '.join(order)}")
    header = f"{'row':8s} {'accuracy':>15s} {'s/fold':>7s}  per-fold accuracy (%)"
    print(header)
    print("-" * len(header))
    build = models(args.max_epochs, args.copies, args.seed)
    for name in args.rows:
        scores, t0 = [], time.perf_counter()
        for train_idx, test_idx in folds:
            est = build[name]()
            est.fit([X[i] for i in train_idx], y[train_idx])
            scores.append(est.score([X[i] for i in test_idx], y[test_idx]))
        scores = np.asarray(scores)
        dt = (time.perf_counter() - t0) / len(folds)
        print(f"{name:8s} {100 * scores.mean():6.1f} +- {100 * scores.std():4.1f} % {dt:6.0f}s  "
              + " ".join(f"{100 * s:5.1f}" for s in scores), flush=True)


if __name__ == "__main__":
    main()
