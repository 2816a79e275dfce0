"""Parameter docstrings composed from one set of per-parameter snippets.

A parameter that means the same thing wherever it appears (``n_fft``,
``hop_length``, ``pooling``, ``n_mels``, ...) is described once, in
:data:`SNIPPETS`. A public function or estimator decorated with
:func:`fill_params` documents in its own ``Parameters`` section only what is
particular to it; the decorator adds the shared snippets for every other
parameter of its signature, writes each default from the signature (so a
documented default can never drift from the code), and puts all entries in
signature order. A parameter with neither a local entry nor a snippet, or a
local entry naming no parameter of the signature, is an error at import time.

Some names mean different things in different families (``fmin`` is a mel
band edge in MFCC, a centre frequency in GFCC); their snippets are keyed
``"<family>.<name>"`` and a decorated object names the families it belongs to:
``@fill_params("mel")`` looks up ``"mel.fmin"`` before ``"fmin"``.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Callable, TypeVar

__all__ = ["SNIPPETS", "fill_params"]

T = TypeVar("T")

_PAD_MODES = '{"constant", "edge", "reflect", "symmetric"}'

#: One (type, description) per parameter name; ``"<family>.<name>"`` keys win
#: over plain names for objects decorated with that family.
SNIPPETS: dict[str, tuple[str, str]] = {
    # -- sampling and STFT ------------------------------------------------------------------
    "sample_rate": ("float", "Sampling rate of the audio in Hz."),
    "n_fft": ("int", "FFT length in samples (``>= 2``)."),
    "hop_length": ("int", "Hop between successive frames in samples."),
    "win_length": ("int or None", """
        Window length in samples (``<= n_fft``), zero-padded on both sides to
        ``n_fft``; ``None`` means ``n_fft``."""),
    "window": ("str, tuple or array", """
        Periodic analysis window: any :func:`scipy.signal.get_window` spec, or
        an array of ``win_length`` samples."""),
    "center": ("bool", """
        Pad the signal by ``n_fft // 2`` samples on both sides (``pad_mode``)
        so frame ``t`` is centred at sample ``t * hop_length``; signals
        shorter than ``n_fft`` are then still valid (librosa's behaviour).
        With ``False`` frame ``t`` starts at sample ``t * hop_length`` and a
        signal shorter than ``n_fft`` raises ``ValueError``."""),
    "frames.center": ("bool", """
        Pad the signal by ``frame_length // 2`` samples on both sides
        (``pad_mode``; padded samples count in the frame) so frame ``t`` is
        centred at sample ``t * hop_length``; signals shorter than
        ``frame_length`` are then still valid. With ``False`` frame ``t``
        starts at sample ``t * hop_length`` and a signal shorter than
        ``frame_length`` raises ``ValueError``."""),
    "frames.window": ("str, tuple or array", """
        Periodic window applied to each raw frame (any
        :func:`scipy.signal.get_window` spec, or an array of ``frame_length``
        samples); ``"boxcar"`` for none."""),
    "pad_mode": (_PAD_MODES, "Padding used when ``center`` is true."),
    "frame_length": ("int", "Frame length in samples (raw, un-windowed frames), ``>= 2``."),
    "power": ("float", "Exponent on the STFT magnitude (2: power, 1: magnitude)."),
    # -- mel --------------------------------------------------------------------------------
    "n_mels": ("int", "Number of mel bands."),
    "mel.fmin": ("float", "Lowest mel band edge in Hz."),
    "mel.fmax": ("float or None", "Highest mel band edge in Hz; ``None`` is ``sample_rate / 2``."),
    "htk": ("bool", "Use the HTK mel formula instead of Slaney's (librosa's ``htk``)."),
    "mel_norm": ('{"slaney", None}', """
        Mel filter normalisation: ``"slaney"`` divides each triangle by its
        width in Hz (constant energy per band), ``None`` leaves peaks at 1."""),
    "deprecated.norm": ('{"slaney", None}', "Deprecated alias of ``mel_norm`` (renamed in 0.1, removed in 0.3)."),
    "deprecated.n_bands": ("int", "Deprecated alias of ``n_filters`` (renamed in 0.1, removed in 0.3)."),
    # -- dB and cepstra ---------------------------------------------------------------------
    "ref": ('float or "max"', """
        Reference power of the dB scale, ``10 log10(S / ref)``. ``"max"`` uses
        each clip's maximum, which makes the features independent of the
        recording level (only ``c0`` of a cepstrum changes)."""),
    "top_db": ("float or None", """
        Dynamic range in dB kept below each clip's maximum (per clip, never per
        batch); ``None`` keeps everything."""),
    "cepstral.ref": ('float or "max"', """
        Reference power of the dB scale (``compression="log"`` only),
        ``10 log10(E / ref)``; ``"max"`` uses each clip's maximum, which makes
        the features independent of the recording level."""),
    "cepstral.top_db": ("float or None", """
        Dynamic range in dB kept below each clip's maximum
        (``compression="log"`` only; per clip, never per batch); ``None``
        keeps everything."""),
    "n_mfcc": ("int", "Number of MFCCs kept per frame, ``<= n_mels``."),
    "dct_type": ("{1, 2, 3}", "DCT type (:func:`scipy.fft.dct` numbering)."),
    "dct.norm": ('{"ortho", None}', """
        DCT normalisation: ``"ortho"`` makes the basis orthonormal (librosa's
        default); ``None`` is scipy's unnormalised DCT."""),
    "lifter": ("float", """
        Liftering coefficient ``>= 0``: coefficient ``k`` is scaled by
        ``1 + (lifter / 2) sin(pi (k + 1) / lifter)`` (librosa's); 0 disables
        it."""),
    # -- auditory filterbanks ---------------------------------------------------------------
    "gammatone.n_filters": ("int", "Number of gammatone channels."),
    "gammatone.fmin": ("float", "Lowest gammatone centre frequency in Hz."),
    "gammatone.fmax": ("float or None", """
        Upper end of the ERB-spaced band in Hz (``None``: Nyquist); the centres
        are uniformly spaced in ERB-rate from ``fmin`` to one step below
        ``fmax`` (Slaney's ``ERBSpace``)."""),
    "gammatone.filterbank": ('{"fft", "iir"}', """
        ``"fft"``: weight each frame's power spectrum by the gammatone's
        squared magnitude response (one STFT pass; Ellis 2009). ``"iir"``:
        filter the signal with Slaney's (1993) 4th-order IIR gammatone
        filterbank and take each channel's windowed energy
        ``(n_fft / 2) sum_j w[j]^2 y[t hop + j]^2`` on the same frames (same
        scale as ``"fft"`` by Parseval; slower, exact time-domain filtering)."""),
    "triangular.fmin": ("float", "Lowest filter edge in Hz."),
    "triangular.fmax": ("float or None", "Highest filter edge in Hz; ``None`` is Nyquist."),
    "filter_norm": ('{None, "area"}', """
        ``"area"`` scales each triangle to unit area (Slaney-style). Linear
        filters all have the same width, so for LFCC with ``"log"`` it only
        shifts ``c0``."""),
    "compression": ('{"log", "cubic"}', """
        Loudness compression of the filterbank energies ``E``: ``"log"`` is
        ``10 log10(max(1e-10, E))`` dB with ``ref`` and ``top_db`` per clip
        (as MFCC); ``"cubic"`` is ``E ** (1/3)``."""),
    # -- chroma -----------------------------------------------------------------------------
    "n_chroma": ("int", "Number of chroma bins per octave."),
    "tuning": ("float or None", """
        Tuning offset in fractions of a chroma bin; ``None`` estimates it per
        clip (librosa's ``estimate_tuning``)."""),
    # -- PNCC (Kim & Stern 2016) -----------------------------------------------------------
    "pncc.n_pncc": ("int", "Cepstral coefficients kept, ``1 <= n_pncc <= n_filters``."),
    "pncc.n_filters": ("int", "Gammatone channels."),
    "pncc.fmin": ("float", "Lowest channel centre frequency in Hz."),
    "pncc.fmax": ("float", """
        Upper end of the ERB-spaced band in Hz (the highest centre is one ERB
        step below it, Slaney's ``ERBSpace``), capped at ``sample_rate / 2``."""),
    "pncc.n_fft": ("int or None", """
        FFT length in samples; ``None`` is the smallest power of two
        ``>= 2 win_length`` (1024 at 16 kHz, as in the paper)."""),
    "pncc.hop_length": ("int or None", "Hop in samples; ``None`` is ``round(0.010 sample_rate)`` (10 ms)."),
    "pncc.win_length": ("int or None", """
        Window length in samples; ``None`` is ``round(0.0256 sample_rate)``
        (25.6 ms), capped at ``n_fft``."""),
    "pncc.window": ("str, tuple or array", "Periodic analysis window (any :func:`scipy.signal.get_window` spec)."),
    "pncc.preemphasis": ("float", "Pre-emphasis coefficient in ``[0, 1]`` (``y[n] - c y[n-1]``); 0 disables it."),
    "pncc.medium_time": ("int", "``M``, half-window of the medium-time power average, in frames, ``>= 0``."),
    "pncc.smoothing_width": ("int", "``N``, half-width of the spectral weight smoothing, in channels, ``>= 0``."),
    "pncc.lambda_a": ("float", "Rise forgetting factor of the asymmetric lowpass filter, in ``[0, 1)``."),
    "pncc.lambda_b": ("float", "Fall forgetting factor of the asymmetric lowpass filter, in ``[0, 1)``."),
    "pncc.lambda_t": ("float", "Peak decay of the temporal masking, in ``[0, 1)``."),
    "pncc.mu_t": ("float", "Level of a masked frame relative to the peak, ``>= 0``."),
    "pncc.excitation_threshold": ("float", """
        ``c``: a frame is "excitation" where the medium-time power is at least
        ``c`` times its lower envelope."""),
    "pncc.lambda_mu": ("float", "Forgetting factor of the mean power normalisation, in ``[0, 1)``."),
    "pncc.power_exponent": ("float", "Exponent of the power-law nonlinearity, in ``(0, 1]`` (1/15 in the paper)."),
    "pncc.cmn": ("bool", """
        Subtract each clip's mean from every coefficient (the paper's final
        mean normalisation). Off by default so that pooled means carry
        information."""),
    # -- plots (sklaudio.display) -----------------------------------------------------------
    "ax": ("matplotlib.axes.Axes or None", "Axes to draw into (default: the current axes)."),
    # -- estimator tail ---------------------------------------------------------------------
    "pooling": ("str or tuple of str", """
        Statistics over each clip's frames: ``"mean"``, ``"std"``
        (population), ``"min"``, ``"max"``, ``"median"``, percentiles
        ``"p<q>"`` (e.g. ``"p10"``, ``"p90"``; linear interpolation, as
        :func:`numpy.percentile`), ``"skew"`` and ``"kurtosis"`` (biased
        Fisher estimates, as :func:`scipy.stats.skew` / ``kurtosis``; 0 for a
        constant feature), ``"slope"`` (least-squares slope per frame; 0 for a
        single frame) and ``"trajectory"`` (the frames linearly resampled in
        time to ``trajectory_length`` points, named ``t0``, ``t1``, ...)."""),
    "trajectory_length": ("int", "Points of the ``\"trajectory\"`` pooling; unused otherwise."),
    "dtype": ('{"float32", "float64"}', "Precision of the computation and of the output."),
    "n_jobs": ("int or None", """
        Threads over frames (scikit-learn's meaning: ``None`` is 1, ``-1`` all
        cores). Threads are used only for inputs with enough frames (about
        1 ms of work per thread; smaller inputs run in the calling thread),
        never more than the CPUs available to the process, and from one
        shared pool whose size is bounded per process however many threads or
        joblib/Dask workers call at once. Each thread runs single-threaded
        kernels and FFTs, so nothing oversubscribes; results do not depend on
        ``n_jobs``."""),
}


def _format_default(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        inner = ", ".join(_format_default(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, type) and value.__module__ == "numpy":
        return f"np.{value.__name__}"
    return repr(value)


def _with_default(header: str, param: inspect.Parameter) -> str:
    if param.default is inspect.Parameter.empty:
        return header
    return f"{header}, default={_format_default(param.default)}"


def _snippet_entry(name: str, param: inspect.Parameter, families: tuple[str, ...]) -> list[str]:
    for key in (*(f"{f}.{name}" for f in families), name):
        if key in SNIPPETS:
            kind, text = SNIPPETS[key]
            break
    else:
        raise KeyError(name)
    header = _with_default(f"{name} : {kind}", param)
    body = textwrap.indent(textwrap.dedent(text).strip("\n"), "    ").splitlines()
    return [header, *body]


def _entry_names(header: str) -> list[str]:
    names = header.split(" : ", 1)[0].strip()
    return [n.strip() for n in names.split(",") if n.strip()]


def _split_sections(lines: list[str]) -> tuple[int, int] | None:
    """(first entry line, end line) of the Parameters section, or None."""
    for i in range(len(lines) - 1):
        if lines[i].strip() == "Parameters" and set(lines[i + 1].strip()) == {"-"}:
            start = i + 2
            end = start
            while end < len(lines):
                nxt = lines[end + 1].strip() if end + 1 < len(lines) else ""
                if lines[end] and not lines[end][0].isspace() and nxt and set(nxt) == {"-"}:
                    break
                end += 1
            return start, end
    return None


def _entries(lines: list[str]) -> dict[str, list[str]]:
    """Entries of a Parameters section: a header at indent 0, then its indented lines."""
    entries: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        if line and not line[0].isspace():
            current = [line]
            for n in _entry_names(line):
                entries[n] = current
        elif current is not None:
            current.append(line)
    return entries


def _compose(doc: str, signature: inspect.Signature, qualname: str,
             families: tuple[str, ...], like: Callable | None = None) -> str:
    lines = inspect.cleandoc(doc).splitlines()
    span = _split_sections(lines)
    if span is None:
        raise ValueError(f"{qualname}: docstring has no 'Parameters' section to fill")
    start, end = span
    local = _entries(lines[start:end])
    if like is not None:
        other = inspect.cleandoc(like.__doc__ or "").splitlines()
        other_span = _split_sections(other)
        inherited = _entries(other[other_span[0]:other_span[1]]) if other_span else {}
        for name, entry in inherited.items():
            if name in signature.parameters and name not in local and len(_entry_names(entry[0])) == 1:
                header = entry[0].split(", default=")[0]
                local[name] = [_with_default(header, signature.parameters[name]), *entry[1:]]
    def key(p):  # a docstring names ``*args`` / ``**kwargs`` with their stars
        return {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name

    params = [p for p in signature.parameters.values() if p.name != "self"]
    names = {key(p) for p in params}
    unknown = sorted(set(local) - names)
    if unknown:
        raise ValueError(f"{qualname}: documents {unknown}, which are not parameters")
    out: list[str] = []
    emitted: set[int] = set()
    for p in params:
        if key(p) in local:
            entry = local[key(p)]
            if id(entry) not in emitted:
                emitted.add(id(entry))
                while entry and not entry[-1].strip():
                    entry = entry[:-1]
                out.extend(entry)
            continue
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue  # undocumented *args/**kwargs stay undocumented
        try:
            out.extend(_snippet_entry(p.name, p, families))
        except KeyError:
            raise ValueError(
                f"{qualname}: parameter {p.name!r} has no docstring entry and no shared snippet "
                "in sklaudio._docstrings.SNIPPETS") from None
    tail = lines[end:]
    return "\n".join([*lines[:start], *out, *([""] if tail else []), *tail]) + "\n"


def _section(lines: list[str], title: str) -> tuple[int, int] | None:
    """(header line, end line) of the numpydoc section ``title``, or None."""
    for i in range(len(lines) - 1):
        if lines[i].strip() == title and set(lines[i + 1].strip()) == {"-"}:
            end = i + 2
            while end < len(lines):
                nxt = lines[end + 1].strip() if end + 1 < len(lines) else ""
                if lines[end] and not lines[end][0].isspace() and nxt and set(nxt) == {"-"}:
                    break
                end += 1
            return i, end
    return None


def _add_references(doc: str, source: Callable, qualname: str) -> str:
    """Copy ``source``'s References section into ``doc`` (before Examples), if it has none."""
    lines = doc.splitlines()
    if _section(lines, "References") is not None:
        raise ValueError(f"{qualname}: has its own References; drop references_from")
    src = inspect.cleandoc(source.__doc__ or "").splitlines()
    span = _section(src, "References")
    if span is None:
        raise ValueError(f"{qualname}: {source.__name__} has no References section to copy")
    block = src[span[0]:span[1]]
    while block and not block[-1].strip():
        block = block[:-1]
    examples = _section(lines, "Examples")
    at = examples[0] if examples else len(lines)
    if at == len(lines) and lines and lines[-1].strip():
        block = ["", *block]
    return "\n".join([*lines[:at], *block, "", *lines[at:]]).rstrip("\n") + "\n"


def fill_params(*families: str, like: Callable | None = None,
                references_from: Callable | None = None) -> Callable[[T], T]:
    """Decorator: complete a docstring's ``Parameters`` section from :data:`SNIPPETS`.

    For a class the signature is its ``__init__``'s; for a function (also one
    wrapped by :func:`sklaudio._params.validate_params`) its own. With
    ``like=f``, parameters not documented locally take ``f``'s (already
    composed) entries before the snippets: for a variant of ``f`` with the
    same parameters. With ``references_from=f`` (an estimator and its
    functional twin), ``f``'s References section is copied in before the
    Examples, so a source is cited in one place.
    """
    for f in families:
        if not isinstance(f, str):
            raise TypeError("use @fill_params() or @fill_params('family', ...)")

    def decorate(obj: T) -> T:
        target = obj.__init__ if isinstance(obj, type) else obj
        sig = inspect.signature(target)
        qualname = getattr(obj, "__qualname__", str(obj))
        doc = _compose(obj.__doc__ or "", sig, qualname, families, like)
        if references_from is not None:
            doc = _add_references(doc, references_from, qualname)
        obj.__doc__ = doc
        return obj

    return decorate
