import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_FILLED,
  CanonicalLineChecker,
  CanonicalNativeContact,
  NO_CHANGES,
  PHONE_FORMATTED,
} from '../../../functions/contacts/canonical-native-line.js';
import type { Contact } from '../../../functions/contacts/contact.js';
import { formatLine } from '../../../functions/contacts/format-line.js';
import { type EngineOptions, PhonePrefixPolicy } from '../../../functions/contacts/options.js';
import { parseNativeLine } from '../../../functions/contacts/parse-native.js';
import { validateContact } from '../../../functions/contacts/validate-contact.js';
import { optionsFor } from './native-line.js';

/**
 * What the full path makes of a line: the contact when it is accepted without any change, or
 * with the empty campaign column filled in as its only change.
 */
function keptBySlowPath(text: string, options: EngineOptions) {
  const raw = parseNativeLine(text, 1);
  if ('code' in raw) return undefined;
  const result = validateContact(raw, options);
  if (!result.ok) return undefined;
  const { changes } = result.contact;
  const filled = raw.campaign === '' && changes.length === 1 && changes[0] === 'CAMPAIGN_FILLED';
  return changes.length === 0 || filled ? result.contact : undefined;
}

function fieldsOf(contact: Contact) {
  return {
    line: contact.line,
    campaign: contact.campaign,
    main: contact.main,
    variables: contact.variables,
    alternates: contact.alternates,
    priority: contact.priority,
    agentphone: contact.agentphone,
    fieldCount: contact.fieldCount,
    changes: contact.changes,
  };
}

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: min, maxLength: max });
const number = fc.oneof(
  { weight: 12, arbitrary: digits(6, 12) },
  { weight: 1, arbitrary: digits(0, 17) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(digits(6, 10), fc.constantFrom('.', ','), digits(1, 2))
      .map((parts) => parts.join('')),
  },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom('0', '9', '-', ' ', '+', '.', 'E', '(', 'x'),
      maxLength: 14,
    }),
  },
);
const typedAlternate = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('H', 'M', 'W') },
      fc.constantFrom('h', 'X', ''),
    ),
    fc.oneof({ weight: 5, arbitrary: fc.constant('=') }, fc.constantFrom(' =', '==')),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('0', '1', '10', '99') },
      { weight: 1, arbitrary: fc.constantFrom('01', '100', '', 'a') },
    ),
    fc.oneof({ weight: 5, arbitrary: fc.constant('=') }, fc.constant('= ')),
    number,
  )
  .map((parts) => parts.join(''));
const alternate = fc.oneof(
  { weight: 6, arbitrary: number },
  { weight: 6, arbitrary: typedAlternate },
  { weight: 1, arbitrary: fc.constant('') },
);
const text = fc.string({
  unit: fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom('a', 'Z', 'ñ', ' ', '0', '>', '€', '🙂') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('=', '\u0000', '\ufffd', '\u0001', '\u007f', '\u2028', '\u200f'),
    },
  ),
  maxLength: 6,
});
const variable = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(text, text).map(([name, value]) => `${name}=${value}`) },
  { weight: 1, arbitrary: text },
);
const priority = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('', '1', '9999', '12', '123') },
  { weight: 1, arbitrary: fc.constantFrom('10000', '0', '01', ' 5', '5 ', 'x') },
);
const agentphone = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(undefined, '', '1001', '0') },
  { weight: 1, arbitrary: fc.constantFrom('x1', ' 1', '1;2', '1\u00000') },
);

/** Numbers as people type them: digit groups apart by dashes or spaces, sometimes another mark. */
const formattedNumber = fc
  .tuple(
    fc.array(digits(1, 4), { minLength: 2, maxLength: 4 }),
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom('-', ' ') }, fc.constantFrom('--', '.', '(')),
    fc.oneof({ weight: 4, arbitrary: fc.constant('') }, fc.constantFrom(' ', '-', '+', '00')),
  )
  .map(([groups, spacer, before]) => before + groups.join(spacer));

/** Lines built from near-canonical fields: most are canonical, the rest miss by one detail. */
function lineFor(target: string, main = number) {
  return fc
    .record({
      campaign: fc.oneof(
        { weight: 6, arbitrary: fc.constant(target) },
        { weight: 1, arbitrary: fc.constantFrom('', ` ${target}`, 'Other', `${target}x`) },
      ),
      main,
      variables: fc.array(variable, { maxLength: 3 }),
      alternates: fc.array(alternate, { maxLength: 4 }),
      priority,
      agentphone,
      copyMain: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    })
    .map((f) => {
      const alternates =
        f.copyMain && f.alternates.length > 0 ? [...f.alternates, f.main] : f.alternates;
      const fields = [f.campaign, f.main, f.variables.join(':'), alternates.join(':'), f.priority];
      if (f.agentphone !== undefined) fields.push(f.agentphone);
      return fields.join(';');
    });
}

const options = fc.record({
  campaign: fc.constantFrom('Camp<-', 'Ventas Norte'),
  phonePrefix: fc.constantFrom(...Object.values(PhonePrefixPolicy)),
  minPhoneDigits: fc.oneof(fc.constant(6), fc.integer({ min: 1, max: 8 })),
  maxPhoneDigits: fc.oneof(fc.constant(15), fc.integer({ min: 6, max: 16 })),
  defaultPriority: fc.constantFrom('9999', '', '5'),
});

describe('CanonicalLineChecker', () => {
  it('recognises exactly the lines the full parse and validation accept unchanged, but for an empty campaign', () => {
    let lineCount = 0;
    let canonicalCount = 0;
    fc.assert(
      fc.property(
        options.chain((o) =>
          fc.tuple(fc.constant(o), fc.array(lineFor(o.campaign), { maxLength: 20 })),
        ),
        ([given, lines]) => {
          const engineOptions = optionsFor(given.campaign, given);
          const checker = new CanonicalLineChecker(engineOptions);
          for (const line of lines) {
            const slow = keptBySlowPath(line, engineOptions);
            const end = checker.mainEnd(line);
            lineCount++;
            if (end > 0) canonicalCount++;
            expect({ line, canonical: end > 0 }).toEqual({ line, canonical: slow !== undefined });
            if (slow === undefined) continue;
            expect(line.slice(checker.mainStart(line), end)).toBe(slow.main);
            const filled = line.startsWith(';');
            const sent = filled ? given.campaign + line : line;
            const fast = new CanonicalNativeContact(sent, 1, filled ? CAMPAIGN_FILLED : NO_CHANGES);
            expect(fieldsOf(fast)).toEqual(fieldsOf(slow));
            expect(formatLine(slow)).toBe(sent);
          }
        },
      ),
      { numRuns: 1000 },
    );
    // Near-canonical input on both sides of the line, not only refusals (about 1 line in 9 is
    // canonical: a bound at 1 in 10 failed now and then).
    expect(canonicalCount).toBeGreaterThan(lineCount / 20);
    expect(canonicalCount).toBeLessThan((lineCount * 4) / 5);
  });

  it('rewrites exactly the lines the full path accepts with only the main number reformatted, as it does', () => {
    let reformattable = 0;
    fc.assert(
      fc.property(
        options.chain((o) =>
          fc.tuple(
            fc.constant(o),
            fc.array(
              lineFor(o.campaign, fc.oneof({ weight: 3, arbitrary: formattedNumber }, number)),
              {
                maxLength: 20,
              },
            ),
          ),
        ),
        ([given, lines]) => {
          const engineOptions = optionsFor(given.campaign, given);
          const checker = new CanonicalLineChecker(engineOptions);
          for (const line of lines) {
            const fixed = checker.withoutNumberFormatting(line);
            const raw = parseNativeLine(line, 1);
            const result = 'code' in raw ? undefined : validateContact(raw, engineOptions);
            const slow = result?.ok ? result.contact : undefined;
            // Accepted with its main number's dashes or spaces dropped as the one difference.
            const onlyFormatting =
              slow !== undefined &&
              !('code' in raw) &&
              raw.campaign === given.campaign &&
              /^[0-9 -]*[ -][0-9 -]*$/.test(raw.main) &&
              slow.changes.length === 1 &&
              slow.changes[0] === 'PHONE_FORMATTING' &&
              formatLine(slow) ===
                `${raw.campaign};${slow.main}${line.slice(raw.campaign.length + 1 + raw.main.length)}`;
            expect({ line, fixed: fixed !== undefined }).toEqual({ line, fixed: onlyFormatting });
            if (fixed === undefined || slow === undefined) continue;
            reformattable++;
            expect(formatLine(slow)).toBe(fixed);
            expect(checker.mainEnd(fixed)).toBe(checker.mainStart(fixed) + slow.main.length);
            const fast = new CanonicalNativeContact(fixed, 1, PHONE_FORMATTED);
            expect(fieldsOf(fast)).toEqual(fieldsOf(slow));
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(reformattable).toBeGreaterThan(100);
  });

  it('finds a run of canonical lines in a text where testing each line would', () => {
    const breaks = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\n \n');
    fc.assert(
      fc.property(
        options.chain((o) =>
          fc.tuple(
            fc.constant(o),
            fc.array(fc.tuple(lineFor(o.campaign), breaks), { minLength: 1, maxLength: 12 }),
            fc.boolean(),
          ),
        ),
        ([given, parts, ended]) => {
          const checker = new CanonicalLineChecker(optionsFor(given.campaign, given));
          const text = parts
            .map(([line, end], i) => line + (ended || i < parts.length - 1 ? end : ''))
            .join('');
          let at = 0;
          for (const [i, [line, end]] of parts.entries()) {
            // The run from here: the canonical lines that follow, each ended by LF or CRLF.
            let expected = at;
            for (let j = i, from = at; j < parts.length; j++) {
              const [next, nextEnd] = parts[j]!;
              const hasEnd = ended || j < parts.length - 1;
              if (!(checker.mainEnd(next) > 0 && hasEnd && /^\r?\n/.test(nextEnd))) break;
              expected = from + next.length + (nextEnd.startsWith('\r') ? 2 : 1);
              if (nextEnd.length > expected - from - next.length) break;
              from = expected;
            }
            expect({ line, run: checker.runEnd(text, at) }).toEqual({ line, run: expected });
            at += line.length + end.length;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves every line to the full path when an empty number could be canonical', () => {
    const checker = new CanonicalLineChecker(optionsFor('Camp<-', { minPhoneDigits: 0 }));
    expect(checker.mainEnd('Camp<-;098344484;;;9999')).toBe(-1);
  });

  it('finds the main number of a canonical line with variables and typed alternates', () => {
    const checker = new CanonicalLineChecker(optionsFor('Camp<-'));
    const line = 'Camp<-;098344484;nombre=Ana:estado=;099124484:H=10=099555555;9999;1001';
    expect(line.slice(checker.mainStart(line), checker.mainEnd(line))).toBe('098344484');
    expect(checker.mainEnd(';098344484;;;9999')).toBe(10);
    expect(checker.mainEnd(' ;098344484;;;9999')).toBe(-1);
    expect(checker.mainEnd('Camp<-;098344484;;H=0=098344484;9999')).toBe(-1);
    expect(checker.mainEnd('Camp<-;098344484;a=b=c;;9999')).toBe(-1);
  });
});
