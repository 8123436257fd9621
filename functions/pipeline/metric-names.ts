/**
 * The metric names the function emits. The stack's alarms are built on them (infra imports this
 * file), so a name never changes.
 */
export const FileMetricName = {
  FilesSucceeded: 'FilesSucceeded',
  FilesPartial: 'FilesPartial',
  FilesFailed: 'FilesFailed',
  FilesRejected: 'FilesRejected',
  FilesSkipped: 'FilesSkipped',
  RowsAccepted: 'RowsAccepted',
  RowsRejected: 'RowsRejected',
  /** Rows refused because their main number is on a suppression list (part of RowsRejected). */
  RowsSuppressed: 'RowsSuppressed',
  /** Rows refused as RECENTLY_LOADED (the campaign's reload window), within RowsRejected. */
  RowsRecentlyLoaded: 'RowsRecentlyLoaded',
  ChunksAccepted: 'ChunksAccepted',
  ChunksFailed: 'ChunksFailed',
  ChunksUnknown: 'ChunksUnknown',
  /** A run whose EndSession failed: a session may still be open on the dialer. */
  SessionsLeftOpen: 'SessionsLeftOpen',
  /** A file failed because the campaign profiles file is invalid (PROFILES_INVALID). */
  ProfilesInvalid: 'ProfilesInvalid',
  /** Milliseconds from claim to final manifest. */
  FileDuration: 'FileDuration',
} as const;
export type FileMetricName = (typeof FileMetricName)[keyof typeof FileMetricName];
