"""Runs vLLM's offline engine for schedbench's create-dataset --engine vllm-offline.

The seed's create_dataset.py, as a child process: LLM(model, **engine_args), SamplingParams(n=1,
temperature, top_p=1.0, ignore_eos=False, max_tokens=output_len), prompts generated in batches,
output_tokens = len(tokenizer.encode(generated_text)) as the seed counted them.

Usage: python vllm_offline_runner.py SPEC.json   (or "-" to read the spec from stdin)
SPEC: {"model", "output_len", "temperature", "batch_size", "engine_args": {...},
       "prompts": [[index, text], ...]}

Protocol: one JSON object per line on stdout, nothing else there (everything vLLM and its
libraries print goes to stderr):
  {"event": "ready", "vllm_version": "..."}
  {"event": "result", "index": i, "output_len": n, "output_tokens": m, "generated_tokens": k}
  {"event": "error", "type": "ModuleNotFoundError", "message": "..."}   then exit status 2
  {"event": "done"}
"""
import json
import os
import sys
import traceback


def _protocol_stream():
    # Keep the real stdout for the protocol and send fd 1 (print, C libraries) to stderr.
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return proto


def _emit(proto, obj):
    proto.write(json.dumps(obj, ensure_ascii=True) + "\n")
    proto.flush()


def _error(proto, exc):
    _emit(proto, {"event": "error", "type": type(exc).__name__, "message": str(exc)})


def main(argv):
    proto = _protocol_stream()
    try:
        if len(argv) != 2:
            raise ValueError("usage: vllm_offline_runner.py SPEC.json|-")
        if argv[1] == "-":
            spec = json.load(sys.stdin)
        else:
            with open(argv[1], encoding="utf-8") as f:
                spec = json.load(f)
    except Exception as exc:  # noqa: BLE001 - reported to the caller
        _error(proto, exc)
        return 2
    try:
        import vllm
        from vllm import LLM, SamplingParams
    except ImportError as exc:
        _error(proto, exc)
        return 2
    try:
        llm = LLM(model=spec["model"], **spec.get("engine_args", {}))
        tokenizer = llm.get_tokenizer()
        params = SamplingParams(n=1, temperature=float(spec["temperature"]), top_p=1.0,
                                ignore_eos=False, max_tokens=int(spec["output_len"]))
        _emit(proto, {"event": "ready", "vllm_version": getattr(vllm, "__version__", "unknown")})
        prompts = spec["prompts"]
        batch_size = max(1, int(spec.get("batch_size", 8)))
        for start in range(0, len(prompts), batch_size):
            batch = prompts[start:start + batch_size]
            outputs = llm.generate([text for _, text in batch], params, use_tqdm=False)
            for (index, _), output in zip(batch, outputs):
                completion = output.outputs[0]
                text = completion.text
                _emit(proto, {"event": "result", "index": index, "output_len": len(text),
                              "output_tokens": len(tokenizer.encode(text)),
                              "generated_tokens": len(completion.token_ids)})
        _emit(proto, {"event": "done"})
        return 0
    except Exception as exc:  # noqa: BLE001 - reported to the caller
        traceback.print_exc(file=sys.stderr)
        _error(proto, exc)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
