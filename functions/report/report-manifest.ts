/**
 * A manifest as the report page reads it. The page also renders manifests read back from S3,
 * written by older or newer versions, so this names only what it shows, fields added after the
 * first version are optional, and nothing here depends on the pipeline that writes them.
 */

export interface ReportCounts {
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly modified: number;
  readonly uploaded: number;
  readonly lines?: number;
  readonly header?: number;
  readonly blank?: number;
  readonly joined?: number;
  /** Numbers left out because a do-not-call list holds them. */
  readonly suppressed?: number;
  /** Numbers left out because they were loaded within the reload window. */
  readonly recentlyLoaded?: number;
}

export interface ReportChunk {
  readonly part: number;
  readonly filename: string;
  readonly records: number;
  readonly bytes: number;
  readonly outcome: string;
  readonly attempts: number;
  readonly durationMs: number;
}

export interface ReportCodeMessage {
  readonly code: string;
  readonly message: string;
}

export interface ReportManifest {
  readonly schemaVersion: number;
  readonly status: string;
  readonly source: {
    readonly bucket: string;
    readonly key: string;
    readonly size: number | null;
    readonly etag?: string | null;
    readonly versionId?: string | null;
  };
  readonly campaign: string | null;
  readonly input: {
    readonly format: string;
    readonly encoding: string;
    readonly delimiter: string;
    readonly container?: string | undefined;
    readonly sheet?: string | undefined;
  } | null;
  readonly columns: readonly { readonly header: string; readonly role: string }[] | null;
  readonly counts: ReportCounts;
  readonly rejections: readonly {
    readonly line: number;
    readonly code: string;
    readonly message: string;
  }[];
  /** How many rows each code refused (all of them, not only the listed ones). */
  readonly rejectionCodes?: Readonly<Record<string, number | undefined>>;
  readonly rejectedFile: string | null;
  readonly rejectedFileTruncated?: { readonly rowsWritten: number } | null;
  readonly uploads: readonly ReportChunk[];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly error: ReportCodeMessage | null;
  readonly session?: { readonly endSession: string; readonly error?: ReportCodeMessage } | null;
  /** The campaign profile the file was read with. */
  readonly profile?: {
    /** null when the profiles file's defaults alone applied, or none did. */
    readonly name: string | null;
    readonly source: string;
    readonly version: string;
  } | null;
  /** Do-not-call lists applied; shown as given. */
  readonly suppression?: unknown;
  /** The reload window applied; shown as given. */
  readonly reloadWindow?: unknown;
  /** What the run could not do as asked, though it went on. */
  readonly warnings?: readonly ReportCodeMessage[];
}
