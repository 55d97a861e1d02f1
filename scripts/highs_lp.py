"""Solve the optimiser benchmark's LP relaxation with HiGHS and print its time and objective.

Input (written by `cargo run --release --example gen_large -- FILE`): first line
`variables constraints`, then one cost per variable, then one `i j` per constraint meaning
x_i + x_j >= 1; every variable in [0, 1]. This is the vertex-cover LP of a bipartite graph, whose
optimum is integral, so it must equal the optimiser's min-cut optimum.

Usage: python3 scripts/highs_lp.py FILE
"""

import sys
import time

import highspy
import numpy as np


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    with open(sys.argv[1], "rb") as f:
        data = np.array(f.read().split(), dtype=np.int64)
    n, m = int(data[0]), int(data[1])
    cost = data[2 : 2 + n].astype(np.float64)
    pairs = data[2 + n : 2 + n + 2 * m].astype(np.int32)

    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.ones(m)
    lp.row_upper_ = np.full(m, highspy.kHighsInf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    lp.a_matrix_.start_ = np.arange(0, 2 * m + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_ = pairs
    lp.a_matrix_.value_ = np.ones(2 * m)

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    t1 = time.perf_counter()
    h.run()
    t2 = time.perf_counter()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        print(f"highs_status {h.modelStatusToString(status)}")
        return 1
    obj = h.getInfo().objective_function_value
    print(f"highs_version {h.version()}")
    print(f"highs_load_seconds {t1 - t0:.4f}")
    print(f"highs_solve_seconds {t2 - t1:.4f}")
    print(f"highs_objective {obj:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
