import { randomUUID } from 'node:crypto';
import {
  ClientEnvelopeDto, ClientHeaderDto, InviteReplyDto, IsOptionalNotNull, PAYLOAD_CLASSES, SubscribeDto, TaskSpecDto, UnsubscribeDto,
} from '@ioa/protocol';
import { plainToInstance, Type } from 'class-transformer';
import {
  Equals, IsEmail, IsIn, IsInt, IsNumber, IsOptional, IsString, MaxLength, Min, ValidateIf, ValidateNested, validateSync,
} from 'class-validator';
import { compiledCheck } from './compiled-dto';

type Plain = Record<string, unknown>;

const classValidatorAccepts = (cls: new () => object, raw: unknown): boolean =>
  validateSync(plainToInstance(cls, raw) as object, { whitelist: true, forbidNonWhitelisted: true }).length === 0;

const uuid = randomUUID();
const VALID: Array<[new () => object, Plain]> = [
  [ClientHeaderDto, { protocol: 'ioa/1', message_id: uuid, group_id: 'g-1', type: 'discussion' }],
  [ClientEnvelopeDto, { header: { protocol: 'ioa/1', message_id: uuid, type: 'conclusion' }, payload: {}, ext: { 'acme.trace': { id: 7 } } }],
  [PAYLOAD_CLASSES.discussion, { content: 'hello', next_speaker: ['a', 'b'], next_state: 'conclusion' }],
  [PAYLOAD_CLASSES.task_assignment, { mode: 'sync', tasks: [{ task_desc: 'do it', task_abstract: 'it', assignee: ['a'], deadline_s: 60 }] }],
  [PAYLOAD_CLASSES.task_assignment, { mode: 'async', tasks: [
    { key: 'a', depends_on: [], policy: 'retry', max_retries: 2, retry_delay_s: 5, task_desc: 'do it', task_abstract: 'it', assignee: ['a'] },
    { key: 'b', depends_on: ['a'], when: { a: 'approved' }, policy: 'skip', task_desc: 'then this', task_abstract: 'this', assignee: ['b'] },
  ] }],
  [PAYLOAD_CLASSES.task_reply, { task_id: 't', accept: true, reason: 'ok', eta_s: 5 }],
  [PAYLOAD_CLASSES.task_progress, { task_id: 't', progress: 0.5, note: 'half' }],
  [PAYLOAD_CLASSES.task_result, { task_id: 't', status: 'completed', task_conclusion: 'done', task_abstract: 'd' }],
  [PAYLOAD_CLASSES.task_cancel, { task_id: 't', reason: 'moot' }],
  [PAYLOAD_CLASSES.task_reassign, { task_id: 't', assignee: ['b'] }],
  [PAYLOAD_CLASSES.pause_and_trigger, { triggers: ['t1', 't2'] }],
  [PAYLOAD_CLASSES.conclusion, { summary: 'all done' }],
  [TaskSpecDto, { task_desc: 'd', task_abstract: 'a', assignee: ['x'] }],
  [SubscribeDto, { group_id: 'g', after_seq: 3 }],
  [UnsubscribeDto, { group_id: 'g' }],
  [InviteReplyDto, { invite_id: 'i', accept: false, reason: 'busy' }],
];

// Values that probe each kind of rule: types, emptiness, bounds, integer-ness, UTF-16 against code-point lengths,
// UUID spellings that some checkers allow and class-validator does not, extension keys and sizes.
const astral = '\u{1F600}'.repeat(20_000); // 20,000 code points, 40,000 UTF-16 units
const PROBES: unknown[] = [
  undefined, null, 0, -1, 1.5, 7, 1e9, true, '', 'x', 'a'.repeat(65), 'a'.repeat(70_000), astral, [], ['a'], [1], [null],
  {}, { 'a.b': 1 }, { plain: 1 }, { 'a.b': 'x'.repeat(5000) }, uuid.toUpperCase(), `urn:uuid:${uuid}`,
  '00000000-0000-0000-0000-000000000000', '11111111-1111-0111-8111-111111111111', 'sync', 'completed', 'conclusion', 'ioa/1',
];

/** Every value reachable in `value`, each replaced by each probe, plus an unknown key in every object. */
function* mutations(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      for (const m of mutations(value[i])) yield value.map((v, j) => (j === i ? m : v));
    }
    yield [...value, ...value.slice(0, 1)];
    for (let n = 0; n < 70; n += 35) yield Array.from({ length: 34 + n }, () => value[0]);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Plain;
    yield { ...object, surprise: 1 };
    for (const key of Object.keys(object)) {
      for (const probe of PROBES) yield { ...object, [key]: probe };
      for (const m of mutations(object[key])) yield { ...object, [key]: m };
    }
  }
}

describe('compiled DTO checks', () => {
  it('compiles every class the socket edge parses', () => {
    for (const [cls] of VALID) expect(compiledCheck(cls)).not.toBeNull();
  });

  it('accepts the valid samples, as class-validator does', () => {
    for (const [cls, raw] of VALID) {
      expect(classValidatorAccepts(cls, raw)).toBe(true);
      expect(compiledCheck(cls)?.(raw)).toBe(true);
    }
  });

  it('never accepts what class-validator refuses, over a thousand mutated inputs', () => {
    let refused = 0;
    let total = 0;
    let bothAccept = 0;
    for (const [cls, raw] of VALID) {
      const check = compiledCheck(cls)!;
      for (const m of mutations(raw)) {
        total++;
        const fast = check(m);
        const slow = classValidatorAccepts(cls, m);
        if (fast && !slow) throw new Error(`${cls.name}: compiled check accepted what class-validator refuses: ${JSON.stringify(m).slice(0, 300)}`);
        if (!slow) refused++;
        if (fast) bothAccept++;
      }
    }
    // The probes must actually reach refusals, or the loop above proves nothing.
    expect(total).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(total / 2);
    // And it must take nearly all valid input, or it saves nothing.
    expect(bothAccept).toBeGreaterThan(0.9 * (total - refused));
  });

  it('joins several rules on one property so that each holds, whatever their order', () => {
    class MinThenInt {
      @Min(0) @IsInt()
      n!: number;
    }
    class TwoMaxLengths {
      @MaxLength(100) @MaxLength(10)
      s!: string;
    }
    class InAndEquals {
      @IsIn(['a', 'b']) @Equals('a')
      v!: string;
    }
    const cases: Array<[new () => object, Plain]> = [[MinThenInt, { n: 1.5 }], [TwoMaxLengths, { s: 'x'.repeat(50) }], [InAndEquals, { v: 'b' }]];
    for (const [cls, raw] of cases) {
      expect(classValidatorAccepts(cls, raw)).toBe(false);
      expect(compiledCheck(cls)?.(raw)).toBe(false);
    }
    expect(compiledCheck(MinThenInt)?.({ n: 2 })).toBe(true);
  });

  it('reads each class\'s own rules, and refuses to name two nested classes alike', () => {
    const namesake = (() => {
      class SubscribeDto {
        @IsOptional() @IsString()
        extra?: string;
      }
      return SubscribeDto;
    })();
    expect(compiledCheck(namesake)?.({ extra: 'x' })).toBe(true);
    expect(compiledCheck(SubscribeDto)?.({ group_id: 'g', extra: 'x' })).toBe(false);
    const inner = (max: number) => {
      class Inner {
        @IsString() @MaxLength(max)
        s!: string;
      }
      return Inner;
    };
    class Outer {
      @ValidateNested() @Type(() => inner(5))
      a!: object;

      @ValidateNested() @Type(() => inner(50))
      b!: object;
    }
    expect(compiledCheck(Outer)).toBeNull();
  });

  it('compiles IsOptionalNotNull as class-validator reads it: absent passes, null meets the other rules', () => {
    class Note {
      @IsOptionalNotNull() @IsString()
      text?: string;

      @IsOptionalNotNull()
      anything?: unknown;
    }
    for (const raw of [{}, { text: 'x' }, { text: null }, { anything: null }, { text: 1 }]) {
      expect(compiledCheck(Note)?.(raw)).toBe(classValidatorAccepts(Note, raw));
    }
    expect(compiledCheck(Note)?.({ text: null })).toBe(false);
  });

  it('refuses numbers JSON cannot carry exactly as class-validator does (1e400 parses to Infinity)', () => {
    class Count {
      @IsNumber()
      n!: number;
    }
    for (const n of [Infinity, -Infinity, NaN, JSON.parse('1e400')]) {
      expect(compiledCheck(Count)?.({ n })).toBe(false);
      expect(classValidatorAccepts(Count, { n })).toBe(false);
    }
  });

  it('leaves a class with a rule it cannot translate to class-validator alone', () => {
    class Contact {
      @IsEmail()
      email!: string;
    }
    class Price {
      @IsNumber({ maxDecimalPlaces: 2 })
      amount!: number;
    }
    class Conditional {
      @ValidateIf(() => true) @IsString()
      s?: string;
    }
    expect(compiledCheck(Contact)).toBeNull();
    expect(compiledCheck(Price)).toBeNull();
    expect(compiledCheck(Conditional)).toBeNull();
  });
});
