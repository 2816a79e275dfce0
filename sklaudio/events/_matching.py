"""Pairing of reference and estimated events: sed_eval's 'optimal' and 'greedy' matchings.

Both return, for every reference event, the index of the estimated event it is
paired with (or -1). The number of pairs of a maximum matching does not depend
on the algorithm, but sed_eval's substitution count does depend on *which*
events stay unpaired. To give the same substitutions as sed_eval, the optimal
matching below is Hopcroft and Karp's algorithm run in the visiting order of
the implementation sed_eval uses (``sed_eval.util.event_matching.bipartite_match``,
taken from mir_eval's ``_bipartite_match``, itself after D. Eppstein's PADS):

- the graph maps each estimated event to the reference events it may pair
  with, estimated events in the order they first appear in a row-major scan of
  the (reference x estimated) hit matrix, their neighbours in increasing
  reference order;
- a greedy start pairs each estimated event, in that order, with its first
  unpaired neighbour;
- each phase lays out alternating layers breadth-first from the unpaired
  estimated events (in graph order), and stops at the first layer that reaches
  an unpaired reference event; then a depth-first search from each such
  reference event, in discovery order, flips one augmenting path, using every
  vertex at most once per phase.

Written from the description of the algorithm, not copied; the depth-first
search runs on an explicit stack (no recursion limit).

References
----------
J. E. Hopcroft and R. M. Karp, "An n^5/2 algorithm for maximum matchings in
bipartite graphs", SIAM Journal on Computing 2(4), 1973.

sed_eval (MIT licence), https://github.com/TUT-ARG/sed_eval,
``sed_eval/util/event_matching.py``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["greedy_matching", "optimal_matching"]

#: Marks an estimated event of the first layer (unpaired when the phase began).
_ROOT = -1


def _graph(hit: np.ndarray) -> dict[int, list[int]]:
    """Estimated event -> reference events it may pair with, in sed_eval's order."""
    graph: dict[int, list[int]] = {}
    refs, ests = np.nonzero(hit)  # row-major: reference-major, estimated increasing
    for r, e in zip(refs.tolist(), ests.tolist()):
        graph.setdefault(e, []).append(r)
    return graph


def _augment(start: int, layers: dict[int, list[int]], parent: dict[int, int],
             mate: dict[int, int]) -> bool:
    """Depth-first search for an augmenting path ending at reference ``start``.

    ``layers[r]``: estimated events of the previous layer adjacent to
    reference ``r``; ``parent[e]``: the reference that led to estimated event
    ``e`` (``_ROOT`` for the first layer). Both are consumed, as each vertex
    is used once per phase. Flips the path into ``mate`` (reference ->
    estimated) when found.
    """

    def visit(r):
        # a generator so that the search runs on an explicit stack: it yields
        # the reference to visit next and receives whether that visit succeeded
        candidates = layers.pop(r, None)
        if candidates is not None:
            for e in candidates:
                if e in parent:
                    back = parent.pop(e)
                    if back == _ROOT or (yield back):
                        mate[r] = e
                        return True
        return False

    stack = [visit(start)]
    answer = None
    while stack:
        try:
            nxt = stack[-1].send(answer)
        except StopIteration as done:
            stack.pop()
            answer = done.value
        else:
            stack.append(visit(nxt))
            answer = None
    return bool(answer)


def optimal_matching(hit: np.ndarray) -> np.ndarray:
    """Maximum matching of the bipartite graph ``hit``, as sed_eval's 'optimal' pairs it.

    Parameters
    ----------
    hit : ndarray of bool, shape (n_reference, n_estimated)
        ``hit[r, e]``: reference event ``r`` and estimated event ``e`` may pair
        (same label, onset and offset conditions met).

    Returns
    -------
    ndarray of int, shape (n_reference,)
        The estimated event paired with each reference event, -1 if none.
    """
    graph = _graph(hit)
    mate: dict[int, int] = {}  # reference -> estimated
    for e, refs in graph.items():
        for r in refs:
            if r not in mate:
                mate[r] = e
                break
    while True:
        paired = set(mate.values())
        parent = {e: _ROOT for e in graph if e not in paired}
        frontier = list(parent)
        layers: dict[int, list[int]] = {}
        free_refs: list[int] = []
        while frontier and not free_refs:
            reached: dict[int, list[int]] = {}
            for e in frontier:
                for r in graph[e]:
                    if r not in layers:
                        reached.setdefault(r, []).append(e)
            frontier = []
            for r, es in reached.items():
                layers[r] = es
                if r in mate:
                    frontier.append(mate[r])
                    parent[mate[r]] = r
                else:
                    free_refs.append(r)
        if not free_refs:
            break
        for r in free_refs:
            _augment(r, layers, parent, mate)
    out = np.full(hit.shape[0], -1, dtype=np.int64)
    for r, e in mate.items():
        out[r] = e
    return out


def greedy_matching(hit: np.ndarray) -> np.ndarray:
    """sed_eval's 'greedy' pairing: each reference, in order, takes its first free estimate.

    Parameters
    ----------
    hit : ndarray of bool, shape (n_reference, n_estimated)

    Returns
    -------
    ndarray of int, shape (n_reference,)
        The estimated event paired with each reference event, -1 if none.
    """
    out = np.full(hit.shape[0], -1, dtype=np.int64)
    taken = np.zeros(hit.shape[1], dtype=bool)
    for r in range(hit.shape[0]):
        free = np.flatnonzero(hit[r] & ~taken)
        if free.size:
            out[r] = free[0]
            taken[free[0]] = True
    return out
