"""Measurements that need a fresh interpreter: cold start, read-only install, peak memory."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def child_env(threads: str = "1", **overrides) -> dict:
    """The parent's environment with the thread variables of ``threads`` ("1" or "all")."""
    env = dict(os.environ)
    for v in THREAD_VARS:
        if threads == "1":
            env[v] = "1"
        else:
            env.pop(v, None)
    for k, v in overrides.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = str(v)
    return env


def _run_json(cmd, env, cwd, timeout=900):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        return dict(ok=False, wall_s=wall, returncode=p.returncode, stderr=p.stderr[-2000:])
    line = [ln for ln in p.stdout.splitlines() if ln.startswith("{")][-1]
    res = json.loads(line)
    res.update(ok=True, wall_s=wall, stderr=p.stderr[-1000:])
    return res


# ---------------------------------------------------------------------- cold start
def cold_start(clip_path: Path, repeat: int, quick: bool, work: Path) -> list:
    """``import`` + first MFCC in a fresh interpreter, with a warm and an empty Numba cache.

    'warm': Numba's cache where it normally is (``NUMBA_CACHE_DIR`` as in this
    process's environment, usually unset: next to the package's sources),
    filled by one untimed run just before (for librosa in ``--quick``: by the
    worker subprocesses that just ran). 'empty': a fresh empty
    ``NUMBA_CACHE_DIR`` for every run, so everything compiles (and is written
    there). ``--quick`` skips the empty
    case (the read-only check still compiles everything once).
    """
    rows = []
    script = str(HERE / "child_cold.py")

    def one(lib, cache_dir):
        env = child_env("1") if cache_dir is None else child_env("1", NUMBA_CACHE_DIR=cache_dir)
        return _run_json([sys.executable, script, lib, str(clip_path)], env, work)

    def record(lib, cache, runs):
        ok = [r for r in runs if r["ok"]]
        best = dict(min(ok, key=lambda r: r["wall_s"]) if ok else runs[-1])
        rows.append(dict(lib=lib, cache=cache, runs=len(runs),
                         walls=[r["wall_s"] for r in runs], **best))
        if best["ok"]:
            log(f"    {lib:8s} {cache:5s} cache: process {best['wall_s']:.2f} s "
                f"(import {best['import_s']:.2f} s, first MFCC {best['first_s']:.3f} s, "
                f"second {best['second_s'] * 1e3:.1f} ms)")
        else:
            log(f"    cold start {lib}/{cache} failed: {best['stderr'][-300:]}")

    for lib in ("sklaudio", "librosa"):
        if importlib.util.find_spec(lib) is None:
            continue
        if not (quick and lib == "librosa"):  # librosa's cache was just used by the workers
            one(lib, None)  # make sure the normal cache is filled (and current), untimed
        record(lib, "warm", [one(lib, None) for _ in range(repeat)])
        if quick:
            continue
        record(lib, "empty", [one(lib, Path(tempfile.mkdtemp(prefix="numba-empty-", dir=work)))
                              for _ in range(repeat)])
    if quick:
        log("    empty Numba cache: skipped in --quick (compiling takes 5-30 s per library)")
    return rows


# ------------------------------------------------------------------- read-only install
def _tree(root: Path) -> set:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _set_writable(root: Path, writable: bool):
    for p in [root, *root.rglob("*")]:
        mode = p.stat().st_mode
        if writable:
            p.chmod(mode | stat.S_IWUSR)
        else:
            p.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _ro_wrapper(ro_root: Path):
    """How to run a child that cannot write under ``ro_root`` (already ``chmod -R a-w``).

    As root, chmod does not stop writes: the child then runs in a private mount
    namespace (``unshare -m``) where ``ro_root`` is bind-mounted read-only.
    Either way, a probe checks that creating a file there fails.
    Returns ``(command prefix or None, description)``.
    """
    probe_file = str(ro_root / ".write-probe")

    def blocked(prefix):
        p = subprocess.run([*prefix, "sh", "-c", f'touch "{probe_file}"'], capture_output=True,
                           check=False)
        if os.path.exists(probe_file):
            os.remove(probe_file)
            return False
        return p.returncode != 0

    if os.geteuid() != 0:
        if blocked([]):
            return [], "chmod -R a-w (not root); a write probe failed as it should"
        return None, "chmod -R a-w did not stop a write probe: not enforced"
    if shutil.which("unshare") is None:
        return None, "running as root and unshare is missing: not enforced"
    r = str(ro_root)
    inner = f'mount --bind "{r}" "{r}" && mount -o remount,bind,ro "{r}" && exec "$@"'
    for flags in (["-m"], ["-r", "-m"]):
        prefix = ["unshare", *flags, "sh", "-c", inner, "sh"]
        ok = subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode == 0
        if ok and blocked(prefix):
            return (prefix, f"chmod -R a-w + read-only bind mount (unshare {' '.join(flags)}; "
                            "running as root); a write probe failed as it should")
    return None, "running as root and a read-only bind mount is not permitted: not enforced"


def readonly_install(clip_path: Path, reference: list | None, work: Path,
                     quick: bool = False) -> list:
    """Copy the sklaudio package to a read-only folder and run the cold-start child from it."""
    spec = importlib.util.find_spec("sklaudio")
    src = Path(list(spec.submodule_search_locations)[0])
    root = Path(tempfile.mkdtemp(prefix="sklaudio-readonly-", dir=work))
    site = root / "site"
    shutil.copytree(src, site / "sklaudio", ignore=shutil.ignore_patterns("__pycache__"))
    for d in ("home", "xdg", "cache"):
        (root / d).mkdir()
    writable_home = Path(tempfile.mkdtemp(prefix="home-", dir=work))
    _set_writable(root, False)
    before = _tree(root)
    wrapper, how = _ro_wrapper(root)
    variants = [
        ("package read-only; NUMBA_CACHE_DIR unset; writable HOME",
         dict(NUMBA_CACHE_DIR=None, HOME=writable_home, XDG_CACHE_HOME=None)),
        ("nothing writable: package, HOME, XDG_CACHE_HOME and NUMBA_CACHE_DIR read-only",
         dict(NUMBA_CACHE_DIR=root / "cache", HOME=root / "home", XDG_CACHE_HOME=root / "xdg")),
    ]
    if quick:
        variants = variants[1:]  # the strict one
    rows = []
    try:
        for name, over in variants:
            env = child_env("1", PYTHONPATH=site, PYTHONDONTWRITEBYTECODE=None, **over)
            cmd = [sys.executable, str(HERE / "child_cold.py"), "sklaudio", str(clip_path)]
            row = dict(variant=name, enforced=how)
            if wrapper is None:
                row.update(ok=False, error="not run: " + how)
                rows.append(row)
                continue
            r = _run_json(wrapper + cmd, env, work)
            row.update(ok=r["ok"], wall_s=r["wall_s"])
            if r["ok"]:
                out = np.asarray(r["out"])
                row["imported_from"] = r["file"]
                row["from_copy"] = str(r["file"]).startswith(str(site))
                row["first_s"] = r["first_s"]
                row["warnings"] = r["warnings"]
                if reference is not None:
                    ref = np.asarray(reference)
                    row["max_rel_diff_vs_normal_install"] = float(
                        np.abs(out - ref).max() / np.abs(ref).max())
            else:
                row["error"] = r["stderr"][-600:]
            row["files_created_in_readonly_tree"] = sorted(_tree(root) - before)[:10]
            row["files_created_in_writable_home"] = sorted(
                str(p.relative_to(writable_home)) for p in writable_home.rglob("*")
                if p.is_file())[:5] if "writable HOME" in name else []
            rows.append(row)
            log(f"    read-only [{name}]: {'computes' if r['ok'] else 'FAILED'}"
                + (f", from copy: {row.get('from_copy')}, "
                   f"diff vs normal {row.get('max_rel_diff_vs_normal_install', float('nan')):.1e}"
                   if r["ok"] else f": {row.get('error', '')[-200:]}"))
    finally:
        _set_writable(root, True)
    return rows


# ------------------------------------------------------------------------ memory
def peak_memory(w3_path: Path, work: Path, quick: bool = False) -> list:
    rows = []
    impls = ("sklaudio", "librosa") if quick else ("sklaudio", "sklaudio-estimator", "librosa")
    for impl in impls:
        lib = impl.split("-")[0]
        if importlib.util.find_spec(lib) is None:
            continue
        r = _run_json([sys.executable, str(HERE / "child_memory.py"), impl, str(w3_path)],
                      child_env("1"), work)
        if not r["ok"]:
            log(f"    memory {impl} failed: {r['stderr'][-300:]}")
            rows.append(dict(impl=impl, ok=False, error=r["stderr"][-600:]))
            continue
        rows.append(r)
        log(f"    memory {impl:18s}: peak RSS +{r['rss_peak_delta'] / 2**20:8.1f} MiB, "
            f"tracemalloc peak {r['tracemalloc_peak'] / 2**20:8.1f} MiB "
            f"(input {r['input_bytes'] / 2**20:.1f} MiB)")
    return rows
