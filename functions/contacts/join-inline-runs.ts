import { Transform, type TransformCallback } from 'node:stream';

const OPEN = Buffer.from('<is>');
const CLOSE = Buffer.from('</is>');
/** An inline string still open after this many bytes is passed on as it is (a cell holds 32,767 characters). */
const MAX_HELD = 1024 * 1024;
const RUN_TEXT = /<t(?:\s[^>]*)?>([^<]*)<\/t>/g;
/** Phonetic guides (furigana) are not part of the text a cell shows. */
const PHONETIC = /<rPh\b[\s\S]*?<\/rPh>/g;

/**
 * An inline string (`<is>...</is>`, latin1 so bytes stay as they are) with its rich-text runs
 * joined into one `<t>`; returned as it is when it holds fewer than two runs.
 */
export function joinRuns(inline: string): string {
  const body = inline.slice(OPEN.length, -CLOSE.length).replace(PHONETIC, '');
  const runs = [...body.matchAll(RUN_TEXT)];
  if (runs.length < 2) return inline;
  return `<is><t xml:space="preserve">${runs.map((run) => run[1]).join('')}</t></is>`;
}

/**
 * Rewrites a worksheet's XML so that each inline rich-text string holds its runs in one `<t>`:
 * the streaming reader keeps only the last run of an inline string (`<is><r><t>uno </t></r><r>
 * <t>dos</t></r></is>` reads as `dos`), while it joins the runs of a shared string. Every other
 * byte passes through unchanged.
 */
export class InlineRunJoiner extends Transform {
  private held: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const all = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const kept = this.rewrite(all);
    this.held = Buffer.from(all.subarray(kept));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.held.length > 0) this.push(this.held);
    done();
  }

  /** Pushes what can be decided in `all`; returns where the undecided rest starts. */
  private rewrite(all: Buffer): number {
    let from = 0;
    for (;;) {
      const open = all.indexOf(OPEN, from);
      if (open === -1) {
        // The end may hold the start of `<is>`.
        const keep = Math.max(from, all.length - (OPEN.length - 1));
        this.push(all.subarray(from, keep));
        return keep;
      }
      const close = all.indexOf(CLOSE, open);
      if (close === -1) {
        const keep = all.length - open > MAX_HELD ? all.length : open;
        this.push(all.subarray(from, keep));
        return keep;
      }
      const end = close + CLOSE.length;
      this.push(all.subarray(from, open));
      this.push(Buffer.from(joinRuns(all.toString('latin1', open, end)), 'latin1'));
      from = end;
    }
  }
}
