"""Regenerates sample-goldens.json: which rows of the seed's gpt2_data.json the seed's
online_benchmarking.py `_get_data` keeps, in order, for a few seeds -- without its [0:100] cut, and
with prompts counted as whitespace-separated words so no model tokenizer is needed (the Java test
counts the same way). Run from this folder:
    python3 sample_goldens.py ../../../../../../shared/seed/data/gpt2_data.json > sample-goldens.json
"""
import json
import random
import sys

with open(sys.argv[1]) as f:
    dataset = json.load(f)

cases = []
for seed, num_prompts in [(0, 50), (7, 200), (123, 1000)]:
    random.seed(seed)
    rows = list(enumerate(dataset))
    random.shuffle(rows)
    kept = []
    for index, row in rows:
        if len(kept) == num_prompts:
            break
        prompt_len = len(row["input"].split())
        output_len = row["output_tokens"]
        if prompt_len < 4 or output_len < 4:
            continue
        if prompt_len > 1024 or prompt_len + output_len > 2048:
            continue
        kept.append(index)
    cases.append({"seed": seed, "num_prompts": num_prompts, "rows": kept})
print(json.dumps({"dataset": "gpt2_data.json", "cases": cases}))
