import { createReadStream, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import type { Command } from 'commander';
import type { EngineWarning } from '../functions/contacts/contact.js';
import { UnusableFileError } from '../functions/contacts/errors.js';
import type { EngineOptions } from '../functions/contacts/options.js';
import { readListSource } from '../functions/contacts/read-suppression-list.js';
import { SuppressionListBuilder } from '../functions/contacts/suppression-list.js';
import {
  listNotFoundWarnings,
  type NamedSuppressionList,
  SuppressionSet,
} from '../functions/contacts/suppression-set.js';
import { LIST_SOURCE } from '../functions/pipeline/suppression-keys.js';
import { describeFsError, UsageError } from './errors.js';
import { folderProfile } from './profiles-file.js';

/** The parsed values of the flags `addSuppressionFlags` adds, and the profile flags they follow. */
export interface SuppressionFlags {
  suppress: string[];
  suppressionDir?: string;
  profiles?: string;
  folder?: string;
  campaignSuffix: string;
}

/** The lists a run scrubs against, and what it says of lists that hold nothing. */
export interface LocalSuppression {
  /** Undefined when no list applies. */
  readonly set: SuppressionSet | undefined;
  readonly warnings: EngineWarning[];
}

/** `--suppress` values, in the order given (commander calls this once a flag). */
export function collectFiles(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Adds `--suppress <file>` (repeatable) and `--suppression-dir <dir>`. */
export function addSuppressionFlags(command: Command): Command {
  return command
    .option(
      '--suppress <file>',
      'a suppression list (one number a line, or a CSV with a phone column; .gz too): its numbers are refused; repeatable',
      collectFiles,
      [],
    )
    .option(
      '--suppression-dir <dir>',
      'suppression lists, one folder per list as under suppression/ in the bucket: those the profile names with --profiles, else every one',
    );
}

/**
 * The suppression lists a run applies, read under the phone rules of `options` exactly as the
 * function reads a list's objects: with `--suppression-dir`, the lists the function would apply
 * (those the profile names with `--profiles`, else every folder), then each `--suppress` file. A
 * list with no file is applied empty and warned about, on stderr and in `warnings`. Throws
 * UsageError for a folder or a file that cannot be read (as a list).
 */
export async function suppressionFrom(
  flags: SuppressionFlags,
  options: EngineOptions,
): Promise<LocalSuppression> {
  const dir = flags.suppressionDir;
  const lists = [
    ...(dir === undefined ? [] : await dirLists(dir, await namesToApply(flags), options)),
    ...(await fileLists(flags.suppress, options)),
  ];
  if (lists.length === 0) return { set: undefined, warnings: [] };
  const set = new SuppressionSet(lists);
  const warnings = listNotFoundWarnings(set, (name) => `${join(dir ?? '', name)}${sep}`);
  for (const warning of warnings) process.stderr.write(`warning: ${warning.message}\n`);
  return { set, warnings };
}

/** The lists the profile names (`defaults` included); undefined without profiles: every list. */
async function namesToApply(flags: SuppressionFlags): Promise<readonly string[] | undefined> {
  if (flags.profiles === undefined || flags.folder === undefined) return undefined;
  const { profile } = await folderProfile(flags.profiles, flags.folder, flags.campaignSuffix);
  const names = profile.suppress ?? [];
  if (names.length === 0) {
    process.stderr.write(
      `note: the profile of folder ${flags.folder} names no suppression list: none from --suppression-dir applies, as in the function\n`,
    );
  }
  return names;
}

/** One list a file, named after it (`bajas.txt.gz` is `bajas`). */
async function fileLists(
  files: readonly string[],
  options: EngineOptions,
): Promise<NamedSuppressionList[]> {
  const lists: NamedSuppressionList[] = [];
  for (const file of files) {
    const builder = new SuppressionListBuilder(options);
    const info = await readListFile(file, builder);
    const name = basename(file).replace(/(?:\.(?:txt|csv))?(?:\.gz)?$/i, '');
    const version = `${info.size} bytes, modified ${info.mtime.toISOString()}`;
    lists.push({ name, version, list: builder.build() });
  }
  return lists;
}

/**
 * The lists of `dir`, one folder each, as the bucket's `suppression/`: `names` in their order,
 * or every folder in name order. A list is every .txt or .csv file (.gz too) in its folder and
 * below, in path order, as the function reads a list's objects in key order.
 */
async function dirLists(
  dir: string,
  names: readonly string[] | undefined,
  options: EngineOptions,
): Promise<NamedSuppressionList[]> {
  const folders = await listFolders(dir);
  const lists: NamedSuppressionList[] = [];
  for (const name of names ?? [...folders].sort()) {
    const files = folders.has(name) ? await listFiles(join(dir, name)) : [];
    const builder = new SuppressionListBuilder(options);
    let bytes = 0;
    let modified = 0;
    for (const file of files) {
      const info = await readListFile(join(dir, name, file), builder);
      bytes += info.size;
      modified = Math.max(modified, info.mtimeMs);
    }
    const version =
      files.length === 0
        ? 'no file'
        : `${files.length} file${files.length === 1 ? '' : 's'}, ${bytes} bytes, last modified ${new Date(modified).toISOString()}`;
    lists.push({ name, version, list: builder.build(), sources: files.length });
  }
  return lists;
}

/** The folders directly in `dir`. Throws UsageError when it cannot be read as a folder. */
async function listFolders(dir: string): Promise<Set<string>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    const folders = new Set<string>();
    for (const entry of entries) {
      if (
        entry.isDirectory() ||
        (entry.isSymbolicLink() && (await isFolder(join(dir, entry.name))))
      )
        folders.add(entry.name);
    }
    return folders;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOTDIR'
        ? 'not a folder'
        : code === 'ENOENT'
          ? 'no such folder'
          : describeFsError(error);
    throw new UsageError(`cannot read the suppression folder ${dir}: ${why}`, { cause: error });
  }
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** A list folder's sources, relative to it, `/`-separated and sorted as keys are. */
async function listFiles(folder: string): Promise<string[]> {
  let paths: string[];
  try {
    paths = await readdir(folder, { recursive: true });
  } catch (error) {
    throw new UsageError(
      `cannot read the suppression folder ${folder}: ${describeFsError(error)}`,
      {
        cause: error,
      },
    );
  }
  const files: string[] = [];
  for (const path of paths) {
    if (!LIST_SOURCE.test(path)) continue;
    if ((await stat(join(folder, path)).catch(() => undefined))?.isFile())
      files.push(path.split(sep).join('/'));
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Reads one list file into `builder`. Throws UsageError when it cannot be read as a list. */
async function readListFile(file: string, builder: SuppressionListBuilder): Promise<Stats> {
  try {
    const info = await stat(file);
    await readListSource(createReadStream(file), { sourceName: file }, builder);
    return info;
  } catch (error) {
    const why =
      error instanceof UnusableFileError
        ? `${error.message} (${error.code})`
        : describeFsError(error);
    throw new UsageError(`cannot read the suppression list ${file}: ${why}`, { cause: error });
  }
}
