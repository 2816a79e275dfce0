"""The ``sklaudio`` command line.

``sklaudio extract PATHS... -o features.csv|parquet`` writes one row of
:class:`sklaudio.AudioFeatures` per audio file (directories are searched
recursively), in parallel threads or on a Dask cluster (``--scheduler``), and
can resume an interrupted run (``--resume``).

``sklaudio evaluate DIR`` cross-validates the default pipeline
(AudioFeatures + StandardScaler + SVC) on a folder-per-class data set
(``DIR/<class>/*.wav``) and reports accuracy, macro-F1, a per-class report and
a confusion matrix (text, and a PNG with ``-o``).

``sklaudio detect MODEL AUDIO...`` runs a saved :class:`sklaudio.events.EventDetector`
(``joblib.dump(detector, "model.joblib")``) on audio files and writes each
file's events as a DCASE/sed_eval tab-separated list. ``--stream`` reads each
file in blocks, as a live source would deliver them, and emits events online.

Every command has ``--help``. Errors with one file are reported at the end
and do not stop the others; the exit status is 1 if any file failed, 2 on a
usage error. The commands use the public API only.
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


# ---------------------------------------------------------------------------
# Shared helpers of extract and evaluate
# ---------------------------------------------------------------------------


class _UsageError(Exception):
    """A problem with the command's arguments: reported in one line, exit status 2."""


def _name_list(values) -> list[str]:
    """``["mfcc,chroma", "rms"]`` (repeated and/or comma-separated options) -> names."""
    out = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _parse_param(text: str):
    import ast

    if "=" not in text:
        raise _UsageError(f"--param takes NAME=VALUE, got {text!r}")
    key, value = (t.strip() for t in text.split("=", 1))
    try:
        return key, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key, value  # a bare string, e.g. window=hamming


def _feature_params(args: argparse.Namespace) -> dict:
    """AudioFeatures' parameters from the options (sample_rate is added later)."""
    from . import AudioFeatures

    params = {}
    feats = _name_list(args.features)
    if feats:
        if feats == ["all"]:
            feats = list(AudioFeatures.available_features())
        params["features"] = tuple(feats)
    pooling = _name_list(args.pooling)
    if pooling:
        params["pooling"] = tuple(pooling)
    for opt in ("n_fft", "hop_length", "n_mels", "n_mfcc"):
        if getattr(args, opt) is not None:
            params[opt] = getattr(args, opt)
    known = AudioFeatures().get_params()
    for text in args.param or ():
        key, value = _parse_param(text)
        if key not in known or key in ("sample_rate", "n_jobs"):
            raise _UsageError(f"--param {key}: not an AudioFeatures parameter "
                              "(see python -c 'import sklaudio; help(sklaudio.AudioFeatures)'; "
                              "use --sample-rate and --n-jobs for those two)")
        if isinstance(value, list):
            value = tuple(value)
        params[key] = value
    return params


def _common_rate(paths: list[str]) -> int | None:
    """The one sample rate of the readable files, or a usage error naming the rates."""
    import soundfile as sf

    rates: dict[int, list[str]] = {}
    for p in paths:
        try:
            rates.setdefault(int(sf.info(p).samplerate), []).append(p)
        except Exception:  # noqa: BLE001 - unreadable files fail later, with their reason
            continue
    if len(rates) > 1:
        lines = [f"  {len(ps)} file(s) at {r} Hz, e.g. {ps[0]}" for r, ps in sorted(rates.items())]
        raise _UsageError("the files have different sample rates:\n" + "\n".join(lines) +
                          "\npass --sample-rate HZ to resample every file to one rate")
    return next(iter(rates)) if rates else None


def _build_features(args: argparse.Namespace, paths: list[str]):
    """A fitted AudioFeatures for the options (usage errors for invalid parameters)."""
    import numpy as np

    from . import AudioFeatures

    params = _feature_params(args)
    rate = args.sample_rate if args.sample_rate is not None else _common_rate(paths)
    params["sample_rate"] = rate if rate is not None else 22050
    try:
        est = AudioFeatures(**params)
        est.fit([np.zeros(est.n_fft, dtype=np.float32)])
    except (ValueError, TypeError) as exc:
        raise _UsageError(f"{exc}\n(AudioFeatures' parameters: --features, --pooling, --n-fft, "
                          "--hop-length, --n-mels, --n-mfcc, or --param NAME=VALUE, e.g. "
                          "--param contrast_n_bands=4)") from exc
    return est


def _report_failures(cmd: str, failures, n_total: int) -> None:
    for path, why in failures:
        print(f"sklaudio {cmd}: {path}: {why}", file=sys.stderr)
    if failures:
        print(f"sklaudio {cmd}: {len(failures)} of {n_total} file(s) failed.", file=sys.stderr)


# ---------------------------------------------------------------------------
# extract: feature tables
# ---------------------------------------------------------------------------

_PATH_COLUMN = "path"


def _output_format(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        return "csv"
    if ext in (".parquet", ".pq"):
        return "parquet"
    raise _UsageError(f"-o {path}: the output must end with .csv or .parquet")


def _import_pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise _UsageError("writing Parquet needs pyarrow: pip install 'sklaudio[parquet]' "
                          "(or write a .csv)") from exc
    return pa, pq


def _read_existing(path: str, fmt: str) -> tuple[list[str], list[str]] | None:
    """(columns, paths) of an existing output file, or None if there is none."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    if fmt == "parquet":
        _, pq = _import_pyarrow()
        try:
            table = pq.read_table(path, columns=[_PATH_COLUMN])
            columns = pq.read_schema(path).names
        except Exception as exc:  # noqa: BLE001 - any reading error
            raise _UsageError(f"--resume: cannot read {path}: {exc}") from exc
        return columns, table.column(_PATH_COLUMN).to_pylist()
    import csv

    _truncate_partial_line(path)
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        columns = next(rows, [])
        done = [r[0] for r in rows if r]
    return columns, done


def _truncate_partial_line(path: str) -> None:
    """Cut an interrupted last line off a CSV file, so appending keeps it valid."""
    with open(path, "rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        # find the last newline (the file is small enough per block to scan backwards)
        pos, block = size, 1 << 16
        while pos > 0:
            start = max(0, pos - block)
            f.seek(start)
            chunk = f.read(pos - start)
            i = chunk.rfind(b"\n")
            if i >= 0:
                f.truncate(start + i + 1)
                return
            pos = start
        f.truncate(0)


class _CsvWriter:
    """Rows appended batch by batch and flushed, so an interrupted run leaves whole rows."""

    def __init__(self, path, columns, dtype, append):
        import csv

        self._f = open(path, "a" if append else "w", newline="", encoding="utf-8")
        self._w = csv.writer(self._f)
        # 9 significant digits round-trip float32 exactly, 17 float64
        self._fmt = "%.9g" if dtype.itemsize == 4 else "%.17g"
        if not append:
            self._w.writerow(columns)
            self._f.flush()

    def write(self, paths, X):
        fmt = self._fmt
        self._w.writerows([p, *(fmt % v for v in row.tolist())] for p, row in zip(paths, X))
        self._f.flush()

    def close(self):
        self._f.close()  # closing twice is harmless


class _ParquetWriter:
    """Row groups written to ``PATH.partial``, renamed over PATH when closed.

    A Parquet file is valid only once its footer is written, so the output is
    replaced atomically at the end (also after Ctrl-C); rows of a resumed run
    are copied first.
    """

    def __init__(self, path, columns, dtype, append):
        pa, pq = _import_pyarrow()
        self._pa = pa
        self._path = path
        self._tmp = path + ".partial"
        fields = [pa.field(_PATH_COLUMN, pa.string())]
        ftype = pa.float32() if dtype.itemsize == 4 else pa.float64()
        fields += [pa.field(c, ftype) for c in columns[1:]]
        self._schema = pa.schema(fields)
        old = pq.read_table(path) if append else None
        self._w = pq.ParquetWriter(self._tmp, self._schema)
        if old is not None and old.num_rows:
            self._w.write_table(old.cast(self._schema))

    def write(self, paths, X):
        pa = self._pa
        arrays = [pa.array(paths, pa.string())]
        arrays += [pa.array(X[:, j]) for j in range(X.shape[1])]
        self._w.write_table(pa.Table.from_arrays(arrays, schema=self._schema))

    def close(self):
        if self._w is None:
            return
        self._w.close()
        self._w = None
        os.replace(self._tmp, self._path)


def _extract(args: argparse.Namespace) -> int:
    import numpy as np
    from tqdm.auto import tqdm

    from . import AudioFeatures
    from .io import find_audio_files, iter_transform_files

    if args.list_features:
        print("\n".join(AudioFeatures.available_features()))
        return 0
    if not args.paths:
        raise _UsageError("give audio files or directories (PATHS), or --list-features")
    if not args.output:
        raise _UsageError("-o/--output FILE.csv|FILE.parquet is required")
    fmt = _output_format(args.output)
    if fmt == "parquet":
        _import_pyarrow()
    paths = find_audio_files(args.paths)
    if not paths:
        raise _UsageError(f"no audio files in {' '.join(args.paths)}")

    existing = _read_existing(args.output, fmt) if args.resume else None
    done = set(existing[1]) if existing else set()
    todo = [p for p in paths if p not in done]
    est = _build_features(args, todo)
    columns = [_PATH_COLUMN, *est.get_feature_names_out()]
    if existing and existing[0] != columns:
        raise _UsageError(f"--resume: {args.output} has other columns than these options "
                          f"produce ({len(existing[0])} vs {len(columns)}; first difference at "
                          f"{_first_difference(existing[0], columns)}); use the options of "
                          "the first run or another output file")
    if not args.quiet and done:
        print(f"sklaudio extract: {len(paths) - len(todo)} of {len(paths)} file(s) already in "
              f"{args.output}; {len(todo)} to do.", file=sys.stderr)
    if not todo:
        return 0

    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    Writer = _CsvWriter if fmt == "csv" else _ParquetWriter
    writer = Writer(args.output, columns, np.dtype(est.dtype), append=existing is not None)
    failures = []
    n_written = 0
    bar = tqdm(total=len(todo), desc="extract", unit="file", disable=args.quiet)
    try:
        batches = iter_transform_files(est, todo, batch_size=args.batch_size,
                                       n_jobs=args.n_jobs, client=args.scheduler)
        for batch in batches:
            if batch.paths:
                writer.write(batch.paths, batch.features)
                n_written += len(batch.paths)
            failures.extend(batch.failures)
            bar.update(len(batch.paths) + len(batch.failures))
    except KeyboardInterrupt:
        bar.close()
        writer.close()  # the rows so far stay valid (Parquet: renamed into place)
        _report_failures("extract", failures, len(todo))
        print(f"sklaudio extract: interrupted after {n_written} new row(s) in {args.output}; "
              "run the same command with --resume to go on.", file=sys.stderr)
        return 130
    finally:
        bar.close()
        writer.close()
    _report_failures("extract", failures, len(todo))
    if not args.quiet:
        print(f"sklaudio extract: wrote {n_written} row(s) of {len(columns) - 1} features to "
              f"{args.output}.", file=sys.stderr)
    return 1 if failures else 0


def _first_difference(a, b) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"column {i}: {x!r} vs {y!r}"
    return f"column {min(len(a), len(b))}"


# ---------------------------------------------------------------------------
# evaluate: cross-validation on a folder-per-class data set
# ---------------------------------------------------------------------------

_CLASSIFIERS = ("svc", "logreg", "knn", "rf")


def _classifier(name: str, seed: int):
    if name == "svc":
        from sklearn.svm import SVC

        return SVC()
    if name == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=2000)
    if name == "knn":
        from sklearn.neighbors import KNeighborsClassifier

        return KNeighborsClassifier()
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(random_state=seed)


def _class_folders(root: str) -> dict[str, list[str]]:
    from .io import find_audio_files

    if not os.path.isdir(root):
        raise _UsageError(f"{root} is not a directory (expected DIR/<class>/<files>)")
    classes = sorted(d for d in os.listdir(root)
                     if not d.startswith(".") and os.path.isdir(os.path.join(root, d)))
    files = {c: find_audio_files(os.path.join(root, c)) for c in classes}
    files = {c: f for c, f in files.items() if f}
    if len(files) < 2:
        raise _UsageError(f"{root} needs at least two class folders with audio files "
                          f"(found {len(files)}: {list(files)})")
    return files


def _save_confusion_png(path, y_true, y_pred, labels, title):
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise _UsageError("-o needs matplotlib for the PNG: pip install 'sklaudio[display]'") \
            from exc
    from sklearn.metrics import ConfusionMatrixDisplay

    size = max(4.5, 0.45 * len(labels) + 2.5)
    fig = Figure(figsize=(size + 1, size), layout="constrained")
    ax = fig.add_subplot()
    ConfusionMatrixDisplay.from_predictions(y_true, y_pred, labels=labels, ax=ax,
                                            xticks_rotation="vertical", colorbar=True)
    ax.set_title(title)
    out_dir = os.path.dirname(os.path.abspath(path))
    os.makedirs(out_dir, exist_ok=True)
    fig.savefig(path, dpi=110)


def _evaluate(args: argparse.Namespace) -> int:
    import json

    import numpy as np
    from sklearn.metrics import classification_report, confusion_matrix
    from sklearn.model_selection import (
        StratifiedKFold,
        cross_val_predict,
        cross_validate,
    )
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from .io import transform_files

    if args.output:
        try:
            import matplotlib  # noqa: F401
        except ImportError as exc:
            raise _UsageError("-o needs matplotlib for the PNG: pip install "
                              "'sklaudio[display]'") from exc
    folders = _class_folders(args.directory)
    paths = [p for files in folders.values() for p in files]
    label_of = {p: c for c, files in folders.items() for p in files}
    est = _build_features(args, paths)
    res = transform_files(est, paths, batch_size=args.batch_size, n_jobs=args.n_jobs,
                          client=args.scheduler, verbose=not args.quiet)
    _report_failures("evaluate", res.failures, len(paths))
    X = res.features
    y = np.array([label_of[p] for p in res.paths])
    labels = sorted(set(y))
    counts = {c: int((y == c).sum()) for c in labels}
    if len(labels) < 2 or min(counts.values()) < args.folds:
        raise _UsageError(f"--folds {args.folds} needs at least {args.folds} readable files in "
                          f"each of at least two classes; files per class: {counts}")
    cv = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
    model = make_pipeline(StandardScaler(), _classifier(args.classifier, args.seed))
    scores = cross_validate(model, X, y, cv=cv, scoring=("accuracy", "f1_macro"))
    y_pred = cross_val_predict(model, X, y, cv=cv)
    acc, f1 = scores["test_accuracy"], scores["test_f1_macro"]
    cm = confusion_matrix(y, y_pred, labels=labels)

    print(f"{len(y)} files, {len(labels)} classes, {X.shape[1]} features "
          f"({', '.join(est.features)} at {est.sample_rate} Hz), "
          f"{args.classifier} after StandardScaler, {args.folds}-fold stratified CV "
          f"(shuffled, seed {args.seed})")
    print(f"accuracy  {acc.mean():.3f} +- {acc.std():.3f}  folds: "
          + " ".join(f"{a:.3f}" for a in acc))
    print(f"macro-F1  {f1.mean():.3f} +- {f1.std():.3f}  folds: "
          + " ".join(f"{a:.3f}" for a in f1))
    print("\nper class (out-of-fold predictions):")
    print(classification_report(y, y_pred, labels=labels, digits=3, zero_division=0))
    width = max(len(c) for c in labels)
    print("confusion matrix (rows: true, columns: predicted, in the order above):")
    for c, row in zip(labels, cm):
        print(f"  {c:>{width}}  " + " ".join(f"{v:4d}" for v in row))
    if args.output:
        _save_confusion_png(args.output, y, y_pred, labels,
                            f"{os.path.basename(os.path.normpath(args.directory))}: accuracy "
                            f"{acc.mean():.3f}, macro-F1 {f1.mean():.3f} ({args.folds}-fold)")
        print(f"\nconfusion matrix written to {args.output}")
    if args.report:
        report = {
            "n_files": len(y), "classes": labels, "files_per_class": counts,
            "features": list(est.features), "sample_rate": est.sample_rate,
            "classifier": args.classifier, "folds": args.folds, "seed": args.seed,
            "accuracy": acc.tolist(), "f1_macro": f1.tolist(),
            "accuracy_mean": float(acc.mean()), "f1_macro_mean": float(f1.mean()),
            "classification_report": classification_report(
                y, y_pred, labels=labels, output_dict=True, zero_division=0),
            "confusion_matrix": cm.tolist(),
            "failures": [list(f) for f in res.failures],
        }
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 1 if res.failures else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sklaudio`` command (one sub-command per task)."""
    parser = argparse.ArgumentParser(
        prog="sklaudio", description="Audio features, classification and event detection "
        "with sklaudio.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    feats = argparse.ArgumentParser(add_help=False)
    g = feats.add_argument_group("features (sklaudio.AudioFeatures, one STFT pass)")
    g.add_argument("--features", action="append", metavar="NAMES",
                   help="comma-separated feature names, or 'all' (repeatable; default: "
                   "AudioFeatures' default set; list them with 'sklaudio extract "
                   "--list-features')")
    g.add_argument("--sample-rate", type=int, metavar="HZ",
                   help="resample every file to HZ (default: the files' own rate, which "
                   "must then be the same for all)")
    g.add_argument("--pooling", action="append", metavar="STATS",
                   help="comma-separated statistics over each clip's frames: mean, std, "
                   "min, max, median, p<q>, skew, kurtosis, slope, trajectory "
                   "(default: mean,std)")
    g.add_argument("--n-fft", type=int, help="FFT size in samples (default 2048)")
    g.add_argument("--hop-length", type=int, help="hop in samples (default 512)")
    g.add_argument("--n-mels", type=int, help="mel bands (default 128)")
    g.add_argument("--n-mfcc", type=int, help="MFCCs (default 20)")
    g.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="any other AudioFeatures parameter, e.g. --param fmax=4000 "
                   "--param contrast_n_bands=4 (repeatable; VALUE is a Python literal "
                   "or a bare string)")
    run = argparse.ArgumentParser(add_help=False)
    r = run.add_argument_group("execution")
    r.add_argument("--n-jobs", type=int, default=None, metavar="N",
                   help="batches of files processed at once in threads (-1: all CPUs; "
                   "each thread's feature engine then runs single-threaded, so the "
                   "threads never exceed N; default 1)")
    r.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs "
                   "sklaudio[dask]; the files must be readable at the same paths on "
                   "the workers; --n-jobs is then ignored)")
    r.add_argument("--batch-size", type=int, default=64, metavar="N",
                   help="files per feature call / per cluster task (default 64)")
    r.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar and no summary")

    ext = sub.add_parser(
        "extract", parents=[feats, run], help="write a feature table, one row per audio file",
        description="Compute sklaudio.AudioFeatures for every audio file and write one row "
        "per file: the path, then the columns of AudioFeatures.get_feature_names_out(), "
        "equal to AudioFeatures(...).fit_transform of the files loaded with "
        "sklaudio.load (mono, --sample-rate). Directories are searched recursively for "
        "audio files. Files that fail are reported at the end (exit status 1); the others "
        "are written.",
        epilog="example: sklaudio extract recordings/ -o features.parquet --features "
        "mfcc,chroma --n-fft 256 --hop-length 80 --n-mels 40 --n-jobs 2")
    ext.add_argument("paths", nargs="*", metavar="PATHS",
                     help="audio files and directories")
    ext.add_argument("-o", "--output", metavar="FILE",
                     help="FILE.csv or FILE.parquet (Parquet needs sklaudio[parquet])")
    ext.add_argument("--resume", action="store_true",
                     help="skip the files already in FILE and append the others (the "
                     "options must be those of the first run); without it FILE is "
                     "overwritten")
    ext.add_argument("--list-features", action="store_true",
                     help="print the feature names --features accepts and exit")
    ext.set_defaults(func=_extract)

    ev = sub.add_parser(
        "evaluate", parents=[feats, run],
        help="cross-validate a classifier on a folder-per-class data set",
        description="Cross-validate AudioFeatures + StandardScaler + a classifier (SVC by "
        "default) on DIR/<class>/<audio files>: stratified k-fold accuracy and macro-F1 "
        "(mean +- std over folds), a per-class report and a confusion matrix from the "
        "out-of-fold predictions. The features are computed once per file: AudioFeatures "
        "learns nothing in fit, so this equals cross-validating the whole pipeline.",
        epilog="example: sklaudio evaluate genres/ --features mfcc,chroma --folds 5 "
        "-o confusion.png")
    ev.add_argument("directory", metavar="DIR", help="one sub-folder of audio files per class")
    ev.add_argument("--folds", type=int, default=5, help="stratified folds (default 5)")
    ev.add_argument("--classifier", choices=_CLASSIFIERS, default="svc",
                    help="svc (default), logreg, knn or rf, after a StandardScaler")
    ev.add_argument("--seed", type=int, default=0, help="seed of the fold shuffling "
                    "(default 0)")
    ev.add_argument("-o", "--output", metavar="PNG", help="save the confusion matrix as a "
                    "PNG (needs matplotlib: sklaudio[display])")
    ev.add_argument("--report", metavar="JSON", help="also write the scores, per-class "
                    "report and confusion matrix as JSON")
    ev.set_defaults(func=_evaluate)

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
    try:
        return args.func(args)
    except _UsageError as exc:
        print(f"sklaudio {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
