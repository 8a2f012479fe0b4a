"""A stand-in for the vllm package: LLM.generate and SamplingParams, deterministic, no GPU.

A prompt of c characters yields n = c % max_tokens + 1 words "ü" (so len(text) = 2n - 1 and the
tokenizer, which splits on spaces, counts n tokens). A prompt containing BOOM raises like a CUDA
out-of-memory error would. When FAKE_VLLM_RECORD names a file, the engine arguments, sampling
parameters and batch sizes are written there as JSON.
"""
import json
import os
import sys

__version__ = "0.0-standin"

print("INFO 11-24 10:20:00 stand-in vllm imported (this line must not confuse the protocol)")
sys.stderr.write("WARNING stand-in vllm: no GPU needed\n")

_record = {"batches": []}


def _save():
    path = os.environ.get("FAKE_VLLM_RECORD")
    if path:
        with open(path, "w") as f:
            json.dump(_record, f)


class SamplingParams:
    def __init__(self, n=1, temperature=1.0, top_p=1.0, ignore_eos=False, max_tokens=16, **kwargs):
        self.n = n
        self.temperature = temperature
        self.top_p = top_p
        self.ignore_eos = ignore_eos
        self.max_tokens = max_tokens
        _record["sampling"] = {"n": n, "temperature": temperature, "top_p": top_p,
                               "ignore_eos": ignore_eos, "max_tokens": max_tokens}


class _Tokenizer:
    def encode(self, text):
        return text.split()


class _Completion:
    def __init__(self, text, token_ids):
        self.text = text
        self.token_ids = token_ids


class _RequestOutput:
    def __init__(self, prompt, completion):
        self.prompt = prompt
        self.outputs = [completion]


class LLM:
    def __init__(self, model, **kwargs):
        _record["model"] = model
        _record["engine_args"] = kwargs
        print("INFO loading " + model)

    def get_tokenizer(self):
        return _Tokenizer()

    def generate(self, prompts, sampling_params, use_tqdm=True):
        _record["batches"].append(len(prompts))
        _save()
        outputs = []
        for prompt in prompts:
            if "BOOM" in prompt:
                raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
            n = len(prompt) % sampling_params.max_tokens + 1
            outputs.append(_RequestOutput(prompt, _Completion(" ".join(["\u00fc"] * n), list(range(n)))))
        return outputs
