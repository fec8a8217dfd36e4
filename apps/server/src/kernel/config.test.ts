import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults give the embedded database on port 3000', () => {
  const config = loadConfig({});
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.port, 3000);
  assert.equal(config.baseUrl, 'http://localhost:3000');
  assert.equal(config.dataDir, './.kontor-data');
});

test('each bad variable gets its own message naming it', () => {
  try {
    loadConfig({
      PORT: 'eighty',
      KONTOR_BASE_URL: 'crm.example.com',
      SMTP_URL: 'http://mail',
      KONTOR_SECRET: 'short',
    });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const byVar = Object.fromEntries(error.problems.map((p) => [p.split(':')[0], p]));
    assert.deepEqual(Object.keys(byVar).sort(), ['KONTOR_BASE_URL', 'KONTOR_SECRET', 'PORT', 'SMTP_URL']);
    assert.match(byVar.PORT ?? '', /got "eighty"/);
    assert.match(byVar.KONTOR_BASE_URL ?? '', /http:\/\/ or https:\/\//);
  }
});

test('secret values are never repeated in an error', () => {
  const secret = 'postgres-password-123';
  try {
    loadConfig({ DATABASE_URL: `mysql://u:${secret}@h/db`, KONTOR_SECRET: 'tooshort' });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.doesNotMatch(error.message, new RegExp(secret));
    assert.doesNotMatch(error.message, /tooshort/);
    assert.match(error.message, /DATABASE_URL: must be a postgres:\/\//);
  }
});

test('production refuses to start without KONTOR_SECRET', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /KONTOR_SECRET: is required/);
});

test('a port out of range is refused', () => {
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT: must be a port number/);
});
