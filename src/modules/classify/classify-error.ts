/**
 * The one error type of the classifier module. `code` is stable so callers (HTTP routes, the CLI) can map it to a
 * status or exit code; `message` is written for the person who supplied the data or the file.
 */
export type ClassifyErrorCode =
  /** A labeled data file could not be read or a row in it is unusable. */
  | 'INPUT_FILE'
  /** The examples given to training cannot produce a model. */
  | 'TRAINING_DATA'
  /** Options for training, prediction or file reading failed validation. */
  | 'INVALID_OPTIONS'
  /** Bytes given to deserializeModel are not a model this version can read. */
  | 'MODEL_FORMAT'
  /** Training in a worker thread failed or was aborted. */
  | 'WORKER';

/** Error thrown by the classifier module; `code` says what kind, `file`/`line` where when known. */
export class ClassifyError extends Error {
  readonly code: ClassifyErrorCode;
  /** The file at fault, for INPUT_FILE. */
  readonly file: string | undefined;
  /** The 1-based line at fault, when one is known. */
  readonly line: number | undefined;

  constructor(code: ClassifyErrorCode, message: string, details: { file?: string; line?: number } = {}) {
    super(message);
    this.name = 'ClassifyError';
    this.code = code;
    this.file = details.file;
    this.line = details.line;
  }
}
