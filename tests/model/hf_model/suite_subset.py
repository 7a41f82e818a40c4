#!/usr/bin/python3
"""A few problems of each split of the bundled suite, spread over it (train 8, valid 2, test 2),
for the runs from a Hugging Face directory (train_e2e.sh, bench/ppo_step_memory.sh).
  suite_subset.py SUITE_DIR OUT_DIR   # writes OUT_DIR/{train,valid,test}.jsonl
"""
import sys

suite, out = sys.argv[1], sys.argv[2]
for split, n, stride in (("train", 8, 331), ("valid", 2, 97), ("test", 2, 251)):
    rows = open(f"{suite}/{split}.jsonl").read().splitlines()
    open(f"{out}/{split}.jsonl", "w").write("\n".join(rows[i] for i in range(0, stride * n, stride)) + "\n")
