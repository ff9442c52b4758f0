import { expect } from 'chai';

/** Asserts an RFC 9457 problem response with this status and returns its body. */
export async function expectProblem(
  response: Response,
  status: number,
): Promise<Record<string, unknown>> {
  expect(response.status).to.equal(status);
  expect(response.headers.get('content-type')).to.equal('application/problem+json');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).to.include({ status });
  expect(body).to.have.keys(
    ...['type', 'title', 'status', 'detail', 'instance', 'requestId'],
    ...Object.keys(body).filter((key) =>
      ['errors', 'eventIds', 'ids', 'retryAfterSeconds'].includes(key),
    ),
  );
  expect(body.requestId).to.equal(response.headers.get('x-request-id'));
  return body;
}
