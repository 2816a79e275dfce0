"""Benchmark sklaudio's MFCC against librosa's, side by side, in one process.

Workloads
---------
A. Free Spoken Digit Dataset (FSDD): all 3,000 mono 8 kHz recordings
   (0.14-2.28 s each, about 1,312 s of audio), with two parameter sets:

   * ``defaults``: librosa's defaults (``n_fft=2048, hop_length=512,
     n_mels=128, n_mfcc=20``);
   * ``speech``: ``n_fft=256, hop_length=80, n_mels=40, n_mfcc=20``.

   librosa is called per clip, as users call it::

       [librosa.feature.mfcc(y=x, sr=8000, ...) for x in clips]

   sklaudio is fitted once (``MFCC(...).fit(clips)``, not timed), then we time
   ``transform_frames(clips)`` (frame-level MFCCs, the same work as librosa)
   and ``transform(clips)`` (per-clip mean and std pooling). The librosa time
   of the pooled row is the per-clip MFCC time plus the time of the same
   pooling done with NumPy on its output (``M.mean(1)``, ``M.std(1)``).

B. One 600 s deterministic signal at 22,050 Hz (a sum of frequency-modulated
   chirps plus noise from ``np.random.default_rng(0)``, float32), librosa
   defaults: ``librosa.feature.mfcc(y=sig, sr=22050)`` against
   ``sklaudio.functional.mfcc(sig, sample_rate=22050)``.

Method
------
* Single thread: ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
  ``MKL_NUM_THREADS`` and ``NUMBA_NUM_THREADS`` are set to 1 at the very top of
  this file, before NumPy is imported (BLAS/OpenMP pools read them only at load
  time), and ``threadpoolctl.threadpool_limits(1)`` is applied when
  threadpoolctl is installed. sklaudio runs with ``n_jobs=None`` (one thread).
  Variables already set in the environment are overwritten.
* Both libraries are warmed up once on a small input (Numba compilation or
  cache load, librosa's lazy imports, filterbank caches) before any timing.
* Each measurement is the best (minimum) of ``--repeat`` runs of
  ``time.perf_counter``. Reading the WAV files is not timed.
* Equality is checked in the same run: for each clip,
  ``max|sklaudio - librosa| / max|librosa|`` (in float64), and the maximum over
  clips is reported (expected < 1e-5).
* Throughput is audio seconds processed per wall-clock second; ``ratio`` is
  sklaudio throughput / librosa throughput (> 1 means sklaudio is faster).

Data
----
FSDD WAVs are read from ``$SKLAUDIO_DATA/fsdd/recordings/*.wav``;
``SKLAUDIO_DATA`` defaults to ``../shared/datasets`` relative to the repository
root (a relative ``SKLAUDIO_DATA`` is taken relative to the current directory).

Usage (from the repository root)::

    python benchmarks/bench_mfcc.py             # full run, repeat 3
    python benchmarks/bench_mfcc.py --quick     # smoke run for CI
    python benchmarks/bench_mfcc.py --help

Results are printed as a Markdown table and written to ``<out>/mfcc.md`` and
``<out>/mfcc.json`` (``<out>/mfcc_quick.*`` with ``--quick``), ``<out>``
defaulting to ``benchmarks/results``. Timings are informative only: no test
ever asserts on them.
"""

# --- Single-threaded numerical libraries: must run before NumPy is imported. ---
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import contextlib  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import soundfile as sf  # noqa: E402

import sklaudio  # noqa: E402
from sklaudio import MFCC  # noqa: E402
from sklaudio import functional as F  # noqa: E402

try:
    import librosa
except ImportError:  # pragma: no cover - depends on the environment
    librosa = None

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover - depends on the environment
    threadpool_info = threadpool_limits = None

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "benchmarks" / "results"

FSDD_SR = 8000
LONG_SR = 22050

#: MFCC parameter sets of workload A (``n_mfcc`` stays at librosa's default 20).
PARAM_SETS = {
    "defaults": dict(n_fft=2048, hop_length=512, n_mels=128, n_mfcc=20),
    "speech": dict(n_fft=256, hop_length=80, n_mels=40, n_mfcc=20),
}
LONG_PARAMS = dict(n_fft=2048, hop_length=512, n_mels=128, n_mfcc=20)

FULL = dict(n_clips=None, long_seconds=600.0, repeat=3)
QUICK = dict(n_clips=200, long_seconds=20.0, repeat=1)


# --------------------------------------------------------------------------- data
def data_dir() -> Path:
    """``$SKLAUDIO_DATA``, or ``<repo>/../shared/datasets``."""
    env = os.environ.get("SKLAUDIO_DATA")
    return Path(env).resolve() if env else (REPO_ROOT / ".." / "shared" / "datasets").resolve()


def load_fsdd(n_clips=None) -> list[np.ndarray]:
    """FSDD recordings as float32 1-D arrays, in sorted file-name order."""
    root = data_dir() / "fsdd" / "recordings"
    files = sorted(root.glob("*.wav"))
    if not files:
        sys.exit(f"No FSDD recordings found in {root}. Set SKLAUDIO_DATA to the folder "
                 "holding fsdd/recordings/*.wav.")
    if n_clips is not None:
        files = files[:n_clips]
    clips = []
    for f in files:
        x, sr = sf.read(f, dtype="float32", always_2d=False)
        if sr != FSDD_SR or x.ndim != 1:
            sys.exit(f"{f}: expected mono {FSDD_SR} Hz audio, got sr={sr}, shape={x.shape}.")
        clips.append(x)
    return clips


def long_signal(seconds: float, sr: int = LONG_SR) -> np.ndarray:
    """Deterministic test signal: frequency-modulated chirps plus noise, float32.

    Four sinusoids whose frequencies sweep up and down periodically between
    about 50 Hz and 8 kHz (closed-form phase, so no drift), an amplitude
    envelope giving louder and quieter passages, and Gaussian noise from
    ``np.random.default_rng(0)``.
    """
    n = int(round(seconds * sr))
    t = np.arange(n, dtype=np.float64) / sr
    # (centre Hz, sweep depth Hz, sweep period s, amplitude)
    chirps = [(300.0, 250.0, 3.0, 0.30), (1200.0, 900.0, 7.0, 0.20),
              (3000.0, 2500.0, 11.0, 0.12), (6000.0, 2000.0, 1.7, 0.08)]
    sig = np.zeros(n)
    for fc, df, period, amp in chirps:
        # instantaneous frequency fc + df * sin(2 pi t / period), integrated.
        phase = 2 * np.pi * (fc * t - df * period / (2 * np.pi) * np.cos(2 * np.pi * t / period))
        sig += amp * np.sin(phase)
    sig *= 0.6 + 0.4 * np.sin(2 * np.pi * t / 5.0)
    sig += 0.02 * np.random.default_rng(0).standard_normal(n)
    return sig.astype(np.float32)


# ----------------------------------------------------------------------- helpers
def best_time(fn, repeat: int):
    """Run ``fn()`` ``repeat`` times; return (last result, best seconds, all seconds)."""
    times, out = [], None
    for _ in range(repeat):
        out = None  # free the previous result before the next run
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, min(times), times


@contextlib.contextmanager
def quiet_librosa():
    """Hide librosa's 'n_fft=... is too large for input signal' warnings on short clips."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"n_fft=\d+ is too large", category=UserWarning)
        yield


def librosa_mfcc_clips(clips, sr, p):
    with quiet_librosa():
        return [librosa.feature.mfcc(y=x, sr=sr, **p) for x in clips]


def numpy_pool(frames):
    """Per-clip mean and population std, laid out like ``MFCC.transform``."""
    return np.stack([np.concatenate([M.mean(axis=1), M.std(axis=1)]) for M in frames])


def rel_err(got, ref) -> float:
    """``max|got - ref| / max|ref|`` in float64 (inf on a shape mismatch)."""
    got = np.asarray(got, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if got.shape != ref.shape:
        return float("inf")
    return float(np.abs(got - ref).max() / max(np.abs(ref).max(), np.finfo(np.float64).tiny))


def max_rel_err_clips(got, ref) -> float:
    """Largest per-clip relative error (see :func:`rel_err`)."""
    if len(got) != len(ref):
        return float("inf")
    return max(rel_err(g, r) for g, r in zip(got, ref))


def fmt_params(p) -> str:
    return f"n_fft={p['n_fft']}, hop={p['hop_length']}, n_mels={p['n_mels']}"


# ---------------------------------------------------------------------- warm-up
def warm_up(have_librosa: bool) -> None:
    """Compile/load Numba kernels and trigger librosa's lazy imports, untimed."""
    rng = np.random.default_rng(1)
    small = [rng.standard_normal(n).astype(np.float32) for n in (1000, 4000, 9000)]
    for p in PARAM_SETS.values():
        m = MFCC(sample_rate=FSDD_SR, **p).fit(small)
        m.transform_frames(small)
        m.transform(small)
        if have_librosa:
            numpy_pool(librosa_mfcc_clips(small, FSDD_SR, p))
    sig = long_signal(2.0)
    F.mfcc(sig, sample_rate=LONG_SR, **LONG_PARAMS)
    if have_librosa:
        librosa.feature.mfcc(y=sig, sr=LONG_SR, **LONG_PARAMS)


# -------------------------------------------------------------------- workloads
def row(workload, params, audio_s, t_lib, t_sk, err, times_lib=None, times_sk=None):
    thr_lib = audio_s / t_lib if t_lib else None
    thr_sk = audio_s / t_sk
    return dict(workload=workload, params=params, audio_seconds=audio_s,
                librosa_s=t_lib, sklaudio_s=t_sk,
                librosa_audio_s_per_s=thr_lib, sklaudio_audio_s_per_s=thr_sk,
                ratio=(thr_sk / thr_lib) if thr_lib else None, max_rel_err=err,
                librosa_runs_s=times_lib, sklaudio_runs_s=times_sk)


def bench_fsdd(clips, repeat, have_librosa) -> list[dict]:
    audio_s = sum(len(x) for x in clips) / FSDD_SR
    rows = []
    for name, p in PARAM_SETS.items():
        label = f"{name}: {fmt_params(p)}"
        print(f"  A / {label} ...", flush=True)
        m = MFCC(sample_rate=FSDD_SR, n_jobs=None, **p).fit(clips)
        sk_frames, t_skf, runs_skf = best_time(lambda: m.transform_frames(clips), repeat)
        sk_pooled, t_skp, runs_skp = best_time(lambda: m.transform(clips), repeat)
        if have_librosa:
            lr_frames, t_lrf, runs_lrf = best_time(
                lambda: librosa_mfcc_clips(clips, FSDD_SR, p), repeat)
            lr_pooled, t_pool, runs_pool = best_time(lambda: numpy_pool(lr_frames), repeat)
            err_f = max_rel_err_clips(sk_frames, lr_frames)
            err_p = max_rel_err_clips(sk_pooled, lr_pooled)
            t_lrp = t_lrf + t_pool
            runs_lrp = [a + t_pool for a in runs_lrf]
        else:
            t_lrf = t_lrp = err_f = err_p = runs_lrf = runs_lrp = None
        rows.append(row(f"A: FSDD {len(clips)} clips, frames", label, audio_s,
                        t_lrf, t_skf, err_f, runs_lrf, runs_skf))
        rows.append(row(f"A: FSDD {len(clips)} clips, pooled mean+std", label, audio_s,
                        t_lrp, t_skp, err_p, runs_lrp, runs_skp))
        del sk_frames, sk_pooled
    return rows


def bench_long(seconds, repeat, have_librosa) -> list[dict]:
    sig = long_signal(seconds)
    audio_s = len(sig) / LONG_SR
    label = f"defaults: {fmt_params(LONG_PARAMS)}"
    print(f"  B / {seconds:g} s signal at {LONG_SR} Hz ...", flush=True)
    sk, t_sk, runs_sk = best_time(lambda: F.mfcc(sig, sample_rate=LONG_SR, **LONG_PARAMS), repeat)
    if have_librosa:
        lr, t_lr, runs_lr = best_time(
            lambda: librosa.feature.mfcc(y=sig, sr=LONG_SR, **LONG_PARAMS), repeat)
        err = rel_err(sk, lr)
    else:
        t_lr = err = runs_lr = None
    return [row(f"B: {seconds:g} s signal @ {LONG_SR} Hz", label, audio_s,
                t_lr, t_sk, err, runs_lr, runs_sk)]


# ---------------------------------------------------------------------- output
def _f(v, spec):
    return "n/a" if v is None else format(v, spec)


def markdown_table(rows) -> str:
    head = ("| workload | params | audio (s) | librosa (s) | sklaudio (s) | librosa (audio-s/s) "
            "| sklaudio (audio-s/s) | ratio (sklaudio/librosa) | max rel. err |")
    lines = [head, "|" + "|".join(["---"] * 2 + ["---:"] * 7) + "|"]
    for r in rows:
        lines.append(
            f"| {r['workload']} | {r['params']} | {r['audio_seconds']:.1f} "
            f"| {_f(r['librosa_s'], '.3f')} | {r['sklaudio_s']:.3f} "
            f"| {_f(r['librosa_audio_s_per_s'], ',.0f')} | {r['sklaudio_audio_s_per_s']:,.0f} "
            f"| {_f(r['ratio'], '.2f')} | {_f(r['max_rel_err'], '.1e')} |")
    return "\n".join(lines)


def environment(repeat, quick) -> dict:
    env = dict(
        date_utc=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        python=platform.python_version(), platform=platform.platform(),
        machine=platform.machine(), processor=_cpu_model(), cpu_count=os.cpu_count(),
        loadavg_at_start=list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        sklaudio=sklaudio.__version__, numpy=np.__version__, scipy=scipy.__version__,
        soundfile=sf.__version__, librosa=getattr(librosa, "__version__", None),
        numba=_version_of("numba"), threads=1, repeat=repeat, quick=quick,
        thread_env={v: os.environ.get(v) for v in
                    ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "NUMBA_NUM_THREADS")},
        threadpoolctl=threadpool_limits is not None,
    )
    if threadpool_info is not None:
        env["threadpools"] = [{k: d.get(k) for k in ("user_api", "internal_api", "num_threads",
                                                      "version")} for d in threadpool_info()]
    return env


def _version_of(mod):
    try:
        return __import__(mod).__version__
    except Exception:  # pragma: no cover
        return None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def env_summary(env) -> str:
    return (f"sklaudio {env['sklaudio']}, librosa {env['librosa'] or 'not installed'}, "
            f"numpy {env['numpy']}, scipy {env['scipy']}, numba {env['numba']}, "
            f"Python {env['python']}; {env['processor']} ({env['cpu_count']} logical CPUs); "
            f"1 thread; best of {env['repeat']}; {env['date_utc']}")


# ------------------------------------------------------------------------ main
def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description="Benchmark sklaudio MFCC against librosa (single thread, one process).",
        epilog="Timings are informative only and never asserted in tests.")
    ap.add_argument("--repeat", type=int, default=None,
                    help="timed runs per measurement, best kept (default 3; 1 with --quick)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke mode for CI: 200 FSDD clips, a 20 s signal, repeat 1; "
                         "writes mfcc_quick.md/.json")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="output folder for mfcc.md and mfcc.json (default: benchmarks/results "
                         "in the repository)")
    args = ap.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        ap.error("--repeat must be >= 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    cfg = QUICK if args.quick else FULL
    repeat = args.repeat if args.repeat is not None else cfg["repeat"]
    have_librosa = librosa is not None
    if not have_librosa:
        print("librosa is not installed (pip install librosa, or sklaudio[bench]): "
              "benchmarking sklaudio alone, without the equality check.", flush=True)
    if threadpool_limits is None:
        print("threadpoolctl is not installed: relying on the *_NUM_THREADS variables only.")

    limiter = threadpool_limits(1) if threadpool_limits is not None else contextlib.nullcontext()
    with limiter:
        env = environment(repeat, args.quick)
        print(f"Loading FSDD from {data_dir() / 'fsdd' / 'recordings'} ...", flush=True)
        clips = load_fsdd(cfg["n_clips"])
        print("Warming up ...", flush=True)
        warm_up(have_librosa)
        print(f"Timing (best of {repeat}):", flush=True)
        rows = bench_fsdd(clips, repeat, have_librosa)
        rows += bench_long(cfg["long_seconds"], repeat, have_librosa)

    table = markdown_table(rows)
    title = "# MFCC: sklaudio vs librosa" + (" (quick smoke run)" if args.quick else "")
    md = (f"{title}\n\n{env_summary(env)}\n\n{table}\n\n"
          "Throughput is audio seconds per wall-clock second; ratio > 1 means sklaudio is "
          "faster. Max rel. err is the largest per-clip max|sklaudio - librosa| / max|librosa|. "
          "Pooled rows: librosa time = per-clip MFCC + NumPy mean/std pooling. "
          "Generated by `python benchmarks/bench_mfcc.py"
          f"{' --quick' if args.quick else ''}`.\n")
    print()
    print(env_summary(env))
    print()
    print(table)

    args.out.mkdir(parents=True, exist_ok=True)
    stem = "mfcc_quick" if args.quick else "mfcc"
    (args.out / f"{stem}.md").write_text(md)
    with open(args.out / f"{stem}.json", "w") as fh:
        json.dump(dict(environment=env, param_sets=PARAM_SETS, long_params=LONG_PARAMS,
                       n_clips=len(clips), long_seconds=cfg["long_seconds"], rows=rows),
                  fh, indent=2)
    print(f"\nWrote {args.out / (stem + '.md')} and {args.out / (stem + '.json')}")

    errs = [r["max_rel_err"] for r in rows if r["max_rel_err"] is not None]
    if errs and max(errs) >= 1e-5:
        print(f"WARNING: max relative error {max(errs):.1e} >= 1e-5.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
