import { analyze, analyzerFingerprint } from './analyzer';
import { porterStem } from './porter-stemmer';

describe('porterStem', () => {
  it('matches the reference outputs of the Porter algorithm', () => {
    const reference: Record<string, string> = {
      caresses: 'caress', ponies: 'poni', cats: 'cat', agreed: 'agre', plastered: 'plaster',
      motoring: 'motor', hopping: 'hop', filing: 'file', happy: 'happi', relational: 'relat',
      conditional: 'condit', digitizer: 'digit', hopefulness: 'hope', formalize: 'formal',
      electrical: 'electr', allowance: 'allow', adjustment: 'adjust', adoption: 'adopt',
      effective: 'effect', generalizations: 'gener', oscillators: 'oscil', controll: 'control', roll: 'roll',
    };
    for (const [word, stem] of Object.entries(reference)) expect(porterStem(word)).toBe(stem);
  });
});

describe('analyze', () => {
  it('lowercases, splits identifiers, drops stop words, numbers, single letters and possessives; stems', () => {
    expect(analyze("Type up Bob's 40-minute interview_recordings, and mark who's talking!")).toEqual([
      'type', 'bob', 'minut', 'interview', 'record', 'mark', 'talk',
    ]);
  });

  it('keeps letters beyond ASCII and mixed letter-digit tokens', () => {
    expect(analyze('Café mp3 über')).toEqual(['café', 'mp3', 'über']);
  });

  it('has a stable fingerprint', () => {
    expect(analyzerFingerprint()).toMatch(/^[0-9a-f]{16}$/);
    expect(analyzerFingerprint()).toBe(analyzerFingerprint());
  });
});
