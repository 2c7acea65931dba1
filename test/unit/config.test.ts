import { ConfigError, emulatorEnabled, loadConfig } from '../../bot/config';

describe('configuration', () => {
  it('has working defaults for a laptop', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3978);
    expect(c.NODE_ENV).toBe('development');
    expect(c.REDIS_URL).toBeUndefined();
    expect(emulatorEnabled(c)).toBe(true);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', REDIS_URL: 'http://x', DIRECT_LINE_SECRET: 'short' });
      throw new Error('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/LOG_LEVEL/);
      expect(problems).toMatch(/REDIS_URL/);
      expect(problems).toMatch(/DIRECT_LINE_SECRET: at least 32/);
    }
  });

  it('refuses production without Redis, a Direct Line secret or a log hash key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/REDIS_URL: required[\s\S]*DIRECT_LINE_SECRET[\s\S]*LOG_HASH_KEY/);
    const ok = loadConfig({
      NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379',
      DIRECT_LINE_SECRET: 'x'.repeat(40), LOG_HASH_KEY: 'k', PUBLIC_URL: 'https://chat.example-bank.cn',
    });
    expect(emulatorEnabled(ok)).toBe(false);
  });

  it('treats blank optional variables as unset', () => {
    expect(loadConfig({ REDIS_URL: '  ', DIRECT_LINE_SECRET: '' }).REDIS_URL).toBeUndefined();
  });
});
