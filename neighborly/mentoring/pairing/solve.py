"""The optimal assignment with its optimality certificate, the greedy baseline, the plan."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from neighborly.mentoring.pairing.encoding import (
    _best,
    _Block,
    _block,
    _blocks,
    _Candidates,
    _candidates,
    _edges,
    _prepare,
    _Problem,
)
from neighborly.mentoring.pairing.model import (
    _GREEDY_LIST,
    _ROUNDING,
    _TOLERANCE,
    CAPACITY,
    NO_MENTORS,
    ZERO_SCORE,
    Alternative,
    MenteeCandidate,
    MentorCandidate,
    PairingPlan,
    PairingRules,
    Proposal,
    Unmatched,
)
from neighborly.mentoring.pairing.scoring import score_pair, unmatched_words


def _match(problem: _Problem, edges: tuple) -> np.ndarray:
    """Max-score assignment on the sparse edges; returns mentor per local row or -1."""
    rows, mentors, scores = edges
    n, seats = len(problem.rows), problem.seats
    first_seat = np.concatenate(([0], np.cumsum(seats)))
    copies = seats[mentors]
    edge_of = np.repeat(np.arange(len(rows)), copies)
    offset = np.arange(len(edge_of)) - np.repeat(np.cumsum(copies) - copies, copies)
    ceiling = scores.max(initial=0.0) + 1.0
    cols = np.concatenate((first_seat[mentors[edge_of]] + offset, first_seat[-1] + np.arange(n)))
    weights = np.concatenate((ceiling - scores[edge_of], np.full(n, ceiling)))
    graph = sparse.csr_matrix(
        (weights, (np.concatenate((rows[edge_of], np.arange(n))), cols)),
        shape=(n, first_seat[-1] + n),
    )
    _, chosen = min_weight_full_bipartite_matching(graph)
    owner = np.concatenate((np.repeat(np.arange(len(seats)), seats), np.full(n, -1)))
    return owner[chosen]


def _duals(problem: _Problem, edges: tuple, assignment: np.ndarray) -> tuple:
    """Least LP dual prices (mentee u, mentor v) that fit this assignment."""
    # Wanted: u[i] + v[j] >= score on every edge, with equality on assigned pairs, u = 0 for
    # unmatched mentees, v = 0 for mentors with a free seat, u and v >= 0. Raising v from zero
    # until nothing changes is Bellman-Ford on the residual graph (so it settles: the sparse
    # assignment is optimal); the least v leaves the most room to prove pruned pairs useless.
    rows, mentors, scores = edges
    m, matched = len(problem.mentors), assignment >= 0
    used = assignment[rows] == mentors
    own = np.zeros(len(assignment))
    own[rows[used]] = scores[used]
    full = np.bincount(assignment[matched], minlength=m) >= problem.seats
    rows, mentors, scores = rows[~used], mentors[~used], scores[~used]
    prices = np.zeros(m)
    for _ in range(m + 2):
        u = own.copy()
        u[matched] -= prices[assignment[matched]]
        wanted = np.zeros(m)
        np.maximum.at(wanted, mentors, scores - u[rows])
        raised = np.maximum(prices, np.where(full, wanted, 0.0))
        if np.all(raised - prices <= _ROUNDING):
            return u, prices
        prices = raised
    raise RuntimeError("pairing duals did not settle")


def _check_known(edges: tuple, duals: tuple) -> None:
    """The prices must cover every solved edge; failing here would be a solver bug."""
    (rows, mentors, scores), (u, v) = edges, duals
    if (u < -_TOLERANCE).any() or (scores - u[rows] - v[mentors] > _TOLERANCE).any():
        raise RuntimeError("pairing optimality certificate failed")


def _suspects(problem: _Problem, candidates: _Candidates, limit: int, u: np.ndarray) -> np.ndarray:
    """Rows whose pruned pairs could beat their prices (pruned scores <= the row's last kept)."""
    width = min(limit, candidates.mentors.shape[1])
    last = candidates.mentors[:, width - 1] >= 0
    return np.flatnonzero(last & (candidates.scores[:, width - 1] - u > _TOLERANCE))


def _violations(problem: _Problem, edges: tuple, duals: tuple, suspects: np.ndarray) -> tuple:
    """Pruned feasible pairs that beat their dual prices (they may raise the total)."""
    # Each suspect row brings at most as many new pairs as rows have edges on average.
    (u, v), (rows, mentors, _) = duals, edges
    n, m, worst = len(problem.rows), len(problem.mentors), len(problem.table.values) - 1
    known = sparse.csr_matrix((np.ones(len(rows), dtype=bool), (rows, mentors)), shape=(n, m))
    per_row = max(1, len(rows) // max(1, n))
    found = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))]
    for start, block in _blocks(problem, suspects):
        local = suspects[start : start + len(block.rows)]
        ranks = block.feasible_ranks(problem)
        gain = problem.table.values[ranks] - u[local][:, None] - v[None, :]
        bad = (gain > _TOLERANCE) & ~known[local].toarray()
        best, ranks = _best(problem, np.where(bad, ranks, worst), per_row)
        r, c = np.nonzero(best >= 0)
        found.append((local[r], best[r, c], problem.table.values[ranks[r, c]]))
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))


def _optimal(problem: _Problem, candidates: _Candidates, limit: int) -> np.ndarray:
    """Solve on the candidate edges, adding pruned pairs until the dual certificate holds."""
    edges = _edges(candidates, limit)
    while True:
        assignment = _match(problem, edges)
        duals = _duals(problem, edges, assignment)
        _check_known(edges, duals)
        suspects = _suspects(problem, candidates, limit, duals[0])
        missing = _violations(problem, edges, duals, suspects)
        if not len(missing[0]):
            return assignment
        edges = tuple(np.concatenate(pair) for pair in zip(edges, missing, strict=True))


def _full_row(problem: _Problem, local: int) -> tuple[np.ndarray, np.ndarray]:
    """Every feasible mentor for one solved mentee, best first."""
    block = _block(problem, problem.rows[local : local + 1])
    best, ranks = _best(problem, block.feasible_ranks(problem), len(problem.mentors))
    keep = best[0] >= 0
    return best[0][keep], problem.table.values[ranks[0][keep]]


def _greedy(problem: _Problem, candidates: _Candidates) -> np.ndarray:
    """Highest score first (ties: mentee order, then mentor order), never undoing a pair."""
    assignment = np.full(len(problem.rows), -1, dtype=np.int64)
    seats, width = problem.seats.copy(), candidates.mentors.shape[1]
    lists = [(candidates.mentors[a], candidates.scores[a]) for a in range(len(problem.rows))]
    heap = [(-lists[a][1][0], a, 0) for a in range(len(lists)) if lists[a][0][0] >= 0]
    heapq.heapify(heap)
    while heap:
        _, a, at = heapq.heappop(heap)
        mentor = int(lists[a][0][at])
        if seats[mentor] > 0:
            seats[mentor] -= 1
            assignment[a] = mentor
            continue
        if at + 1 == width == len(lists[a][0]):
            lists[a] = _full_row(problem, a)
        if at + 1 < len(lists[a][0]) and lists[a][0][at + 1] >= 0:
            heapq.heappush(heap, (-lists[a][1][at + 1], a, at + 1))
    return assignment


def _proposal(problem: _Problem, mentor: int, mentee: int) -> Proposal:
    """Score and explain one pair as a Proposal."""
    a, b = problem.mentors[mentor], problem.mentees[mentee]
    scored = score_pair(a, b, problem.rules)
    return Proposal(a.id, b.id, scored.total, scored.breakdown, scored.reasons)


def _alternatives(
    problem: _Problem, candidates: _Candidates, local: int, chosen: int, room: np.ndarray
) -> tuple[Alternative, ...]:
    """The two best feasible mentors other than the proposed one."""
    picks = [j for j in candidates.mentors[local].tolist() if j >= 0 and j != chosen][:2]
    mentee = problem.mentees[problem.rows[local]]
    out = []
    for j in picks:
        s = score_pair(problem.mentors[j], mentee, problem.rules)
        has_room = bool(room[j] > 0)
        out.append(Alternative(problem.mentors[j].id, s.total, s.breakdown, s.reasons, has_room))
    return tuple(out)


def _first_blocker(problem: _Problem, block: _Block, k: int, room: np.ndarray) -> str:
    """Apply the constraints in order and report the one that leaves nobody."""
    alive = np.ones(len(problem.mentors), dtype=bool)
    for code, mask in block.masks:
        alive &= np.broadcast_to(mask, (len(block.rows), len(alive)))[k]
        if not alive.any():
            return code
    return CAPACITY if not (alive & (room > 0)).any() else ZERO_SCORE


def _diagnose(problem: _Problem, unmatched: np.ndarray, room: np.ndarray) -> tuple:
    """Say, for each unmatched mentee, which constraint emptied their list of mentors."""
    codes = [NO_MENTORS] * len(unmatched)
    for start, block in _blocks(problem, unmatched) if problem.mentors else ():
        for k in range(len(block.rows)):
            codes[start + k] = _first_blocker(problem, block, k, room)
    mentees = [problem.mentees[row] for row in problem.rows[unmatched].tolist()]
    return tuple(
        Unmatched(mentee.id, code, unmatched_words(code, mentee, problem.rules))
        for mentee, code in zip(mentees, codes, strict=True)
    )


def _plan(problem: _Problem, candidates: _Candidates, assignment: np.ndarray) -> PairingPlan:
    """Turn an assignment (mentor per solved mentee, -1 unmatched) into the explained plan."""
    room = problem.seats - np.bincount(assignment[assignment >= 0], minlength=len(problem.mentors))
    pairs = [(j, int(problem.rows[a])) for a, j in enumerate(assignment.tolist()) if j >= 0]
    proposals = tuple(_proposal(problem, j, i) for j, i in pairs)
    kept = tuple(sorted((_proposal(problem, j, i) for j, i in problem.fixed), key=_by_mentee))
    alternatives = {
        problem.mentees[row].id: _alternatives(problem, candidates, a, chosen, room)
        for a, (row, chosen) in enumerate(
            zip(problem.rows.tolist(), assignment.tolist(), strict=True)
        )
    }
    unmatched = _diagnose(problem, np.flatnonzero(assignment < 0), room)
    total = float(sum(p.score for p in (*kept, *proposals)))
    return PairingPlan(proposals, kept, alternatives, unmatched, total)


def _by_mentee(proposal: Proposal) -> int:
    """Sort key: mentee id."""
    return proposal.mentee_id


def propose_pairings(
    mentors: Iterable[MentorCandidate],
    mentees: Iterable[MenteeCandidate],
    rules: PairingRules | None = None,
    *,
    candidate_limit: int = 16,
) -> PairingPlan:
    """Propose the maximum-total-score pairing; fixed pairs stay and use up seats."""
    if candidate_limit < 1:
        raise ValueError("candidate_limit must be at least 1")
    problem = _prepare(mentors, mentees, rules or PairingRules())
    candidates = _candidates(problem, max(candidate_limit, 3))
    if not len(problem.rows):
        return _plan(problem, candidates, np.zeros(0, dtype=np.int64))
    return _plan(problem, candidates, _optimal(problem, candidates, candidate_limit))


def greedy_assignment(
    mentors: Iterable[MentorCandidate],
    mentees: Iterable[MenteeCandidate],
    rules: PairingRules | None = None,
) -> PairingPlan:
    """Baseline: take the highest-scoring allowed pair first, repeatedly (not optimal)."""
    problem = _prepare(mentors, mentees, rules or PairingRules())
    candidates = _candidates(problem, _GREEDY_LIST)
    return _plan(problem, candidates, _greedy(problem, candidates))
