import { whileAlive } from '../bench/pipeline/bench-process';
import { progress } from '../bench/pipeline/context';
import { acceptedPerSecond } from '../bench/pipeline/http-load';
import { chooseLoadGenerator } from '../bench/pipeline/load-generator';
import { singleBodies } from '../bench/pipeline/request-bodies';
import { rounded } from '../bench/pipeline/stats';
import type { SoakContext } from './soak-context';
import type { Calibration } from './soak-results';

/**
 * The highest sustained rate of single POSTs: the bench's load generator (wrk when on PATH),
 * closed loop, after a short warm-up; then waits until the group has committed all it accepted,
 * so that the soak starts on an empty lag.
 */
export async function calibrate(context: SoakContext): Promise<Calibration> {
  const { settings, service, lag, cleanup } = context;
  const { warmUpSeconds, seconds, connections } = settings.calibration;
  const load = chooseLoadGenerator(cleanup);
  const options = {
    url: service.url,
    path: '/events/generate',
    bodies: singleBodies(settings.users),
    connections,
  };
  progress(`warming up for ${warmUpSeconds} s`);
  await whileAlive(service, load.post({ ...options, seconds: warmUpSeconds }));
  progress(`calibrating: single POSTs at ${connections} connections for ${seconds} s`);
  const result = await whileAlive(service, load.post({ ...options, seconds }));
  progress(`calibrated at ${Math.round(acceptedPerSecond(result))} POSTs/s; waiting for lag 0`);
  const lagZeroAt = await whileAlive(service, lag.untilZero(settings.drainMinutes * 60_000));
  return {
    generator: load.name,
    connections,
    seconds: rounded(result.seconds, 1),
    acceptedPerSecond: rounded(acceptedPerSecond(result), 1),
    statuses: result.statuses,
    latencyMs: result.latencyMs,
    lagZeroAfterSeconds: rounded(Math.max(0, lagZeroAt - result.endedAt) / 1000, 1),
  };
}
