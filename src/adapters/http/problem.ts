import type { Context } from 'koa';
import type { ValidationIssue } from '../../domain/validation-issue';

/** An RFC 9457 problem; `type` URIs are relative and documented in docs/problems.md. */
export interface Problem {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: readonly ValidationIssue[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(ctx: Context, problem: Problem): void {
  ctx.status = problem.status;
  ctx.body = { ...problem, instance: ctx.path, requestId: ctx.state.requestId as string };
  ctx.type = PROBLEM_CONTENT_TYPE;
}

/** The generic problem of a status code, for errors that need nothing more specific. */
export const statusProblem = (status: number, title: string, detail: string): Problem => ({
  status,
  type: `/problems/${title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
  title,
  detail,
});
