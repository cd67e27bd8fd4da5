/**
 * Errors that name where the problem is: the file (when there is one), the model, and the layer's
 * path, e.g. `resnet18 > layer2.0 > conv1: kernel 7 is larger than the padded input 5`.
 */

/** Longest piece of a user's text (a name) an error message quotes; longer ones are cut with its length. */
const QUOTED_CHARS = 60;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * User text as one line of an error message or a table: control characters and line breaks
 * escaped (`\n`), and cut to `max` characters with its length noted, so a name with a newline or
 * of 100 KB cannot break a message into lines or bury it.
 */
export function oneLine(text: string, max = Infinity): string {
  const escaped = text.replace(CONTROL, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** A user's value quoted in a message: `"conv 1"`, `3.5`, `[1,2]`, cut when long. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return oneLine(text, QUOTED_CHARS);
}

/** Raised by a layer kind's rules; the analyzer adds the model and the layer path. */
export class LayerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayerError';
  }
}

export class ModelError extends Error {
  readonly model: string;
  /** Layer names from the top of the model down; empty for an error about the whole model. */
  readonly layerPath: readonly string[];
  readonly detail: string;
  readonly file: string | undefined;

  constructor(model: string, layerPath: readonly string[], detail: string, file?: string) {
    super(ModelError.format(model, layerPath, detail, file));
    this.name = 'ModelError';
    this.model = model;
    this.layerPath = layerPath;
    this.detail = detail;
    this.file = file;
  }

  static format(model: string, layerPath: readonly string[], detail: string, file?: string): string {
    // One line whatever the names hold: each cut to QUOTED_CHARS and escaped.
    const where = [model, ...layerPath].map((n) => oneLine(n, QUOTED_CHARS)).join(' > ');
    return `${file ? `${oneLine(file)}: ` : ''}${where}: ${oneLine(detail)}`;
  }

  /** The same error, said of a file. */
  inFile(file: string): ModelError {
    return new ModelError(this.model, this.layerPath, this.detail, file);
  }
}
