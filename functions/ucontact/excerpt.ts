const MAX_EXCERPT = 120;

/**
 * A short, safe excerpt of a server answer for results and logs: whitespace collapsed, control
 * characters dropped, every `secrets` value removed, runs of 5+ digits (phone numbers) and long
 * base64-like runs (tokens) masked, cut to 120 characters.
 */
export function sanitizeExcerpt(answer: string, secrets: readonly string[] = []): string {
  let text = answer;
  for (const secret of secrets) {
    if (secret) text = text.split(secret).join('[redacted]');
  }
  text = text
    .slice(0, 4 * MAX_EXCERPT)
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[A-Za-z0-9+/_-]{24,}={0,2}/g, '[redacted]')
    .replace(/\d{5,}/g, (digits) => '#'.repeat(digits.length));
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT - 1)}…` : text;
}
