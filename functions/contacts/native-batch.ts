const FIRST_ROOM = 4096;

/**
 * A chunk's native lines as they were split, with what the engine found for each while splitting
 * and what it then looked up for all of them at once (see ContactRun.readNative). Reused from one
 * chunk to the next: only the first `count` entries are the current chunk's.
 */
export class NativeBatch {
  readonly texts: string[] = [];
  readonly lines: number[] = [];
  /** Where a canonical line's main number ends, or why the line takes another path (≤ 0). */
  ends = new Int32Array(FIRST_ROOM);
  /** Where its main number starts. */
  starts = new Int32Array(FIRST_ROOM);
  /** Its main number packed by PhoneSet.keyOf, or -1. */
  keys = new Float64Array(FIRST_ROOM);
  /** With suppression lists: Scrubber.scrubLines' verdict. */
  listed = new Int32Array(FIRST_ROOM);
  /** With a reload window: the load that gave its main number (-1: none). */
  earlier = new Int32Array(FIRST_ROOM);
  count = 0;

  /** Starts the next chunk's lines. */
  clear(): void {
    this.count = 0;
  }

  /** Adds a line and what splitting found for it. */
  add(text: string, line: number, start: number, end: number, key: number): void {
    const i = this.count++;
    if (i === this.ends.length) this.grow();
    this.texts[i] = text;
    this.lines[i] = line;
    this.starts[i] = start;
    this.ends[i] = end;
    this.keys[i] = key;
  }

  private grow(): void {
    const room = 2 * this.ends.length;
    this.ends = grown(this.ends, new Int32Array(room));
    this.starts = grown(this.starts, new Int32Array(room));
    this.keys = grown(this.keys, new Float64Array(room));
    // Looked up after the chunk is split: nothing to keep.
    this.listed = new Int32Array(room);
    this.earlier = new Int32Array(room);
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
