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
