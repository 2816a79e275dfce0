"""Benchmark streaming MFCC (``MFCC.stream``): real-time factor and per-block latency.

Workload
--------
One 10-minute signal per sampling rate (22,050 Hz and 16,000 Hz): the FSDD
corpus (all recordings in sorted order, concatenated) resampled from 8 kHz
with soxr (HQ), cycled, plus the quiet deterministic synthetic background of
the benchmark suite at 0.05x (:func:`bench_suite.data.long_signal`, the
construction of workload W3), float32.

What is timed
-------------
``MFCC(sample_rate=sr)`` at librosa's defaults (n_fft 2048, hop 512, 128
mels, 20 coefficients, ``top_db=80``, ``center=True``), fitted once, then
streamed over the signal cut into blocks of 512, 1024 and 4096 samples (views
of the signal, as ``soundfile.blocks`` or a sound card would hand them over):

* **per-block latency**: the wall time of each ``next()`` of the stream
  generator, which validates one block, computes the frames it completes
  and yields them (p50, p99 and max over all blocks, in ms; the final
  flush is counted in the total, not in the percentiles);
* **real-time factor** (RTF): audio seconds / wall seconds of the whole
  stream (all blocks and the flush);
* side by side, on the same signal: the whole-signal
  ``transform_frames([signal])`` (best of ``--repeat``) and librosa's
  ``librosa.feature.mfcc(y=signal, sr=sr)`` (best of ``--repeat``), as
  real-time factors and as ratios to the stream's time.

The concatenated streamed frames are compared with ``transform_frames``:
``top_db=80`` is applied below the running maximum when streaming (see
``MFCC.stream``), so the table reports the largest difference and the number
of frames that differ; the same stream with ``top_db=None`` is checked equal.

Single thread: ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
``MKL_NUM_THREADS`` and ``NUMBA_NUM_THREADS`` are set to 1 before NumPy is
imported; sklaudio runs with ``n_jobs=None``. Kernels are compiled (or loaded
from the cache) by an untimed warm-up.

Usage (from the repository root)::

    SKLAUDIO_DATA=../shared/datasets python benchmarks/bench_streaming.py
    python benchmarks/bench_streaming.py --quick      # 20 s signals, a smoke run
    python benchmarks/bench_streaming.py --help

Prints a Markdown table and writes ``<out>/streaming.md`` and
``<out>/streaming.json`` (``streaming_quick.*`` with ``--quick``). Timings are
informative only: no test asserts on them.
"""

# --- Single-threaded numerical libraries: must run before NumPy is imported. ---
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_suite.data import FSDD_SR, data_dir, load_fsdd, long_signal, resample  # noqa: E402

import sklaudio  # noqa: E402
from sklaudio import MFCC  # noqa: E402

try:
    import librosa
except ImportError:  # pragma: no cover - depends on the environment
    librosa = None

DEFAULT_OUT = HERE / "results"
RATES = (22050, 16000)
BLOCKS = (512, 1024, 4096)


def stream_once(est, blocks):
    """Stream ``blocks``; return (frames, per-block seconds, flush seconds, total wall seconds,
    total CPU seconds of the process)."""
    gen = est.stream(blocks)
    per_block = np.empty(len(blocks))
    outs = []
    c_start = time.process_time()
    t_start = time.perf_counter()
    for i in range(len(blocks)):
        t0 = time.perf_counter()
        outs.append(next(gen))
        per_block[i] = time.perf_counter() - t0
    t0 = time.perf_counter()
    outs.append(next(gen))
    t_flush = time.perf_counter() - t0
    total = time.perf_counter() - t_start
    cpu = time.process_time() - c_start
    return np.concatenate(outs, axis=1), per_block, t_flush, total, cpu


def best_of(fn, repeat):
    """``fn()``'s result, its best wall time and its best CPU time (seconds)."""
    best, best_cpu, out = np.inf, np.inf, None
    for _ in range(repeat):
        out = None
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return out, best, best_cpu


def bench_rate(sr, corpus8, seconds, repeat, have_librosa, log=print):
    log(f"  {sr} Hz: building the {seconds:g} s signal ...")
    sig = long_signal(resample(corpus8, FSDD_SR, sr), seconds, sr)
    audio_s = len(sig) / sr
    est = MFCC(sample_rate=sr).fit([sig[:4096]])
    exact = MFCC(sample_rate=sr, top_db=None).fit([sig[:4096]])
    warm = sig[: 20 * sr]
    for b in BLOCKS:  # compile / load every kernel signature the timed runs use
        list(est.stream([warm[i:i + b] for i in range(0, len(warm), b)]))
    est.transform_frames([warm])

    log(f"  {sr} Hz: whole-signal transform_frames ...")
    whole, t_whole, c_whole = best_of(lambda: est.transform_frames([sig])[0], repeat)
    t_lib = c_lib = None
    if have_librosa:
        log(f"  {sr} Hz: librosa.feature.mfcc ...")
        librosa.feature.mfcc(y=warm[: 2 * sr], sr=sr)
        _, t_lib, c_lib = best_of(lambda: librosa.feature.mfcc(y=sig, sr=sr), repeat)

    rows = []
    for b in BLOCKS:
        log(f"  {sr} Hz: streaming in blocks of {b} samples ...")
        blocks = [sig[i:i + b] for i in range(0, len(sig), b)]
        best = None
        cpu = np.inf
        for _ in range(repeat):
            gc.collect()
            run = stream_once(est, blocks)
            cpu = min(cpu, run[4])
            if best is None or run[3] < best[3]:
                best = run
        frames, per_block, t_flush, total, _ = best
        diff = np.abs(frames.astype(np.float64) - whole)
        ex_frames = np.concatenate(list(exact.stream(blocks)), axis=1)
        ex_ref = exact.transform_frames([sig])[0]
        ms = per_block * 1e3
        rows.append({
            "sample_rate": sr, "block": b, "block_ms": 1e3 * b / sr, "audio_seconds": audio_s,
            "n_blocks": len(blocks), "n_frames": int(frames.shape[1]),
            "stream_s": total, "stream_rtf": audio_s / total,
            "stream_cpu_s": cpu, "stream_cpu_rtf": audio_s / cpu,
            "block_mean_ms": float(ms.mean()),
            "block_p50_ms": float(np.percentile(ms, 50)),
            "block_p99_ms": float(np.percentile(ms, 99)),
            "block_max_ms": float(ms.max()), "flush_ms": 1e3 * t_flush,
            "whole_s": t_whole, "whole_rtf": audio_s / t_whole,
            "whole_cpu_s": c_whole, "whole_cpu_rtf": audio_s / c_whole,
            "stream_over_whole": total / t_whole, "stream_over_whole_cpu": cpu / c_whole,
            "librosa_s": t_lib, "librosa_rtf": None if t_lib is None else audio_s / t_lib,
            "librosa_cpu_s": c_lib,
            "librosa_cpu_rtf": None if c_lib is None else audio_s / c_lib,
            "librosa_over_stream": None if t_lib is None else t_lib / total,
            "librosa_over_stream_cpu": None if c_lib is None else c_lib / cpu,
            "latency": est.stream_latency(),
            "max_abs_diff_top_db80": float(diff.max()),
            "frames_differing_top_db80": int(np.count_nonzero(diff.max(axis=0) > 0)),
            "max_abs_diff_top_db_none": float(np.abs(ex_frames.astype(np.float64)
                                                     - ex_ref).max()),
        })
    return rows


def _f(v, spec):
    return "n/a" if v is None else format(v, spec)


def markdown(rows) -> str:
    head = ("| rate (Hz) | block (samples / ms) | stream RTF (wall / CPU) "
            "| per-block p50 / p99 / max (ms) | whole-signal RTF (wall / CPU) "
            "| stream time / whole time (wall / CPU) | librosa RTF (wall / CPU) "
            "| librosa time / stream time (wall / CPU) | max abs diff (top_db=80 / None) |")
    lines = [head, "|---|---|" + "---:|" * 7]
    for r in rows:
        lines.append(
            f"| {r['sample_rate']:,} | {r['block']} / {r['block_ms']:.1f} "
            f"| {r['stream_rtf']:,.0f} / {r['stream_cpu_rtf']:,.0f} "
            f"| {r['block_p50_ms']:.3f} / {r['block_p99_ms']:.3f} / {r['block_max_ms']:.2f} "
            f"| {r['whole_rtf']:,.0f} / {r['whole_cpu_rtf']:,.0f} "
            f"| {r['stream_over_whole']:.2f} / {r['stream_over_whole_cpu']:.2f} "
            f"| {_f(r['librosa_rtf'], ',.0f')} / {_f(r['librosa_cpu_rtf'], ',.0f')} "
            f"| {_f(r['librosa_over_stream'], ',.2f')} / "
            f"{_f(r['librosa_over_stream_cpu'], ',.2f')} "
            f"| {r['max_abs_diff_top_db80']:.2g} ({r['frames_differing_top_db80']} frames) / "
            f"{r['max_abs_diff_top_db_none']:.2g} |")
    lat = rows[0]["latency"] if rows else None
    notes = [
        "",
        (f"Signal: {rows[0]['audio_seconds']:.0f} s per rate (FSDD speech resampled and cycled "
         "+ synthetic background). MFCC at librosa's defaults (n_fft 2048, hop 512, 128 mels, "
         "20 coefficients, top_db 80), one thread. RTF = audio seconds / wall seconds (CPU: "
         "/ CPU seconds of the process, which leaves out the time the process waits for a "
         "core on a loaded machine); best of --repeat runs for each."),
        (f"Algorithmic latency (stream_latency at {rows[0]['sample_rate']} Hz): "
         f"{lat['samples']} samples = {1e3 * lat['seconds']:.1f} ms after a frame's centre "
         f"(look-ahead {lat['lookahead_frames']} frames), plus the block's own duration."),
    ] if rows else []
    return "\n".join(lines + notes)


def environment(repeat, quick) -> dict:
    return {
        "date_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(), "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "loadavg_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "sklaudio": sklaudio.__version__, "numpy": np.__version__,
        "librosa": getattr(librosa, "__version__", None), "repeat": repeat, "quick": quick,
        "threads": 1,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description="Streaming MFCC: real-time factor and per-block "
                                 "latency on a 10-minute signal, against the whole-signal "
                                 "transform and librosa.",
                                 epilog="Timings are informative only.")
    ap.add_argument("--quick", action="store_true", help="20 s signals from 300 FSDD files, "
                    "repeat 1 (smoke run)")
    ap.add_argument("--seconds", type=float, default=None, help="signal length (default 600)")
    ap.add_argument("--repeat", type=int, default=None, help="timed runs, best kept (default 2)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    ap.add_argument("--no-librosa", action="store_true", help="skip librosa")
    args = ap.parse_args(argv)
    seconds = args.seconds or (20.0 if args.quick else 600.0)
    repeat = args.repeat or (1 if args.quick else 2)
    have_librosa = librosa is not None and not args.no_librosa
    print(f"Loading FSDD from {data_dir() / 'fsdd' / 'recordings'} ...", flush=True)
    corpus8 = np.concatenate(load_fsdd(300 if args.quick else None))
    rows = []
    for sr in RATES:
        rows += bench_rate(sr, corpus8, seconds, repeat, have_librosa,
                           log=lambda m: print(m, flush=True))
    table = markdown(rows)
    if hasattr(os, "getloadavg"):
        table += (f"\nLoad average (1 min) at the end: {os.getloadavg()[0]:.2f} on "
                  f"{os.cpu_count()} CPUs.")
    print()
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "streaming_quick" if args.quick else "streaming"
    (args.out / f"{stem}.md").write_text(table + "\n")
    (args.out / f"{stem}.json").write_text(json.dumps(
        {"environment": environment(repeat, args.quick), "rows": rows}, indent=2) + "\n")
    print(f"\nWrote {args.out / (stem + '.md')} and {args.out / (stem + '.json')}")


if __name__ == "__main__":
    main()
