"""Feature extraction of files on a dask.distributed cluster (LocalCluster): equal to local."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from sklaudio import AudioFeatures
from sklaudio._engine import engine_thread_stats, max_threads, reset_engine_thread_stats
from sklaudio.cli import main
from sklaudio.io import load, transform_files

distributed = pytest.importorskip("distributed")
from sklaudio._dask import engine_threads_per_worker  # noqa: E402

SR = 8000


@pytest.fixture(scope="module")
def client():
    """Two worker processes of one thread each, as a real deployment on this host would run."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def est():
    return AudioFeatures(features=("mfcc", "chroma", "spectral_centroid", "rms"),
                         sample_rate=SR, n_fft=256, hop_length=80, n_mels=40,
                         n_jobs=-1).fit([np.zeros(256)])


@pytest.fixture(scope="module")
def files(fsdd_paths):
    return [str(p) for p in fsdd_paths[::10]]  # 300 real files


def test_cluster_result_equals_local(client, est, files, tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    paths = files[:150] + [str(bad)] + files[150:]
    res = transform_files(est, paths, client=client, batch_size=32)
    local = transform_files(est, paths)
    want = est.transform([load(p, sample_rate=SR)[0] for p in files])
    assert res.paths == local.paths == files
    np.testing.assert_array_equal(res.features, want)
    np.testing.assert_array_equal(res.features, local.features)
    assert [p for p, _ in res.failures] == [str(bad)]
    assert "libsndfile" in res.failures[0][1]


def test_scheduler_address_string_opens_its_own_client(client, est, files):
    res = transform_files(est, files[:40], client=client.scheduler.address, batch_size=16)
    np.testing.assert_array_equal(res.features, transform_files(est, files[:40]).features)


def test_worker_threads_times_engine_threads_fit_the_cores(client, est, files):
    threads = engine_threads_per_worker(client)
    workers = client.scheduler_info(n_workers=-1)["workers"]
    cores = max_threads()
    assert set(threads) == set(workers)
    assert sum(threads[a] * w["nthreads"] for a, w in workers.items()) <= max(cores, 2)
    client.run(reset_engine_thread_stats)
    transform_files(est, files, client=client, batch_size=64)
    peaks = client.run(engine_thread_stats)
    for addr, stats in peaks.items():
        # the estimator asks for all CPUs (n_jobs=-1); each task runs with the worker's share
        assert 1 <= stats["peak"] <= threads[addr] * workers[addr]["nthreads"], (addr, stats)


def test_one_worker_with_many_threads_gets_one_engine_thread_each():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=max_threads(),
                                  processes=False, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as c:
        assert list(engine_threads_per_worker(c).values()) == [1]


def test_cli_extract_with_scheduler_equals_local(client, files, tmp_path):
    opts = ["--features", "mfcc,rms", "--n-fft", "256", "--hop-length", "80", "--n-mels", "40",
            "-q"]
    a, b = tmp_path / "cluster.csv", tmp_path / "local.csv"
    assert main(["extract", *files[:100], "-o", str(a), "--scheduler",
                 client.scheduler.address, "--batch-size", "16", *opts]) == 0
    assert main(["extract", *files[:100], "-o", str(b), *opts]) == 0
    assert a.read_text() == b.read_text()
    with open(a, newline="") as f:
        assert sum(1 for _ in csv.reader(f)) == 101
