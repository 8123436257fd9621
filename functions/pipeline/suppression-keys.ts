/**
 * Where suppression lists live in the bucket. Operators put a list's objects under
 * `suppression/<list>/`; the function keeps their compiled form under `state/suppression/`,
 * which nobody else reads. Neither overlaps the drop or results prefixes (infra checks it).
 */
export const SUPPRESSION_PREFIX = 'suppression/';
export const COMPILED_SUPPRESSION_PREFIX = 'state/suppression/';
/** Compiled lists are deleted this long after they were written; a drop that needs one again compiles it again. */
export const COMPILED_SUPPRESSION_DAYS = 30;
/** The sources of a list: its objects (or files) with these endings, any case; others are left alone. */
export const LIST_SOURCE = /\.(?:txt|csv)(?:\.gz)?$/i;
