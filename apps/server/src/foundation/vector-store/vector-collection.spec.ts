import { normalized } from './vector-codec';
import { VectorCollection } from './vector-collection';

const DIM = 16;

function filled(n: number): VectorCollection {
  let s = 5;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const c = new VectorCollection(DIM);
  for (let i = 0; i < n; i++) c.put(`p${i}`, `o${i % 50}`, normalized(Float32Array.from({ length: DIM }, next)), { i });
  return c;
}

/** The reference: score every live row, sort everything. */
function bruteForce(c: VectorCollection, q: Float32Array, k: number, accept: (row: number) => boolean): string[] {
  const scored: { id: string; score: number }[] = [];
  for (let row = 0; row < c.rowCount; row++) {
    const id = c.idAt(row);
    if (id !== undefined && accept(row)) scored.push({ id, score: c.dot(row, q) });
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, k).map((x) => x.id);
}

describe('VectorCollection', () => {
  it('reuses the rows of removed vectors and keeps owners in step on re-put', () => {
    const c = filled(10);
    const row = c.remove('p3') as number;
    expect(c.put('new', 'x', normalized(Float32Array.from({ length: DIM }, () => 1)), {})).toBe(row);
    c.put('p4', 'x', c.vectorAt(c.rowOfId('p4') as number).slice(), {});
    expect(c.rowsOf('x').map((r) => c.idAt(r)).sort()).toEqual(['new', 'p4']);
    expect(c.ownerRowCount('o4')).toBe(0);
    expect(c.size).toBe(10);
  });

  it.each([
    ['the JS loop', 300],
    ['the native SIMD scan', 25_000],
  ])('scans exactly with %s, skipping removed rows and rows the filter rejects', (_, n) => {
    const c = filled(n);
    for (let i = 0; i < n; i += 7) c.remove(`p${i}`);
    const q = normalized(Float32Array.from({ length: DIM }, (_, i) => Math.sin(i)));
    const all = () => true;
    const few = (row: number) => c.ownerAt(row) === 'o7' || c.ownerAt(row) === 'o8';
    const fewRows = [...c.rowsOf('o7'), ...c.rowsOf('o8'), ...c.rowsOf('o9')];
    for (const [k, accept, rows] of [[10, all, null], [25, few, null], [n, few, null], [10, few, fewRows], [n, all, fewRows]] as const) {
      const hits = c.scan(q, k, rows, accept === all ? null : accept);
      const expected = bruteForce(c, q, k, (row) => accept(row) && (!rows || rows.includes(row)));
      expect(hits.map((h) => c.idAt(h.row))).toEqual(expected);
      expect(hits.every((h) => Math.abs(h.score - c.dot(h.row, q)) < 1e-6)).toBe(true);
    }
  });
});
