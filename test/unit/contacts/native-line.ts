import type { RawContact } from '../../../functions/contacts/contact.js';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from '../../../functions/contacts/options.js';

/** Engine options for tests: the defaults, aimed at `campaign`. */
export function optionsFor(
  campaign: string,
  overrides: Partial<EngineOptions> = {},
): EngineOptions {
  return { ...DEFAULT_ENGINE_OPTIONS, campaign, sourceName: 'contacts.txt', ...overrides };
}

/** Splits a native line the way uContact does (`;`, then `:` and the first `=`), no quoting. */
export function rawFromLine(line: string, lineNumber = 1): RawContact {
  const fields = line.split(';');
  const [
    campaign = '',
    main = '',
    variables = '',
    alternates = '',
    priority = '',
    agentphone = '',
  ] = fields;
  return {
    line: lineNumber,
    campaign,
    main,
    variables:
      variables === ''
        ? []
        : variables.split(':').map((pair) => {
            const at = pair.indexOf('=');
            return at < 0 ? [pair, undefined] : [pair.slice(0, at), pair.slice(at + 1)];
          }),
    alternates: alternates === '' ? [] : alternates.split(':'),
    priority,
    agentphone,
    fieldCount: fields.length,
    sourceText: line,
  };
}

/** A record with every field given; fields not named are empty. */
export function raw(fields: Partial<RawContact>): RawContact {
  return {
    line: 1,
    campaign: '',
    main: '',
    variables: [],
    alternates: [],
    priority: '',
    agentphone: '',
    fieldCount: 6,
    ...fields,
  };
}
