#!/usr/bin/env python3
"""The Python peer of bench/ratings.ts: FastChat's Bradley-Terry ratings and their bootstrap
(compute_mle_elo + get_bootstrap_result in fastchat/serve/monitor/elo_analysis.py), vectorized with
pandas, numpy and scipy.

    python3 bench/peer/fastchat_bt.py FILE.jsonl [ROUNDS] [SEED]

Prints one JSON object: {"ratings": {model: rating}, "bootstrap_median": {...}, "battles": n,
"models": m, "seconds": {"read", "fit", "bootstrap", "total"}, "versions": {...}}.

The method, as FastChat does it:
- the battle file read into a DataFrame; named battles (anony false) and self-battles dropped, as
  `arena ratings` does by default;
- a logistic regression without intercept: a battle is a row with +log(BASE) in model_a's column
  and -log(BASE) in model_b's, the label 1 when model_a won;
- ties as half wins by the duplicated-rows trick: every battle appears twice, a win for model_a is
  labelled 1 twice, a loss 0 twice, a tie ("tie" or "tie (bothbad)") once 1 and once 0;
- the rating is SCALE * coefficient + INIT_RATING (SCALE 400, BASE 10, INIT_RATING 1000);
- the bootstrap refits on DataFrame.sample(frac=1.0, replace=True) of the battles, 100 rounds.

Vectorized: identical rows of the duplicated design matrix are merged into one row with their count
as its sample weight (the same likelihood, a few thousand rows instead of millions), and the fit is
scipy's L-BFGS-B on that weighted logistic loss with its exact gradient, no regularisation (where
FastChat calls sklearn's LogisticRegression, which minimises the same loss).
"""
import json
import math
import platform
import sys
import time

import numpy as np
import pandas as pd
import scipy
from scipy.optimize import minimize

SCALE = 400
BASE = 10
INIT_RATING = 1000
OUTCOMES = ["model_a", "model_b", "tie", "tie (bothbad)"]


def read_battles(path):
    battles = pd.read_json(path, lines=True, dtype=False, convert_dates=False)
    if "anony" in battles.columns:
        battles = battles[battles["anony"] != False]  # noqa: E712 (a missing field counts as anonymous)
    battles = battles[battles["model_a"] != battles["model_b"]]
    return battles[["model_a", "model_b", "winner"]].reset_index(drop=True)


class Design:
    """The duplicated-rows design matrix of one battle table, its identical rows merged."""

    def __init__(self, battles):
        codes_a, self.models = pd.factorize(pd.concat([battles["model_a"], battles["model_b"]]), sort=True)
        n = len(battles)
        self.p = len(self.models)
        self.a = codes_a[:n].astype(np.int64)
        self.b = codes_a[n:].astype(np.int64)
        self.outcome = pd.Categorical(battles["winner"], categories=OUTCOMES).codes.astype(np.int64)
        if (self.outcome < 0).any():
            raise ValueError("unknown winner")
        # One row per ordered pair seen (label 1) and its twin (label 0), in a fixed order.
        pair = self.a * self.p + self.b
        self.pairs = np.unique(pair)
        self.pair_index = np.searchsorted(self.pairs, pair)
        rows = len(self.pairs)
        x = np.zeros((2 * rows, self.p))
        first = self.pairs // self.p
        second = self.pairs % self.p
        x[np.arange(rows), first] = math.log(BASE)
        x[np.arange(rows), second] = -math.log(BASE)
        x[rows + np.arange(rows), first] = math.log(BASE)
        x[rows + np.arange(rows), second] = -math.log(BASE)
        self.x = x
        self.y = np.concatenate([np.ones(rows), np.zeros(rows)])

    def weights(self, index=None):
        """Sample weights of the merged rows for the battles at `index` (all of them by default)."""
        rows = len(self.pairs)
        cell = self.pair_index * 4 + self.outcome
        counts = np.bincount(cell if index is None else cell[index], minlength=rows * 4).reshape(rows, 4).astype(float)
        wins_a, wins_b, ties = counts[:, 0], counts[:, 1], counts[:, 2] + counts[:, 3]
        # Each battle twice: a win twice labelled 1, a loss twice 0, a tie once each.
        return np.concatenate([2 * wins_a + ties, 2 * wins_b + ties])


def fit(design, weights, start=None):
    """Weighted logistic regression without intercept or penalty; returns the ratings."""
    total = weights.sum()
    x, y = design.x, design.y

    def loss(beta):
        z = x @ beta
        # log(1 + e^z) - y z, stably; its gradient is x^T (sigmoid(z) - y).
        value = np.dot(weights, np.logaddexp(0.0, z) - y * z) / total
        grad = x.T @ (weights * (1.0 / (1.0 + np.exp(-z)) - y)) / total
        return value, grad

    beta0 = np.zeros(design.p) if start is None else start
    result = minimize(loss, beta0, jac=True, method="L-BFGS-B", options={"maxiter": 1000, "ftol": 1e-15, "gtol": 1e-10})
    beta = result.x - result.x.mean()  # the likelihood is unchanged by a shift; centre like FastChat's zero start
    return SCALE * beta + INIT_RATING, result


def main(path, rounds, seed):
    started = time.perf_counter()
    battles = read_battles(path)
    read_done = time.perf_counter()
    design = Design(battles)
    ratings, result = fit(design, design.weights())
    fit_done = time.perf_counter()
    # The bootstrap resamples battle rows; only the three columns the fit reads are sampled.
    codes = pd.DataFrame({"row": np.arange(len(battles))})
    rng = np.random.RandomState(seed)
    start = (ratings - INIT_RATING) / SCALE
    samples = []
    for _ in range(rounds):
        sample = codes.sample(frac=1.0, replace=True, random_state=rng)
        boot, _ = fit(design, design.weights(sample["row"].to_numpy()), start)
        samples.append(boot)
    boot_done = time.perf_counter()
    median = np.median(np.array(samples), axis=0) if samples else ratings
    models = [str(m) for m in design.models]
    return {
        "ratings": dict(zip(models, map(float, ratings))),
        "bootstrap_median": dict(zip(models, map(float, median))),
        "battles": int(len(battles)),
        "models": len(models),
        "converged": bool(result.success),
        "seconds": {
            "read": read_done - started,
            "fit": fit_done - read_done,
            "bootstrap": boot_done - fit_done,
            "total": boot_done - started,
        },
        "versions": {"python": platform.python_version(), "pandas": pd.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
    }


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.stderr.write("usage: fastchat_bt.py FILE.jsonl [ROUNDS] [SEED]\n")
        sys.exit(2)
    report = main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100, int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")
