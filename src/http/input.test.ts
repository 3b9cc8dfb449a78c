/**
 * The input gate's three checks on their own (src/http/input.ts), at their boundaries: which characters are not
 * text, which fields a schema declares through wrappers, unions and records, and that problems are named by path.
 */
import { z } from 'zod';
import { checkInput, textProblem, unknownFields, UNKNOWN_FIELD_MESSAGE } from './input';
import { jsonDepthExceeded } from './body';

describe('text', () => {
  it.each([
    ['tab, line feed and carriage return are text', 'a\tb\nc\r', undefined],
    ['CJK and a paired surrogate (an emoji) are text', '袁州😀', undefined],
    ['NUL is not', 'a\u0000', 'contains a NUL character (U+0000), which is not text'],
    ['a high surrogate at the end is unpaired', 'a\uD83D', 'contains an unpaired surrogate (U+D83D): not valid Unicode text'],
    ['a low surrogate alone is unpaired', '\uDE00a', 'contains an unpaired surrogate (U+DE00): not valid Unicode text'],
    ['U+0008 (backspace) is a control character', 'a\u0008', 'contains the control character U+0008'],
    ['U+001F is the last C0 control', 'a\u001F', 'contains the control character U+001F'],
    ['U+0020 (space) is text', 'a\u0020', undefined],
    ['DEL is a control character', 'a\u007F', 'contains the control character U+007F'],
    ['U+009F is the last C1 control', 'a\u009F', 'contains the control character U+009F'],
    ['U+00A0 (no-break space) is text', 'a\u00A0', undefined],
  ])('%s', (_name, text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });
});

describe('unknown fields', () => {
  const Pledge = z.object({ rightType: z.enum(['patent', 'trademark']), number: z.string() });
  const Loan = z.object({
    contractNo: z.string().transform((text) => text.trim()),
    pledges: z.array(Pledge).optional(),
    meta: z.record(z.string(), z.object({ note: z.string() })).nullable().optional(),
    rule: z
      .discriminatedUnion('kind', [z.object({ kind: z.literal('fixed') }), z.object({ kind: z.literal('month'), month: z.number() })])
      .optional(),
    free: z.unknown().optional(),
    loose: z.looseObject({ a: z.number() }).optional(),
  });

  it('are named at every depth: top, inside an array item, inside a record value, inside the chosen union option', () => {
    const problems = unknownFields(Loan, {
      contractNo: 'C-1',
      extra: 1,
      pledges: [{ rightType: 'patent', number: '1', securedAmountt: '1' }],
      meta: { first: { note: 'x', colour: 'red' } },
      rule: { kind: 'fixed', month: 3 },
      free: { anything: { goes: true } },
      loose: { a: 1, b: 2 },
    });
    expect(problems.map((problem) => problem.path)).toEqual(['extra', 'pledges.0.securedAmountt', 'meta.first.colour', 'rule.month']);
    expect(new Set(problems.map((problem) => problem.message))).toEqual(new Set([UNKNOWN_FIELD_MESSAGE]));
  });

  it('a union option declaring the field explains it (month belongs to kind "month")', () => {
    expect(unknownFields(Loan, { contractNo: 'C', rule: { kind: 'month', month: 3 } })).toEqual([]);
  });

  it('checkInput reports unknown fields and schema problems together, once each, and parses a clean input', () => {
    const bad = checkInput(z.object({ a: z.number() }).strict(), { a: 'x', b: 1 });
    expect(bad).toEqual({
      ok: false,
      problems: [
        { path: 'b', message: UNKNOWN_FIELD_MESSAGE },
        { path: 'a', message: expect.stringContaining('number') },
      ],
    });
    expect(checkInput(Loan, { contractNo: '  C-1 ' })).toEqual({ ok: true, value: { contractNo: 'C-1' } });
  });

  it('text problems come first and keep hostile strings away from the schema', () => {
    const refine = jest.fn(() => true);
    const checked = checkInput(z.object({ name: z.string().refine(refine) }), { name: 'a\u0000' });
    expect(checked).toEqual({ ok: false, problems: [{ path: 'name', message: 'contains a NUL character (U+0000), which is not text' }] });
    expect(refine).not.toHaveBeenCalled();
  });
});

describe('JSON depth', () => {
  it('counts brackets outside strings only; 3 levels is within 3, 4 is not', () => {
    expect(jsonDepthExceeded('{"a":[{"b":1}]}', 3)).toBe(-1);
    // {"a":[{"b":[1]}]}: the fourth opening bracket is character 11 (0-based).
    expect(jsonDepthExceeded('{"a":[{"b":[1]}]}', 3)).toBe(11);
    // Brackets in strings, and an escaped quote before them, are text.
    expect(jsonDepthExceeded('{"a":"[[[[\\"[[[["}', 1)).toBe(-1);
  });
});
