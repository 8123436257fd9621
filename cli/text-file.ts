import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { describeFsError, UsageError } from './errors.js';

/**
 * A text file written in large pieces to a temporary name beside its target, so the target only
 * appears, whole, when the writing succeeded. `write` returns a promise only when the disk is behind.
 */
export interface TextFileWriter {
  write(text: string): void | Promise<void>;
  /** Writes what is buffered and gives the file its name. Throws the first write error, if any. */
  close(): Promise<void>;
  /** Removes what was written, leaving the target as it was. Never throws. */
  discard(): Promise<void>;
}

const FLUSH_AT = 64 * 1024;

/**
 * Opens a temporary file beside `path` for writing; `close` renames it to `path` (replacing it).
 * Throws UsageError when it cannot be opened.
 */
export async function openTextFile(path: string): Promise<TextFileWriter> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const stream = createWriteStream(temporary, { flags: 'wx' });
  try {
    await once(stream, 'open');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new UsageError(`cannot write ${path} (${reason})`, { cause: error });
  }
  return new BufferedWriter(stream, temporary, path);
}

/**
 * Refuses output paths that would destroy what the command reads or writes: an output that is the
 * input file (also through a link) or that is another output. Throws UsageError naming the flags.
 */
export async function checkOutputPaths(
  input: string,
  outputs: readonly { readonly flag: string; readonly path: string | undefined }[],
): Promise<void> {
  const inputPath = await canonical(input);
  const seen = new Map<string, string>();
  for (const { flag, path } of outputs) {
    if (path === undefined) continue;
    const target = await canonical(path);
    if (await isDirectory(target)) throw new UsageError(`${flag} ${path} is a directory`);
    if (target === inputPath) {
      throw new UsageError(
        `${flag} ${path} is the input file: it would be overwritten before it is read`,
      );
    }
    const other = seen.get(target);
    if (other) throw new UsageError(`${flag} and ${other} name the same file (${path})`);
    seen.set(target, flag);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** The real path of a file that exists (links resolved), else its absolute path. */
async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    // Not there yet: its folder may still be a link to where the input is.
    try {
      return join(await realpath(dirname(resolve(path))), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

class BufferedWriter implements TextFileWriter {
  private readonly stream: WriteStream;
  private readonly temporary: string;
  private readonly path: string;
  private buffer = '';
  private failure: unknown;
  private closed = false;

  constructor(stream: WriteStream, temporary: string, path: string) {
    this.stream = stream;
    this.temporary = temporary;
    this.path = path;
    stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  write(text: string): void | Promise<void> {
    this.buffer += text;
    if (this.buffer.length < FLUSH_AT) return undefined;
    return this.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
      await this.end();
      this.throwFailure();
      await rename(this.temporary, this.path);
    } catch (error) {
      await rm(this.temporary, { force: true }).catch(() => {});
      if (error instanceof UsageError) throw error;
      throw new UsageError(`cannot write ${this.path} (${(error as Error).message})`, {
        cause: error,
      });
    }
  }

  async discard(): Promise<void> {
    this.closed = true;
    this.buffer = '';
    await this.end().catch(() => {});
    await rm(this.temporary, { force: true }).catch(() => {});
  }

  private async end(): Promise<void> {
    if (this.stream.writableFinished || this.stream.destroyed) return;
    this.stream.end();
    if (this.failure === undefined) await once(this.stream, 'close').catch(() => {});
  }

  private flush(): void | Promise<void> {
    this.throwFailure();
    const text = this.buffer;
    this.buffer = '';
    if (text.length === 0 || this.stream.write(text)) return undefined;
    return once(this.stream, 'drain').then(() => undefined);
  }

  private throwFailure(): void {
    if (this.failure !== undefined) {
      throw new UsageError(`cannot write ${this.path} (${(this.failure as Error).message})`, {
        cause: this.failure,
      });
    }
  }
}

/** Reads a UTF-8 file the command was given; throws UsageError naming `what` when it cannot. */
export async function readInputText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
}
