/**
 * The dependency rule of the hexagon, checked by `npm run lint`:
 * domain <- application <- adapters <- composition root <- main.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain knows nothing of use cases, adapters, configuration or DI.',
      severity: 'error',
      from: { path: '^src/domain' },
      to: {
        path: '^src/(application|adapters|config|composition-root|main)|node_modules/(tsyringe|koa|kafkajs|pg|pino|prom-client)',
      },
    },
    {
      name: 'application-knows-no-adapter',
      comment: 'Use cases and ports depend only on the domain.',
      severity: 'error',
      from: { path: '^src/application' },
      to: {
        path: '^src/(adapters|config|composition-root|main)|node_modules/(koa|kafkajs|pg|pino|prom-client)',
      },
    },
    {
      name: 'adapters-are-isolated',
      comment:
        'An adapter never imports another technology adapter: only the composition root joins them.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/([^/]+)/', pathNot: '^src/adapters/($1|shared)/' },
    },
    {
      name: 'only-root-wires',
      comment:
        'Only the composition root and main may import the composition root or configuration.',
      severity: 'error',
      from: { path: '^src/(domain|application|adapters)' },
      to: { path: '^src/(composition-root|main)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
