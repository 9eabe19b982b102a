import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { isPrivate, OutboundPolicy } from './outbound';

describe('OutboundPolicy (SSRF rules for calls the server makes)', () => {
  const policy = new OutboundPolicy(['agents.example.com', '*.trusted.org', '127.0.0.1', '10.1.0.0/16', 'localhost']);

  it.each([
    ['https://agents.example.com/.well-known/agent-card.json', null],
    ['http://a.trusted.org/x', null],
    ['http://127.0.0.1:9999/card', null],
    ['http://10.1.2.3/card', null],
    ['http://10.2.0.1/card', /not allowed/],
    ['http://169.254.169.254/latest/meta-data', /not allowed/],
    ['https://evil.example.net/card', /not allowed/],
    ['https://trusted.org.evil.net/card', /not allowed/],
    ['file:///etc/passwd', /only http and https/],
    ['gopher://agents.example.com/', /only http and https/],
    ['http://user:pw@agents.example.com/', /credentials/],
    ['not a url', /not a URL/],
  ])('%s', (url, expected) => {
    const refusal = policy.refusal(url);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });

  it('allows nothing with an empty list', () => {
    expect(new OutboundPolicy([]).refusal('https://agents.example.com/')).toMatch(/not allowed/);
  });

  it.each([['127.0.0.1', 4, true], ['10.0.0.1', 4, true], ['192.168.1.1', 4, true], ['169.254.169.254', 4, true], ['8.8.8.8', 4, false], ['::1', 6, true], ['fd00::1', 6, true], ['::ffff:10.0.0.1', 6, true], ['2606:4700::1', 6, false],
    // NAT64's well-known prefix by the IPv4 address it carries; its local-use prefix always.
    ['64:ff9b::a00:1', 6, true], ['64:ff9b::10.0.0.1', 6, true], ['64:ff9b:0:0:0:0:a9fe:a9fe', 6, true], ['64:ff9b::', 6, true], ['64:ff9b::808:808', 6, false],
    ['64:ff9b::8.8.8.8', 6, false], ['64:ff9b:1::808:808', 6, true], ['2002:a00:1::1', 6, true], ['2001:0:a00:1::1', 6, true], ['fec0::1', 6, true], ['198.18.0.1', 4, true], ['192.0.0.8', 4, true]] as const)(
    'judges %s (IPv%s) private: %s', (address, family, expected) => expect(isPrivate(address, family)).toBe(expected),
  );

  describe('at connect time', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((req, res) => (req.url === '/moved' ? res.writeHead(302, { location: 'http://169.254.169.254/' }).end() : res.end('ok')));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('reaches an address an IP entry allows', async () => {
      expect(await (await policy.fetch(`http://127.0.0.1:${port}/`, { timeoutMs: 5000 })).text()).toBe('ok');
    });

    it('refuses a name allowed by name that resolves to a private address (DNS rebinding)', async () => {
      await expect(new OutboundPolicy(['localhost']).fetch(`http://localhost:${port}/`, { timeoutMs: 5000 })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/resolves to .*a private address/) } });
    });

    it('does not follow redirects', async () => {
      await expect(policy.fetch(`http://127.0.0.1:${port}/moved`, { timeoutMs: 5000 })).rejects.toThrow(/redirect \(302\)/);
    });
  });
});
