/**
 * Input the tool cannot use: the CLI prints the message on one line and exits 2.
 * Messages name the file (or blob) and what is wrong with it.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A configuration or usage problem: also exit 2, reported the same way. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * A fault of fathom's own (a bug, not the input's), caught where the input is known: its message names the file and
 * the member being read, so a report of it says what to reproduce it with. The original error is its cause.
 */
export class InternalError extends Error {
  override readonly name = 'InternalError';

  constructor(where: string, cause: unknown) {
    super(`${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    if (cause instanceof Error && cause.stack) this.stack = `${this.name}: ${this.message}\n  caused by ${cause.stack}`;
  }
}

/** Rethrow `err`: fathom's own errors as they are, anything else as an InternalError naming `where`. */
export function rethrowAt(where: string, err: unknown): never {
  if (err instanceof InputError || err instanceof ConfigError || err instanceof InternalError) throw err;
  throw new InternalError(where, err);
}
