import { ConfigError, configEnvNames, loadConfig } from '../../config';

describe('configuration', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'zhengwu-flow',
      TEMPORAL_MANAGE_NAMESPACE: true,
      TEMPORAL_RETENTION_DAYS: 90,
      API_PORT: 3000,
      DATA_DIR: 'data',
    });
  });

  it('reads and coerces variables, ignoring empty ones', () => {
    const config = loadConfig({ API_PORT: '8080', TEMPORAL_MANAGE_NAMESPACE: 'false', TEMPORAL_NAMESPACE: '' });
    expect(config.API_PORT).toBe(8080);
    expect(config.TEMPORAL_MANAGE_NAMESPACE).toBe(false);
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
  });

  it('names each bad variable and its rule', () => {
    expect(() => loadConfig({ API_PORT: '70000', TEMPORAL_RETENTION_DAYS: '1' })).toThrow(ConfigError);
    try {
      loadConfig({ API_PORT: '70000', TEMPORAL_RETENTION_DAYS: '1' });
    } catch (error) {
      expect((error as Error).message).toMatch(/API_PORT: .*65535/);
      expect((error as Error).message).toMatch(/TEMPORAL_RETENTION_DAYS: .*30/);
    }
  });

  it('refuses half an mTLS pair', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/etc/cert.pem' })).toThrow(/set both for mTLS/);
  });

  it('lists every variable it understands', () => {
    expect(configEnvNames).toEqual(expect.arrayContaining(['TEMPORAL_ADDRESS', 'API_PORT', 'DATA_DIR']));
  });
});
