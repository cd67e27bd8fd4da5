"""The models every tool is run on, written once in PyTorch.

Each entry names the engine's definition of the same network: a built-in model (`zoo`) or a JSON
file under test/fixtures/peers/models/ (`json`), which test/engine/peers.test.ts reads. `input` is
the tensor the tools are given, batch included (one sample; a recurrent layer's batch is its second
dimension unless batch_first).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Recurrent(nn.Module):
    """An nn.LSTM or nn.GRU whose output sequence is the model's output (its states dropped)."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)[0]


class Attention(nn.Module):
    """nn.MultiheadAttention as self-attention, attn(x, x, x), as torchvision's ViT calls it."""

    def __init__(self, embed_dim, num_heads, need_weights, batch_first):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed_dim, num_heads, batch_first=batch_first)
        self.need_weights = need_weights

    def forward(self, x):
        return self.attn(x, x, x, need_weights=self.need_weights)[0]


class Decoder2d(nn.Module):
    """ConvTranspose2d (grouped, strided), PReLU per channel, Upsample nearest, a grouped conv,
    LeakyReLU, Upsample bilinear, F.interpolate (a function, not a module), PReLU, ConvTranspose2d."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(16, 32, 4, stride=2, padding=1, groups=2)
        self.act1 = nn.PReLU(32)
        self.up2 = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv = nn.Conv2d(32, 32, 3, padding=1, groups=4)
        self.act2 = nn.LeakyReLU(0.1)
        self.up3 = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.act3 = nn.PReLU()
        self.head = nn.ConvTranspose2d(32, 8, 3, padding=1, bias=False)

    def forward(self, x):
        x = self.up3(self.act2(self.conv(self.up2(self.act1(self.up1(x))))))
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        return self.head(self.act3(x))


def decoder_1d():
    return nn.Sequential(
        nn.ConvTranspose1d(8, 16, 3, stride=2, groups=2, bias=False),
        nn.PReLU(),
        nn.ConvTranspose1d(16, 4, 4, stride=2, padding=1),
        nn.Upsample(scale_factor=2, mode="nearest"),
        nn.LeakyReLU(),
    )


def separable_hardswish():
    """A depthwise separable block with GroupNorm and Hardswish, then a classifier."""
    return nn.Sequential(
        nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False),
        nn.GroupNorm(4, 16),
        nn.Hardswish(),
        nn.Conv2d(16, 32, 1, bias=False),
        nn.BatchNorm2d(32),
        nn.Hardswish(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(32, 10),
    )


class PadNarrow(nn.Module):
    """nn.ZeroPad2d (left, right, top, bottom), a conv, Hardsigmoid, x[:, :4] (a view, not a module), a classifier."""

    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((1, 2, 1, 2))
        self.conv = nn.Conv2d(3, 8, 3)
        self.gate = nn.Hardsigmoid()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(4 * 31 * 31, 10)

    def forward(self, x):
        x = self.gate(self.conv(self.pad(x)))
        return self.fc(self.flatten(x[:, :4]))


class DecoderSameChannels(nn.Module):
    """A grouped ConvTranspose2d with as many outputs as inputs, nn.Upsample and F.interpolate to a size, PReLU."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(16, 16, 3, stride=2, padding=1, output_padding=1, groups=4)
        self.up2 = nn.Upsample(size=(20, 20), mode="bilinear", align_corners=False)
        self.act = nn.PReLU(16)

    def forward(self, x):
        x = F.interpolate(self.up2(self.up1(x)), size=(40, 40), mode="nearest")
        return self.act(x)


def upsample_linear_1d():
    return nn.Sequential(nn.Upsample(scale_factor=3, mode="linear", align_corners=False), nn.ConvTranspose1d(4, 4, 2, stride=2), nn.LeakyReLU(0.2))


# Decoder-only language models as Hugging Face's eager code writes them (transformers' modeling_llama,
# modeling_mistral, modeling_mixtral, attn_implementation="eager"), on any torch: a custom RMSNorm
# module, four nn.Linear projections, repeat_kv, torch.matmul, F.softmax, the causal (and sliding
# window) mask added to the scores; rotary embeddings are left out (they have no parameters and the
# engine counts no work for them: a named convention, causal-attention.ts).


class LlamaRMSNorm(nn.Module):
    def __init__(self, hidden_size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)


def repeat_kv(hidden_states, n_rep):
    batch, num_key_value_heads, slen, head_dim = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = hidden_states[:, :, None, :, :].expand(batch, num_key_value_heads, n_rep, slen, head_dim)
    return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)


class LlamaAttention(nn.Module):
    """Eager attention: the scores of every (query, key) pair are computed, then masked (causal, and
    the sliding window when given) by adding -inf before the softmax."""

    def __init__(self, hidden, heads, kv_heads, tokens, window=None, qkv_bias=False, past=0):
        super().__init__()
        self.head_dim = hidden // heads
        self.heads, self.kv_heads = heads, kv_heads
        self.scaling = self.head_dim**-0.5
        # Qwen2Attention: q, k and v with biases, o without.
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=qkv_bias)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=qkv_bias)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=qkv_bias)
        self.o_proj = nn.Linear(heads * self.head_dim, hidden, bias=False)
        # Queries at positions past … past + tokens − 1, keys at 0 … past + tokens − 1 (the cache's and the new).
        q = torch.arange(past, past + tokens)[:, None]
        k = torch.arange(past + tokens)[None, :]
        masked = k > q
        if window is not None:
            masked = masked | (q - k >= window)
        self.register_buffer("causal_mask", torch.zeros(tokens, past + tokens).masked_fill(masked, float("-inf"))[None, None])
        # A KV cache holding `past` tokens' keys and values (DynamicCache.update: the new ones are appended).
        self.register_buffer("past_key", torch.rand(1, kv_heads, past, self.head_dim))
        self.register_buffer("past_value", torch.rand(1, kv_heads, past, self.head_dim))

    def forward(self, hidden_states):
        b, q_len, _ = hidden_states.shape
        shape = (b, q_len, -1, self.head_dim)
        query_states = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        key_states = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        key_states = torch.cat([self.past_key, key_states], dim=-2)
        value_states = torch.cat([self.past_value, value_states], dim=-2)
        key_states = repeat_kv(key_states, self.heads // self.kv_heads)
        value_states = repeat_kv(value_states, self.heads // self.kv_heads)
        attn_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * self.scaling
        attn_weights = attn_weights + self.causal_mask[:, :, :, : key_states.shape[-2]]
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query_states.dtype)
        attn_output = torch.matmul(attn_weights, value_states)
        attn_output = attn_output.transpose(1, 2).contiguous().reshape(b, q_len, -1)
        return self.o_proj(attn_output)


class LlamaMLP(nn.Module):
    def __init__(self, hidden, intermediate):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, intermediate, bias=False)
        self.up_proj = nn.Linear(hidden, intermediate, bias=False)
        self.down_proj = nn.Linear(intermediate, hidden, bias=False)
        self.act_fn = nn.SiLU()  # transformers' ACT2FN["silu"]

    def forward(self, x):
        return self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))


class MixtralBlockSparseTop2MLP(nn.Module):
    def __init__(self, hidden, intermediate):
        super().__init__()
        self.w1 = nn.Linear(hidden, intermediate, bias=False)
        self.w2 = nn.Linear(intermediate, hidden, bias=False)
        self.w3 = nn.Linear(hidden, intermediate, bias=False)
        self.act_fn = nn.SiLU()

    def forward(self, hidden_states):
        return self.w2(self.act_fn(self.w1(hidden_states)) * self.w3(hidden_states))


class MixtralSparseMoeBlock(nn.Module):
    """The router (gate), softmax, top-k, renormalised weights, and each expert hit on its tokens."""

    def __init__(self, hidden, intermediate, experts, top_k):
        super().__init__()
        self.num_experts, self.top_k = experts, top_k
        self.gate = nn.Linear(hidden, experts, bias=False)
        self.experts = nn.ModuleList([MixtralBlockSparseTop2MLP(hidden, intermediate) for _ in range(experts)])

    def forward(self, hidden_states):
        batch_size, sequence_length, hidden_dim = hidden_states.shape
        hidden_states = hidden_states.view(-1, hidden_dim)
        router_logits = self.gate(hidden_states)
        routing_weights = F.softmax(router_logits, dim=1, dtype=torch.float)
        routing_weights, selected_experts = torch.topk(routing_weights, self.top_k, dim=-1)
        routing_weights /= routing_weights.sum(dim=-1, keepdim=True)
        routing_weights = routing_weights.to(hidden_states.dtype)
        final_hidden_states = torch.zeros((batch_size * sequence_length, hidden_dim), dtype=hidden_states.dtype)
        expert_mask = F.one_hot(selected_experts, num_classes=self.num_experts).permute(2, 1, 0)
        # Only the experts some token was sent to run (transformers 4.54 on: expert_hit).
        expert_hit = torch.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero()
        for expert_idx in expert_hit:
            expert_layer = self.experts[expert_idx]
            idx, top_x = torch.where(expert_mask[expert_idx].squeeze(0))
            current_state = hidden_states[None, top_x].reshape(-1, hidden_dim)
            current_hidden_states = expert_layer(current_state) * routing_weights[top_x, idx, None]
            final_hidden_states.index_add_(0, top_x, current_hidden_states.to(hidden_states.dtype))
        return final_hidden_states.reshape(batch_size, sequence_length, hidden_dim)


class DecoderLayer(nn.Module):
    def __init__(self, hidden, heads, kv_heads, tokens, window, mlp, qkv_bias, past):
        super().__init__()
        self.input_layernorm = LlamaRMSNorm(hidden)
        self.self_attn = LlamaAttention(hidden, heads, kv_heads, tokens, window, qkv_bias, past)
        self.post_attention_layernorm = LlamaRMSNorm(hidden)
        self.mlp = mlp

    def forward(self, hidden_states):
        hidden_states = hidden_states + self.self_attn(self.input_layernorm(hidden_states))
        return hidden_states + self.mlp(self.post_attention_layernorm(hidden_states))


class CausalLM(nn.Module):
    """LlamaForCausalLM (MistralForCausalLM, MixtralForCausalLM, Qwen2ForCausalLM): embed_tokens, the layers, norm,
    lm_head over every position; tie_word_embeddings shares embed_tokens.weight with lm_head."""

    def __init__(self, vocab=128, hidden=64, layers=2, heads=4, kv_heads=2, tokens=16, window=None, intermediate=96, moe=None, tied=False, qkv_bias=False, past=0):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)

        def mlp():
            return MixtralSparseMoeBlock(hidden, intermediate, *moe) if moe else LlamaMLP(hidden, intermediate)

        self.layers = nn.ModuleList([DecoderLayer(hidden, heads, kv_heads, tokens, window, mlp(), qkv_bias, past) for _ in range(layers)])
        self.norm = LlamaRMSNorm(hidden)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)
        if tied:
            self.lm_head.weight = self.embed_tokens.weight

    def forward(self, input_ids):
        hidden_states = self.embed_tokens(input_ids)
        for layer in self.layers:
            hidden_states = layer(hidden_states)
        return self.lm_head(self.norm(hidden_states))


def torchvision_model(name):
    def build():
        import torchvision

        return getattr(torchvision.models, name)(weights=None)

    return build


# name: (build, input shape with the batch, the engine's model)
MODELS = {
    "alexnet": (torchvision_model("alexnet"), (1, 3, 224, 224), {"zoo": "alexnet"}),
    "vgg16": (torchvision_model("vgg16"), (1, 3, 224, 224), {"zoo": "vgg16"}),
    "resnet18": (torchvision_model("resnet18"), (1, 3, 224, 224), {"zoo": "resnet18"}),
    "resnet50": (torchvision_model("resnet50"), (1, 3, 224, 224), {"zoo": "resnet50"}),
    "mobilenet-v2": (torchvision_model("mobilenet_v2"), (1, 3, 224, 224), {"zoo": "mobilenet-v2"}),
    "mobilenet-v3-small": (torchvision_model("mobilenet_v3_small"), (1, 3, 224, 224), {"zoo": "mobilenet-v3-small"}),
    "efficientnet-b0": (torchvision_model("efficientnet_b0"), (1, 3, 224, 224), {"zoo": "efficientnet-b0"}),
    "vit-b-16": (torchvision_model("vit_b_16"), (1, 3, 224, 224), {"zoo": "vit-b-16"}),
    "lstm-1": (lambda: Recurrent(nn.LSTM(10, 20)), (5, 1, 10), {"json": "lstm-1.json"}),
    "lstm-2": (lambda: Recurrent(nn.LSTM(10, 20, 2)), (5, 1, 10), {"json": "lstm-2.json"}),
    "lstm-1-bidirectional": (lambda: Recurrent(nn.LSTM(10, 20, bidirectional=True)), (5, 1, 10), {"json": "lstm-1-bidirectional.json"}),
    "lstm-2-bidirectional-batch-first": (
        lambda: Recurrent(nn.LSTM(10, 20, 2, batch_first=True, bidirectional=True)),
        (1, 5, 10),
        {"json": "lstm-2-bidirectional-batch-first.json"},
    ),
    "gru-1-batch-first": (lambda: Recurrent(nn.GRU(10, 20, batch_first=True)), (1, 5, 10), {"json": "gru-1-batch-first.json"}),
    "gru-2": (lambda: Recurrent(nn.GRU(10, 20, 2)), (5, 1, 10), {"json": "gru-2.json"}),
    "gru-2-bidirectional": (lambda: Recurrent(nn.GRU(10, 20, 2, bidirectional=True)), (5, 1, 10), {"json": "gru-2-bidirectional.json"}),
    "decoder-2d": (Decoder2d, (1, 16, 8, 8), {"json": "decoder-2d.json"}),
    "decoder-1d": (decoder_1d, (1, 8, 16), {"json": "decoder-1d.json"}),
    "separable-hardswish": (separable_hardswish, (1, 16, 32, 32), {"json": "separable-hardswish.json"}),
    "mha-need-weights": (lambda: Attention(64, 4, need_weights=True, batch_first=False), (10, 1, 64), {"json": "mha-need-weights.json"}),
    "mha-no-weights": (lambda: Attention(64, 4, need_weights=False, batch_first=True), (1, 10, 64), {"json": "mha-no-weights.json"}),
    "pad-narrow": (PadNarrow, (1, 3, 30, 30), {"json": "pad-narrow.json"}),
    "lstm-no-bias-batch-first": (
        lambda: Recurrent(nn.LSTM(10, 20, bias=False, batch_first=True)),
        (1, 5, 10),
        {"json": "lstm-no-bias-batch-first.json"},
    ),
    "gru-2-no-bias": (lambda: Recurrent(nn.GRU(10, 20, 2, bias=False)), (5, 1, 10), {"json": "gru-2-no-bias.json"}),
    "decoder-same-channels": (DecoderSameChannels, (1, 16, 8, 8), {"json": "decoder-same-channels.json"}),
    "upsample-linear-1d": (upsample_linear_1d, (1, 4, 10), {"json": "upsample-linear-1d.json"}),
    # Language models on 16 token ids (vocabulary 128, hidden 64, 4 query heads of 16, 2 layers).
    "llama-gqa-tied": (lambda: CausalLM(kv_heads=2, tied=True), (1, 16), {"json": "llama-gqa-tied.json", "ids": 128}),
    "llama-mqa-untied": (lambda: CausalLM(kv_heads=1), (1, 16), {"json": "llama-mqa-untied.json", "ids": 128}),
    "mistral-window": (lambda: CausalLM(kv_heads=2, window=6), (1, 16), {"json": "mistral-window.json", "ids": 128}),
    "mixtral-moe": (lambda: CausalLM(kv_heads=2, intermediate=32, moe=(4, 2)), (1, 16), {"json": "mixtral-moe.json", "ids": 128}),
    # One token: 2 of the 4 experts run, the other two are never called.
    "mixtral-one-token": (lambda: CausalLM(kv_heads=2, tokens=1, intermediate=32, moe=(4, 2)), (1, 1), {"json": "mixtral-one-token.json", "ids": 128}),
    # One decode step after 20 cached tokens: the new token's query against all 21 keys, the window keeping 6.
    "mistral-decode": (lambda: CausalLM(kv_heads=2, tokens=1, past=20, window=6), (1, 1), {"json": "mistral-decode.json", "ids": 128}),
    "qwen2-qkv-bias-tied": (lambda: CausalLM(kv_heads=2, tied=True, qkv_bias=True), (1, 16), {"json": "qwen2-qkv-bias-tied.json", "ids": 128}),
}


def build(name):
    make, shape, engine = MODELS[name]
    torch.manual_seed(0)
    model = make().eval()
    # A language model's input is token ids below its vocabulary (`ids`).
    return model, torch.randint(engine["ids"], shape) if "ids" in engine else torch.rand(*shape)
