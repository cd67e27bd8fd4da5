"""How each counting tool is called, and the figures it gives back.

Each function takes a model (in eval mode) and its input tensor and returns a dict: the tool's
count as the integer its API returns (`count`), what it prints (`printed`, in its own format) and
any figure beside it (parameters, torchinfo's sizes). The tools are imported from the sources given
to run.py, one tool per Python process (two versions of thop share a package name).
"""

import contextlib
import io
import os
import sys
import types


def _quiet():
    return contextlib.redirect_stdout(io.StringIO())


def thop(model, x):
    from thop import clever_format, profile

    with _quiet():
        macs, params = profile(model, inputs=(x,), verbose=False)
    return {"count": int(macs), "params": int(params), "printed": " ".join(clever_format([macs, params], "%.3f"))}


def thop_0_0_31(model, x):
    import collections
    import collections.abc

    # thop 0.0.31 imports collections.Iterable, which Python 3.10 moved to collections.abc.
    collections.Iterable = collections.abc.Iterable
    from thop import profile

    with _quiet():
        macs, params = profile(model, inputs=(x,), verbose=False)
    return {"count": int(macs), "params": int(params)}


def _ptflops(model, x, backend):
    from ptflops import get_model_complexity_info
    from ptflops.utils import flops_to_string

    with _quiet():
        macs, params = get_model_complexity_info(
            model, tuple(x.shape[1:]), input_constructor=lambda _: x, as_strings=False, print_per_layer_stat=False, backend=backend
        )
    if macs is None:
        raise RuntimeError("ptflops returned None (the model raised inside it)")
    # ptflops averages its module hooks over the batch: a figure that need not be a whole number.
    return {"count": macs if macs != int(macs) else int(macs), "params": int(params), "printed": flops_to_string(macs)}


def ptflops(model, x):
    return _ptflops(model, x, "pytorch")


def ptflops_aten(model, x):
    return _ptflops(model, x, "aten")


def torchprofile(model, x):
    from torchprofile import profile_macs

    by_node = profile_macs(model, x, reduction=None)
    by_operator = {}
    for node, macs in by_node.items():
        by_operator[node.operator] = by_operator.get(node.operator, 0) + int(macs)
    return {"count": sum(by_operator.values()), "by_operator": dict(sorted(by_operator.items()))}


def _stub(name, **attrs):
    """A module the tool imports but never uses on this path, stood in for when it is not installed."""
    try:
        __import__(name)
    except ImportError:
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m


def _package_without_init(name):
    """The package's modules without its __init__.py (calflops' imports transformers and accelerate
    for its Hugging Face helpers, which the plain-PyTorch path never calls)."""
    import importlib.util

    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    m = types.ModuleType(name)
    m.__path__ = list(spec.submodule_search_locations)
    sys.modules[name] = m


def fvcore(model, x):
    _stub("aiofiles")  # iopath's async file I/O, never called by the flop counter
    from fvcore.nn import FlopCountAnalysis

    analysis = FlopCountAnalysis(model, x)
    analysis.unsupported_ops_warnings(False)
    analysis.uncalled_modules_warnings(False)
    total = analysis.total()
    return {"count": int(total), "unsupported": dict(sorted(analysis.unsupported_ops().items())), "by_operator": dict(sorted(analysis.by_operator().items()))}


def torchinfo(model, x):
    from torchinfo import summary

    stats = summary(model, input_data=x, verbose=0)
    lines = [line for line in str(stats).splitlines() if line.startswith(("Total", "Input size", "Forward/backward", "Params size", "Estimated"))]
    return {
        "count": int(stats.total_mult_adds),
        "params": int(stats.total_params),
        "inputBytes": int(stats.total_input),
        "forwardBackwardBytes": int(stats.total_output_bytes),
        "paramBytes": int(stats.total_param_bytes),
        "printed": lines,
    }


def calflops(model, x):
    _package_without_init("calflops")
    from calflops.flops_counter import calculate_flops

    with _quiet():
        flops, macs, params = calculate_flops(model, args=[x], print_results=False, print_detailed=False, output_as_string=False)
    return {"count": int(flops), "macs": int(macs), "params": int(params)}


def _deepspeed_stubs():
    """DeepSpeed's profiler.py imports a few modules of its package it barely uses (the accelerator,
    the logger, MoE, the timers) and einops; only they are stood in for, the profiler is DeepSpeed's."""
    import logging

    import torch

    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        m.__path__ = []
        sys.modules[name] = m
        return m

    class Accelerator:
        def synchronize(self):
            pass

        def device_name(self):
            return "cpu"

    def required_torch_version(min_version=None, max_version=None):
        version = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2])
        as_tuple = lambda v: tuple(int(p) for p in str(v).split(".")[:2])
        return (min_version is None or version >= as_tuple(min_version)) and (max_version is None or version <= as_tuple(max_version))

    class MoE(torch.nn.Module):
        pass

    module("deepspeed")
    module("deepspeed.accelerator", get_accelerator=lambda: Accelerator())
    module("deepspeed.utils", logger=logging.getLogger("deepspeed"))
    module("deepspeed.utils.timer", FORWARD_GLOBAL_TIMER="fwd", BACKWARD_GLOBAL_TIMER="bwd", STEP_GLOBAL_TIMER="step")
    module("deepspeed.utils.torch", required_torch_version=required_torch_version)
    module("deepspeed.moe")
    module("deepspeed.moe.layer", MoE=MoE)
    try:
        import einops  # noqa: F401
    except ImportError:
        module("einops", einsum=lambda *args, **kwargs: None)


def deepspeed(model, x):
    import importlib.util

    _deepspeed_stubs()
    path = os.path.join(os.environ["PEER_SOURCE"], "deepspeed", "profiling", "flops_profiler", "profiler.py")
    spec = importlib.util.spec_from_file_location("deepspeed_flops_profiler", path)
    profiler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(profiler)
    with _quiet():
        flops, macs, params = profiler.get_model_profile(model, args=[x], print_profile=False, as_string=False)
    return {"count": int(flops), "macs": int(macs), "params": int(params)}


# tool: (function, the source folder's name under --sources, its folder to put on sys.path)
TOOLS = {
    "thop": (thop, "ultralytics+thop", "."),
    "thop-0.0.31": (thop_0_0_31, "thop-0.0.31", "."),
    "ptflops": (ptflops, "sovrasov+flops-counter.pytorch", "."),
    "ptflops-aten": (ptflops_aten, "sovrasov+flops-counter.pytorch", "."),
    "torchprofile": (torchprofile, "zhijian-liu+torchprofile", "."),
    "fvcore": (fvcore, "facebookresearch+fvcore", "."),
    "torchinfo": (torchinfo, "TylerYep+torchinfo", "."),
    "torchinfo-1.8.0": (torchinfo, "torchinfo-1.8.0", "."),
    "calflops": (calflops, "MrYxJ+calculate-flops.pytorch", "."),
    "deepspeed": (deepspeed, "microsoft+DeepSpeed", None),
}
# fvcore imports iopath (fvcore.common.file_io); it comes from its own repository.
EXTRA_PATHS = {"fvcore": ["facebookresearch+iopath"]}
