"""sklaudio benchmark suite: throughput against librosa and peers, the FFT floor,
cold start, read-only install, peak memory and scaling, in one command.

Usage (from the repository root)::

    SKLAUDIO_DATA=../shared/datasets python benchmarks/run.py            # full run
    python benchmarks/run.py --quick          # smoke run, under a minute
    python benchmarks/run.py --threads 1      # only the single-thread setting
    python benchmarks/run.py --out /tmp/bench --repeat 5

Each thread setting runs in its own worker subprocess (this file with
``--worker``) whose thread variables (``OMP_NUM_THREADS``, ...) are set by
the parent before the child starts, so NumPy, OpenMP, Numba and the FFT
libraries read them at load time. Cold start, the read-only install and
peak memory run in further fresh subprocesses. Results go to
``<out>/suite.md``, ``<out>/suite.json`` and ``<out>/suite_*.png``
(``suite_quick*`` with ``--quick``). See ``benchmarks/README.md``.
"""

import os
import sys

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")

if "--worker" in sys.argv and "--threads" in sys.argv and \
        sys.argv[sys.argv.index("--threads") + 1:][:1] == ["1"]:
    # Belt and braces for a worker started by hand: limit threads before NumPy loads.
    for _v in THREAD_VARS:
        os.environ[_v] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_suite.impls import FEATURES  # noqa: E402

DEFAULT_OUT = HERE / "results"


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description="sklaudio benchmark suite (throughput vs librosa and peers, rfft floor, "
                    "cold start, read-only install, peak memory, scaling).",
        epilog="Timings are informative only and never asserted in tests.")
    ap.add_argument("--quick", action="store_true",
                    help="shrink every workload (smoke run for CI, under a minute); repeat 1; "
                         "writes suite_quick.*")
    ap.add_argument("--threads", choices=["1", "all", "both"], default="both",
                    help="thread settings to run (default both, each in its own subprocess)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="timed runs per measurement, best kept (default 3; 1 with --quick)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help="output folder (default benchmarks/results)")
    ap.add_argument("--features", default=",".join(FEATURES),
                    help=f"comma-separated subset of {','.join(FEATURES)}")
    ap.add_argument("--no-peers", action="store_true",
                    help="skip torchaudio, audioflux, python_speech_features and spafe")
    ap.add_argument("--skip", default="",
                    help="comma-separated parts to skip: throughput, scaling, njobs, cold, "
                         "readonly, memory")
    # worker mode (internal)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--paths", help=argparse.SUPPRESS)
    ap.add_argument("--tasks", default="", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        ap.error("--repeat must be >= 1")
    feats = [f for f in args.features.split(",") if f]
    bad = [f for f in feats if f not in FEATURES]
    if bad:
        ap.error(f"unknown feature(s) {bad}; choose from {FEATURES}")
    args.features = feats
    args.skip = {s for s in args.skip.split(",") if s}
    return args


# ---------------------------------------------------------------------------- worker
def worker_main(args) -> int:
    from bench_suite.data import SIZES
    from bench_suite.measure import worker

    paths = json.loads(Path(args.paths).read_text())
    res = worker(paths, args.threads, args.repeat, args.features,
                 [t for t in args.tasks.split(",") if t], SIZES["quick" if args.quick else "full"],
                 progress_path=args.result + ".progress",
                 crash_file=str(Path(args.paths).parent / "crashes.json"),
                 peers=not args.no_peers)
    Path(args.result).write_text(json.dumps(res))
    return 0


MAX_RESTARTS = 8


def run_worker(threads, tasks, args, paths_file, work) -> dict:
    """One worker subprocess per thread setting, restarted after a crash.

    The worker logs each result as it goes; when a compiled kernel takes the
    process down, the restarted worker records that implementation as crashed
    and carries on with the rest.
    """
    from bench_suite.subprocs import child_env

    result = work / f"worker_{threads}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--threads", threads,
           "--paths", str(paths_file), "--tasks", ",".join(tasks), "--result", str(result),
           "--repeat", str(args.repeat), "--features", ",".join(args.features)]
    if args.quick:
        cmd.append("--quick")
    if args.no_peers:
        cmd.append("--no-peers")
    for _ in range(MAX_RESTARTS + 1):
        p = subprocess.run(cmd, env=child_env(threads), cwd=str(work))  # progress on stderr
        if p.returncode == 0 and result.exists():
            return json.loads(result.read_text())
        print(f"  worker ({threads}) died with exit code {p.returncode}; restarting it "
              "without the implementation that was running", file=sys.stderr, flush=True)
    sys.exit(f"worker ({threads} thread setting) kept failing; giving up")


# ------------------------------------------------------------------------ environment
def _version(mod):
    try:
        from importlib.metadata import version

        return version(mod)
    except Exception:
        return None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def environment(args, repeat) -> dict:
    env = dict(
        date_utc=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        python=platform.python_version(), platform=platform.platform(),
        processor=_cpu_model(), cpu_count=os.cpu_count(),
        loadavg_at_start=list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        versions={m: _version(m) for m in ("sklaudio", "numpy", "scipy", "numba", "librosa",
                                           "soxr", "torch", "torchaudio", "audioflux",
                                           "python_speech_features", "spafe")},
        repeat=repeat, quick=args.quick, threads=args.threads,
    )
    v = env["versions"]
    load = env["loadavg_at_start"]
    env["summary"] = (
        f"sklaudio {v['sklaudio']}, librosa {v['librosa'] or 'not installed'}, numpy "
        f"{v['numpy']}, scipy {v['scipy']}, numba {v['numba']}, Python {env['python']}; "
        f"{env['processor']} ({env['cpu_count']} logical CPUs"
        + (f", load average {load[0]:.2f} at start" if load else "") + f"); {env['date_utc']}")
    return env


# ------------------------------------------------------------------------------ main
def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker_main(args)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    args.repeat = repeat
    t_start = time.perf_counter()

    import numpy as np

    from bench_suite import report, subprocs
    from bench_suite.data import build_all
    from bench_suite.data import Workload

    def log(*a):
        print(f"[{time.perf_counter() - t_start:6.1f} s]", *a, file=sys.stderr, flush=True)

    work = Path(tempfile.mkdtemp(prefix="sklaudio-bench-"))
    try:
        env = environment(args, repeat)
        log(env["summary"])
        paths = build_all("quick" if args.quick else "full", work, log=log)
        paths_file = work / "paths.json"
        paths_file.write_text(json.dumps(paths))
        log(f"Workloads built in {time.perf_counter() - t_start:.1f} s")

        settings = ["1", "all"] if args.threads == "both" else [args.threads]
        workers = []
        for i, t in enumerate(settings):
            tasks = [] if "throughput" in args.skip else ["throughput"]
            if i == 0 and "scaling" not in args.skip:
                tasks.append("scaling")
            if i == len(settings) - 1 and "njobs" not in args.skip:
                tasks.append("njobs")
            log(f"Worker: {'1 thread' if t == '1' else 'all threads'} ({', '.join(tasks)})")
            workers.append(run_worker(t, tasks, args, paths_file, work))

        w1 = Workload.load(Path(paths["W1"]))
        clip_path = work / "clip.npy"
        np.save(clip_path, w1.clips[0])
        res = dict(environment=env, quick=args.quick, repeat=repeat, workers=workers,
                   peers=workers[0].get("peers", {}),
                   command="python benchmarks/run.py " + " ".join(
                       shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])))
        if "cold" not in args.skip:
            log("Cold start (fresh interpreters)")
            res["cold_start"] = subprocs.cold_start(clip_path, repeat, args.quick, work)
        if "readonly" not in args.skip:
            log("Read-only install")
            ref = next((r.get("out") for r in res.get("cold_start", [])
                        if r["lib"] == "sklaudio" and r.get("ok")), None)
            if ref is None:
                r = subprocess.run([sys.executable, str(HERE / "bench_suite" / "child_cold.py"),
                            "sklaudio", str(clip_path)], capture_output=True, text=True,
                           env=subprocs.child_env("1"))
                ref = json.loads(r.stdout.splitlines()[-1])["out"] if r.returncode == 0 else None
            res["readonly"] = subprocs.readonly_install(clip_path, ref, work, args.quick)
        for r in res.get("cold_start", []):
            r.pop("out", None)
        if "memory" not in args.skip:
            log("Peak memory (W3)")
            res["memory"] = subprocs.peak_memory(Path(paths["W3"]), work, args.quick)

        res["total_s"] = time.perf_counter() - t_start
        args.out.mkdir(parents=True, exist_ok=True)
        stem = "suite_quick" if args.quick else "suite"
        pngs = report.plots(res, args.out, stem) if "throughput" not in args.skip else []
        md = report.markdown(res)
        md += ("\n" + "\n".join(f"![{p.stem}]({p.name})" for p in pngs) + "\n" if pngs else "")
        md += f"\nTotal run time {res['total_s']:.0f} s.\n"
        (args.out / f"{stem}.md").write_text(md)
        (args.out / f"{stem}.json").write_text(json.dumps(res, indent=1, default=str))
        print(md)
        log(f"Wrote {args.out / (stem + '.md')}, {stem}.json and {len(pngs)} PNG(s) in "
            f"{res['total_s']:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
