/**
 * Recurrent layers: LSTM (4 gates) and GRU (3 gates), stacked and optionally bidirectional.
 * PyTorch: nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0,
 * bidirectional=False, proj_size=0); nn.GRU likewise without proj_size. Per sample the input is
 * (L, input_size) and the output (L, D · hidden_size), D = 2 when bidirectional.
 *
 * With G gates, hidden size h, D directions and layer input i_l (i_0 = input_size, later D h):
 * weights Σ_l D G h (i_l + h) (weight_ih and weight_hh); biases 2 D G h per layer (bias_ih and
 * bias_hh, as PyTorch keeps both); MACs L × the weights: every weight is used once per time step
 * in the gates' matrix-vector products (the gates' elementwise products are not MACs).
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { add, mul, num, sub, variable, ZERO, type Expr } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import { size } from './common.ts';
import type { LayerKind, Work } from './kind.ts';

const common = {
  input_size: z.optional(size()),
  hidden_size: size(),
  num_layers: z._default(size(), 1),
  bias: z._default(z.boolean(), true),
  batch_first: z._default(z.boolean(), false),
  dropout: z._default(z.number().check(z.gte(0), z.lte(1)), 0),
  bidirectional: z._default(z.boolean(), false),
};
const lstmSchema = z.strictObject({ ...common, proj_size: z._default(z.literal(0), 0) });
const gruSchema = z.strictObject(common);
export type LSTMArgs = z.output<typeof lstmSchema>;
export type GRUArgs = z.output<typeof gruSchema>;

function recurrentKind<A extends GRUArgs>(type: 'LSTM' | 'GRU', gates: number, schema: z.ZodMiniType<A>): LayerKind<A> {
  return {
    type,
    summary:
      type === 'LSTM'
        ? 'Long short-term memory: per time step, 4 gates from the input and the previous hidden state.'
        : 'Gated recurrent unit: per time step, 3 gates from the input and the previous hidden state.',
    schema,
    inPlace: false,
    label: (args, input) => `${type}(${input[input.length - 1]}, ${args.hidden_size}${args.num_layers > 1 ? `, num_layers=${args.num_layers}` : ''}${args.bidirectional ? ', bidirectional=True' : ''})`,

    // (L, H_in) -> (L, D · H)
    outputShape(args, input) {
      if (input.length !== 2) throw new LayerError(`${type} needs an input of shape L×H_in (per sample: time steps × features), got ${formatShape(input)}`);
      if (args.input_size !== undefined && args.input_size !== input[1]) {
        throw new LayerError(`input_size is ${args.input_size} but the incoming shape ${formatShape(input)} has ${input[1]} features`);
      }
      return [input[0]!, (args.bidirectional ? 2 : 1) * args.hidden_size];
    },

    counts(args, input) {
      const g = variable('G', gates, 'gates');
      const h = variable('h', args.hidden_size, 'hidden size');
      const i = variable('i', input[1]!, 'input size');
      const d = variable('D', args.bidirectional ? 2 : 1, 'directions');
      const layers = variable('n', args.num_layers, 'layers');
      const steps = variable('L', input[0]!, 'time steps');
      // First layer reads the input; each later one reads the D h outputs below it.
      const dirs = args.bidirectional ? [d] : [];
      const firstLength = add(i, h);
      const laterLength = add(args.bidirectional ? mul(d, h) : h, h);
      const laterLayers = args.num_layers === 2 ? [] : [sub(layers, num(1))];
      const first = mul(...dirs, g, h, firstLength);
      const later = args.num_layers === 1 ? undefined : mul(...laterLayers, ...dirs, g, h, laterLength);
      const weights: Expr = later ? add(first, later) : first;
      const biases: Expr = !args.bias ? ZERO : mul(...(args.num_layers > 1 ? [layers] : []), ...dirs, num(2), g, h);
      const work: Work[] = [{ op: 'dot', what: 'gate matrix-vector products, first layer', outputs: mul(steps, ...dirs, g, h), length: firstLength, bias: args.bias, module: true }];
      if (later) work.push({ op: 'dot', what: 'gate matrix-vector products, later layers', outputs: mul(steps, ...laterLayers, ...dirs, g, h), length: laterLength, bias: args.bias, module: true });
      return { weights, biases, macs: mul(steps, weights), work };
    },
  };
}

export const lstm = recurrentKind('LSTM', 4, lstmSchema as unknown as z.ZodMiniType<LSTMArgs>);
export const gru = recurrentKind('GRU', 3, gruSchema);
