"""Optimal mentor-mentee pairing with plain-words reasons (pure: no Flask, no database).

The coordinator's program proposes; staff approve. This module takes plain dataclasses
and returns a `PairingPlan`: the maximum-total-score set of proposals under the hard
constraints, two ranked alternatives per mentee, and why anyone was left unmatched.

How the optimum is found (exactly, and fast at 5000 x 5000):
1. Feasibility and scores are computed with numpy on 0/1 matrices, a block of mentees
   at a time, and only each mentee's top candidates are kept.
2. That sparse problem is solved as an assignment problem with
   `scipy.sparse.csgraph.min_weight_full_bipartite_matching`: each mentor becomes one
   column per free seat and each mentee gets a private "unmatched" column, so nobody
   is ever forced into a pair.
3. Optimality for the *full* problem is then proved with LP duality: the least dual
   prices that fit the assignment must price every pruned feasible pair at least at
   its score. Pairs that fail are added and the problem is solved again, until the
   certificate holds, so the answer is optimal, not just usually optimal.
"""

from __future__ import annotations

from neighborly.mentoring.pairing.model import (  # noqa: F401
    CAPACITY,
    CONSTRAINTS,
    CRITERIA,
    LANGUAGE_NAMES,
    NO_MENTORS,
    SATURATION,
    ZERO_SCORE,
    Alternative,
    MenteeCandidate,
    MentorCandidate,
    PairingPlan,
    PairingRules,
    PairScore,
    Proposal,
    Reason,
    Unmatched,
    Weights,
)
from neighborly.mentoring.pairing.scoring import (  # noqa: F401
    blocking_constraints,
    describe_slot,
    language_name,
    score_pair,
    unmatched_words,
)
from neighborly.mentoring.pairing.solve import (  # noqa: F401
    greedy_assignment,
    propose_pairings,
)
