/**
 * Errors that name where the problem is: the file (when there is one), the model, and the layer's
 * path, e.g. `resnet18 > layer2.0 > conv1: kernel 7 is larger than the padded input 5`.
 */

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
    const where = [model, ...layerPath].join(' > ');
    return `${file ? `${file}: ` : ''}${where}: ${detail}`;
  }

  /** The same error, said of a file. */
  inFile(file: string): ModelError {
    return new ModelError(this.model, this.layerPath, this.detail, file);
  }
}
