// Preloaded into a service process (`node --require`) to make it a machine where the optional
// @confluentinc/kafka-javascript could not be built: requiring it fails as a missing module does.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a preload script is CommonJS
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@confluentinc/kafka-javascript') {
    const missing = new Error(`Cannot find module '${request}'`);
    missing.code = 'MODULE_NOT_FOUND';
    throw missing;
  }
  return resolveFilename.call(this, request, ...rest);
};
