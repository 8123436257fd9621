/** Dialer-type suffixes of campaign names: `<-` Power and Predictive, `->` Progressive and Preview. */
const SUFFIX = /(<-|->)$/;

const split = (name: string) => {
  const suffix = SUFFIX.exec(name)?.[1] ?? '';
  return { stem: name.slice(0, name.length - suffix.length), suffix };
};

/**
 * Builds the test uploadbase applies to a campaign name. A configured name matches an uploaded one
 * with the same stem when both carry the same suffix or either carries none: `Ventas->` takes
 * `Ventas->` and `Ventas`, never `Ventas<-` (another dialer type). Names are compared exactly as
 * given, with no Unicode normalization, as the dialer does. `any` accepts every non-blank name.
 */
export function campaignMatcher(
  configured: readonly string[],
  any: boolean,
): (name: string) => boolean {
  if (any) return (name) => name.trim() !== '';
  const known = configured.map(split);
  return (name) => {
    const uploaded = split(name);
    if (uploaded.stem === '') return false;
    return known.some(
      (campaign) =>
        campaign.stem === uploaded.stem &&
        (campaign.suffix === uploaded.suffix || campaign.suffix === '' || uploaded.suffix === ''),
    );
  };
}
