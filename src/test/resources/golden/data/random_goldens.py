"""Regenerates random-goldens.json: CPython's `random` and numpy's legacy RandomState,
the generators the seed's benchmark scripts use. Run with python3 (numpy installed):
    python3 random_goldens.py > random-goldens.json
"""
import json
import random
import sys

import numpy as np

out = {"python": sys.version.split()[0], "numpy": np.__version__}

py = []
for seed in [0, 1, 42, 585, 2**32 - 1, 2**32, 2**40 + 5, -7, 9007199254740993]:
    r = random.Random(seed)
    case = {"seed": seed}
    case["random"] = [r.random() for _ in range(5)]
    r.seed(seed)
    case["getrandbits"] = {str(k): [r.getrandbits(k) for _ in range(3)] for k in [1, 7, 32, 33, 53, 63]}
    r.seed(seed)
    case["randbelow"] = [r._randbelow(n) for n in [1, 2, 3, 10, 100, 1000, 2**31, 2**33 + 1]]
    r.seed(seed)
    xs = list(range(10))
    r.shuffle(xs)
    case["shuffle10"] = xs
    r.seed(seed)
    xs = list(range(2000))
    r.shuffle(xs)
    case["shuffle2000"] = xs
    r.seed(seed)
    case["gauss"] = [r.gauss(100.0, 50.0) for _ in range(7)]
    py.append(case)
out["pythonRandom"] = py

# the fork's add_noise.py: random.seed(585), then per entry per sigma
r = random.Random(585)
noise = []
for out_tokens in [7, 100, 256, 512, 1000]:
    for sigma in [10, 25, 50, 75, 100, 125, 150]:
        noise.append([out_tokens, sigma, min(max(max(0, round(r.gauss(out_tokens, sigma))), 15), 1025)])
out["addNoise585"] = noise

npcases = []
for seed in [0, 1, 42, 2**32 - 1]:
    for shape, scale in [(1.0, 0.1), (0.5, 0.02), (2.0, 0.05), (4.3, 1.0), (0.1, 1.0), (1e-3, 1.0), (30.0, 0.001)]:
        np.random.seed(seed)
        npcases.append({"seed": seed, "shape": shape, "scale": scale,
                        "gamma": [float(v) for v in np.random.gamma(shape, scale, 12)]})
np.random.seed(0)
out["numpyRandomSample0"] = [float(v) for v in np.random.random_sample(3)]
out["numpyGamma"] = npcases
print(json.dumps(out))
