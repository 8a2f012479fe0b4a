#!/usr/bin/env python3
"""Regenerates the golden files of the serving-metrics tests with Python and numpy.

Run from anywhere: python3 make_expected.py (needs numpy). It writes, next to itself:
  cases.json           synthetic request sets (times in integer nanoseconds) and the run settings
  expected.json        per case, the statistics computed the way vLLM's benchmark_serving.py does
  result_<case>.json   the result file vLLM would save for the case, plus the workbench's sections
  console_<case>_vllm.txt  what vLLM prints for the case
  python_floats.json   doubles with Python's repr and '.2f'/'.4f' spellings

The vLLM parts mirror calculate_metrics, benchmark() and main() of benchmark_serving.py (vLLM 0.6.4,
the seed's online_benchmarking.py): statistics over successful requests only, TPOT for outputs of more
than one token, ITL pooled, population std, numpy's linear percentiles, ms = s * 1000, empty -> 0.
The workbench's sections (per priority class, fairness, client) follow docs/decisions.
"""
import json
import math
import os
import random
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
METRICS = [("ttft", "TTFT", "Time to First Token"),
           ("tpot", "TPOT", "Time per Output Token (excl. 1st token)"),
           ("itl", "ITL", "Inter-token Latency"),
           ("e2el", "E2EL", "End-to-end Latency")]
SLOWDOWN_DEFINITION = "(e2el / output_tokens) / min over successful requests of (e2el / output_tokens)"
NO_CHUNK = ("Never received a valid chunk to calculate TTFT.This response will be marked as failed!")


def req(index, prompt, out, ttft_ms, e2el_ms, itl_ms, text, error="", priority=None, cls=0,
        scheduled_ms=0.0, lag_us=0):
    scheduled = int(round(scheduled_ms * 1_000_000))
    return {
        "index": index, "prompt_tokens": prompt, "output_tokens": out, "max_tokens": max(out, 1) + 10,
        "priority": priority, "priority_class": cls,
        "scheduled_send_ns": scheduled, "actual_send_ns": scheduled + lag_us * 1000,
        "ttft_ns": int(round(ttft_ms * 1_000_000)), "e2el_ns": int(round(e2el_ms * 1_000_000)),
        "itl_ns": [int(round(x * 1_000_000)) for x in itl_ms],
        "generated_text": text, "error": error,
    }


def mixed_case():
    """Failures, single-token outputs, SLOs, two priority classes, awkward text."""
    records = [
        req(0, 17, 5, 120.5, 410.25, [70.1, 71.3, 69.9, 78.95], "Hello there, friend", priority=5, cls=0,
            scheduled_ms=0.0, lag_us=120),
        req(1, 42, 1, 95.0, 95.0, [], "\u00e9", priority=1, cls=0, scheduled_ms=81.3, lag_us=85),
        req(2, 8, 0, 0.0, 0.0, [], "", NO_CHUNK, priority=40, cls=1, scheduled_ms=150.9, lag_us=2300),
        req(3, 256, 12, 610.0, 2950.75, [180.0, 190.5, 200.25, 210.0, 205.5, 199.0, 220.0, 230.5, 240.0, 250.0, 260.25],
            "Zo\u00eb says \"hi\"\n\tto \u2713 and \U0001F600 / back\\slash \x7f end", priority=37, cls=1,
            scheduled_ms=260.0, lag_us=640),
        req(4, 33, 3, 480.0, 0.0, [60.0], "partial", "Traceback (most recent call last):\n  ConnectionResetError",
            priority=12, cls=0, scheduled_ms=301.7, lag_us=95),
        req(5, 64, 7, 300.125, 1220.5, [150.0, 140.0, 160.5, 155.25, 170.0, 144.375], "seven tokens of text here ok",
            priority=22, cls=1, scheduled_ms=420.2, lag_us=4100),
        req(6, 5, 2, 88.0, 130.0, [42.0], "ok", priority=3, cls=0, scheduled_ms=500.0, lag_us=77),
        req(7, 120, 4, 1500.0, 3300.0, [600.0, 600.0, 600.0], "late but fine", priority=48, cls=1,
            scheduled_ms=733.1, lag_us=310),
    ]
    order = [5, 2, 7, 0, 3, 6, 1, 4]  # completion order, not index order
    return {
        "name": "mixed",
        "spec": {"model": "openai-community/gpt2", "tokenizer": None, "num_prompts": 8, "request_rate": 10.0,
                 "burstiness": 1.0, "max_concurrency": 4, "metadata": {"operator": "Zo\u00eb", "gpu": "H100"},
                 "percentile_metrics": ["e2el", "ttft", "tpot", "itl"], "metric_percentiles": [50.0, 90.0, 99.0, 99.9],
                 "goodput": {"ttft": 500.0, "tpot": 100.0, "e2el": 3000.0}},
        "date": "20241124-102000", "duration_ns": 4_123_456_789, "requested_rate": 10.0,
        "records": [records[i] for i in order],
    }


def single_token_case():
    """Every output a single token: no TPOT and no ITL values at all; rate inf; vLLM's defaults."""
    records = [req(i, 10 + i, 1, 50.0 + 7.5 * i, 50.0 + 7.5 * i, [], "x", lag_us=10 * i) for i in range(5)]
    return {
        "name": "single",
        "spec": {"model": "gpt2", "tokenizer": "gpt2", "num_prompts": 5, "request_rate": "inf", "burstiness": 1.0,
                 "max_concurrency": None, "metadata": {}, "percentile_metrics": ["ttft", "tpot", "itl"],
                 "metric_percentiles": [99.0], "goodput": {}},
        "date": "20240101-000000", "duration_ns": 412_000_000, "requested_rate": "inf",
        "records": records,
    }


def all_failed_case():
    """Nothing succeeded: zeros everywhere, goodput 0, no fairness."""
    records = [req(i, 9, 0, 0.0, 0.0, [], "", "Bad Request", priority=i, cls=i % 2, scheduled_ms=100.0 * i,
                   lag_us=50) for i in range(3)]
    return {
        "name": "failed",
        "spec": {"model": "m", "tokenizer": None, "num_prompts": 3, "request_rate": 2.5, "burstiness": 0.5,
                 "max_concurrency": None, "metadata": {}, "percentile_metrics": ["ttft", "tpot", "itl", "e2el"],
                 "metric_percentiles": [99.0], "goodput": {"e2el": 1000.0}},
        "date": "20240101-000000", "duration_ns": 1_000_000_000, "requested_rate": 2.5,
        "records": records,
    }


def large_case():
    """200 requests, about 10,000 pooled ITLs (numpy's pairwise summation recurses deeply), four classes."""
    rng = random.Random(585)
    records = []
    t = 0.0
    for i in range(200):
        out = rng.randint(1, 100)
        ttft = rng.uniform(20, 900)
        itls = [rng.uniform(5, 60) for _ in range(out - 1)]
        e2el = ttft + sum(itls) + rng.uniform(0, 3)
        prio = rng.randint(4, 400)
        failed = i % 97 == 13
        t += rng.expovariate(20.0) * 1000
        records.append(req(i, rng.randint(4, 1000), 0 if failed else out, 0.0 if failed else ttft,
                           0.0 if failed else e2el, [] if failed else itls, "" if failed else "t%d" % i,
                           "Internal Server Error" if failed else "", priority=prio, cls=min(prio // 100, 3),
                           scheduled_ms=t, lag_us=rng.randint(0, 3000)))
    rng.shuffle(records)
    return {
        "name": "large",
        "spec": {"model": "meta-llama/Llama-3.2-1B", "tokenizer": None, "num_prompts": 200, "request_rate": 20.0,
                 "burstiness": 1.0, "max_concurrency": None, "metadata": {},
                 "percentile_metrics": ["ttft", "tpot", "itl", "e2el"], "metric_percentiles": [0.0, 25.0, 50.0, 75.0, 99.0, 100.0],
                 "goodput": {"tpot": 30.0}},
        "date": "20240101-000000", "duration_ns": 16_500_000_000, "requested_rate": 20.0,
        "records": records,
    }


def s(ns):
    return ns / 1e9


def stats(values, percentiles):
    """What calculate_metrics stores for one metric, in ms."""
    return {
        "count": len(values),
        "mean": np.mean(values or 0) * 1000,
        "median": np.median(values or 0) * 1000,
        "std": np.std(values or 0) * 1000,
        "percentiles": [[p, np.percentile(values or 0, p) * 1000] for p in percentiles],
    }


def latency(records, percentiles):
    ttfts, tpots, itls, e2els = [], [], [], []
    for r in records:
        if r["error"]:
            continue
        out = r["output_tokens"]
        if out > 1:
            tpots.append((s(r["e2el_ns"]) - s(r["ttft_ns"])) / (out - 1))
        itls += [s(x) for x in r["itl_ns"]]
        ttfts.append(s(r["ttft_ns"]))
        e2els.append(s(r["e2el_ns"]))
    return {"ttft": stats(ttfts, percentiles), "tpot": stats(tpots, percentiles),
            "itl": stats(itls, percentiles), "e2el": stats(e2els, percentiles)}


def good(r, slos):
    out = r["output_tokens"]
    tpot = (s(r["e2el_ns"]) - s(r["ttft_ns"])) / (out - 1) if out > 1 else 0
    value = {"ttft": s(r["ttft_ns"]), "tpot": tpot, "e2el": s(r["e2el_ns"])}
    return all(slo / 1000 >= value[name] for name, slo in slos.items())


def qualifies(r):
    return not r["error"] and r["output_tokens"] >= 1 and r["e2el_ns"] > 0


def pace(r):
    return s(r["e2el_ns"]) / r["output_tokens"]


def fairness(records, best):
    x = [pace(r) / best for r in records if qualifies(r)]
    if not x:
        return None
    arr = np.array(x)
    total = np.sum(arr)
    return {"requests": len(x), "jain": float(total * total / (len(x) * np.sum(arr * arr))),
            "mean": np.mean(x), "median": np.median(x), "max": max(x)}


def compute(case):
    spec = case["spec"]
    records = sorted(case["records"], key=lambda r: r["index"])
    percentiles = spec["metric_percentiles"]
    dur_s = case["duration_ns"] / 1e9
    ok = [r for r in records if not r["error"]]
    completed = len(ok)
    total_input = sum(r["prompt_tokens"] for r in ok)
    total_output = sum(r["output_tokens"] for r in ok)
    goodput = None
    if spec["goodput"]:
        goodput = sum(1 for r in ok if good(r, spec["goodput"])) / dur_s
    paces = [pace(r) for r in records if qualifies(r)]
    best = min(paces) if paces else None
    classes = []
    for cls in sorted({r["priority_class"] for r in records}):
        members = [r for r in records if r["priority_class"] == cls]
        sent = [r["priority"] for r in members if r["priority"] is not None]
        classes.append({"priority_class": cls, "requests": len(members),
                        "completed": sum(1 for r in members if not r["error"]),
                        "min_priority": min(sent) if sent else None, "max_priority": max(sent) if sent else None,
                        "latency": latency(members, percentiles),
                        "fairness": fairness(members, best) if best else None})
    lags = [s(r["actual_send_ns"] - r["scheduled_send_ns"]) for r in records] or [0]
    sends = sorted(r["actual_send_ns"] for r in records)
    achieved = None
    if len(sends) >= 2 and sends[-1] > sends[0]:
        achieved = (len(sends) - 1) / s(sends[-1] - sends[0])
    return {
        "num_requests": len(records), "completed": completed, "failed": len(records) - completed,
        "total_input": total_input, "total_output": total_output, "duration": dur_s,
        "request_throughput": completed / dur_s, "request_goodput": goodput,
        "output_throughput": total_output / dur_s, "total_token_throughput": (total_input + total_output) / dur_s,
        "latency": latency(records, percentiles),
        "classes": classes,
        "fairness": fairness(records, best) if best else None,
        "client": {"requests": len(records), "lag_p50_ms": np.percentile(lags, 50) * 1000,
                   "lag_p99_ms": np.percentile(lags, 99) * 1000, "lag_max_ms": max(lags) * 1000,
                   "achieved_rate": achieved},
    }


def p_word(p):
    return str(int(p)) if int(p) == p else str(p)


def put_stats(target, name, st):
    target[f"mean_{name}_ms"] = st["mean"]
    target[f"median_{name}_ms"] = st["median"]
    target[f"std_{name}_ms"] = st["std"]
    for p, value in st["percentiles"]:
        target[f"p{p_word(p)}_{name}_ms"] = value


def put_fairness(target, f):
    target["fairness_requests"] = f["requests"] if f else 0
    for key, field in [("jain_fairness_index", "jain"), ("mean_slowdown", "mean"),
                       ("median_slowdown", "median"), ("max_slowdown", "max")]:
        target[key] = f[field] if f else None


def result_document(case, m):
    """main() and benchmark() of benchmark_serving.py, then the workbench's sections."""
    spec = case["spec"]
    records = sorted(case["records"], key=lambda r: r["index"])
    result_json = {}
    result_json["date"] = case["date"]
    result_json["backend"] = "vllm"
    result_json["model_id"] = spec["model"]
    result_json["tokenizer_id"] = spec["tokenizer"] if spec["tokenizer"] is not None else spec["model"]
    result_json["best_of"] = 1
    result_json["num_prompts"] = spec["num_prompts"]
    for key in spec["metadata"]:
        result_json[key] = spec["metadata"][key]
    rate = float(spec["request_rate"])
    result_json["request_rate"] = rate if rate < float("inf") else "inf"
    result_json["burstiness"] = spec["burstiness"]
    result_json["max_concurrency"] = spec["max_concurrency"]
    result = {
        "duration": m["duration"],
        "completed": m["completed"],
        "total_input_tokens": m["total_input"],
        "total_output_tokens": m["total_output"],
        "request_throughput": m["request_throughput"],
        "request_goodput:": m["request_goodput"] if spec["goodput"] else None,
        "output_throughput": m["output_throughput"],
        "total_token_throughput": m["total_token_throughput"],
        "input_lens": [r["prompt_tokens"] for r in records],
        "output_lens": [r["output_tokens"] if not r["error"] else 0 for r in records],
        "ttfts": [s(r["ttft_ns"]) for r in records],
        "itls": [[s(x) for x in r["itl_ns"]] for r in records],
        "e2els": [s(r["e2el_ns"]) for r in records],
        "generated_texts": [r["generated_text"] for r in records],
        "errors": [r["error"] for r in records],
    }
    for name, _, _ in METRICS:
        if name in spec["percentile_metrics"]:
            put_stats(result, name, m["latency"][name])
    result_json = {**result_json, **result}

    classes = []
    for c in m["classes"]:
        row = {"priority_class": c["priority_class"], "requests": c["requests"], "completed": c["completed"],
               "min_priority": c["min_priority"], "max_priority": c["max_priority"]}
        for name, _, _ in METRICS:
            put_stats(row, name, c["latency"][name])
        put_fairness(row, c["fairness"])
        classes.append(row)
    result_json["schedbench_priority_classes"] = classes
    fair = {"slowdown_definition": SLOWDOWN_DEFINITION}
    put_fairness(fair, m["fairness"])
    result_json["schedbench_fairness"] = fair
    cl = m["client"]
    result_json["schedbench_client"] = {
        "num_requests": cl["requests"], "failed_requests": m["failed"],
        "requested_rate": rate if rate < float("inf") else "inf", "achieved_rate": cl["achieved_rate"],
        "send_lag_p50_ms": cl["lag_p50_ms"], "send_lag_p99_ms": cl["lag_p99_ms"], "send_lag_max_ms": cl["lag_max_ms"],
    }
    return result_json


def console(case, m):
    """The lines benchmark() prints from the result banner on."""
    spec = case["spec"]
    lines = ["{s:{c}^{n}}".format(s=' Serving Benchmark Result ', n=50, c='='),
             "{:<40} {:<10}".format("Successful requests:", m["completed"]),
             "{:<40} {:<10.2f}".format("Benchmark duration (s):", m["duration"]),
             "{:<40} {:<10}".format("Total input tokens:", m["total_input"]),
             "{:<40} {:<10}".format("Total generated tokens:", m["total_output"]),
             "{:<40} {:<10.2f}".format("Request throughput (req/s):", m["request_throughput"])]
    if spec["goodput"]:
        lines.append("{:<40} {:<10.2f}".format("Request goodput (req/s):", m["request_goodput"]))
    lines.append("{:<40} {:<10.2f}".format("Output token throughput (tok/s):", m["output_throughput"]))
    lines.append("{:<40} {:<10.2f}".format("Total Token throughput (tok/s):", m["total_token_throughput"]))
    for attr, name, header in METRICS:
        if attr not in spec["percentile_metrics"]:
            continue
        st = m["latency"][attr]
        lines.append("{s:{c}^{n}}".format(s=header, n=50, c='-'))
        lines.append("{:<40} {:<10.2f}".format(f"Mean {name} (ms):", st["mean"]))
        lines.append("{:<40} {:<10.2f}".format(f"Median {name} (ms):", st["median"]))
        for p, value in st["percentiles"]:
            lines.append("{:<40} {:<10.2f}".format(f"P{p_word(p)} {name} (ms):", value))
    lines.append("=" * 50)
    return "".join(line + "\n" for line in lines)


def python_floats():
    rng = random.Random(7)
    values = [0.0, -0.0, 1.0, -1.0, 10.0, 2.5, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e-4, 1e-5, 1.5e-5, 0.00012345,
              1e15, 1e16, 1e17, 123456789012345678.0, 1e22, 1e23, 2e23, 9.999999999999999e22, 5e-324, 1e-323,
              2.2250738585072014e-308, 1.7976931348618157e308, 0.125, 0.375, 2.675, 1.005, 1.015, 0.005,
              0.0049999999999999, 99.9, 99.99, 12345.6789, 3.14159, 4.35, 0.5, 1.5, 2.5e-7, 7e22, 8e-10,
              float("inf"), float("-inf"), float("nan")]
    for _ in range(1000):
        kind = rng.random()
        if kind < 0.4:
            values.append(rng.uniform(0, 1) * 10 ** rng.randint(-12, 20))
        elif kind < 0.6:
            values.append(round(rng.uniform(0, 1000), rng.randint(0, 4)))
        elif kind < 0.8:
            values.append(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(63)))[0])
        else:
            values.append(-rng.expovariate(1.0) * 10 ** rng.randint(-8, 8))
    out = []
    for v in values:
        bits = struct.unpack("<q", struct.pack("<d", v))[0]
        finite = math.isfinite(v)
        small = not finite or abs(v) < 1e20  # '.2f' of 1e300 is 300 digits: not worth the bytes
        out.append({"bits": bits, "repr": repr(v), "json": json.dumps(v),
                    "f2": format(v, ".2f") if small else None, "f4": format(v, ".4f") if small else None,
                    "pword": p_word(v) if finite and abs(v) < 1e15 else None})
    return out


def lines(items):
    """A JSON array with one item per line: compact, yet diffs stay readable."""
    return "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n"


def write(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    cases = [mixed_case(), single_token_case(), all_failed_case(), large_case()]
    write("cases.json", lines(cases))
    expected = {}
    for case in cases:
        m = compute(case)
        expected[case["name"]] = m
        if case["name"] != "large":
            with open(os.path.join(HERE, f"result_{case['name']}.json"), "w", encoding="utf-8") as f:
                json.dump(result_document(case, m), f)
            write(f"console_{case['name']}_vllm.txt", console(case, m))
    write("expected.json", json.dumps(expected, indent=1) + "\n")
    write("python_floats.json", lines(python_floats()))


if __name__ == "__main__":
    main()
