import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.js';

describe('loadConfig', () => {
  it('applies defaults: port 3000, embedded database in ./data, operator API closed', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.adminToken).toBeUndefined();
  });

  it('reads the operator settings', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/answerloop',
      ANSWERLOOP_ADMIN_TOKEN: 'a-long-enough-secret-token',
      ANSWERLOOP_COUNTRY_HEADER: 'X-Country',
    });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', countryHeader: 'x-country' });
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/answerloop');
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ANSWERLOOP_ADMIN_TOKEN: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('ANSWERLOOP_ADMIN_TOKEN');
    }
  });

  it('reads the search evidence thresholds and the suggestion blocklist', () => {
    expect(loadConfig({}).search).toEqual({ minReaders: 3, minNetworks: 3, minReaderAgeMinutes: 60, blocklist: [] });
    const config = loadConfig({
      ANSWERLOOP_SEARCH_MIN_READERS: '5',
      ANSWERLOOP_SEARCH_MIN_NETWORKS: '4',
      ANSWERLOOP_SEARCH_MIN_READER_AGE_MINUTES: '1440',
      ANSWERLOOP_SEARCH_BLOCKLIST: ' casino, free money ,,',
    });
    expect(config.search).toEqual({
      minReaders: 5,
      minNetworks: 4,
      minReaderAgeMinutes: 1440,
      blocklist: ['casino', 'free money'],
    });
    expect(() => loadConfig({ ANSWERLOOP_SEARCH_MIN_NETWORKS: '0' })).toThrow(/ANSWERLOOP_SEARCH_MIN_NETWORKS/);
  });
});
