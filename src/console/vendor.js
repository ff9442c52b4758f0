// @ts-check
// The libraries the service serves under /console/vendor/ from its own dependencies. Imported by
// URL, which the type checker cannot follow: their types come from the packages themselves.

/** @param {string} name */
const library = (name) => import(new URL(`./vendor/${name}`, import.meta.url).href);

/** @type {typeof import('uplot')} */
export const uPlot = (await library('uplot.js')).default;

/** @type {typeof import('eventsource-parser/stream').EventSourceParserStream} */
export const EventSourceParserStream = (await library('stream.js')).EventSourceParserStream;
