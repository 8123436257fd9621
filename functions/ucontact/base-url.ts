import { isIP } from 'node:net';
import { InvalidBaseUrlError } from './errors.js';

const EXAMPLE = 'https://<tenant>.ucontactcloud.com/';

/** True for localhost, 127.0.0.0/8 and ::1: the only hosts where plain http is allowed. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Parses uContact's base URL and gives it a trailing slash so API paths resolve under it.
 * Throws InvalidBaseUrlError when it is not a URL, not https (plain http is allowed on loopback
 * only, for the local simulator), or carries a user, password, query or fragment.
 */
export function parseBaseUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input).trim());
  } catch (error) {
    throw new InvalidBaseUrlError(`The uContact base URL is not a URL; expected ${EXAMPLE}`, {
      cause: error,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidBaseUrlError(`The uContact base URL must start with https:// (${EXAMPLE})`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InvalidBaseUrlError(
      `The uContact base URL must use https:// (${EXAMPLE}); plain http is allowed only on ` +
        'localhost, 127.0.0.0/8 and ::1, for the local simulator',
    );
  }
  if (url.username || url.password) {
    throw new InvalidBaseUrlError(
      'The uContact base URL must not contain a user or password; pass them separately',
    );
  }
  if (url.search || url.hash) {
    throw new InvalidBaseUrlError(
      `The uContact base URL must not have a query or fragment (${EXAMPLE})`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
