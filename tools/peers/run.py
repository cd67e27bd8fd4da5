"""Runs every counting tool on every model of models.py and writes what each one gives back.

    /usr/bin/python3 tools/peers/run.py --sources /tmp/peers/src --out test/fixtures/peers/figures.json

`--sources` holds one folder per tool, named as in tools.TOOLS (a checkout, or `git archive` of one
with its commit in a file COMMIT). Each tool runs in a process of its own; a model it fails on is
recorded with the error instead of a figure. See README.md.
"""

import argparse
import json
import os
import subprocess
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ beside the harness in the repository

HERE = os.path.dirname(os.path.abspath(__file__))
FRESH_PROCESS = {"ptflops", "ptflops-aten"}


def commit_of(folder):
    path = os.path.join(folder, "COMMIT")
    if os.path.exists(path):
        return open(path).read().strip()
    try:
        return subprocess.check_output(["git", "-C", folder, "rev-parse", "HEAD"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def run_one(tool, sources, models):
    """In the tool's own process: each model's figures, or its error."""
    import torch
    import warnings

    warnings.filterwarnings("ignore")
    sys.path.insert(0, HERE)
    from models import build
    from tools import TOOLS

    fn, folder, _ = TOOLS[tool]
    os.environ["PEER_SOURCE"] = os.path.join(sources, folder)
    torch.set_num_threads(1)
    out = {}
    for name in models:
        model, x = build(name)
        try:
            figures = fn(model, x)  # each tool as it runs a model (some under torch.no_grad())
        except Exception as error:  # noqa: BLE001: the error is the figure recorded
            figures = {"error": f"{type(error).__name__}: {error}".splitlines()[0][:400], "trace": traceback.format_exc().splitlines()[-3:]}
        out[name] = figures
        print(f"{tool} {name}: {figures.get('count', figures.get('error'))}", file=sys.stderr)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", required=True, help="folder with one source folder per tool")
    parser.add_argument("--out", default=os.path.join(HERE, "..", "..", "test", "fixtures", "peers", "figures.json"))
    parser.add_argument("--tools", nargs="*", help="only these tools (default: all)")
    parser.add_argument("--models", nargs="*", help="only these models (default: all)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, HERE)
    from models import MODELS
    from tools import EXTRA_PATHS, TOOLS

    models = args.models or list(MODELS)
    if args.one:
        json.dump(run_one(args.one, args.sources, models), sys.stdout)
        return

    import torch
    import torchvision

    previous = json.load(open(args.out)) if os.path.exists(args.out) else {}
    result = {
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "python": sys.version.split()[0],
        "batch": 1,
        "tools": previous.get("tools", {}),
        "models": {name: {"input": list(MODELS[name][1]), **MODELS[name][2]} for name in MODELS},
        "figures": previous.get("figures", {}),
    }
    for tool in args.tools or list(TOOLS):
        _, folder, sub = TOOLS[tool]
        root = os.path.join(args.sources, folder)
        paths = [os.path.join(root, sub)] if sub else []
        paths += [os.path.join(args.sources, extra) for extra in EXTRA_PATHS.get(tool, [])]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), PYTHONDONTWRITEBYTECODE="1")
        # ptflops leaves torch.mul and torch.add patched after a run (unpatch_tensor_ops skips them):
        # a second model in the same process would be counted through two wrappers.
        batches = [[name] for name in models] if tool in FRESH_PROCESS else [models]
        for batch in batches:
            proc = subprocess.run(
                [sys.executable, __file__, "--sources", args.sources, "--one", tool, "--models", *batch], env=env, capture_output=True, text=True
            )
            sys.stderr.write(proc.stderr[-2000:])
            if proc.returncode != 0:
                raise SystemExit(f"{tool}: the run failed")
            for name, figure in json.loads(proc.stdout).items():
                result["figures"].setdefault(name, {})[tool] = figure
        result["tools"][tool] = {"source": folder, "commit": commit_of(root)}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
