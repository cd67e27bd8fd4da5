#!/usr/bin/env python3
"""Run the LLM calculators themselves and record what they print, as test fixtures.

Usage (the calculators' sources are not in this repository; get them with git):

    python3 tools/peers/llm-calculators/run.py \
        --llm-viewer /path/to/LLM-Viewer --llm-analysis /path/to/llm-analysis \
        --out test/fixtures/llm-calculators/figures.json

Neither tool needs the network here: `transformers.AutoConfig` is replaced by a stub that reads
the published `config.json` files in `configs/` (as `AutoConfig.from_pretrained` would, for the
keys the tools read), and llm-analysis's `fire` (used only by its command line) by an empty module.
Each case is run through the tool's own Python API, the one its command line calls, and every
figure is written as the tool computes it, before its own rounding for print; `printed` holds the
string the tool's printing helper makes of it where it has one.
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib
import io
import json
import os
import subprocess
import sys
import types
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIGS = HERE / "configs"

# The Hugging Face ids the configs were published under; the tools see these names.
MODELS = {
    "llama-2-7b": "meta-llama/Llama-2-7b-hf",
    "llama-2-13b": "meta-llama/Llama-2-13b-hf",
    "mistral-7b": "mistralai/Mistral-7B-v0.1",
    "llama-3-8b": "meta-llama/Meta-Llama-3-8B",
}
# Read by llm-analysis only (LLM-Viewer's Llama rules have no mixture of experts).
ANALYSIS_ONLY = {
    "mixtral-8x7b": "mistralai/Mixtral-8x7B-v0.1",
}


class _Config(types.SimpleNamespace):
    """What `AutoConfig.from_pretrained` returns, for the attributes the tools read."""


def _install_stubs() -> None:
    by_id = {hf: CONFIGS / f"{key}.json" for key, hf in {**MODELS, **ANALYSIS_ONLY}.items()}

    class AutoConfig:  # noqa: D401 - a stand-in with the real method's name
        @staticmethod
        def from_pretrained(name, trust_remote_code=False, **_):
            path = by_id.get(name)
            if path is None:
                raise OSError(f"stub AutoConfig: no local config.json for {name!r}")
            return _Config(**json.loads(path.read_text()))

    transformers = types.ModuleType("transformers")
    transformers.AutoConfig = AutoConfig
    transformers.AutoTokenizer = None
    transformers.AutoModelForCausalLM = None
    sys.modules["transformers"] = transformers
    sys.modules.setdefault("fire", types.ModuleType("fire"))


def _commit(root: Path) -> str | None:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return None


# ---- LLM-Viewer (hahnyuan/LLM-Viewer) ---------------------------------------------------------

VIEWER_CASES = [
    # (model, hardware, batch, seqlen, w_bit, kv_bit)
    (m, hw, b, s, w, 16)
    for m in ("llama-2-7b", "llama-2-13b", "mistral-7b", "llama-3-8b")
    for hw in ("nvidia_A100_80G", "nvidia_H100_SXM")
    for b, s in ((1, 1024), (64, 1024))
    for w in (16, 4)
]
VIEWER_FIGURES = ["OPs", "memory_access", "load_weight", "load_act", "store_act", "load_kv_cache", "store_kv_cache", "inference_time"]


def run_llm_viewer(root: Path) -> dict:
    sys.path.insert(0, str(root))
    cwd = os.getcwd()
    os.chdir(root)  # it imports its per-model rules as `configs.<name>` from its own folder
    try:
        model_analyzer = importlib.import_module("model_analyzer")
        hardware_params = importlib.import_module("hardwares.hardware_params").hardware_params
        utils = importlib.import_module("utils")
        cases = []
        for model, hardware, batch, seqlen, w_bit, kv_bit in VIEWER_CASES:
            with redirect_stdout(io.StringIO()):
                analyzer = model_analyzer.ModelAnalyzer(MODELS[model], hardware, config_file="configs/Llama.py")
                res = analyzer.analyze(seqlen=seqlen, batchsize=batch, w_bit=w_bit, a_bit=16, kv_bit=kv_bit)
            totals = res["total_results"]
            out = {}
            for stage in ("prefill", "decode"):
                t = totals[stage]
                out[stage] = {k: t[k] for k in VIEWER_FIGURES + [k for k in t if k.startswith("memory_consumption")]}
                out[stage]["printed"] = {
                    "OPs": utils.str_number(t["OPs"]),
                    "memory_access": utils.str_number(t["memory_access"]) + "B",
                    "inference_time": utils.str_number_time(t["inference_time"]) + "s",
                }
            if batch == 1 and w_bit == 16:  # one layer table per model and device is enough to read the rules off
                out["layers"] = {
                    stage: {name: {k: v for k, v in r.items()} for name, r in res[stage].items()} for stage in ("prefill", "decode")
                }
            cases.append({
                "model": model, "hfId": MODELS[model], "hardware": hardware, "hardwareParams": hardware_params[hardware],
                "batch": batch, "seqlen": seqlen, "wBit": w_bit, "aBit": 16, "kvBit": kv_bit, "results": out,
            })
        # A prompt of 512 tokens, then 32 generated: its own generate-task sum.
        generate = []
        for model in MODELS:
            for hardware in ("nvidia_A100_80G", "nvidia_H100_SXM"):
                with redirect_stdout(io.StringIO()):
                    analyzer = model_analyzer.ModelAnalyzer(MODELS[model], hardware, config_file="configs/Llama.py")
                    r = analyzer.analyze_generate_task(prompt_len=512, gen_len=32, batchsize=1)
                generate.append({"model": model, "hardware": hardware, "promptLen": 512, "genLen": 32, "batch": 1, "inferenceTimeS": r["inference_time"]})
        return {"tool": "llm-viewer", "repository": "hahnyuan/LLM-Viewer", "commit": _commit(root), "rules": "configs/Llama.py for every model", "cases": cases, "generate": generate}
    finally:
        os.chdir(cwd)
        sys.path.remove(str(root))


# ---- llm-analysis (cli99/llm-analysis) ---------------------------------------------------------

ANALYSIS_CASES = [
    (m, gpu, b, 512, 32, dtype)
    for m in ("llama-2-7b", "llama-2-13b", "mistral-7b", "llama-3-8b", "decapoda-research_llama-7b-hf", "decapoda-research_llama-13b-hf", "NousResearch_Llama-2-7b-hf")
    for gpu in ("a100-sxm-80gb", "h100-sxm-80gb")
    for b in (1, 64)
    for dtype in ("w16a16e16", "w4a16e16")
] + [
    # Mixtral: 16-bit weights do not fit in 80 GB (its own assertion); 4-bit ones do.
    ("mixtral-8x7b", gpu, 1, 512, 32, dtype) for gpu in ("a100-sxm-80gb", "h100-sxm-80gb") for dtype in ("w16a16e16", "w4a16e16")
]
ANALYSIS_FIGURES = [
    "num_params_total", "num_active_params_total", "weight_memory_per_gpu", "weight_memory_embedding_per_gpu",
    "kv_cache_memory_per_gpu", "prefill_activation_memory_per_gpu", "prefill_latency", "decode_latency",
    "total_decode_latency", "total_latency", "total_tokens_per_sec", "prefill_tokens_per_sec", "decode_tokens_per_sec",
]


def run_llm_analysis(root: Path) -> dict:
    sys.path.insert(0, str(root))
    try:
        analysis = importlib.import_module("llm_analysis.analysis")
        config = importlib.import_module("llm_analysis.config")
        config.populate_model_and_gpu_configs()
        cases = []
        # Its own tables, as it read them: the GPUs used and the bundled model configs.
        gpus = {g: dataclasses.asdict(config.gpu_configs[g]) for g in sorted({c[1] for c in ANALYSIS_CASES})}
        bundled = {m: dataclasses.asdict(config.model_configs[m]) for m in sorted({c[0] for c in ANALYSIS_CASES}) if m in config.model_configs}
        for model, gpu, batch, seq_len, gen, dtype in ANALYSIS_CASES:
            name = MODELS.get(model) or ANALYSIS_ONLY.get(model) or model
            entry = {"model": model, "modelName": name, "gpu": gpu, "batch": batch, "seqLen": seq_len, "generate": gen, "dtype": dtype,
                     "flopsEfficiency": 1, "hbmMemoryEfficiency": 1}
            try:
                with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                    s = analysis.infer(model_name=name, gpu_name=gpu, dtype_name=dtype, log_level="ERROR", batch_size_per_gpu=batch,
                                       seq_len=seq_len, num_tokens_to_generate=gen, flops_efficiency=1, hbm_memory_efficiency=1)
                entry["summary"] = {k: s.get(k) for k in ANALYSIS_FIGURES if k in s}
            except Exception as e:  # a failure is a figure too: it is what a user meets
                entry["error"] = f"{type(e).__name__}: {e}"
            cases.append(entry)
        return {"tool": "llm-analysis", "repository": "cli99/llm-analysis", "commit": _commit(root), "gpuConfigs": gpus, "modelConfigs": bundled, "cases": cases}
    finally:
        sys.path.remove(str(root))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--llm-viewer", type=Path)
    ap.add_argument("--llm-analysis", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    _install_stubs()
    out = {"python": sys.version.split()[0], "configs": {k: json.loads((CONFIGS / f"{k}.json").read_text()) for k in {**MODELS, **ANALYSIS_ONLY}}, "tools": []}
    if args.llm_viewer:
        out["tools"].append(run_llm_viewer(args.llm_viewer.resolve()))
    if args.llm_analysis:
        out["tools"].append(run_llm_analysis(args.llm_analysis.resolve()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n")
    print(f"wrote {args.out}: " + ", ".join(f"{t['tool']} {len(t['cases'])} cases" for t in out["tools"]))


if __name__ == "__main__":
    main()
