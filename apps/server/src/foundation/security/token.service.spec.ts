import { JwtService } from '@nestjs/jwt';
import { RowWriter } from '../persistence/row-writer';
import { TokenService } from './token.service';

describe('TokenService.issue', () => {
  const inserted: unknown[] = [];
  const writer = { insert: async (_: unknown, rows: unknown[]) => void inserted.push(...rows) } as unknown as RowWriter;
  const make = (jwt: Partial<JwtService>) =>
    new TokenService(
      null as never, { adminToken: 'admin' } as never, jwt as JwtService, null as never, { now: () => 1_000 }, { next: () => 'jti-1' }, writer, null as never,
    );

  beforeEach(() => (inserted.length = 0));

  it('writes no row when the token cannot be signed', async () => {
    const tokens = make({ signAsync: () => Promise.reject(new Error('"expiresIn" should be a number of seconds')) });
    await expect(tokens.issueEnrollment(1, 60)).rejects.toThrow('expiresIn');
    expect(inserted).toEqual([]);
  });

  it('writes the row of a signed token', async () => {
    const tokens = make({ signAsync: async () => 'signed' });
    await expect(tokens.issueEnrollment(2, 60)).resolves.toEqual({ token: 'signed', jti: 'jti-1', expires_at: new Date(61_000).toISOString() });
    expect(inserted).toEqual([expect.objectContaining({ jti: 'jti-1', kind: 'enrollment', maxUses: 2, expiresAt: 61_000 })]);
  });
});
