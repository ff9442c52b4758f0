import { resolve } from 'node:path';
import { expect } from 'chai';
import { collect, exitOf, spawnService } from '../support/service-process';
import { eventually } from '../support/eventually';

describe('the service process', function () {
  this.timeout(60_000);

  it('refuses an invalid configuration with exit code 1 and one line naming the variable', async () => {
    const child = spawnService({ PORT: 'eighty', EVENT_BUS: 'memory' });
    const stderr = collect(child.stderr);
    expect(await exitOf(child)).to.equal(1);
    expect(stderr()).to.equal(
      'Invalid configuration: PORT must be a whole number from 0 to 65535\n',
    );
  });

  it('refuses an api without a shared store the same way, before connecting to anything', async () => {
    const child = spawnService({ SERVICE_ROLE: 'api', STORE: 'memory' });
    const stderr = collect(child.stderr);
    expect(await exitOf(child)).to.equal(1);
    expect(stderr()).to.match(
      /^Invalid configuration: SERVICE_ROLE=api needs STORE=postgres: [^\n]+\n$/,
    );
  });

  it('refuses KAFKA_CLIENT=librdkafka where its module is missing, saying how to install it', async () => {
    const child = spawnService({
      EVENT_BUS: 'kafka',
      KAFKA_CLIENT: 'librdkafka',
      // Nothing listens there: the process must fail before it tries to connect.
      KAFKA_BROKERS: '127.0.0.1:1',
      NODE_OPTIONS: `--require ${resolve(__dirname, '../support/without-librdkafka.cjs')}`,
    });
    const stderr = collect(child.stderr);
    expect(await exitOf(child)).to.equal(1);
    expect(stderr()).to.equal(
      'start-up failed: KAFKA_CLIENT=librdkafka: @confluentinc/kafka-javascript is not installed; ' +
        'build it with `CKJS_LINKING=dynamic npm_config_build_from_source=true npm ci` ' +
        '(README: A second Kafka client)\n',
    );
  });

  it('stops gracefully on SIGTERM with exit code 0', async () => {
    const child = spawnService({ PORT: '0', EVENT_BUS: 'memory' });
    const stdout = collect(child.stdout);
    const exited = exitOf(child);
    await eventually(
      'the service to listen',
      () => (stdout().includes('"msg":"listening"') ? true : undefined),
      30_000,
    );
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(stdout()).to.include('"msg":"service stopped"');
  });
});
