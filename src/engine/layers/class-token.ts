/**
 * ClassToken: learned tokens put before the sequence, as ViT's class token. torchvision's
 * VisionTransformer holds `class_token = nn.Parameter(torch.zeros(1, 1, hidden_dim))` and writes
 * `torch.cat([self.class_token.expand(n, -1, -1), x], dim=1)` in its forward: no module, no
 * work, a new tensor (the concatenation copies). Its parameters are the tokens, n × E
 * (`parameters()` lists `class_token`); they count as weights.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { mul, variable, ZERO } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import { size } from './common.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({
  /** How many learned tokens are prepended: 1 for ViT's class token. */
  tokens: z._default(size(), 1),
});
export type ClassTokenArgs = z.output<typeof schema>;

export const classToken: LayerKind<ClassTokenArgs> = {
  type: 'ClassToken',
  summary: 'Learned tokens put before the sequence (ViT\'s class token, torch.cat([cls, x], dim=1)): n × E parameters, no MACs.',
  schema,
  inPlace: false,
  label: (args, input) => `ClassToken(${args.tokens}×${input[input.length - 1]})`,

  // (L, E) -> (n + L, E)
  outputShape(args, input) {
    if (input.length !== 2) throw new LayerError(`ClassToken needs an input of shape L×E (tokens × embedding, per sample), got ${formatShape(input)}`);
    return [args.tokens + input[0]!, input[1]!];
  },

  // weights n E; no MACs
  counts(args, input) {
    const n = variable('n', args.tokens, 'learned tokens');
    const E = variable('E', input[1]!, 'embedding size');
    return { weights: args.tokens === 1 ? E : mul(n, E), biases: ZERO, macs: ZERO };
  },
};
