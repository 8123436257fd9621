/** Strings per block: a block is one flat string, with the end of each of its strings. */
const BLOCK = 4096;

/**
 * A workbook's shared strings, kept compact: joined by blocks of 4,096 into flat strings, with
 * each one's end in a typed array. A million short strings (phone numbers stored as text) take
 * about 14 MB this way, against some 40 MB as separate strings, which also keep alive the larger
 * text the XML parser cut them from. The workbook's one large state while its sheet is read.
 */
export class SharedStrings {
  private readonly blocks: string[] = [];
  private pending: string[] = [];
  private ends = new Int32Array(BLOCK);
  private length = 0;
  private offset = 0;

  get size(): number {
    return this.length;
  }

  add(text: string): void {
    if (this.length === this.ends.length) {
      const grown = new Int32Array(2 * this.length);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.offset += text.length;
    this.ends[this.length++] = this.offset;
    this.pending.push(text);
    if (this.pending.length === BLOCK) this.seal();
  }

  /** The string at `index`; '' past the end (a cell naming a string the workbook lacks). */
  get(index: number): string {
    if (!(index >= 0 && index < this.length)) return '';
    const block = Math.floor(index / BLOCK);
    if (block === this.blocks.length) return this.pending[index % BLOCK]!;
    const start = index % BLOCK === 0 ? 0 : this.ends[index - 1]!;
    return this.blocks[block]!.slice(start, this.ends[index]!);
  }

  private seal(): void {
    this.blocks.push(this.pending.join(''));
    this.pending = [];
    this.offset = 0;
  }
}
