import { expect } from 'chai';
import { kafkaBrokers } from '../support/kafka-broker';
import { produceRaw } from '../support/raw-kafka';
import { onKafka, runService, type RunningService } from '../support/running-service';
import { scrapeMetrics, type Scrape } from '../support/metrics-scrape';
import { eventually } from '../support/eventually';
import { aUserEvent } from '../support/builders';
import { unique } from '../support/unique';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import pino from 'pino';
import { createKafka } from '../../src/adapters/kafkajs/kafkajs-setup';
import { KafkaTrouble } from '../../src/adapters/kafka/connection-trouble';
import { ensureTopics } from '../../src/adapters/kafka/kafka-topics';
import { ConsumerGroupLag } from '../../src/adapters/kafka/consumer-group-lag';
import { kafkajsTopicAdmin } from '../../src/adapters/kafkajs/kafkajs-topic-admin';
import { kafkajsGroupOffsets } from '../../src/adapters/kafkajs/kafkajs-client';

describe('metrics of the service on a real Kafka broker', function () {
  this.timeout(120_000);
  const topic = unique('metrics');
  let app: RunningService;
  before(async () => {
    app = await runService(await onKafka(topic));
  });
  after(async () => app?.stop());

  it('counts duplicates and dead letters by reason, and shows the lag of every partition', async () => {
    const userId = unique('metered');
    const event = JSON.stringify(aUserEvent({ userId }));
    await produceRaw(await kafkaBrokers(), topic, [
      { key: userId, value: event },
      { key: userId, value: event },
      { key: userId, value: Buffer.from([0xff, 0xfe]) },
      { key: userId, value: JSON.stringify({ ...aUserEvent({ userId }), eventType: '' }) },
      { key: userId, value: JSON.stringify(aUserEvent({ userId })) },
    ]);
    const { url } = app;
    const scrape: Scrape = await eventually(
      'every record settled and committed',
      async () => {
        const now = await scrapeMetrics(url);
        const lag = now.samples('kafka_consumer_lag');
        // One scrape is no atomic snapshot: the counters are read before the lag, which is read
        // from the broker. So all five records must show as settled, whatever their outcome.
        const settled = [
          ...now.samples('events_processed_total'),
          ...now.samples('events_dead_lettered_total'),
        ].reduce((sum, sample) => sum + sample.value, 0);
        const committed = lag.length === 3 && lag.every((sample) => sample.value === 0);
        return settled === 5 && committed ? now : undefined;
      },
      60_000,
      250,
    );
    expect(scrape.value('events_processed_total', { outcome: 'processed' })).to.equal(2);
    expect(scrape.value('events_processed_total', { outcome: 'duplicate' })).to.equal(1);
    expect(scrape.value('events_dead_lettered_total', { reason: 'malformed' })).to.equal(1);
    expect(scrape.value('events_dead_lettered_total', { reason: 'schema-violation' })).to.equal(1);
    expect(
      scrape
        .samples('kafka_consumer_lag')
        .map(({ labels }) => `${labels.topic}/${labels.partition}`)
        .sort(),
    ).to.deep.equal([0, 1, 2].map((partition) => `${topic}/${partition}`));
  });

  it('reads the lag of a group that has not consumed yet as every record on the partition', async () => {
    const idle = unique('idle');
    const silent = pino({ level: 'silent' });
    const kafka = createKafka(
      { clientId: unique('lag'), brokers: await kafkaBrokers() },
      silent,
      new KafkaTrouble(silent),
    );
    await ensureTopics(() => kafkajsTopicAdmin(kafka), [idle], 2);
    await produceRaw(await kafkaBrokers(), idle, [
      ...Array.from({ length: 4 }, () => ({ value: 'x', partition: 0 })),
      { value: 'y', partition: 1 },
    ]);
    const lag = new ConsumerGroupLag(
      () => kafkajsGroupOffsets(kafka),
      unique('never-consumed'),
      idle,
    );
    try {
      expect(await lag.read()).to.deep.equal([
        { topic: idle, partition: 0, lag: 4 },
        { topic: idle, partition: 1, lag: 1 },
      ]);
    } finally {
      await lag.close();
    }
  });

  it('exposes every series the dashboard and the alert rules use', async () => {
    const read = (file: string) => readFileSync(resolve(__dirname, '../../docs', file), 'utf8');
    const dashboard = JSON.parse(read('grafana-dashboard.json')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const alerts = parse(read('monitoring/alerts.yml')) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
    };
    const expressions = [
      ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
      ...alerts.groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
    ];
    const used = new Set(
      expressions.flatMap(
        (expr) => expr.match(/\b(?:http|events|kafka|process|nodejs)_[a-z0-9_]+/g) ?? [],
      ),
    );
    const { text } = await scrapeMetrics(app.url);
    const exposed = (name: string) =>
      [name, name.replace(/_(bucket|count|sum)$/, '')].some((base) =>
        text.includes(`# TYPE ${base} `),
      );
    expect([...used].filter((name) => !exposed(name))).to.deep.equal([]);
    expect(used.size).to.be.greaterThan(8);
  });
});
