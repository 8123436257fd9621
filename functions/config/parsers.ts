import { CampaignSuffix, isCampaignSuffixSetting } from '../contacts/campaign-name.js';
import { parseBaseUrl } from '../ucontact/base-url.js';
import { InvalidBaseUrlError } from '../ucontact/errors.js';

/** A value read from the environment, or what is wrong with it (the text after the variable's name). */
export type Parsed<T> = { readonly value: T } | { readonly problem: string };

/**
 * Turns one variable's text into its value. `fallback` is the setting's default as written in the
 * environment, so a message can show it as the example. Never throws.
 */
export type Parser<T> = (raw: string, fallback: string | undefined) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ value });

/**
 * Checks a uContact base URL with the client's own rule (https, plain http only on loopback; no
 * credentials, query or fragment). Returns the URL ending in `/`, or a sentence that never
 * repeats the value.
 */
export function checkBaseUrl(value: string): { url: string } | { problem: string } {
  try {
    return { url: parseBaseUrl(value).href };
  } catch (error) {
    if (error instanceof InvalidBaseUrlError) return { problem: error.message };
    throw error;
  }
}

/** The uContact base URL, ending in `/`. */
export const baseUrl: Parser<string> = (raw) => {
  const checked = checkBaseUrl(raw);
  return 'url' in checked ? ok(checked.url) : { problem: `is unusable: ${checked.problem}` };
};

/** Any text, as given. */
export const verbatim: Parser<string> = (raw) => ok(raw);

/** Any text, without surrounding spaces. */
export const trimmed: Parser<string> = (raw) => ok(raw.trim());

/** A path under the base URL, without leading slashes; never a URL, a query or a way up. */
export const relativePath: Parser<string> = (raw, fallback) => {
  const path = raw.trim().replace(/^\/+/, '');
  if (!path || path.includes('..') || /[?#\s]|:\/\//.test(path)) {
    return { problem: `must be a path like '${fallback}'` };
  }
  return ok(path);
};

/** An S3 key prefix, given the `/` it may lack. */
export const keyPrefix: Parser<string> = (raw, fallback) => {
  if (raw.startsWith('/') || raw.trim() !== raw || raw.trim() === '/') {
    return { problem: `must be a key prefix like '${fallback}' (no leading '/' or spaces)` };
  }
  return ok(raw.endsWith('/') ? raw : `${raw}/`);
};

/** A whole number from `min` to `max`. */
export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    return Number.isSafeInteger(value) && value >= min && value <= max
      ? ok(value)
      : { problem: `must be a whole number from ${min} to ${max}` };
  };
}

/** One of `values`; with `ignoreCase`, in any case, given back as listed. */
export function oneOf<const T extends string>(
  values: readonly T[],
  { ignoreCase = false } = {},
): Parser<T> {
  return (raw) => {
    const found = values.find((value) =>
      ignoreCase ? value.toUpperCase() === raw.toUpperCase() : value === raw,
    );
    return found === undefined ? { problem: `must be one of ${values.join(', ')}` } : ok(found);
  };
}

/** A dialer suffix appended to campaign folder names, or '' for none. */
export const campaignSuffix: Parser<CampaignSuffix | ''> = (raw) =>
  isCampaignSuffixSetting(raw)
    ? ok(raw)
    : {
        problem: `must be '${CampaignSuffix.PowerOrPredictive}' (Power and Predictive campaigns), '${CampaignSuffix.ProgressiveOrPreview}' (Progressive and Preview) or empty`,
      };

/** An http(s) endpoint of a local stand-in for an AWS service. */
export const localEndpoint: Parser<string> = (raw) => {
  const url = raw.trim();
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    return { problem: 'must be an http(s) URL such as http://127.0.0.1:4566 (local runs only)' };
  }
  return ok(url);
};

/** An object key: no leading '/', no spaces around it, not a folder. */
export const objectKey: Parser<string> = (raw, fallback) => {
  if (raw.startsWith('/') || raw.endsWith('/') || raw.trim() !== raw || raw === '') {
    return { problem: `must be an object key like '${fallback}' (no leading or trailing '/')` };
  }
  return ok(raw);
};
