import { DataKeys } from './data-key';

describe('DataKeys', () => {
  const OLD = 'old-data-key-0123456789abcdef';
  const NEW = 'new-data-key-0123456789abcdef';

  it('verifies what it signed, and nothing changed', () => {
    const keys = new DataKeys(NEW);
    const signature = keys.sign('state hash 1');
    expect(keys.verify('state hash 1', signature)).toBe(true);
    expect(keys.verify('state hash 2', signature)).toBe(false);
    expect(keys.verify('state hash 1', { ...signature, mac: `${signature.mac.slice(0, -2)}AA` })).toBe(false);
    expect(keys.verify('state hash 1', { ...signature, mac: 'short' })).toBe(false);
    expect(keys.verify('state hash 1', { kid: 'unknown', mac: signature.mac })).toBe(false);
  });

  it('keeps verifying what a rotated-out key signed while it is listed, and signs with the current key only', () => {
    const signedBefore = new DataKeys(OLD).sign('checkpoint');
    const rotated = new DataKeys(NEW, [OLD]);
    expect(rotated.verify('checkpoint', signedBefore)).toBe(true);
    expect(rotated.sign('checkpoint').kid).not.toBe(signedBefore.kid);
    expect(new DataKeys(NEW).verify('checkpoint', signedBefore)).toBe(false);
  });

  it('derives the same key id on every node that shares the key, revealing nothing of it', () => {
    expect(new DataKeys(NEW).kid).toBe(new DataKeys(NEW).kid);
    expect(new DataKeys(NEW).kid).not.toContain(NEW.slice(0, 6));
  });

  it('seals secrets that only its keys open, rotated-out ones included, and refuses an altered one', () => {
    const sealed = new DataKeys(OLD).seal('Bearer s3cret');
    expect(sealed).not.toContain('s3cret');
    expect(new DataKeys(NEW, [OLD]).open(sealed)).toBe('Bearer s3cret');
    expect(new DataKeys(NEW, [OLD]).seal('x')).not.toBe(new DataKeys(NEW, [OLD]).seal('x'));
    expect(() => new DataKeys(NEW).open(sealed)).toThrow(/unknown data key/);
    const [kid, iv, data, tag] = sealed.split('.');
    expect(() => new DataKeys(OLD).open([kid, iv, `${data[0] === 'A' ? 'B' : 'A'}${data.slice(1)}`, tag].join('.'))).toThrow();
  });
});
