"""Streaming frame features: blocks of samples in, each frame out as soon as it is complete.

One stream (:class:`FeatureStream`) is a chain of small stateful stages, each
carrying across blocks only what the next block needs::

    block -> prefilter -> PadStream -> source -> row streams -> align -> assemble -> frames
             (optional)   (centre     (engine    (one per spec:
                          padding)    frames)    its finalize)

* **prefilter** (optional): a causal per-sample transform applied before the
  framing, with its state carried (PNCC's pre-emphasis).
* :class:`PadStream`: the centre padding of :func:`sklaudio._engine.plan_frames`
  (``n_fft // 2`` samples of ``pad_mode`` on each side) on a signal that
  arrives in pieces: the left padding as soon as the samples it copies have
  arrived, the right padding at the end of the stream. Its values come from
  the engine's own :func:`~sklaudio._kernels.stft.padded_index`.
* **source**: the rows (``reduce`` outputs) of the frames now complete.
  :class:`EngineSource` keeps a :class:`FrameBuffer` (frame ``k`` covers
  positions ``[k hop, k hop + n_fft)`` of the padded signal; the samples
  from the next frame's start are carried) and computes the new frames with
  the engine's :class:`~sklaudio._engine.SpecPass` on the buffered span,
  framed without padding: the same kernels, windows and FFT as
  ``transform_frames``. An estimator may bring its own source (the
  time-domain gammatone filterbank, whose IIR state runs across samples).
* **row streams** (:class:`RowStream`): the streaming form of each spec's
  ``finalize`` (the whole-clip steps): frame-local steps run on each block's
  rows (:class:`FrameLocal`); steps that read a bounded number of
  neighbouring frames run on a carried window of rows and declare their
  look-ahead (:class:`Windowed`: deltas, onset differences, PNCC's
  medium-time power); the per-clip dB clamp becomes a clamp below the
  running maximum (:class:`RunningDBClamp`). A factory that cannot be made
  causal raises ``ValueError`` naming the parameter.
* **align**: specs with different look-aheads (a composite) return their
  final rows at different times; rows are released when every spec has them.

Every stage returns only complete frames, so the frames of a stream, put end
to end, are the frames of the whole signal, whatever the block sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._engine import FramePlan, FrameSpec, SpecPass, plan_frames, run_pass
from ._kernels.cepstral import db_running_clamp
from ._kernels.stft import (
    PAD_CONSTANT,
    PAD_EDGE,
    PAD_MODES,
    nonfinite_segments,
    padded_index,
)
from ._params import raise_invalid
from ._validation import ClipBatch

__all__ = [
    "Chain",
    "EngineSource",
    "FeatureStream",
    "FrameBuffer",
    "FrameLocal",
    "PadStream",
    "RowStream",
    "RunningDBClamp",
    "StreamSetup",
    "Windowed",
    "check_block",
    "iter_stream",
]


_OFFSETS: dict[int, np.ndarray] = {}


def _offsets(n: int) -> np.ndarray:
    """``[0, n]`` (int64): the offsets of one clip or frame range of length ``n``.

    Cached for the small counts that blocks bring (an allocation is a good
    part of a small block's cost); every reader only reads them. (Not flagged
    read-only: Numba would compile every kernel again for read-only arrays.)
    """
    got = _OFFSETS.get(n)
    if got is None:
        got = np.array([0, n], dtype=np.int64)
        if n < 1 << 16 and len(_OFFSETS) < 4096:
            _OFFSETS[n] = got
    return got


class _Span:
    """The samples of one stretch of a stream as the engine reads a clip batch
    (``samples``, ``offsets``), without :class:`~sklaudio._validation.ClipBatch`'s
    frozen-dataclass construction cost."""

    __slots__ = ("offsets", "samples")

    def __init__(self, samples, offsets):
        self.samples = samples
        self.offsets = offsets


def _cat(a, b):
    """Rows ``a`` then ``b``; either may be None (no rows)."""
    if a is None or len(a) == 0:
        return b
    if b is None or len(b) == 0:
        return a
    return np.concatenate((a, b))


# -- blocks -------------------------------------------------------------------------------------
def check_block(block, index: int, dtype, bad=None) -> np.ndarray:
    """Block ``index`` of a stream as a C-contiguous 1-D array of ``dtype``, or ``ValueError``.

    A block is a 1-D array of real samples (any length, 0 included); integers
    are cast without rescaling. NaN and infinities (also after the cast to
    float32) are refused. Errors name the block index. The result may be
    ``block`` itself: the stages that keep samples copy them. ``bad``: an
    optional ``(1,)`` bool scratch.
    """
    if isinstance(block, np.ndarray) and block.ndim == 1 and block.dtype == dtype:
        a = block if block.flags.c_contiguous else np.ascontiguousarray(block)
    else:
        a = _as_block(block, index, dtype)
    n = len(a)
    if n and nonfinite_segments(a, _offsets(n), np.zeros(1, np.bool_) if bad is None else bad):
        raise ValueError(f"Block {index} contains NaN or infinite values (in {a.dtype}).")
    return a


def _as_block(block, index, dtype):
    if isinstance(block, (str, bytes)) or hasattr(block, "__fspath__"):
        raise ValueError(f"Block {index} is a file path ({str(block)!r}), not samples; read "
                         "the file in blocks, e.g. soundfile.blocks(path, blocksize=1024).")
    try:
        a = np.asarray(block)
    except Exception as exc:  # report any conversion failure
        raise ValueError(f"Block {index} could not be converted to an array ({exc}).") from exc
    kind = a.dtype.kind
    if kind == "O":
        try:
            a = a.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"Block {index} contains non-numeric values ({exc}).") from exc
        kind = "f"
    if kind == "c":
        raise ValueError(f"Block {index} has complex dtype {a.dtype}; audio samples are real.")
    if kind not in "iuf":
        raise ValueError(f"Block {index} has dtype {a.dtype}; blocks must hold real numbers.")
    if a.ndim != 1:
        hint = (" (frames, channels): stream mono audio, e.g. block.mean(axis=1), or stream "
                "each channel separately" if a.ndim == 2 else "")
        raise ValueError(f"Block {index} has shape {a.shape}; blocks must be 1-D{hint}.")
    with np.errstate(over="ignore"):  # an overflow to inf is reported by the caller
        return np.ascontiguousarray(a, dtype=dtype)


# -- padding ------------------------------------------------------------------------------------
def _padded_values(x: np.ndarray, i0: int, i1: int, mode: int) -> np.ndarray:
    """``x`` at positions ``i0 .. i1 - 1``, padded outside ``[0, len(x))`` as the engine pads."""
    n = len(x)
    idx = np.array([i if 0 <= i < n else padded_index(i, n, mode) for i in range(i0, i1)],
                   dtype=np.int64)
    out = np.zeros(i1 - i0, dtype=x.dtype)
    inside = idx >= 0
    out[inside] = x[idx[inside]]
    return out


class PadStream:
    """The centre padding of :func:`~sklaudio._engine.plan_frames`, on a signal arriving in pieces.

    ``push(x)`` returns the next part of the padded signal (``pad`` padding
    samples, the samples, ``pad`` padding samples), ``flush()`` its end. The
    left padding copies samples ``1 .. pad`` (reflect), ``0 .. pad - 1``
    (symmetric) or ``0`` (edge), so it is emitted once ``pad + 1`` samples
    (one for ``"constant"`` and ``"edge"``) have arrived; a stream shorter
    than that is padded at its end as a whole (with numpy's repeated
    reflection, as the engine). The last ``pad + 1`` samples are carried for
    the right padding. A stream without samples stays empty (no frames).
    """

    def __init__(self, pad: int, mode: int, dtype):
        self.pad = int(pad)
        self.mode = int(mode)
        self.dtype = np.dtype(dtype)
        self.need = 1 if self.mode in (PAD_CONSTANT, PAD_EDGE) else self.pad + 1
        self._head: list[np.ndarray] | None = []
        self._n = 0
        self._tail = np.empty(0, dtype=self.dtype)
        self._keep_tail = self.mode != PAD_CONSTANT

    def _remember(self, x):
        if self._keep_tail:
            k = self.pad + 1
            self._tail = (x[-k:] if len(x) >= k else np.concatenate((self._tail, x))[-k:]).copy()

    def push(self, x: np.ndarray) -> np.ndarray:
        if self.pad == 0:
            return x
        self._n += len(x)
        if self._head is None:
            self._remember(x)
            return x
        self._head.append(x.copy())  # a caller may reuse its buffer (a sound card does)
        if self._n < self.need:
            return x[:0]
        head = np.concatenate(self._head)
        self._head = None
        self._remember(head)
        if self.mode == PAD_CONSTANT:
            left = np.zeros(self.pad, dtype=self.dtype)
        else:
            left = _padded_values(head, -self.pad, 0, self.mode)
        return np.concatenate((left, head))

    def flush(self) -> np.ndarray:
        empty = np.empty(0, dtype=self.dtype)
        if self.pad == 0 or self._n == 0:
            return empty
        if self._head is not None:  # shorter than the left padding needs: pad it as a whole
            head = np.concatenate(self._head)
            self._head = None
            return _padded_values(head, -self.pad, len(head) + self.pad, self.mode)
        if self.mode == PAD_CONSTANT:
            return np.zeros(self.pad, dtype=self.dtype)
        t = self._tail
        return _padded_values(t, len(t), len(t) + self.pad, self.mode)


# -- framing ------------------------------------------------------------------------------------
class FrameBuffer:
    """Carry buffer of a signal arriving in pieces; returns the spans of its complete frames.

    Frame ``k`` covers positions ``[k hop, k hop + n_fft)``. ``push(x)``
    appends ``x`` and returns ``(span, n)``: the ``n`` frames that became
    complete, as the samples from the first one's start to the last one's
    end (``(n - 1) hop + n_fft`` samples), or ``(None, 0)``. ``span`` is a
    view of the buffer, valid until the next ``push``. Only the samples from
    the next frame's start on are kept (none between frames when
    ``hop > n_fft``), in one buffer that is copied into, never a caller's
    array: a block costs one copy, without an allocation.
    """

    def __init__(self, n_fft: int, hop: int, dtype):
        self.n_fft = int(n_fft)
        self.hop = int(hop)
        self._buf = np.empty(4 * self.n_fft + 4096, dtype=dtype)
        self._lo = self._hi = 0  # the kept samples are _buf[_lo:_hi]
        self._start = 0  # position of _buf[_lo]
        self._end = 0  # positions received
        self.k = 0  # next frame

    def _append(self, x):
        n = len(x)
        if self._hi + n > len(self._buf):
            kept = self._hi - self._lo
            if kept + n > len(self._buf):
                buf = np.empty(max(2 * len(self._buf), kept + n), dtype=self._buf.dtype)
            else:
                buf = self._buf
            buf[:kept] = self._buf[self._lo:self._hi]  # (numpy handles the overlap)
            self._buf, self._lo, self._hi = buf, 0, kept
        self._buf[self._hi:self._hi + n] = x
        self._hi += n

    def push(self, x: np.ndarray):
        n_in = len(x)
        if n_in:
            gap = self._start - self._end  # leading positions no frame needs (hop > n_fft)
            if gap < n_in:
                self._append(x[gap:] if gap > 0 else x)
            self._end += n_in
        if self._end < self.k * self.hop + self.n_fft:
            return None, 0
        k1 = (self._end - self.n_fft) // self.hop + 1
        n = k1 - self.k
        a = self._lo + self.k * self.hop - self._start
        span = self._buf[a:a + (n - 1) * self.hop + self.n_fft]
        self.k = k1
        nxt = k1 * self.hop
        self._lo = min(self._lo + nxt - self._start, self._hi)
        self._start = nxt
        return span, n


class EngineSource:
    """The ``reduce`` rows of the complete frames of a padded signal arriving in pieces.

    Each ``push`` frames the new frames' span without padding (``plan`` is
    the stream's framing with ``pad = 0``) and runs the engine's
    :class:`~sklaudio._engine.SpecPass` of ``specs`` on it: in the calling
    thread with a scratch kept across blocks, or in ``n_jobs`` threads when
    a block brings more than a chunk of frames. Returns one
    ``(n_new, spec.n_out)`` array per spec, or None.
    """

    def __init__(self, specs: Sequence[FrameSpec], plan: FramePlan, dtype, n_jobs=None):
        self.specs = list(specs)
        self.plan = plan
        self.dtype = np.dtype(dtype)
        self.n_jobs = n_jobs
        self.pass_ = SpecPass(self.specs, plan.n_fft, self.dtype)
        self.frames = FrameBuffer(plan.n_fft, plan.hop_length, self.dtype)
        self._scratch = None
        self._plans = {}  # n frames -> (span offsets, plan): blocks bring the same few counts

    def _plan(self, n: int):
        got = self._plans.get(n)
        if got is None:
            p = self.plan
            got = (_offsets((n - 1) * p.hop_length + p.n_fft),
                   FramePlan(p.n_fft, p.hop_length, p.window, p.w0, p.w1, 0, p.pad_mode,
                             _offsets(n)))
            if len(self._plans) < 64:
                self._plans[n] = got
        return got

    def push(self, x: np.ndarray):
        span, n = self.frames.push(x)
        if n == 0:
            return None
        offsets, plan = self._plan(n)
        batch = _Span(span, offsets)
        outs = [np.empty((n, s.n_out), dtype=self.dtype) for s in self.specs]
        if n <= self.pass_.chunk:
            if self._scratch is None:
                self._scratch = self.pass_.scratch(self.pass_.chunk)
            self.pass_.run(batch, plan, outs, 0, n, self._scratch)
        else:
            run_pass(self.pass_, batch, plan, outs, self.n_jobs)
        return outs

    def flush(self):
        return None


# -- row streams ----------------------------------------------------------------------------------
class RowStream:
    """The streaming form of a :class:`~sklaudio._engine.FrameSpec`'s ``finalize``.

    ``push(rows)`` takes the ``reduce`` rows of the next frames (or None) and
    returns the final rows of the frames now final (or None); ``flush()``
    returns the rest at the end of the stream. ``lookahead`` is the number of
    frames after frame ``t`` that must have been pushed before frame ``t``
    is returned. This base class is the identity (no ``finalize``).
    """

    lookahead = 0

    def push(self, rows):
        return rows

    def flush(self):
        return None


class FrameLocal(RowStream):
    """A finalize step that treats every frame alone: ``fn(rows, frame_offsets)`` on each push.

    ``fn`` may work in place.
    """

    def __init__(self, fn: Callable[[np.ndarray, np.ndarray], np.ndarray]):
        self.fn = fn

    def push(self, rows):
        if rows is None or len(rows) == 0:
            return None
        return self.fn(rows, _offsets(len(rows)))


class Windowed(RowStream):
    """A finalize step whose frame ``t`` reads only frames ``t - left .. t + right`` of its clip.

    ``fn(rows, frame_offsets)`` (which must not modify ``rows``) is run on
    the carried window of rows, treated as one clip, and the frames that
    have their whole context in it are returned. The clip's true edges are
    respected: the window starts at the stream's first frame as long as
    that is within ``left`` frames, and at ``flush`` it ends at the last
    frame. ``min_frames``: no frame is returned before that many rows have
    arrived (steps whose first frames read a fixed span of the clip start,
    as the edge fit of Savitzky-Golay deltas); a stream with fewer rows is
    finalised as a whole at ``flush``. Exact when ``fn`` has these bounds:
    the same values as ``fn`` on the whole clip.
    """

    def __init__(self, fn, left: int = 0, right: int = 0, min_frames: int = 1):
        self.fn = fn
        self.left = int(left)
        self.right = int(right)
        self.min_frames = max(1, int(min_frames))
        self.lookahead = self.right
        self._buf = None
        self._b0 = 0  # frame index of _buf[0]
        self._n = 0  # rows received
        self._e = 0  # next frame to return

    def push(self, rows):
        if rows is not None and len(rows):
            self._buf = rows if self._buf is None else np.concatenate((self._buf, rows))
            self._n += len(rows)
        if self._n < self.min_frames:
            return None
        return self._emit(self._n - self.right)

    def flush(self):
        return self._emit(self._n)

    def _emit(self, stop):
        e = self._e
        if stop <= e:
            return None
        ws = max(0, e - self.left)
        win = self._buf[ws - self._b0:]
        out = self.fn(win, _offsets(len(win)))[e - ws:stop - ws]
        self._e = stop
        keep = max(0, stop - self.left)
        self._buf = self._buf[keep - self._b0:]
        self._b0 = keep
        return out


class RunningDBClamp(RowStream):
    """The per-clip ``ref`` / ``top_db`` of ``power_to_db``, made causal: clamp below the running max.

    Each row is clamped to ``M_t - top_db``, ``M_t`` the maximum over all
    columns of the rows up to and including it (in place), then the fixed
    reference ``10 log10(max(amin, ref))`` is subtracted
    (:func:`~sklaudio._kernels.cepstral.db_running_clamp`). The whole-clip
    clamp uses the clip's maximum ``M >= M_t`` instead, so a streamed value
    is ``<=`` the whole-signal one and equal wherever the latter is not
    clamped, and from the frame holding ``M`` on. ``groups`` (column ranges)
    keep separate maxima (spectral contrast's peaks and valleys).
    ``ref="max"`` (the clip's maximum as reference) cannot stream and raises.
    """

    def __init__(self, ref=1.0, top_db=80.0, amin: float = 1e-10,
                 groups: Sequence[tuple[int, int]] | None = None, ref_name: str = "ref"):
        if (isinstance(ref, str) and ref == "max") or ref is np.max:
            raise_invalid(ref_name, "a positive float to stream the features (ref='max' "
                          "references each clip's maximum, which a stream only knows at its "
                          "end; top_db is applied below the running maximum when streaming)",
                          ref)
        if callable(ref):
            raise_invalid(ref_name, "a positive float, 'max' or np.max", ref)
        self.ref_db = 10.0 * np.log10(max(float(amin), abs(float(ref))))
        self.top_db = -1.0 if top_db is None else float(top_db)
        self.groups = None if groups is None else [(int(a), int(b)) for a, b in groups]
        self._state = [np.full(1, -np.inf) for _ in (self.groups or [None])]

    def push(self, rows):
        if rows is None or len(rows) == 0:
            return None
        if self.groups is None:
            db_running_clamp(rows, self._state[0], self.ref_db, self.top_db)
            return rows
        for (a, b), st in zip(self.groups, self._state):
            part = np.ascontiguousarray(rows[:, a:b])
            db_running_clamp(part, st, self.ref_db, self.top_db)
            rows[:, a:b] = part
        return rows


class Chain(RowStream):
    """Row streams one after the other; the look-aheads add up."""

    def __init__(self, *stages: RowStream):
        self.stages = [s for s in stages if s is not None]
        self.lookahead = sum(s.lookahead for s in self.stages)

    def push(self, rows):
        for s in self.stages:
            rows = s.push(rows)
        return rows

    def flush(self):
        rows = None
        for s in self.stages:
            pushed = s.push(rows) if rows is not None else None
            rows = _cat(pushed, s.flush())
        return rows


def spec_row_stream(spec: FrameSpec) -> RowStream:
    """A fresh :class:`RowStream` for ``spec``: the identity without ``finalize``, else its
    ``stream`` factory (``ValueError`` when it has none or cannot stream)."""
    if spec.finalize is None:
        return RowStream()
    if spec.stream is None:
        raise ValueError(
            f"This feature has a whole-clip step ({getattr(spec.finalize, '__qualname__', '?')}) "
            "with no streaming form; it can only be computed with transform_frames.")
    return spec.stream()


# -- the whole stream ---------------------------------------------------------------------------
@dataclass
class StreamSetup:
    """What an estimator streams.

    Attributes
    ----------
    framing : dict
        ``n_fft, hop_length, win_length, window, center, pad_mode`` as
        :func:`~sklaudio._engine.plan_frames` takes them.
    specs : list of FrameSpec
        The engine specs whose rows (and row streams) give the features.
    assemble : callable, optional
        ``assemble(final_rows) -> list of column blocks`` (one final array
        per spec in; the frame features are the blocks side by side).
        Default: the specs' outputs side by side.
    prefilter : callable, optional
        ``prefilter() -> object`` with ``push(x) -> y`` and ``flush() -> y or
        None``: a causal transform of the samples before the framing.
    source : callable, optional
        ``source(plan, dtype) -> object`` with ``push(padded) -> list of row
        arrays or None`` and ``flush()``, used instead of the engine's pass
        over ``specs``; ``row_streams`` then lists one row-stream factory per
        array.
    row_streams : list of callable, optional
        Row-stream factories for ``source``.
    """

    framing: dict
    specs: list = field(default_factory=list)
    assemble: Callable | None = None
    prefilter: Callable | None = None
    source: Callable | None = None
    row_streams: list | None = None


class FeatureStream:
    """One stream of an estimator's frame features: ``push(block)`` and ``flush()``.

    Both return the frames that became final, frames-first
    ``(n_new, n_features)`` in ``dtype`` (``n_new`` may be 0).
    """

    def __init__(self, setup: StreamSetup, dtype, n_features: int, n_jobs=None):
        self.dtype = np.dtype(dtype)
        self.n_features = int(n_features)
        fr = dict(setup.framing)
        center = bool(fr.pop("center"))
        pad_mode = fr.pop("pad_mode")
        probe = ClipBatch(np.zeros(0, dtype=self.dtype), np.zeros(2, dtype=np.int64))
        plan = plan_frames(probe, center=True, pad_mode=pad_mode, dtype=self.dtype, **fr)
        self.n_fft, self.hop_length = plan.n_fft, plan.hop_length
        self.pad = self.n_fft // 2 if center else 0
        # the stream frames the padded signal without padding of its own
        self.plan = FramePlan(plan.n_fft, plan.hop_length, plan.window, plan.w0, plan.w1, 0,
                              plan.pad_mode, _offsets(0))
        self.prefilter = setup.prefilter() if setup.prefilter is not None else None
        self.padder = PadStream(self.pad, PAD_MODES.get(pad_mode, 0), self.dtype) if center \
            else None
        if setup.source is not None:
            self.source = setup.source(self.plan, self.dtype)
            self.rows = [make() for make in setup.row_streams]
        else:
            self.source = EngineSource(setup.specs, self.plan, self.dtype, n_jobs)
            self.rows = [spec_row_stream(s) for s in setup.specs]
        self.assemble = setup.assemble
        self.lookahead = max((r.lookahead for r in self.rows), default=0)
        self._pending = [[] for _ in self.rows]
        self._counts = [0] * len(self.rows)
        self._single = len(self.rows) == 1
        self._empty = np.empty((0, self.n_features), dtype=self.dtype)
        self._empty.flags.writeable = False

    @property
    def latency_samples(self) -> int:
        """Samples after frame ``k``'s time stamp ``k * hop_length`` needed to return it."""
        return self.n_fft - self.pad + self.lookahead * self.hop_length

    def push(self, x: np.ndarray) -> np.ndarray:
        if self.prefilter is not None:
            x = self.prefilter.push(x)
        if self.padder is not None:
            x = self.padder.push(x)
        outs = self.source.push(x) if len(x) else None
        if self._single:  # one spec (most estimators): nothing to align
            rows = self.rows[0].push(None if outs is None else outs[0])
            if rows is None or len(rows) == 0:
                return self._empty
            if self.assemble is not None:
                rows = np.concatenate(self.assemble([rows]), axis=1)
            return rows.astype(self.dtype, copy=False)
        for i, r in enumerate(self.rows):
            self._add(i, r.push(None if outs is None else outs[i]))
        return self._release()

    def flush(self) -> np.ndarray:
        x = np.empty(0, dtype=self.dtype)
        if self.prefilter is not None:
            y = self.prefilter.flush()
            x = x if y is None else y
        if self.padder is not None:
            x = np.concatenate((self.padder.push(x), self.padder.flush()))
        outs = self.source.push(x) if len(x) else None
        last = self.source.flush()
        for i, r in enumerate(self.rows):
            rows = None if outs is None else outs[i]
            if last is not None:
                rows = _cat(rows, last[i])
            self._add(i, _cat(r.push(rows), r.flush()))
        out = self._release()
        if any(self._counts):  # pragma: no cover - every row stream returns every frame
            raise RuntimeError("streamed features of different lengths")
        return out

    def _add(self, i, rows):
        if rows is not None and len(rows):
            self._pending[i].append(rows)
            self._counts[i] += len(rows)

    def _release(self) -> np.ndarray:
        n = min(self._counts, default=0)
        if n == 0:
            return self._empty
        blocks = []
        for i, pend in enumerate(self._pending):
            rows = pend[0] if len(pend) == 1 else np.concatenate(pend)
            blocks.append(rows[:n])
            self._pending[i] = [rows[n:]] if len(rows) > n else []
            self._counts[i] -= n
        if self.assemble is not None:
            blocks = self.assemble(blocks)
        out = blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)
        return out.astype(self.dtype, copy=False)


def iter_stream(fs: FeatureStream, blocks, dtype):
    """Validate each block, push it, yield ``(n_features, n_new)``; then the flushed tail."""
    bad = np.zeros(1, dtype=np.bool_)
    for i, block in enumerate(blocks):
        yield fs.push(check_block(block, i, dtype, bad)).T
    yield fs.flush().T
