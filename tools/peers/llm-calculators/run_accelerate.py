#!/usr/bin/env python3
"""Run `accelerate estimate-memory` itself and record what it prints, as a test fixture.

Usage (accelerate, transformers and huggingface_hub are not in this repository; see README.md):

    /usr/bin/python3 tools/peers/llm-calculators/run_accelerate.py --site /tmp/issue-28a/site \
        --out test/fixtures/llm-calculators/accelerate.json

`--site` is a folder the three packages were installed into (`pip install --no-deps --target`).
The command is run unchanged, as a user types it (`accelerate estimate-memory <hub id>`), with
one thing replaced: the Hugging Face Hub. It asks the Hub for the model's info (`model_info`:
`library_name` and `config`) and `AutoConfig.from_pretrained` downloads `config.json`; here both
come from a server on 127.0.0.1 (HF_ENDPOINT) that serves the built-in models' published
config.json files (src/engine/zoo/llm/). Two packages with native parts are replaced by stubs
written into a temporary folder: `safetensors` (modeling_utils imports it; no weights are read or
written on the meta device) and `tokenizers` (transformers' GGUF module imports it at import time;
nothing is tokenized). Each model is also built in-process through accelerate's own
`create_empty_model` and `calculate_maximum_sizes` to record the exact byte totals, the parameter
count and every buffer behind the printed table.
"""
from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ZOO = REPO / "src" / "engine" / "zoo" / "llm"

# The built-in models (src/engine/zoo/llm/index.ts) and the Hub ids their configs were published under.
MODELS = {
    "gpt2": "openai-community/gpt2",
    "gpt2-medium": "openai-community/gpt2-medium",
    "tinyllama-1.1b": "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
    "llama-3.2-1b": "meta-llama/Llama-3.2-1B",
    "llama-3-8b": "meta-llama/Meta-Llama-3-8B",
    "mistral-7b": "mistralai/Mistral-7B-v0.1",
    "mixtral-8x7b": "mistralai/Mixtral-8x7B-v0.1",
    "qwen2.5-0.5b": "Qwen/Qwen2.5-0.5B",
    "gemma-2b": "google/gemma-2b",
    "phi-2": "microsoft/phi-2",
    "llama-2-7b": "meta-llama/Llama-2-7b-hf",
    "llama-2-13b": "meta-llama/Llama-2-13b-hf",
}

STUBS = {
    "safetensors/__init__.py": '''"""Stub: transformers' modeling_utils imports it; on the meta device no weights are read or written."""
__version__ = "0.4.5+stub"
class SafetensorError(Exception):
    pass
def _absent(*args, **kwargs):
    raise NotImplementedError("safetensors stub: no weights are read or written by estimate-memory")
safe_open = deserialize = serialize = serialize_file = _absent
''',
    "safetensors/torch.py": '''from . import _absent
load_file = save_file = load = save = save_model = load_model = storage_ptr = storage_size = _absent
''',
    # transformers checks safetensors' version at import (dependency_versions_check): the stub says it is one.
    "safetensors-0.4.5+stub.dist-info/METADATA": "Metadata-Version: 2.1\nName: safetensors\nVersion: 0.4.5+stub\n",
}
# tokenizers: no dist-info, so transformers sees it as not installed; only its unconditional imports resolve.
for _m in ("__init__", "models", "decoders", "normalizers", "pre_tokenizers", "processors", "trainers"):
    STUBS[f"tokenizers/{_m}.py"] = '''"""Stub: imported by transformers' GGUF and fast-tokenizer modules; estimate-memory never tokenizes."""
def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    def _absent(self, *args, **kwargs):
        raise NotImplementedError(f"tokenizers stub: {name}")
    return type(name, (), {"__init__": _absent})
'''


def write_stubs(root: Path) -> None:
    for rel, text in STUBS.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def configs() -> dict[str, dict]:
    return {key: json.loads((ZOO / f"{key}.json").read_text()) for key in MODELS}


class Hub(http.server.BaseHTTPRequestHandler):
    """The two Hub endpoints estimate-memory reaches: /api/models/<id> and /<id>/resolve/<rev>/config.json."""

    files: dict[str, bytes] = {}
    infos: dict[str, bytes] = {}
    log: list[str] = []

    def _reply(self, body: bytes | None, head: bool, extra: dict[str, str] | None = None) -> None:
        if body is None:
            self.send_response(404)
            self.send_header("X-Error-Code", "EntryNotFound")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        path = self.path.split("?")[0]
        Hub.log.append(f"{self.command} {path}")
        if path.startswith("/api/models/"):
            self._reply(Hub.infos.get(path[len("/api/models/"):]), head, {"Content-Type": "application/json"})
            return
        repo, sep, rest = path.lstrip("/").partition("/resolve/")
        rev, _, filename = rest.partition("/")
        body = Hub.files.get(repo) if sep and filename == "config.json" else None
        sha = hashlib.sha1(body or b"").hexdigest()
        self._reply(body, head, {"ETag": f'"{sha}"', "X-Repo-Commit": sha, "Content-Type": "application/json"})

    def do_GET(self) -> None:  # noqa: N802
        self._serve(False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(True)

    def log_message(self, *_):
        pass


def start_hub(cfgs: dict[str, dict]) -> http.server.ThreadingHTTPServer:
    for key, hub_id in MODELS.items():
        cfg = cfgs[key]
        Hub.files[hub_id] = json.dumps(cfg, indent=2).encode()
        # The Hub's model info carries the library and a few config keys (estimate-memory reads auto_map).
        info = {"id": hub_id, "modelId": hub_id, "library_name": "transformers", "tags": ["transformers"],
                "config": {k: cfg[k] for k in ("architectures", "model_type", "auto_map") if k in cfg}}
        Hub.infos[hub_id] = json.dumps(info).encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(hub_id: str) -> dict:
    """accelerate's own create_empty_model and calculate_maximum_sizes, as gather_data calls them."""
    from accelerate.commands.estimate import create_empty_model
    from accelerate.utils import calculate_maximum_sizes
    from accelerate.utils.modeling import dtype_byte_size

    model = create_empty_model(hub_id, library_name=None)
    total_size, (largest_bytes, largest_names) = calculate_maximum_sizes(model)
    params = sum(p.numel() for p in model.parameters())
    return {
        "class": type(model).__name__,
        "parameters": params,
        "parameterBytes": sum(p.numel() * p.element_size() for p in model.parameters()),
        "parameterDtypes": sorted({str(p.dtype) for p in model.parameters()}),
        "buffers": [{"name": n, "shape": list(b.shape), "dtype": str(b.dtype), "bytes": b.numel() * b.element_size(),
                     # what calculate_maximum_sizes counts: dtype_byte_size gives a bool 1/8 byte
                     "accelerateBytes": b.numel() * dtype_byte_size(b.dtype)} for n, b in model.named_buffers()],
        "noSplitModules": list(getattr(model, "_no_split_modules", None) or []),
        "totalSizeBytes": total_size,
        "largestLayerBytes": largest_bytes,
        "largestLayerNames": largest_names,
    }


def run(out: Path, commits: dict[str, str]) -> None:
    cfgs = configs()
    server = start_hub(cfgs)
    # The Hub's address is fixed before anything imports huggingface_hub (it reads HF_ENDPOINT once).
    os.environ["HF_ENDPOINT"] = f"http://127.0.0.1:{server.server_address[1]}"
    os.environ["NO_PROXY"] = "127.0.0.1"
    import accelerate
    import huggingface_hub
    import torch
    import transformers

    env = dict(os.environ)
    cases = []
    try:
        for key, hub_id in MODELS.items():
            cmd = [sys.executable, "-m", "accelerate.commands.accelerate_cli", "estimate-memory", hub_id]
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if r.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stderr[-3000:]}")
            table = r.stdout[r.stdout.index("┌"):].rstrip("\n")
            rows = {}
            for line in table.splitlines():
                cells = [c.strip() for c in line.strip("│").split("│")]
                if len(cells) == 4 and cells[0] in ("float32", "float16", "int8", "int4"):
                    rows[cells[0]] = {"largestLayer": cells[1], "totalSize": cells[2], "trainingUsingAdam": cells[3]}
            cases.append({"model": key, "hubId": hub_id, "command": f"accelerate estimate-memory {hub_id}", "stdout": r.stdout,
                          "printed": rows, "measured": measure(hub_id)})
            print(f"{key}: {rows['float32']['totalSize']} (float32)", file=sys.stderr)
    finally:
        server.shutdown()
    result = {
        "tool": "accelerate",
        "repository": "huggingface/accelerate",
        "commit": commits["accelerate"],
        "versions": {"accelerate": accelerate.__version__, "transformers": transformers.__version__,
                     "huggingface_hub": huggingface_hub.__version__, "torch": torch.__version__, "python": sys.version.split()[0]},
        "commits": commits,
        "notes": [
            "Run as `accelerate estimate-memory <hub id>` (python -m accelerate.commands.accelerate_cli), unchanged, with every dtype it offers (its default).",
            "The Hugging Face Hub is a local server (HF_ENDPOINT on 127.0.0.1) serving each model's published config.json "
            "(src/engine/zoo/llm/) and its model info (library_name transformers; architectures and model_type as its config).",
            "safetensors and tokenizers (native packages) are stubs that only make transformers import: nothing on this path reads weights or tokenizes.",
            f"torch {torch.__version__} (Debian's python3-torch): this accelerate's setup.py asks for torch>=2.0 (the newest release that allows 1.13 is v1.2.1), "
            "and its estimate path runs on 1.13 unchanged. v1.2.1's estimate.py differs: it builds the model without torch_dtype=float32, "
            "so a config's torch_dtype (float16 for Llama-2) would halve its float32 row; the commit run is the one the profile cites.",
            "transformers: upstream main at the commit in `commits` (4.48.0.dev0, 2024-12-16), taken from a fork's history that holds upstream's commits "
            "up to it (the fork's own later commits not used); it imports and builds on torch 1.13. "
            "The buffers it registers (rotary inv_freq, Mixtral's cos/sin caches, GPT-2's causal masks) are that version's and are in the totals.",
            "measured: the same model built by accelerate's create_empty_model, summed by its calculate_maximum_sizes, in bytes before printing.",
        ],
        "hubRequests": sorted(set(Hub.log)),
        "cases": cases,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out}: {len(cases)} models", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", type=Path, required=True, help="folder with accelerate, transformers and huggingface_hub installed")
    ap.add_argument("--commit", action="append", default=[], metavar="PACKAGE=SHA",
                    help="the commit each package was installed from (accelerate=..., transformers=..., huggingface_hub=...)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    commits = dict(c.split("=", 1) for c in args.commit)
    if os.environ.get("RUN_ACCELERATE_CHILD") != "1":
        # Re-run under the site folder and the stubs, with the local Hub's address fixed before anything imports huggingface_hub.
        with tempfile.TemporaryDirectory(prefix="run-accelerate-") as tmp:
            stubs = Path(tmp) / "stubs"
            write_stubs(stubs)
            env = {**os.environ, "RUN_ACCELERATE_CHILD": "1", "PYTHONPATH": f"{args.site.resolve()}{os.pathsep}{stubs}",
                   "HF_HOME": str(Path(tmp) / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1"}
            env.pop("HF_HUB_OFFLINE", None)
            code = subprocess.run([sys.executable, *sys.argv], env=env).returncode
        raise SystemExit(code)
    run(args.out, commits)


if __name__ == "__main__":
    main()
