import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { UsageError } from './errors.js';

/** A text file written in large pieces; `write` returns a promise only when the disk is behind. */
export interface TextFileWriter {
  write(text: string): void | Promise<void>;
  /** Writes what is buffered and closes the file. Throws the first write error, if any. */
  close(): Promise<void>;
}

const FLUSH_AT = 64 * 1024;

/** Creates (or truncates) `path` for writing. Throws UsageError when it cannot be opened. */
export async function openTextFile(path: string): Promise<TextFileWriter> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new UsageError(`cannot write ${path} (${reason})`, { cause: error });
  }
  return new BufferedWriter(stream, path);
}

class BufferedWriter implements TextFileWriter {
  private readonly stream: WriteStream;
  private readonly path: string;
  private buffer = '';
  private failure: unknown;
  private closed = false;

  constructor(stream: WriteStream, path: string) {
    this.stream = stream;
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
    await this.flush();
    this.stream.end();
    if (!this.stream.writableFinished && this.failure === undefined) {
      await once(this.stream, 'finish').catch(() => {});
    }
    this.throwFailure();
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
