"""The ``sklaudio`` command line.

``sklaudio detect MODEL AUDIO...`` runs a saved :class:`sklaudio.events.EventDetector`
(``joblib.dump(detector, "model.joblib")``) on audio files and writes each
file's events as a DCASE/sed_eval tab-separated list. ``--stream`` reads each
file in blocks, as a live source would deliver them, and emits events online.

Every command has ``--help``. Errors with one file are reported at the end
and do not stop the others; the exit status is 1 if any file failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _detect(args: argparse.Namespace) -> int:
    import joblib
    import soundfile as sf
    from tqdm.auto import tqdm

    from .events import EventDetector, write_events
    from .io import load

    try:
        model = joblib.load(args.model)
    except Exception as exc:  # noqa: BLE001 - any unpickling error is reported the same way
        print(f"sklaudio detect: cannot load the model {args.model!r}: {exc}", file=sys.stderr)
        return 2
    if not isinstance(model, EventDetector) or not hasattr(model, "classifier_"):
        print(f"sklaudio detect: {args.model!r} does not hold a fitted EventDetector "
              f"(got {type(model).__name__}).", file=sys.stderr)
        return 2
    sample_rate = int(round(model._grid_[0]))
    if args.output_dir:
        os.makedirs(args.output_dir, exist_ok=True)
    failed = []
    for path in tqdm(args.audio, desc="detect", unit="file", disable=not args.progress):
        try:
            if args.stream:
                info = sf.info(path)
                if int(info.samplerate) != sample_rate:
                    raise ValueError(f"the file is at {info.samplerate} Hz but the model expects "
                                     f"{sample_rate} Hz; --stream does not resample (drop "
                                     "--stream or resample the file)")
                blocks = (b if b.ndim == 1 else b.mean(axis=1)
                          for b in sf.blocks(path, blocksize=args.block_size, dtype="float32"))
                import pandas as pd

                events = pd.concat(list(model.stream_events(blocks)), ignore_index=True)
                events = events.sort_values(["onset", "event_label"], ignore_index=True)
            else:
                y, _ = load(path, sample_rate=sample_rate)
                events = model.predict([y])[0]
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
            failed.append((path, f"{type(exc).__name__}: {exc}"))
            continue
        if args.output_dir:
            stem = os.path.splitext(os.path.basename(path))[0]
            write_events(events, os.path.join(args.output_dir, stem + ".tsv"))
        else:
            out = events.assign(filename=path)[["filename", "onset", "offset", "event_label"]]
            out.to_csv(sys.stdout, sep="\t", header=False, index=False, float_format="%.3f")
    for path, why in failed:
        print(f"sklaudio detect: {path}: {why}", file=sys.stderr)
    if failed:
        print(f"sklaudio detect: {len(failed)} of {len(args.audio)} file(s) failed.",
              file=sys.stderr)
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sklaudio`` command (one sub-command per task)."""
    parser = argparse.ArgumentParser(
        prog="sklaudio", description="Audio features, classification and event detection "
        "with sklaudio.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    det = sub.add_parser(
        "detect", help="detect sound events in audio files with a saved EventDetector",
        description="Run a fitted sklaudio.events.EventDetector saved with joblib.dump on "
        "audio files and write each file's events (onset, offset in seconds, label) as "
        "tab-separated text.")
    det.add_argument("model", help="the detector, saved with joblib.dump")
    det.add_argument("audio", nargs="+", help="audio files (any format libsndfile reads)")
    det.add_argument("-o", "--output-dir", help="write FILE.tsv per audio file here "
                     "(default: all events to standard output, with the file name first)")
    det.add_argument("--stream", action="store_true", help="read each file in blocks as a "
                     "live source would and detect online (same events, emitted with the "
                     "detector's latency)")
    det.add_argument("--block-size", type=int, default=1024, help="samples per block with "
                     "--stream (default 1024)")
    det.add_argument("--progress", action="store_true", help="show a progress bar")
    det.set_defaults(func=_detect)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sklaudio`` console script.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        Arguments (without the program name); ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        The exit status: 0 on success, 1 if some file failed, 2 on a usage
        error.
    """
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
