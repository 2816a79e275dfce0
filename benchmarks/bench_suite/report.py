"""Markdown tables and PNG plots of the suite's results."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .impls import FEATURE_LABELS, FEATURES

MiB = 2 ** 20


def _f(v, spec, na="n/a"):
    return na if v is None else format(v, spec)


def _thr_name(t):
    return "1 thread" if t == "1" else "all threads"


def table(head, rows, align=None) -> str:
    align = align or ["---"] + ["---:"] * (len(head) - 1)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def baselines(rows) -> dict:
    """(threads, workload, feature) -> fastest librosa time (per clip or 2-D batch)."""
    out = {}
    for r in rows:
        if r["lib"] == "librosa" and r["time_s"]:
            k = (r["threads"], r["workload"], r["feature"])
            out[k] = min(out.get(k, np.inf), r["time_s"])
    return out


def ratio(r, base):
    b = base.get((r["threads"], r["workload"], r["feature"]))
    return None if (b is None or not r["time_s"]) else b / r["time_s"]


def sk_main(rows, threads, wl, feature):
    """sklaudio's main row (estimator frames path if any, else the functional)."""
    cands = [r for r in rows if r["threads"] == threads and r["workload"] == wl
             and r["feature"] == feature and r["lib"] == "sklaudio" and r["time_s"]]
    return cands[0] if cands else None


# ------------------------------------------------------------------------- markdown
def throughput_md(res) -> str:
    rows = [r for w in res["workers"] for r in w["rows"]]
    if not rows:
        return ""
    base = baselines(rows)
    wls = res["workers"][0]["workloads"]
    threads = [w["threads"] for w in res["workers"]]
    present = {r["feature"] for r in rows}
    out = []

    # Summary: sklaudio speed-up over librosa, per feature x workload x threads.
    head = ["feature"] + [f"{k} ({_thr_name(t)})" for t in threads for k in wls]
    body = []
    for feat in [f for f in FEATURES if f in present]:
        cells = []
        for t in threads:
            for k in wls:
                r = sk_main(rows, t, k, feat)
                x = ratio(r, base) if r else None
                if r is None:
                    cells.append("—")
                elif x is None:
                    cells.append(f"{r['audio_s'] / r['time_s']:,.0f} a-s/s")
                else:
                    cells.append(f"{x:.1f}×")
        body.append([FEATURE_LABELS[feat]] + cells)
    out.append("### Summary: sklaudio speed-up over librosa (frames out)\n\n"
               "librosa time / sklaudio time on the same job (> 1: sklaudio faster); the "
               "librosa time is its faster call (per clip or, on W4, the 2-D batch). "
               "'a-s/s': no librosa equivalent, sklaudio's throughput in audio seconds per "
               "second. '—': not available.\n\n" + table(head, body))

    # MFCC across libraries.
    libs = []
    for r in rows:
        if r["feature"] == "mfcc" and (r["lib"], r["call"]) not in libs:
            libs.append((r["lib"], r["call"]))
    head = ["library", "call"] + [f"{k} ({_thr_name(t)})" for t in threads for k in wls]
    body = []
    for lib, call in libs:
        cells = []
        for t in threads:
            for k in wls:
                rr = [r for r in rows if r["threads"] == t and r["workload"] == k
                      and r["feature"] == "mfcc" and r["lib"] == lib and r["call"] == call]
                cells.append(f"{rr[0]['audio_s'] / rr[0]['time_s']:,.0f}"
                             if rr and rr[0]["time_s"] else "—")
        body.append([lib, call] + cells)
    out.append("### MFCC-20 throughput, all libraries (audio seconds per second)\n\n"
               "Peers with 'own definition' compute their variant of MFCC with matched "
               "n_fft, hop, band count and coefficient count (see notes below), so only "
               "their speed is comparable, not their values.\n\n"
               + table(head, body, ["---", "---"] + ["---:"] * (len(head) - 2)))

    # Detail per thread setting and workload.
    for t in threads:
        for k, meta in wls.items():
            body = []
            for r in rows:
                if r["threads"] != t or r["workload"] != k:
                    continue
                x = ratio(r, base)
                body.append([
                    FEATURE_LABELS[r["feature"]], r["lib"], r["call"],
                    _f(r["time_s"], ".4f", "—"),
                    _f(r["audio_s"] / r["time_s"] if r["time_s"] else None, ",.0f", "—"),
                    _f(x, ".2f", "—"),
                    ("ref." if r["is_ref"] else _f(r["err"], ".1e", "—")),
                    r["note"] or "",
                ])
            head = ["feature", "library", "call", "time (s)", "audio-s/s", "× librosa",
                    "max rel. err vs librosa", "note"]
            out.append(f"### {meta['label']}, {_thr_name(t)}\n\n{meta['describe']}; "
                       f"{meta['params']}.\n\n"
                       + table(head, body, ["---"] * 3 + ["---:"] * 4 + ["---"]))
    return "\n\n".join(out)


def floor_md(res) -> str:
    rows = [r for w in res["workers"] for r in w["rows"]]
    body = []
    for w in res["workers"]:
        for fl in w["floors"]:
            sk = sk_main(rows, fl["threads"], fl["workload"], "mfcc")
            lr = [r for r in rows if r["threads"] == fl["threads"] and r["workload"] ==
                  fl["workload"] and r["feature"] == "mfcc" and r["lib"] == "librosa"
                  and r["time_s"]]
            lr_t = min((r["time_s"] for r in lr), default=None)
            body.append([fl["workload"], _thr_name(fl["threads"]), f"{fl['n_frames']:,}",
                         f"{fl['n_fft']}", f"{fl['chunk']}", f"{fl['time_s']:.4f}",
                         _f(sk["time_s"] if sk else None, ".4f"),
                         _f(sk["time_s"] / fl["time_s"] if sk else None, ".2f"),
                         _f(lr_t, ".4f"), _f(lr_t / fl["time_s"] if lr_t else None, ".2f")])
    if not body:
        return ""
    head = ["workload", "threads", "frames", "n_fft", "frames/chunk", "rfft floor (s)",
            "sklaudio MFCC (s)", "MFCC / rfft", "librosa MFCC (s)", "librosa / rfft"]
    return ("### The floor: bare `scipy.fft.rfft` over the same frames\n\n"
            "float32, pre-framed and windowed, one `rfft(buf[:n], axis=1, workers=1)` call "
            "per chunk of frames (the engine's chunk size), over the workload's total frame "
            "count; at all threads, contiguous blocks in a thread pool as the engine does. "
            "Framing, the power spectrum, the filterbank, the log and the DCT all come on "
            "top of this, so 'MFCC / rfft' is the cost of everything but the FFT, in FFTs.\n\n"
            + table(head, body))


def coldstart_md(res) -> str:
    if not res.get("cold_start") and not res.get("readonly"):
        return ""
    body = []
    for r in res.get("cold_start", []):
        if not r.get("ok"):
            body.append([r["lib"], r["cache"], "failed", "", "", "", ""])
            continue
        body.append([r["lib"], r["cache"], f"{r['wall_s']:.2f}", f"{r['numpy_s']:.2f}",
                     f"{r['import_s']:.2f}", f"{r['first_s']:.3f}",
                     f"{r['second_s'] * 1e3:.1f}"])
    head = ["library", "Numba cache", "process wall (s)", "import numpy (s)",
            "import library (s)", "first MFCC (s)", "second MFCC (ms)"]
    md = ("### Cold start in a fresh interpreter\n\n"
          "`import sklaudio` + the first `MFCC(sample_rate=22050).fit_transform([clip])` on "
          "one 3-5 s clip (W1's first), against `librosa.feature.mfcc(y=clip, sr=22050)`, "
          "each in a fresh interpreter. 'warm': Numba's cache where it normally is "
          "(`NUMBA_CACHE_DIR` as in the caller's environment, usually unset), filled by an "
          "untimed run just before; 'empty': `NUMBA_CACHE_DIR` set to a fresh empty folder "
          "for each run (everything compiles)"
          + (", skipped in --quick" if res["quick"] else "") + ". Process wall includes "
          "interpreter start-up and loading the clip. librosa imports its submodules "
          "lazily: its import costs land in the first call. Best of "
          f"{res['repeat']} process(es).\n\n" + table(
              head, body, ["---", "---"] + ["---:"] * 5)) if body else ""
    ro = res.get("readonly", [])
    if ro:
        body = []
        for r in ro:
            body.append([
                r["variant"], r["enforced"],
                "yes" if r.get("ok") else "NO: " + str(r.get("error", ""))[-120:].replace(
                    "\n", " "),
                str(r.get("from_copy", "")),
                _f(r.get("max_rel_diff_vs_normal_install"), ".1e"),
                _f(r.get("first_s"), ".2f"),
                ", ".join(r.get("files_created_in_readonly_tree", [])) or "none",
                "; ".join(r.get("warnings", [])) or "none"])
        md += (("\n\n" if md else "") + "### Read-only install\n\nThe package directory "
               "copied to a temporary folder (without `__pycache__`), made read-only, and "
               "imported from there (`PYTHONPATH`) in a fresh interpreter that computes the "
               "MFCC of the same clip."
               "\n\n" + table(["variant", "how read-only", "computes", "imported from copy",
                               "max rel. diff vs normal install", "first MFCC (s)",
                               "files created in read-only tree", "warnings"],
                              body, ["---"] * 4 + ["---:"] * 2 + ["---"] * 2))
    return md


def memory_md(res) -> str:
    if not res.get("memory"):
        return ""
    body = []
    for r in res.get("memory", []):
        if not r.get("ok", True):
            body.append([r["impl"], "failed", "", "", "", "", ""])
            continue
        hwm = r.get("hwm_delta")
        body.append([r["impl"], f"{r['seconds']:.0f}", f"{r['input_bytes'] / MiB:.1f}",
                     f"{r['output_bytes'] / MiB:.2f}", f"{r['rss_peak_delta'] / MiB:.1f}",
                     _f(hwm / MiB if hwm is not None else None, ".1f"),
                     f"{r['tracemalloc_peak'] / MiB:.1f}"])
    head = ["implementation", "audio (s)", "input (MiB)", "output (MiB)",
            "peak RSS increase, sampled (MiB)", "peak RSS increase, kernel VmHWM (MiB)",
            "tracemalloc peak (MiB)"]
    return ("### Peak memory: MFCC-20 of W3 (one signal, 22,050 Hz)\n\n"
            "Each in its own process: the signal is loaded and the implementation warmed up "
            "on 2 s of it, then the increase of resident memory above that baseline while "
            "computing the whole signal's MFCC (psutil sampling every 0.5 ms, and the kernel's "
            "exact high-water mark `VmHWM`, reset just before via `/proc/self/clear_refs`), "
            "and the peak of NumPy/Python allocations under tracemalloc in a second run. "
            "'sklaudio' is "
            "`functional.mfcc(signal)`, 'sklaudio-estimator' is "
            "`MFCC().transform_frames([signal])` (a list input is copied into one sample "
            "buffer).\n\n" + table(head, body))


def scaling_md(res) -> str:
    w = next((w for w in res["workers"] if "scaling_length" in w), None)
    if w is None:
        return ""
    body = []
    for r in w["scaling_length"]:
        lr = r["librosa_s"]
        body.append([f"{r['seconds']:,.0f}", f"{r['sklaudio_s']:.4f}",
                     f"{r['sklaudio_s'] / r['seconds'] * 1e6:,.0f}", _f(lr, ".4f"),
                     _f(lr / r["seconds"] * 1e6 if lr else None, ",.0f"),
                     _f(lr / r["sklaudio_s"] if lr else None, ".2f")])
    md = ("### Scaling with total length (one signal, MFCC-20, 22,050 Hz, n_fft 2048, "
          f"hop 512, 128 mels, {_thr_name(w['threads'])})\n\nsklaudio `functional.mfcc` vs "
          "`librosa.feature.mfcc` on prefixes of one long signal (W3's construction). A "
          "constant cost per audio second means linear scaling.\n\n"
          + table(["audio (s)", "sklaudio (s)", "sklaudio (µs per audio s)", "librosa (s)",
                   "librosa (µs per audio s)", "× librosa"], body))
    body = []
    for r in w["scaling_clips"]:
        lr = r["librosa_s"]
        body.append([f"{r['clip_s']:.2f}", f"{r['n_clips']:,}", f"{r['seconds']:,.1f}",
                     f"{r['sklaudio_s']:.4f}", f"{r['sklaudio_s'] / r['seconds'] * 1e6:,.0f}",
                     f"{r['sklaudio_s'] / r['n_clips'] * 1e6:,.0f}", _f(lr, ".4f"),
                     _f(lr / r["seconds"] * 1e6 if lr else None, ",.0f"),
                     _f(lr / r["n_clips"] * 1e6 if lr else None, ",.0f"),
                     _f(lr / r["sklaudio_s"] if lr else None, ".2f")])
    md += ("\n\n### Scaling with the number of clips at a fixed total length (MFCC-20, "
           f"16 kHz, n_fft 512, hop 160, 64 mels, {_thr_name(w['threads'])})\n\n"
           "The same audio cut into equal clips; sklaudio `MFCC().transform_frames(clips)` "
           "(one batched call) vs librosa per clip. The rise of the cost per audio second as "
           "clips get shorter is the per-clip overhead.\n\n"
           + table(["clip (s)", "clips", "audio (s)", "sklaudio (s)",
                    "sklaudio (µs per audio s)", "sklaudio (µs per clip)", "librosa (s)",
                    "librosa (µs per audio s)", "librosa (µs per clip)", "× librosa"], body))
    return md


def njobs_md(res) -> str:
    w = next((w for w in res["workers"] if "njobs" in w), None)
    if w is None:
        return ""
    body = []
    for r in w["njobs"]:
        t1 = next(x["time_s"] for x in w["njobs"] if x["workload"] == r["workload"]
                  and x["n_jobs"] == 1)
        body.append([r["workload"], str(r["n_jobs"]), f"{r['time_s']:.4f}",
                     f"{r['audio_s'] / r['time_s']:,.0f}", f"{t1 / r['time_s']:.2f}"])
    return ("### sklaudio `n_jobs` (MFCC-20 `transform_frames`, "
            f"{_thr_name(w['threads'])} environment)\n\n"
            + table(["workload", "n_jobs", "time (s)", "audio-s/s", "speed-up vs n_jobs=1"],
                    body))


def notes_md(res) -> str:
    lines = []
    for name, st in res.get("peers", {}).items():
        lines.append(f"- {name}: " + (f"{st['version']}" if st["available"]
                                      else f"not importable, skipped ({st['reason']})"))
    seen = set()
    for w in res["workers"]:
        for n in w["notes"]:
            if n not in seen:
                seen.add(n)
                lines.append(f"- {n}")
        for mod, err in w.get("import_errors", {}).items():
            if mod not in seen:
                seen.add(mod)
                lines.append(f"- could not import {mod}: {err}")
    return "### Libraries and notes\n\n" + "\n".join(lines)


def markdown(res) -> str:
    env = res["environment"]
    head = (f"# sklaudio benchmark suite{' (quick smoke run)' if res['quick'] else ''}\n\n"
            f"{env['summary']}\n\nCommand: `{res['command']}`. Timings are the best of "
            f"{res['repeat']} runs (`time.perf_counter`), after an untimed warm-up; "
            "throughput is audio seconds per wall-clock second. sklaudio runs with "
            "`n_jobs=None` at 1 thread and `n_jobs=-1` at all threads; each thread setting "
            "runs in its own subprocess whose thread variables were set before NumPy was "
            "imported. Errors are the largest per-clip `max|x - librosa| / max|librosa|` "
            "(float64) against librosa's per-clip output on the same float32 input.")
    parts = [head, throughput_md(res), floor_md(res), coldstart_md(res), memory_md(res),
             scaling_md(res), njobs_md(res), notes_md(res)]
    return "\n\n".join(p for p in parts if p) + "\n"


# ---------------------------------------------------------------------------- plots
def plots(res, out: Path, stem: str) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        return []
    paths = []
    rows = [r for w in res["workers"] for r in w["rows"]]
    threads = [w["threads"] for w in res["workers"]]
    wls = list(res["workers"][0]["workloads"])

    # 1. MFCC throughput per library, per workload.
    fig, axes = plt.subplots(1, len(wls), figsize=(4.2 * len(wls), 4.2), sharey=False)
    for ax, k in zip(np.atleast_1d(axes), wls):
        labels, vals = [], {t: [] for t in threads}
        combos = []
        for r in rows:
            combo = (r["lib"], r["call"])
            if r["workload"] == k and r["feature"] == "mfcc" and combo not in combos:
                combos.append(combo)
        for lib, call in combos:
            short = lib if lib != "librosa" else f"librosa ({call})"
            labels.append(short.replace("python_speech_features", "psf"))
            for t in threads:
                rr = [r for r in rows if r["threads"] == t and r["workload"] == k and
                      r["feature"] == "mfcc" and r["lib"] == lib and r["call"] == call]
                vals[t].append(rr[0]["audio_s"] / rr[0]["time_s"] if rr and rr[0]["time_s"]
                               else 0)
        y = np.arange(len(labels))
        h = 0.8 / max(1, len(threads))
        for i, t in enumerate(threads):
            ax.barh(y + i * h, vals[t], height=h, label=_thr_name(t))
        ax.set_yticks(y + h * (len(threads) - 1) / 2)
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("audio seconds per second")
        ax.set_title(k + ": MFCC-20", fontsize=10)
        ax.invert_yaxis()
    np.atleast_1d(axes)[0].legend(fontsize=8)
    fig.tight_layout()
    p = out / f"{stem}_throughput_mfcc.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)

    # 2. sklaudio / librosa speed-up per feature and workload.
    base = baselines(rows)
    fig, axes = plt.subplots(1, len(threads), figsize=(6.5 * len(threads), 4.5), squeeze=False)
    for ax, t in zip(axes[0], threads):
        feats = [f for f in FEATURES if any(sk_main(rows, t, k, f) and
                                            ratio(sk_main(rows, t, k, f), base)
                                            for k in wls)]
        x = np.arange(len(feats))
        wdt = 0.8 / len(wls)
        for i, k in enumerate(wls):
            v = []
            for f in feats:
                r = sk_main(rows, t, k, f)
                v.append((ratio(r, base) or 0) if r else 0)
            ax.bar(x + i * wdt, v, width=wdt, label=k)
        ax.axhline(1.0, color="k", lw=0.8)
        ax.set_xticks(x + wdt * (len(wls) - 1) / 2)
        ax.set_xticklabels([FEATURE_LABELS[f].replace(" (", "\n(") for f in feats], fontsize=7,
                           rotation=30, ha="right")
        ax.set_yscale("log")
        ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_ylabel("× librosa (librosa time / sklaudio time)")
        ax.set_title(f"sklaudio speed-up over librosa, {_thr_name(t)}", fontsize=10)
        ax.legend(fontsize=8)
    fig.tight_layout()
    p = out / f"{stem}_speedup_features.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    paths.append(p)

    # 3. Scaling.
    w = next((w for w in res["workers"] if "scaling_length" in w), None)
    if w is not None:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
        L = [r["seconds"] for r in w["scaling_length"]]
        a1.plot(L, [r["sklaudio_s"] / r["seconds"] * 1e6 for r in w["scaling_length"]], "o-",
                label="sklaudio functional.mfcc")
        if all(r["librosa_s"] for r in w["scaling_length"]):
            a1.plot(L, [r["librosa_s"] / r["seconds"] * 1e6 for r in w["scaling_length"]],
                    "s-", label="librosa.feature.mfcc")
        a1.set_xscale("log")
        a1.set_yscale("log")
        a1.set_xlabel("signal length (s)")
        a1.set_ylabel("µs of compute per audio second")
        a1.set_title("MFCC-20 vs signal length (22,050 Hz)", fontsize=10)
        a1.legend(fontsize=8)
        C = [r["clip_s"] for r in w["scaling_clips"]]
        a2.plot(C, [r["sklaudio_s"] / r["seconds"] * 1e6 for r in w["scaling_clips"]], "o-",
                label="sklaudio MFCC.transform_frames (batch)")
        if all(r["librosa_s"] for r in w["scaling_clips"]):
            a2.plot(C, [r["librosa_s"] / r["seconds"] * 1e6 for r in w["scaling_clips"]],
                    "s-", label="librosa per clip")
        a2.set_xscale("log")
        a2.set_yscale("log")
        a2.set_xlabel("clip length (s), fixed total length")
        a2.set_ylabel("µs of compute per audio second")
        a2.set_title("MFCC-20 vs clip length (16 kHz)", fontsize=10)
        a2.legend(fontsize=8)
        fig.tight_layout()
        p = out / f"{stem}_scaling.png"
        fig.savefig(p, dpi=110)
        plt.close(fig)
        paths.append(p)
    return paths
