# Writes vLLM-style serving result files exactly as benchmark_serving.py does: json.dump(result, f).
# Run from this folder: python3 make_vllm_results.py
import json
import random

def lists(n, decimals, seed, e2els):
    rnd = random.Random(seed)
    input_lens, output_lens, ttfts, itls, texts, errors, e2el = [], [], [], [], [], [], []
    for i in range(n):
        failed = i == n - 1
        input_lens.append(10 + i)
        gaps = [] if failed else [round(rnd.uniform(0.010, 0.020), decimals) for _ in range(3 + i)]
        ttft = 0.0 if failed else round(rnd.uniform(0.02, 0.2), decimals)
        output_lens.append(0 if failed else len(gaps) + 1)
        ttfts.append(ttft)
        itls.append(gaps)
        texts.append("" if failed else "Paris is the capital, \"of course\" \u00e9t\u00e9 %d" % i)
        errors.append("Bad Request" if failed else "")
        e2el.append(0.0 if failed else round(ttft + sum(gaps) + 0.0005, decimals))
    out = {"input_lens": input_lens, "output_lens": output_lens, "ttfts": ttfts, "itls": itls}
    if e2els:
        out["e2els"] = e2el
    out["generated_texts"] = texts
    out["errors"] = errors
    return out

def stats(prefix):
    return {"mean_%s_ms" % prefix: 50.123456, "median_%s_ms" % prefix: 48.5, "std_%s_ms" % prefix: 3.25,
            "p99_%s_ms" % prefix: 70.0625}

def v064(decimals, e2els, name):
    r = {"date": "20241124-102000", "backend": "vllm", "model_id": "gpt2", "tokenizer_id": "gpt2", "best_of": 1,
         "num_prompts": 4, "request_rate": "inf", "burstiness": 1.0, "max_concurrency": None,
         "duration": 1.234567, "completed": 3, "total_input_tokens": 33, "total_output_tokens": 15,
         "request_throughput": 2.43, "request_goodput:": None, "output_throughput": 12.15,
         "total_token_throughput": 38.88}
    r.update(lists(4, decimals, 7, e2els))
    for m in ("ttft", "tpot", "itl", "e2el"):
        r.update(stats(m))
    with open(name, "w") as f:
        json.dump(r, f)

def v062(name):
    r = {"date": "20241001-090000", "backend": "vllm", "model_id": "facebook/opt-125m",
         "tokenizer_id": "facebook/opt-125m", "best_of": 1, "use_beam_search": False, "num_prompts": 3,
         "request_rate": 10.0, "duration": 0.5, "completed": 2, "total_input_tokens": 21,
         "total_output_tokens": 9, "request_throughput": 4.0, "output_throughput": 18.0,
         "total_token_throughput": 60.0}
    r.update(lists(3, 17, 11, False))
    for m in ("ttft", "tpot", "itl"):
        r.update(stats(m))
    with open(name, "w") as f:
        json.dump(r, f)

v064(6, True, "vllm-infqps-gpt2-20241124-102000.json")
v064(17, True, "priority_round_robin_o.json")
v062("vllm-0.6.2-10.0qps-opt-125m.json")
