import type { Contact } from './contact.js';
import type { ColumnPlan } from './map-columns.js';
import { hasReserved } from './normalize-variables.js';
import { cell, type HeaderedContact } from './parse-headered.js';
import type { ChangeKind } from './reason-codes.js';

/**
 * Writes the base line of a headered row whose variables need no change straight from its cells:
 * the line `formatLine` makes of the contact `validateContact` returns for it, without the
 * variables' pairs or a string per piece of the line (most rows of a spreadsheet export take this
 * way; bench/RESULTS.md, History).
 */
export class CanonicalRowWriter {
  /** The variables' columns, in the order they are written. */
  private readonly columns: readonly number[];
  /**
   * The pieces of the line, the separators and names set once and the values rewritten for each
   * row: `campaign;main;`, per variable `name=` (`:name=` after the first) and its value, then
   * `;alternates;priority;agentphone`.
   */
  private readonly parts: string[];
  /** Where the alternates go in `parts`. */
  private readonly alternatesAt: number;
  /** A header name holds a reserved character: no row can be written as it is. */
  private readonly disabled: boolean;

  constructor(plan: ColumnPlan) {
    const variables = plan.variables;
    this.columns = variables.map((v) => v.column);
    this.disabled = variables.some((v) => hasReserved(v.name));
    const parts = ['', ';', '', ';'];
    for (const [i, v] of variables.entries()) parts.push(`${i === 0 ? '' : ':'}${v.name}=`, '');
    this.alternatesAt = parts.length + 1;
    parts.push(';', '', ';', '', ';', '');
    this.parts = parts;
  }

  /**
   * The row's line, with `priority` written for it, when none of its variables' values holds a
   * reserved character; undefined otherwise (the row then takes the full path). The row's other
   * fields must have passed `canonicalChanges`. Never throws.
   */
  write(row: HeaderedContact, priority: string): string | undefined {
    if (this.disabled) return undefined;
    const { columns, parts } = this;
    const cells = row.cells;
    for (let i = 0; i < columns.length; i++) {
      const value = cell(cells, columns[i]!);
      if (hasReserved(value)) return undefined;
      parts[2 * i + 5] = value;
    }
    parts[0] = row.campaign;
    parts[2] = row.main;
    const alternates = row.alternates;
    const at = this.alternatesAt;
    parts[at] =
      alternates.length === 0
        ? ''
        : alternates.length === 1
          ? alternates[0]!
          : alternates.join(':');
    parts[at + 2] = priority;
    parts[at + 4] = row.agentphone;
    // One flat string: joining the pieces copies them once, where `+` left a chain of pieces
    // that the chunker's size check then had to flatten.
    return parts.join('');
  }
}

/** The contact of a row written by CanonicalRowWriter: the row itself, but for its priority. */
export class CanonicalRowContact implements Contact {
  private readonly row: HeaderedContact;
  readonly priority: string;
  readonly changes: readonly ChangeKind[];

  constructor(row: HeaderedContact, priority: string, changes: readonly ChangeKind[]) {
    this.row = row;
    this.priority = priority;
    this.changes = changes;
  }

  get line(): number {
    return this.row.line;
  }
  get campaign(): string {
    return this.row.campaign;
  }
  get main(): string {
    return this.row.main;
  }
  get variables(): Contact['variables'] {
    // The writer wrote them only when every value was there without a reserved character.
    return this.row.variables as Contact['variables'];
  }
  get alternates(): readonly string[] {
    return this.row.alternates;
  }
  get agentphone(): string {
    return this.row.agentphone;
  }
  get fieldCount(): number {
    return this.row.fieldCount;
  }
}
