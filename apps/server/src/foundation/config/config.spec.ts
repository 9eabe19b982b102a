import { ConfigError, loadConfig } from './config';

describe('loadConfig: IOA_A2A_ALLOWED_HOSTS', () => {
  const load = (value: string) => loadConfig({ IOA_A2A_ALLOWED_HOSTS: value }).a2a.allowedHosts;

  it('allows nothing by default, and takes names, *.domains, addresses and CIDR ranges', () => {
    expect(loadConfig({}).a2a.allowedHosts).toEqual([]);
    expect(load(' Agents.Example.com, *.trusted.org,127.0.0.1,10.1.0.0/16,::1,fd00::/8 ')).toEqual(['agents.example.com', '*.trusted.org', '127.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8']);
  });

  it.each(['10.0.0.0/', '10.0.0.0/0', '10.0.0.0/33', '::/0', 'https://agents.example.com', 'agents.example.com:8443', 'agents.example.com/a2a', '*', '*.', 'a..b'])(
    'refuses %s, naming the variable', (value) => expect(() => load(value)).toThrow(new ConfigError(`IOA_A2A_ALLOWED_HOSTS: ${value.toLowerCase()} is not a host name, *.domain, IP address or CIDR range (1 to ${value.includes(':') && !value.includes('.') ? 128 : 32} bits)`)),
  );
});

describe('loadConfig: IOA_A2A_PUSH_ALLOWED_HOSTS', () => {
  it('is its own list, empty by default, checked as the other is', () => {
    expect(loadConfig({ IOA_A2A_ALLOWED_HOSTS: '127.0.0.1' }).a2a.pushHosts).toEqual([]);
    expect(loadConfig({ IOA_A2A_PUSH_ALLOWED_HOSTS: 'hooks.example.com' }).a2a).toMatchObject({ allowedHosts: [], pushHosts: ['hooks.example.com'] });
    expect(() => loadConfig({ IOA_A2A_PUSH_ALLOWED_HOSTS: 'https://hooks.example.com' })).toThrow(/^IOA_A2A_PUSH_ALLOWED_HOSTS: https:/);
  });
});
