"""Batches of audio files through a fitted transformer on a ``dask.distributed`` cluster.

The library side of :func:`sklaudio.io.iter_transform_files` with ``client=``:
Dask schedules the work (``Client.map`` over batches of paths, one task per
batch); nothing here schedules anything itself.

Thread budget
-------------
A Dask worker runs ``nthreads`` tasks at once, each in its own thread, and
every task calls the transformer, whose engine may add threads of its own
(``n_jobs``). Before submitting, :func:`engine_threads_per_worker` asks every
worker for the CPUs it may use (:func:`sklaudio._engine.max_threads`, which
honours CPU affinity and ``NUMBA_NUM_THREADS``) and adds up the worker threads
of each host; a task then runs the transformer with

``n_jobs = max(1, cores of its host // worker threads on its host)``

so on every host the worker threads times the engine threads stay within the
cores (with Dask's defaults, one thread per core, that is ``n_jobs=1``; a
single one-thread worker on a 16-core host gets ``n_jobs=16``). Within each
worker process the engine's own process-wide budget still applies. Results
never depend on ``n_jobs``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Running on a Dask cluster needs dask.distributed: pip install 'sklaudio[dask]' "
            "(or pip install 'dask[distributed]')."
        ) from exc
    return distributed


def _worker_cores() -> int:
    from ._engine import max_threads

    return max_threads()


def engine_threads_per_worker(client) -> dict[str, int]:
    """Engine threads (``n_jobs``) per worker address, so threads never exceed the cores.

    Parameters
    ----------
    client : distributed.Client
        A connected client.

    Returns
    -------
    dict of str to int
        ``{worker address: max(1, host cores // worker threads on the host)}``.
    """
    workers = client.scheduler_info(n_workers=-1)["workers"]
    cores = client.run(_worker_cores)
    threads_on_host: dict[str, int] = defaultdict(int)
    for w in workers.values():
        threads_on_host[w["host"]] += int(w["nthreads"])
    return {addr: max(1, int(cores.get(addr, 1)) // max(1, threads_on_host[w["host"]]))
            for addr, w in workers.items()}


def _run_batch(paths, est, sample_rate, dtype, threads):
    from distributed import get_worker

    from .io import _transform_batch, _with_n_jobs

    n_jobs = threads.get(get_worker().address, 1)
    return _transform_batch(_with_n_jobs(est, n_jobs), paths, sample_rate, dtype)


def iter_batches_on_cluster(client: Any, transformer, batches, sample_rate, dtype
                            ) -> Iterator:
    """Yield :class:`sklaudio.io.FileBatch` results of ``batches`` computed on the cluster.

    ``client`` is a :class:`distributed.Client` or a scheduler address (a
    client is then opened here and closed at the end). The transformer is
    sent to every worker once (``scatter(broadcast=True)``); the batches are
    one task each; results come back in input order.
    """
    distributed = _import_distributed()
    own = not isinstance(client, distributed.Client)
    if own:
        client = distributed.Client(client)
    futures = []
    try:
        threads = engine_threads_per_worker(client)
        [est] = client.scatter([transformer], broadcast=True, hash=False)
        futures = client.map(_run_batch, batches, est=est, sample_rate=sample_rate,
                             dtype=dtype, threads=threads, pure=False)
        for f in futures:
            yield f.result()
    finally:
        if futures:
            client.cancel(futures)
        if own:
            client.close()
