/** Base of every configuration error. */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** The environment cannot run the function; `problems` holds one line per wrong variable. */
export class InvalidConfigError extends ConfigError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(problems.join('\n'), options);
    this.name = 'InvalidConfigError';
    this.problems = problems;
  }
}
