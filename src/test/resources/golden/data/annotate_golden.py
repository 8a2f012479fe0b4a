"""Writes the golden files of DatasetAnnotateTest with Python itself.

Noise: the fork's custom_benchmarks/data/add_noise.py, unchanged in substance (random.seed(585),
per entry per sigma clamp(max(0, round(random.gauss(output_tokens, sigma))), 15, 1025)), run on the
seed's 100-row gpt2 dataset. Bins: classes by numpy's linear percentiles (written out here, numpy
is not needed) or by fixed upper edges. Run from this folder:
    python3 annotate_golden.py ../../../../../shared/seed/data/gpt2_data_seed_commit_100rows.json
"""
import json
import math
import random
import sys

MIN_VAL = 15
MAX_VAL = 1024 + 1


def add_noise(value, std_dev):
    return max(0, round(random.gauss(value, std_dev)))


def percentile(sorted_values, q):
    last = len(sorted_values) - 1
    virtual = last * (q / 100)
    if virtual >= last:
        return float(sorted_values[last])
    lower = math.floor(virtual)
    gamma = virtual - lower
    a, b = float(sorted_values[lower]), float(sorted_values[lower + 1])
    diff = b - a
    return b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma


def binned(data, field, edges):
    for entry in data:
        k = 0
        while k < len(edges) and entry["output_tokens"] > edges[k]:
            k += 1
        entry[field] = k


with open(sys.argv[1]) as f:
    data = json.load(f)

random.seed(585)
for entry in data:
    for level in [10, 25, 50, 75, 100, 125, 150]:
        noise = add_noise(entry["output_tokens"], level)
        noise = min(noise, MAX_VAL)
        noise = max(MIN_VAL, noise)
        entry[f"output_tokens_noise_{level}"] = noise
with open("gpt2_100rows_noise.json", "w") as f:
    json.dump(data, f, indent=4)

with open(sys.argv[1]) as f:
    data = json.load(f)
lengths = sorted(e["output_tokens"] for e in data)
binned(data, "output_tokens_binned_4", [percentile(lengths, 100.0 * k / 4) for k in range(1, 4)])
binned(data, "output_tokens_binned_64_128_255", [64, 128, 255])
with open("gpt2_100rows_binned.json", "w") as f:
    json.dump(data, f, indent=4)
