import { convertUnits, counterCommand, phrasebook, proofread, quoted, runCommand } from './work';

describe('the demo agents\' scripted skills', () => {
  it('converts the first number with a known unit', () => {
    expect(convertUnits('Convert "390 miles" into kilometres')).toBe('390 miles = 627.6 km');
    expect(convertUnits('how much is 10 kg')).toBe('10 kg = 22.0 lb');
    expect(convertUnits('212 °F please')).toBe('212 °F = 100.0 °C');
    expect(() => convertUnits('no numbers here')).toThrow('no "<number> <unit>"');
  });

  it('drafts Spanish from its phrasebook and proofreads capitals and punctuation', () => {
    const draft = phrasebook(quoted('Translate: "welcome to madrid, dear friends! see you at the hotel at eight"'));
    expect(draft).toBe('bienvenidos a madrid, queridos amigos! nos vemos en el hotel a las ocho');
    expect(proofread(draft)).toEqual({ text: '¡Bienvenidos a Madrid, queridos amigos! Nos vemos en el hotel a las ocho.', fixes: 5 });
    expect(proofread('Ya está.')).toEqual({ text: 'Ya está.', fixes: 0 });
  });

  it('runs the counter without a shell, streaming its lines', async () => {
    const lines: string[] = [];
    const text = 'one two; $(rm -rf /) "three"';
    const out = await runCommand(counterCommand(text), async (l) => void lines.push(l));
    expect(lines).toEqual(['words: 6', `characters: ${text.length}`, 'sentences: 0', 'longest word: three']);
    expect(out).toBe(lines.join('\n'));
  });
});
