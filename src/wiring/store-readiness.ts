import { isLeft } from 'fp-ts/Either';
import type { DependencyContainer } from 'tsyringe';
import { PROCESSED_EVENT_STORE } from '../application/processed-event-store.port';
import { upOrDown, type Checks } from './adapter-set';
import { resolvePort } from './port-registry';

/**
 * The readiness check of whichever store is registered, up while it answers, and why it did not
 * the last time it was asked, in the words `troubleOf` gives a failure's detail.
 */
export class StoreReadiness {
  private failure: string | undefined;

  constructor(
    private readonly container: DependencyContainer,
    private readonly troubleOf: (detail: string) => string = (detail) => `store: ${detail}`,
  ) {}

  checks = async (): Promise<Checks> => {
    const answer = await resolvePort(this.container, PROCESSED_EVENT_STORE).ping()();
    this.failure = isLeft(answer) ? answer.left.detail : undefined;
    return { store: upOrDown(this.failure === undefined) };
  };

  causes = async (): Promise<readonly string[]> =>
    this.failure === undefined ? [] : [this.troubleOf(this.failure)];
}
